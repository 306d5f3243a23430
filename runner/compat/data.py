"""CLDR (via Babel) and tz database (via `tzdata`) data, reduced to the compact JSON the JS side
needs. Built on first use and cached in-process; nothing here is hand-typed except the few
CLDR/ICU facts Babel does not carry (`_ICU_EXTRAS`, `_LEGACY_ZONE_IDS`, `_NARROW_*`, …) and the
CLDR 48 values V8 prints where Babel's newer CLDR differs (`cldr48.json`, see `cldr48.py`)."""

from __future__ import annotations

import functools
import importlib.resources
import json
import struct
import zoneinfo
from typing import Any

from babel import Locale
from babel.core import get_global

#: Locales shipped with full data; other tags fall back (see `resolve_locale`).
LOCALES: tuple[str, ...] = (
    "en-US", "en-GB", "en-IN", "en-CA", "en-AU", "de-DE", "de-AT", "de-CH", "fr-FR", "fr-CA",
    "es-ES", "es-MX", "pt-BR", "pt-PT", "it-IT", "nl-NL", "ja-JP", "zh-CN", "ko-KR", "sv-SE",
    "pl-PL",
)  # fmt: skip

#: IANA zones shipped (plus every tzdata link to them, and Etc/GMT±N fixed offsets).
ZONES: tuple[str, ...] = (
    "UTC", "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Toronto",
    "America/Vancouver", "America/Edmonton", "America/Winnipeg", "America/Halifax",
    "America/St_Johns", "America/Mexico_City", "America/Bogota", "America/Lima",
    "America/Santiago", "America/Caracas", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
    "America/Puerto_Rico", "America/Detroit", "Europe/London", "Europe/Dublin", "Europe/Lisbon",
    "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam",
    "Europe/Brussels", "Europe/Zurich", "Europe/Vienna", "Europe/Stockholm", "Europe/Oslo",
    "Europe/Copenhagen", "Europe/Helsinki", "Europe/Warsaw", "Europe/Prague", "Europe/Budapest",
    "Europe/Athens", "Europe/Bucharest", "Europe/Kyiv", "Europe/Istanbul", "Europe/Moscow",
    "Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi", "Africa/Casablanca",
    "Asia/Jerusalem", "Asia/Dubai", "Asia/Riyadh", "Asia/Tehran", "Asia/Karachi", "Asia/Kolkata",
    "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta", "Asia/Ho_Chi_Minh",
    "Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Manila", "Asia/Hong_Kong", "Asia/Shanghai",
    "Asia/Taipei", "Asia/Seoul", "Asia/Tokyo", "Australia/Perth", "Australia/Adelaide",
    "Australia/Brisbane", "Australia/Sydney", "Australia/Melbourne", "Pacific/Auckland",
)  # fmt: skip

# ICU reports CLDR's canonical zone ids, which keep the older IANA names for these.
_LEGACY_ZONE_IDS = {
    "Asia/Kolkata": "Asia/Calcutta",
    "Europe/Kyiv": "Europe/Kiev",
    "Asia/Ho_Chi_Minh": "Asia/Saigon",
    "America/Argentina/Buenos_Aires": "America/Buenos_Aires",
    "Asia/Kathmandu": "Asia/Katmandu",
}

# CLDR data Babel's importer drops: the per-zone daylight names of Europe/London and
# Europe/Dublin (en) and the minus sign of French GMT offsets. (The "atTime" date-time glue ICU
# uses, CLDR 42+, comes with the CLDR 48 data in `cldr48.json`.)
_ICU_EXTRAS: dict[str, dict[str, Any]] = {
    "en": {"zoneLong": {"Europe/London": [None, "British Summer Time"], "Europe/Dublin": [None, "Irish Standard Time"]}},
    "fr": {"gmtMinus": "\u2212"},
}
# CLDR minimumGroupingDigits (not exported by Babel) for shipped languages that differ from 1.
_MIN_GROUPING = {"es": 2, "es-MX": 1, "it": 2, "pl": 2, "pt-PT": 2}
# What ICU 78 prints where it differs even from CLDR 48's JSON (Honolulu's names: ICU keeps it in
# the Hawaii_Aleutian metazone), merged last, over `cldr48.json`.
_TAG_EXTRAS: dict[str, dict[str, Any]] = {
    "en-US": {"zs": {"Pacific/Honolulu": ["HST", "HDT"]}},
    "en-CA": {"zs": {"Pacific/Honolulu": ["HST", "HDT"]}},
    "sv-SE": {"zl": {"Pacific/Honolulu": ["Honolulu, normaltid", "Honolulu, sommartid"]}},
}

_CURRENCIES = (
    "USD", "EUR", "GBP", "INR", "JPY", "CNY", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK",
    "PLN", "CZK", "HUF", "RON", "BRL", "MXN", "ARS", "CLP", "COP", "PEN", "ZAR", "NGN", "KES",
    "EGP", "AED", "SAR", "ILS", "TRY", "RUB", "UAH", "KRW", "HKD", "SGD", "TWD", "THB", "IDR",
    "MYR", "PHP", "VND", "PKR", "BDT", "KWD", "BHD",
)  # fmt: skip
# CLDR's `symbol-alt-narrow` currency symbols (currencyDisplay: "narrowSymbol"), which Babel's
# importer drops: root's values, then the languages/locales that override them, as ICU 78 (Node 20)
# resolves them. A currency with no narrow symbol anywhere uses the locale's standard symbol.
_NARROW_ROOT: dict[str, str] = {
    "USD": "$", "EUR": "€", "GBP": "£", "INR": "₹", "JPY": "¥", "CNY": "¥", "CAD": "$", "AUD": "$",
    "NZD": "$", "SEK": "kr", "NOK": "kr", "DKK": "kr", "PLN": "zł", "CZK": "Kč", "HUF": "Ft",
    "RON": "lei", "BRL": "R$", "MXN": "$", "ARS": "$", "CLP": "$", "COP": "$", "ZAR": "R", "NGN": "₦",
    "EGP": "E£", "ILS": "₪", "TRY": "₺", "RUB": "₽", "UAH": "₴", "KRW": "₩", "HKD": "$", "SGD": "$",
    "TWD": "NT$", "THB": "฿", "IDR": "Rp", "MYR": "RM", "PHP": "₱", "VND": "₫", "PKR": "Rs", "BDT": "৳",
}  # fmt: skip
_NARROW_LOCALE: dict[str, dict[str, str]] = {
    "en": {"TWD": "$"}, "en-AU": {"SEK": "Kr", "EGP": "£", "BDT": "Tk"},
    "de": {"RON": "L"}, "de-CH": {"EUR": "EUR"}, "fr": {"RON": "L", "EGP": "£E"}, "es": {"RON": "L", "EGP": "EGP"},
    "es-MX": {"RON": "lei", "EGP": "E£"}, "pt": {"RON": "L"}, "it": {"NOK": "NKr", "EGP": "£E"},
    "ja": {"JPY": "￥", "CNY": "￥", "RON": "レイ", "TWD": "$"}, "ko": {"RON": "L"}, "sv": {"RON": "L"},
    "pl": {"RON": "lej"},
}  # fmt: skip
# Currency digits where CLDR 48 (ICU 78) differs from Babel's newer CLDR.
_CURRENCY_DIGITS = {"PKR": 0}
_META: dict[str, str] = {z: m for z in ZONES if (m := get_global("meta_zones").get(z))}
_META["Pacific/Honolulu"] = "Hawaii_Aleutian"  # ICU 78 (CLDR 48) still names Honolulu this way
del _META["Africa/Casablanca"]  # CLDR maps it to Europe_Western only until 2018 (GMT+1 since)
_META["Europe/London"] = _META["Europe/Dublin"] = "GMT"  # CLDR 48's; the British/Irish metazones are newer
# CLDR primaryZones: the zone named after its country where the country has several zones.
_PRIMARY_ZONES = {
    "CL": "America/Santiago", "CN": "Asia/Shanghai", "DE": "Europe/Berlin", "EC": "America/Guayaquil",
    "ES": "Europe/Madrid", "MH": "Pacific/Majuro", "MY": "Asia/Kuala_Lumpur", "NZ": "Pacific/Auckland",
    "PT": "Europe/Lisbon", "UA": "Europe/Kyiv", "UZ": "Asia/Tashkent",
}  # fmt: skip
# CLDR mapZone "golden" zones of the metazones used here, by territory ("001" = default), where
# they are shipped zones. ICU shows "metazone name (location)" where a zone's offset differs from
# its golden zone's, and names the country there only for the country's golden zone.
_GOLDEN_ZONES: dict[str, dict[str, str]] = {
    "Africa_Eastern": {"001": "Africa/Nairobi"},
    "Africa_Southern": {"001": "Africa/Johannesburg"},
    "Africa_Western": {"001": "Africa/Lagos"},
    "America_Central": {"001": "America/Chicago", "CA": "America/Winnipeg", "MX": "America/Mexico_City"},
    "America_Eastern": {"001": "America/New_York", "CA": "America/Toronto"},
    "America_Mountain": {"001": "America/Denver", "CA": "America/Edmonton"},
    "America_Pacific": {"001": "America/Los_Angeles", "CA": "America/Vancouver"},
    "Arabian": {"001": "Asia/Riyadh"},
    "Argentina": {"001": "America/Argentina/Buenos_Aires"},
    "Atlantic": {"001": "America/Halifax", "PR": "America/Puerto_Rico"},
    "Australia_Central": {"001": "Australia/Adelaide"},
    "Australia_Eastern": {"001": "Australia/Sydney"},
    "Australia_Western": {"001": "Australia/Perth"},
    "Bangladesh": {"001": "Asia/Dhaka"},
    "Brasilia": {"001": "America/Sao_Paulo"},
    "Chile": {"001": "America/Santiago"},
    "China": {"001": "Asia/Shanghai"},
    "Colombia": {"001": "America/Bogota"},
    "Europe_Central": {"001": "Europe/Paris", "AT": "Europe/Vienna", "BE": "Europe/Brussels", "CH": "Europe/Zurich",
                       "CZ": "Europe/Prague", "DE": "Europe/Berlin", "DK": "Europe/Copenhagen", "ES": "Europe/Madrid",
                       "HU": "Europe/Budapest", "IT": "Europe/Rome", "NL": "Europe/Amsterdam", "NO": "Europe/Oslo",
                       "PL": "Europe/Warsaw", "SE": "Europe/Stockholm"},
    "Europe_Eastern": {"001": "Europe/Bucharest", "EG": "Africa/Cairo", "FI": "Europe/Helsinki", "GR": "Europe/Athens"},
    "GMT": {"GB": "Europe/London", "IE": "Europe/Dublin"},
    "Gulf": {"001": "Asia/Dubai"},
    "Hong_Kong": {"001": "Asia/Hong_Kong"},
    "India": {"001": "Asia/Kolkata"},
    "Indochina": {"001": "Asia/Bangkok"},
    "Indonesia_Western": {"001": "Asia/Jakarta"},
    "Iran": {"001": "Asia/Tehran"},
    "Israel": {"001": "Asia/Jerusalem"},
    "Japan": {"001": "Asia/Tokyo"},
    "Korea": {"001": "Asia/Seoul"},
    "Moscow": {"001": "Europe/Moscow"},
    "Nepal": {"001": "Asia/Kathmandu"},
    "New_Zealand": {"001": "Pacific/Auckland"},
    "Newfoundland": {"001": "America/St_Johns"},
    "Pakistan": {"001": "Asia/Karachi"},
    "Peru": {"001": "America/Lima"},
    "Philippines": {"001": "Asia/Manila"},
    "Singapore": {"001": "Asia/Singapore"},
    "Taipei": {"001": "Asia/Taipei"},
    "Turkey": {"001": "Europe/Istanbul"},
    "Venezuela": {"001": "America/Caracas"},
}
# CLDR metazone changes since 1968 for shipped zones (where the older metazone is one shipped, or
# has no names: None): [[UTC ms until which it applies, metazone], ...]; the current one (_META)
# applies after the last.
_META_HISTORY: dict[str, list[list[Any]]] = {
    "Europe/London": [[57722400000, None]],  # "British" until 1971: no standard name
    "Europe/Dublin": [[57722400000, None]],  # "Irish" until 1971: no standard name
    "Europe/Lisbon": [[212544000000, "Europe_Central"], [717555600000, "Europe_Western"], [828234000000, "Europe_Central"]],
    "Europe/Kyiv": [[646783200000, "Moscow"]],
    "Europe/Istanbul": [[267915600000, "Europe_Eastern"], [468111600000, "Turkey"], [1473195600000, "Europe_Eastern"]],
    "Europe/Moscow": [[670374000000, "Moscow"], [695779200000, "Europe_Eastern"]],
    "Africa/Casablanca": [[448243200000, "Europe_Western"], [504918000000, "Europe_Central"], [1540692000000, "Europe_Western"]],
}
_REL_UNITS = ("year", "quarter", "month", "week", "day", "hour", "minute", "second")


def _plain(value: Any) -> Any:
    """Babel's lazy dicts and pattern objects → plain JSON-able values."""
    if hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "pattern"):
        return value.pattern
    return value


def _pattern(p: Any) -> str:
    return str(getattr(p, "pattern", p))


def _plural_js(rules: dict[str, str] | Any) -> str:
    """Compile a Babel PluralRule into a JS function body over operands n,i,v,f,t,e."""
    clauses = []
    for tag, ast in rules.abstract:
        clauses.append(f"if({_plural_expr(ast)})return {json.dumps(tag)};")
    return "".join(clauses) + 'return "other";'


def _plural_expr(node: tuple) -> str:
    op, args = node
    if op in ("and", "or"):
        joiner = "&&" if op == "and" else "||"
        return "(" + joiner.join(_plural_expr(a) for a in args) + ")"
    if op == "not":
        return "!" + _plural_expr(args[0])
    if op == "relation":
        rel, expr, ranges = args
        value = _plural_value(expr)
        tests = []
        for low, high in ranges[1]:
            lo, hi = low[1][0], high[1][0]
            tests.append(f"{value}==={lo}" if lo == hi else f"({value}>={lo}&&{value}<={hi}&&{value}%1===0)")
        test = "(" + "||".join(tests) + ")"
        return test if rel == "in" else "!" + test
    raise ValueError(f"unexpected plural rule node {op!r}")


def _plural_value(expr: tuple) -> str:
    op, args = expr
    if op == "mod":
        return f"({_plural_value(args[0])}%{args[1][1][0]})"
    return op  # operand name: n, i, v, w, f, t, e, c


def _compact(formats: Any) -> list[Any]:
    """Compact patterns for 10^3..10^14: a string, or {plural category: pattern} if they differ."""
    by_cat = _plain(formats)
    out: list[Any] = []
    for exp in range(3, 15):
        forms = {cat: pats[str(10**exp)] for cat, pats in by_cat.items() if str(10**exp) in pats}
        values = set(forms.values())
        out.append(values.pop() if len(values) == 1 else forms or "0")
    return out


@functools.cache
def _cldr48() -> dict[str, Any]:
    """CLDR 48 values that differ from Babel's, per locale (built by `cldr48.py`)."""
    return json.loads(importlib.resources.files("runner.compat").joinpath("cldr48.json").read_text("utf-8"))


def _locale_json(tag: str, overrides: bool = True) -> dict[str, Any]:
    """Everything the JS side needs for one locale; with `overrides`, corrected to what ICU 78
    prints (`cldr48.json`, then `_TAG_EXTRAS`)."""
    loc = Locale.parse(tag.replace("-", "_"))
    d = loc._data
    lang = loc.language
    extras = _ICU_EXTRAS.get(lang, {})

    def days(ctx: str, width: str) -> list[str]:
        names = d["days"][ctx][width]
        return [names[(i + 6) % 7] for i in range(7)]  # Babel counts from Monday; JS from Sunday

    def months(ctx: str, width: str) -> list[str]:
        return [d["months"][ctx][width][i] for i in range(1, 13)]

    time_short = _pattern(d["time_formats"]["short"])
    hour_char = next(c for c in time_short if c in "hHkK")
    symbols = _plain(d["number_symbols"][d["default_numbering_system"]])
    zone_names: dict[str, Any] = {}
    meta: dict[str, Any] = {}
    for zone in ZONES:
        names = _plain(d["time_zones"].get(zone, {}))
        entry = {k: v for k, v in names.items() if k in ("long", "short")}
        if entry:
            zone_names[zone] = entry
        mz = _META.get(zone)
        if mz and mz in d["meta_zones"]:
            meta[mz] = _plain(d["meta_zones"][mz])
    zone_names["UTC"] = _plain(d["time_zones"].get("Etc/UTC", {}))
    # Exemplar cities, where they differ from the zone id's last part ("São Paulo", "Kolkata").
    cities = {z: c for z in ZONES if (c := d["time_zones"].get(z, {}).get("city")) and c != _id_city(z)}
    zone_formats = d["zone_formats"]
    rel: dict[str, Any] = {}
    for unit in _REL_UNITS:
        for style in ("", "-short", "-narrow"):
            f = _plain(d["date_fields"].get(unit + style, {}))
            rel[unit + style] = [f.get("future", {}), f.get("past", {}), f.get("relative", {})]
    compact = {width: _compact(d["compact_decimal_formats"].get(width, {})) for width in ("short", "long")}
    cur_names = _plain(d["currency_names_plural"])
    for code in _CURRENCIES:
        if code not in cur_names and code in d["currency_names"]:
            cur_names[code] = {"other": d["currency_names"][code]}
    out = {
        "m": {ctx: {w: months(ctx, w) for w in ("wide", "abbreviated", "narrow")} for ctx in ("format", "stand-alone")},
        "d": {
            ctx: {w: days(ctx, w) for w in ("wide", "abbreviated", "short", "narrow")}
            for ctx in ("format", "stand-alone")
        },
        "ap": [d["day_periods"]["format"]["abbreviated"]["am"], d["day_periods"]["format"]["abbreviated"]["pm"]],
        "era": {w: [d["eras"][w][0], d["eras"][w][1]] for w in ("wide", "abbreviated", "narrow")},
        "df": {k: _pattern(v) for k, v in d["date_formats"].items()},
        "tf": {k: _pattern(v) for k, v in d["time_formats"].items()},
        "dtf": dict(d["datetime_formats"]),
        "sk": {k: _pattern(v) for k, v in d["datetime_skeletons"].items()},
        "hc": hour_char,
        "gmt": d["zone_formats"]["gmt"].replace("%s", "{0}"),
        "gmtMinus": extras.get("gmtMinus"),
        "zn": zone_names,
        "rg": tag.split("-")[1],
        "rf": zone_formats["region"].replace("%s", "{0}"),
        "ff": zone_formats["fallback"].replace("%(0)s", "{0}").replace("%(1)s", "{1}"),
        "city": cities,
        "terr": {t: loc.territories[t] for t in sorted({c for c, _ in _zone_countries().values()}) if t in loc.territories},
        "zl": extras.get("zoneLong", {}),
        "zs": extras.get("zoneShort", {}),
        "mz": meta,
        "sym": {k: symbols[k] for k in ("decimal", "group", "percentSign", "plusSign", "minusSign",
                                         "exponential", "infinity", "nan", "approximatelySign")},
        "dec": _pattern(d["decimal_formats"][None]),
        "pct": _pattern(d["percent_formats"][None]),
        "cur": _pattern(d["currency_formats"]["standard"]),
        "acc": _pattern(d["currency_formats"]["accounting"]),
        "cs": {c: d["currency_symbols"].get(c, c) for c in _CURRENCIES},
        "ns": _NARROW_LOCALE.get(lang, {}) | _NARROW_LOCALE.get(tag, {}),
        "cn": {c: cur_names.get(c) for c in _CURRENCIES if c in cur_names},
        "cu": dict(d["currency_unit_patterns"]),
        "cp": compact,
        "ccp": _compact(d["compact_currency_formats"].get("short", {})),
        "mg": _MIN_GROUPING.get(tag, _MIN_GROUPING.get(lang, 1)),
        "pl": _plural_js(loc.plural_form),
        "po": _plural_js(loc.ordinal_form),
        "rel": rel,
        "lp": _list_patterns(d["list_patterns"]),
    }
    if overrides:
        out = _deep_merge(out, _cldr48().get(tag, {}))
        out = _deep_merge(out, _TAG_EXTRAS.get(tag, {}))
    return out


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`base` with `extra` merged in: dicts recursively, None removes a key."""
    out = dict(base)
    for key, value in extra.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _id_city(zone: str) -> str:
    """The city ICU derives from a zone id without CLDR data ("America/New_York" → "New York")."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@functools.cache
def _zone_countries() -> dict[str, tuple[str, bool]]:
    """{zone: (territory, primary?)}: primary when the zone is its country's only one or CLDR's
    primary zone for it (ICU then names the country, else the city, in location formats)."""
    territories = get_global("zone_territories")
    zones_of = get_global("territory_zones")
    out = {}
    for zone in ZONES:
        country = territories.get(_LEGACY_ZONE_IDS.get(zone, zone)) or territories.get(zone)
        if country and country != "001":
            out[zone] = (country, len(zones_of.get(country, [])) <= 1 or _PRIMARY_ZONES.get(country) == zone)
    return out


def _list_patterns(patterns: Any) -> dict[str, list[str]]:
    """{"standard-short": [start, middle, end, two], ...}: CLDR list patterns with its fallbacks
    (narrow → short → long, then root's "{0}, {1}") filled in."""
    out = {}
    for kind in ("standard", "or", "unit"):
        for width in ("", "-short", "-narrow"):
            chain = [kind + w for w in {"": ("",), "-short": ("-short", ""), "-narrow": ("-narrow", "-short", "")}[width]]
            parts = []
            for part in ("start", "middle", "end", "2"):
                value = next((patterns[c][part] for c in chain if c in patterns and part in patterns[c]), None)
                parts.append(value or "{0}, {1}")
            out[kind + width] = parts
    return out


def _diff(base: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    """The parts of `value` that differ from `base` (recursing into dicts; null = removed)."""
    out: dict[str, Any] = {}
    for key in base.keys() | value.keys():
        a, b = base.get(key), value.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            sub = _diff(a, b)
            if sub:
                out[key] = sub
        elif a != b:
            out[key] = b
    return out


@functools.cache
def locale_bundle() -> dict[str, Any]:
    """{"data": {tag: json-text}, "base": {tag: base tag}, "tags": {tag: data tag}}.

    A locale sharing its language with an earlier one stores only the top-level keys that
    differ from it (its "base"); the JS side merges them back."""
    data: dict[str, str] = {}
    base: dict[str, str] = {}
    tags: dict[str, str] = {}
    firsts: dict[str, dict[str, Any]] = {}
    for tag in LOCALES:
        full = _locale_json(tag)
        lang = tag.split("-")[0]
        first = firsts.setdefault(lang, full)
        if first is not full:
            full = _diff(first, full)
            base[tag] = next(t for t in LOCALES if t.startswith(lang + "-"))
        data[tag] = json.dumps(full, ensure_ascii=False, separators=(",", ":"))
        tags[tag] = tag
        tags.setdefault(lang, tag)  # "de" resolves to the first shipped de-* (de-DE)
    return {"data": data, "base": base, "tags": tags}


@functools.cache
def _read_tzif(zone: str) -> tuple[list[int], list[int], list[tuple[int, int]], str]:
    """Transitions, their type indexes, (utoff, isdst) types and the POSIX footer of a zone."""
    path = "zoneinfo/" + zone
    raw = importlib.resources.files("tzdata").joinpath(path).read_bytes()
    if raw[:4] != b"TZif":
        raise ValueError(f"tzdata file for {zone} is not TZif")

    def counts(off: int) -> tuple[int, ...]:
        return struct.unpack(">6l", raw[off + 20 : off + 44])

    isutc, isstd, leap, timecnt, typecnt, charcnt = counts(0)
    off = 44 + timecnt * 5 + typecnt * 6 + charcnt + leap * 8 + isstd + isutc  # skip v1 block
    isutc, isstd, leap, timecnt, typecnt, charcnt = counts(off)
    off += 44
    times = list(struct.unpack(f">{timecnt}q", raw[off : off + timecnt * 8]))
    off += timecnt * 8
    idx = list(raw[off : off + timecnt])
    off += timecnt
    types = []
    for _ in range(typecnt):
        utoff, isdst, _abbr = struct.unpack(">lBB", raw[off : off + 6])
        types.append((utoff, isdst))
        off += 6
    off += charcnt + leap * 12 + isstd + isutc
    footer = raw[off:].decode().strip("\n")
    return times, idx, types, footer


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    sign = "-" if n < 0 else ""
    n = abs(n)
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return sign + out


def _zone_record(zone: str) -> str:
    """"offsets|dst flags|transition deltas (s, base36)|type index per transition|POSIX rule"."""
    times, idx, types, footer = _read_tzif(zone)
    if zone == "Europe/Dublin":
        # ICU uses tzdata's rearguard form: summer (+01) is the DST, except 1968-10-27..1971-10-31,
        # when +01 was standard time all year (a type of its own here).
        types = [(off, 1 if off == 3600 else 0) for off, _ in types] + [(3600, 0)]
        idx = [len(types) - 1 if -37_300_000 < t < 57_722_400 and types[i][0] == 3600 else i for t, i in zip(times, idx)]
        footer = "GMT0IST,M3.5.0/1,M10.5.0"
    offsets = ",".join(_b36(t[0]) for t in types)
    dst = "".join(str(t[1]) for t in types)
    prev = 0
    deltas = []
    for t in times:
        deltas.append(_b36(t - prev))
        prev = t
    initial = 0  # type used before the first transition (RFC 8536: type 0)
    return "|".join([offsets, dst, ",".join(deltas), "".join(_b36(i) for i in idx), footer, str(initial)])


@functools.cache
def zone_bundle() -> dict[str, Any]:
    """{"data": {key: record}, "ids": {lower-case name: "ReportedId" or "ReportedId|key"}}."""
    files = importlib.resources.files("tzdata").joinpath("zoneinfo")
    data: dict[str, str] = {}
    ids: dict[str, str] = {}
    by_bytes: dict[bytes, str] = {}

    def add(name: str, reported: str, key: str) -> None:
        ids[name.lower()] = reported if reported == key else f"{reported}|{key}"

    for zone in ZONES:
        data[zone] = _zone_record(zone)
        by_bytes[files.joinpath(zone).read_bytes()] = zone
        add(zone, _LEGACY_ZONE_IDS.get(zone, zone), zone)
    for n in range(-14, 13):
        if n != 0:
            name = f"Etc/GMT{n:+d}"
            data[name] = _zone_record(name)
            add(name, name, name)
    # Every tzdata link whose file is byte-identical to a shipped zone (US/Eastern, Asia/Calcutta).
    aliases = get_global("zone_aliases")
    for name in sorted(zoneinfo.available_timezones()):
        if name.lower() in ids:
            continue
        try:
            target = by_bytes.get(files.joinpath(name).read_bytes())
        except OSError:
            continue
        if target is None:
            continue
        if name in _LEGACY_ZONE_IDS.values() or aliases.get(name, name) != target:
            add(name, name, target)  # a legacy id, or a distinct zone with equal rules: ICU keeps its name
        else:
            add(name, _LEGACY_ZONE_IDS.get(target, target), target)
    for utc in ("utc", "etc/utc", "gmt", "etc/gmt", "etc/uct", "uct", "etc/universal", "universal",
                "etc/zulu", "zulu", "etc/greenwich", "greenwich", "gmt0", "etc/gmt0", "gmt+0", "gmt-0",
                "etc/gmt+0", "etc/gmt-0"):
        ids[utc] = "UTC"
    return {"data": data, "ids": ids}


@functools.cache
def bundle_json() -> str:
    """All data as one JSON text: {"loc": ..., "tz": ..., "cur": {code: digits}, "default": tag}."""
    fractions = get_global("currency_fractions")
    digits = {c: fractions.get(c, fractions["DEFAULT"])[0] for c in _CURRENCIES}
    digits.update(_CURRENCY_DIGITS)
    payload = {"loc": locale_bundle(), "tz": zone_bundle(), "meta": _META, "metaHistory": _META_HISTORY,
               "golden": _GOLDEN_ZONES,
               "country": {z: c + ("*" if primary else "") for z, (c, primary) in _zone_countries().items()}, "curDigits": digits, "narrow": _NARROW_ROOT}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def supported_locales() -> list[str]:
    """Locale tags with full data (others fall back, see the README)."""
    return list(LOCALES)


def supported_zones() -> set[str]:
    """Lower-cased IANA names accepted as time zones."""
    return set(zone_bundle()["ids"])
