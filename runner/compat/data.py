"""CLDR (via Babel) and tz database (via `tzdata`) data, reduced to the compact JSON the JS side
needs. Built on first use and cached in-process; nothing here is hand-typed except the few
CLDR/ICU facts Babel does not carry (`_ICU_EXTRAS`, `_NARROW_ROOT`, …). Where V8 (ICU 78, CLDR 48)
differs from Babel's newer CLDR, two generated files correct it (see `scripts/build_cldr48.py`):
`cldr48.json` (per-locale CLDR 48 values) and `icu78.json` (which locales and time zone ids ICU
knows, and CLDR 48's metazones, numbering systems and primary zones).

A context embeds only the default locale (`BOOT_LOCALES`) and the tables that resolve locale
tags and zone names; every other locale and every zone's rules come from `host_data()` on first
use, one JSON text per request."""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
import struct
from typing import Any

from babel import Locale, localedata
from babel.core import get_global
from babel.plural import PluralRule

# Bits of a locale's service mask in icu78.json: the Intl services whose ICU data has it.
SERVICES: tuple[str, ...] = ("DateTimeFormat", "NumberFormat", "PluralRules", "RelativeTimeFormat", "ListFormat",
                             "Collator")


@functools.cache
def _resource_json(name: str) -> Any:
    path = importlib.resources.files("runner.compat").joinpath(name)
    if not path.is_file():  # only while scripts/build_cldr48.py builds it for the first time
        return {"locales": {}, "zones": {}, "meta": {}, "golden": {}, "primary": {}, "digits": {}}
    return json.loads(path.read_text("utf-8"))


def _icu() -> Any:
    """ICU 78 / CLDR 48 facts (built by `scripts/build_cldr48.py`): {"locales": {tag: service mask},
    "zones": {IANA name: id ICU reports}, "meta": {zone id: [[from ms, to ms, metazone], ...]},
    "golden": {metazone: {territory: zone id}}, "primary": {territory: zone id},
    "digits": {numbering system: its ten digits}}."""
    return _resource_json("icu78.json")


def _cldr48() -> Any:
    """CLDR 48 values that differ from Babel's, per locale (built by `scripts/build_cldr48.py`)."""
    return _resource_json("cldr48.json")


@functools.cache
def _tzdata_zones() -> tuple[dict[str, str], tuple[str, ...]]:
    """({every tzdata name: the zone (a `Zone` entry of tzdata.zi) it is or links to}, zones)."""
    text = importlib.resources.files("tzdata").joinpath("zoneinfo/tzdata.zi").read_text("utf-8")
    zones = [line.split()[1] for line in text.splitlines() if line.startswith("Z ")]
    target = {z: z for z in zones}
    for line in text.splitlines():
        if line.startswith("L "):
            _, to, name = line.split()[:3]
            target[name] = to
    for name in list(target):
        while target[name] != target.get(target[name], target[name]):
            target[name] = target[target[name]]
    return target, tuple(sorted(zones))


#: Locale tags shipped: every tag whose data ICU 78 has for Intl.DateTimeFormat (Babel has data
#: for each); other tags resolve as V8 resolves them (`de-ZZ` → de, `xx` → the default locale).
LOCALES: tuple[str, ...] = tuple(sorted(t for t, mask in _icu()["locales"].items() if mask & 1))
#: Locales whose data every context embeds; the others are fetched on first use.
BOOT_LOCALES: tuple[str, ...] = ("en-US",)

#: IANA zones shipped ("UTC" first): every `Zone` of the tz database; every tzdata link and
#: Etc/GMT±N is accepted too. Ids are reported as ICU reports them (Asia/Kolkata → Asia/Calcutta).
ZONES: tuple[str, ...] = ("UTC", *tuple(z for z in _tzdata_zones()[1] if not z.startswith("Etc/") and z in _icu()["zones"]))

# CLDR data Babel's importer drops: the per-zone daylight names of Europe/London and
# Europe/Dublin (en) and the minus sign of French GMT offsets. (The "atTime" date-time glue ICU
# uses, CLDR 42+, comes with the CLDR 48 data in `cldr48.json`.)
_ICU_EXTRAS: dict[str, dict[str, Any]] = {
    "en": {"zoneLong": {"Europe/London": [None, "British Summer Time"], "Europe/Dublin": [None, "Irish Standard Time"]}},
    "fr": {"gmtMinus": "\u2212"},
}
# What ICU 78 prints where it differs even from CLDR 48's JSON (Honolulu's names: ICU keeps it in
# the Hawaii_Aleutian metazone), merged last, over `cldr48.json`.
_TAG_EXTRAS: dict[str, dict[str, Any]] = {
    "en-US": {"zs": {"Pacific/Honolulu": ["HST", "HDT"]}},
    "en-CA": {"zs": {"Pacific/Honolulu": ["HST", "HDT"]}},
    "sv-SE": {"zl": {"Pacific/Honolulu": ["Honolulu, normaltid", "Honolulu, sommartid"]}},
}
# Metazone facts where ICU 78 differs from CLDR 48's metaZones.json: Honolulu stays in
# Hawaii_Aleutian; London and Dublin use GMT (their British/Irish metazones have no standard
# names, so ICU shows GMT offsets for them: no metazone).
_META_EXTRAS: dict[str, list[list[Any]]] = {
    "Pacific/Honolulu": [[None, None, "Hawaii_Aleutian"]],
    "Europe/London": [[None, 57722400000, None], [57722400000, None, "GMT"]],
    "Europe/Dublin": [[None, 57722400000, None], [57722400000, None, "GMT"]],
}

_CURRENCIES = (
    "USD", "EUR", "GBP", "INR", "JPY", "CNY", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK",
    "PLN", "CZK", "HUF", "RON", "BRL", "MXN", "ARS", "CLP", "COP", "PEN", "ZAR", "NGN", "KES",
    "EGP", "AED", "SAR", "ILS", "TRY", "RUB", "UAH", "KRW", "HKD", "SGD", "TWD", "THB", "IDR",
    "MYR", "PHP", "VND", "PKR", "BDT", "KWD", "BHD", "RSD", "BGN", "ISK", "IRR", "QAR", "OMR",
    "JOD", "MAD", "DZD", "TND", "LKR", "NPR", "MMK", "KZT", "GEL", "UZS", "ETB", "GHS", "TZS",
    "UGX", "XOF", "XAF",
)  # fmt: skip
# CLDR root's `symbol-alt-narrow` currency symbols (currencyDisplay: "narrowSymbol"), used where
# a locale has none of its own (cldr48.json carries each locale's, as ICU 78 resolves them).
_NARROW_ROOT: dict[str, str] = {
    "USD": "$", "EUR": "€", "GBP": "£", "INR": "₹", "JPY": "¥", "CNY": "¥", "CAD": "$", "AUD": "$",
    "NZD": "$", "SEK": "kr", "NOK": "kr", "DKK": "kr", "PLN": "zł", "CZK": "Kč", "HUF": "Ft",
    "RON": "lei", "BRL": "R$", "MXN": "$", "ARS": "$", "CLP": "$", "COP": "$", "ZAR": "R", "NGN": "₦",
    "EGP": "E£", "ILS": "₪", "TRY": "₺", "RUB": "₽", "UAH": "₴", "KRW": "₩", "HKD": "$", "SGD": "$",
    "TWD": "NT$", "THB": "฿", "IDR": "Rp", "MYR": "RM", "PHP": "₱", "VND": "₫", "PKR": "Rs", "BDT": "৳",
    "BGN": "лв.", "ISK": "kr", "LKR": "Rs", "NPR": "Rs", "MMK": "K", "KZT": "₸", "GEL": "₾", "GHS": "GH₵",
}  # fmt: skip
# Currency digits where CLDR 48 (ICU 78) differs from Babel's newer CLDR.
_CURRENCY_DIGITS = {"PKR": 0}
_REL_UNITS = ("year", "quarter", "month", "week", "day", "hour", "minute", "second")
_SYMBOL_KEYS = ("decimal", "group", "percentSign", "plusSign", "minusSign", "exponential", "infinity", "nan",
                "approximatelySign")


def _plain(value: Any) -> Any:
    """Babel's lazy dicts and pattern objects → plain JSON-able values (skipping aliases Babel
    cannot resolve)."""
    if hasattr(value, "items"):
        out = {}
        for k in value:
            try:
                out[str(k)] = _plain(value[k])
            except KeyError:
                continue
        return out
    if hasattr(value, "pattern"):
        return value.pattern
    return value


def _pattern(p: Any) -> str:
    return str(getattr(p, "pattern", p))


def _plural_js(rules: PluralRule) -> str:
    """Compile a Babel PluralRule into a JS function body over operands n,i,v,f,t,e."""
    clauses = []
    for tag, ast in rules.abstract:
        clauses.append(f"if({_plural_expr(ast)})return {json.dumps(tag)};")
    return "".join(clauses) + 'return "other";'


def plural_js(rules: dict[str, str]) -> str:
    """`_plural_js` of CLDR rule texts ({"one": "i = 1 and v = 0 @integer 1", ...})."""
    return _plural_js(PluralRule({k: v.split("@")[0].strip() for k, v in rules.items() if k != "other"}))


def _plural_expr(node: tuple[Any, Any]) -> str:
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


def _plural_value(expr: tuple[Any, Any]) -> str:
    op, args = expr
    if op == "mod":
        return f"({_plural_value(args[0])}%{args[1][1][0]})"
    return str(op)  # operand name: n, i, v, w, f, t, e, c


def _compact(formats: Any) -> list[Any]:
    """Compact patterns for 10^3..10^14: a string, or {plural category: pattern} if they differ."""
    by_cat = _plain(formats)
    out: list[Any] = []
    for exp in range(3, 15):
        forms = {cat: pats[str(10**exp)] for cat, pats in by_cat.items() if str(10**exp) in pats}
        forms = {k: v.split(";")[0] for k, v in forms.items()}  # the sign is placed apart
        values = set(forms.values())
        out.append(values.pop() if len(values) == 1 else forms or "0")
    return out


@functools.cache
def _root() -> Any:
    return localedata.load("root")


def _get(d: Any, *path: Any, default: Any = None) -> Any:
    """d[path...] through Babel's lazy dicts, or `default` where any step is missing."""
    try:
        for key in path:
            d = d[key]
        return d
    except (KeyError, IndexError, TypeError):
        return default


def _babel_locale(tag: str) -> Locale:
    """Babel's locale for a BCP 47 tag (variants upper-cased as Babel names them)."""
    parts = tag.split("-")
    return Locale.parse("_".join(p.upper() if len(p) > 4 and i > 0 else p for i, p in enumerate(parts)))


def cldr_zone_ids() -> dict[str, str]:
    """{zone id ICU reports: the tzdata zone whose rules it has}, UTC excluded."""
    target = _tzdata_zones()[0]
    out: dict[str, str] = {}
    for name, reported in _icu()["zones"].items():
        if reported != "UTC" and name in target:
            out.setdefault(reported, target[name])
    return out


def _id_city(zone: str) -> str:
    """The city ICU derives from a zone id without CLDR data ("America/New_York" → "New York")."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@functools.cache
def _zone_countries() -> dict[str, tuple[str, bool]]:
    """{zone id: (territory, primary?)}: primary when the zone is its country's only one or CLDR's
    primary zone for it (ICU then names the country, else the city, in location formats)."""
    territories = get_global("zone_territories")
    zones_of = get_global("territory_zones")
    primary = _icu()["primary"]
    out = {}
    aliases = get_global("zone_aliases")
    for zone_id, key in cldr_zone_ids().items():
        # The id's own country first: ICU keeps Africa/Blantyre (MW) apart from Africa/Maputo (MZ).
        country = territories.get(zone_id) or territories.get(aliases.get(zone_id, "")) or territories.get(key)
        if country and country not in ("001", "ZZ") and not zone_id.startswith("Etc/"):
            out[zone_id] = (country, len(zones_of.get(country, [])) <= 1 or primary.get(country) == zone_id)
    return out


def _locale_json(tag: str, overrides: bool = True) -> dict[str, Any]:
    """Everything the JS side needs for one locale; with `overrides`, corrected to what ICU 78
    prints (`cldr48.json`, then `_TAG_EXTRAS`)."""
    loc = _babel_locale(tag)
    d = loc._data
    root = _root()
    lang = loc.language
    extras = _ICU_EXTRAS.get(lang, {})

    def days(ctx: str, width: str) -> list[str]:
        names = _get(d, "days", ctx, width) or _get(d, "days", "format", width) or _get(root, "days", "format", width)
        return [names[(i + 6) % 7] for i in range(7)]  # Babel counts from Monday; JS from Sunday

    def months(ctx: str, width: str) -> list[str]:
        names = _get(d, "months", ctx, width) or _get(d, "months", "format", width) or _get(root, "months", "format", width)
        return [names[i] for i in range(1, 13)]

    def era(width: str) -> list[str]:
        names = _get(d, "eras", width) or {}
        fallback = _get(root, "eras", width) or _get(root, "eras", "abbreviated")
        return [names.get(0) or fallback[0], names.get(1) or fallback[1]]

    time_short = _pattern(d["time_formats"]["short"])
    hour_char = next((c for c in time_short if c in "hHkK"), "H")
    numbering = d.get("default_numbering_system", "latn")
    all_symbols = _plain(d["number_symbols"])
    own_systems = {numbering, "latn"} | set(_plain(d.get("numbering_systems", {})).values())
    syms = {ns: {k: all_symbols[ns].get(k, all_symbols["latn"].get(k)) for k in _SYMBOL_KEYS}
            for ns in own_systems if ns in all_symbols}
    zone_names: dict[str, Any] = {}
    cities: dict[str, str] = {}
    babel_ids = get_global("zone_aliases")
    for zone_id in cldr_zone_ids():
        names = _plain(d["time_zones"].get(babel_ids.get(zone_id, zone_id), {}))
        entry = {k: v for k, v in names.items() if k in ("long", "short")}
        if entry:
            zone_names[zone_id] = entry
        city = names.get("city")
        if city and city != _id_city(zone_id):
            cities[zone_id] = city
    zone_names["UTC"] = _plain(d["time_zones"].get("Etc/UTC", {}))
    metazones = {mz: _plain(names) for mz, names in d["meta_zones"].items()}
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
    likely = get_global("likely_subtags").get(lang, lang).split("_")
    region = loc.territory or next((p for p in likely[1:] if len(p) == 2 or p.isdigit()), "001")
    out = {
        "m": {ctx: {w: months(ctx, w) for w in ("wide", "abbreviated", "narrow")} for ctx in ("format", "stand-alone")},
        "d": {
            ctx: {w: days(ctx, w) for w in ("wide", "abbreviated", "short", "narrow")}
            for ctx in ("format", "stand-alone")
        },
        "ap": [_get(d, "day_periods", "format", "abbreviated", "am") or "AM",
               _get(d, "day_periods", "format", "abbreviated", "pm") or "PM"],
        "era": {w: era(w) for w in ("wide", "abbreviated", "narrow")},
        "df": {k: _pattern(v) for k, v in d["date_formats"].items()},
        "tf": {k: _pattern(v) for k, v in d["time_formats"].items()},
        "dtf": dict(d["datetime_formats"]),
        "sk": {k: _pattern(v) for k, v in d["datetime_skeletons"].items()},
        "hc": hour_char,
        "gmt": zone_formats["gmt"].replace("%s", "{0}"),
        "gmtMinus": extras.get("gmtMinus"),
        "zn": zone_names,
        "rg": region,
        "rf": zone_formats["region"].replace("%s", "{0}"),
        "ff": zone_formats["fallback"].replace("%(0)s", "{0}").replace("%(1)s", "{1}"),
        "city": cities,
        "terr": {t: loc.territories[t] for t in sorted({c for c, _ in _zone_countries().values()}) if t in loc.territories},
        "zl": extras.get("zoneLong", {}),
        "zs": extras.get("zoneShort", {}),
        "mz": metazones,
        "nu": numbering,
        "sym": syms.get(numbering) or syms["latn"],
        "syms": syms,
        "dec": _pattern(d["decimal_formats"][None]),
        "pct": _pattern(d["percent_formats"][None]),
        "cur": _pattern(d["currency_formats"]["standard"]),
        "acc": _pattern(d["currency_formats"]["accounting"]),
        "cs": {c: d["currency_symbols"].get(c, c) for c in _CURRENCIES},
        "ns": {},
        "cn": {c: cur_names.get(c) for c in _CURRENCIES if c in cur_names},
        "cu": dict(d["currency_unit_patterns"]),
        "cp": compact,
        "ccp": _compact(d["compact_currency_formats"].get("short", {})),
        "mg": 1,
        "pl": _plural_js(loc.plural_form),
        "po": _plural_js(loc.ordinal_form),
        "rel": rel,
        "lp": _list_patterns(d["list_patterns"]),
    }
    if overrides:
        delta = _cldr48().get(tag, {})
        # {"@": "de"}: the same value as that locale's (scripts/build_cldr48.py stores repeated values once).
        delta = {k: _cldr48()[v["@"]][k] if isinstance(v, dict) and "@" in v else v for k, v in delta.items()}
        out = _deep_merge(out, delta)
        out = _deep_merge(out, _TAG_EXTRAS.get(tag, {}))
        out["sym"] = out["syms"].get(out["nu"]) or out["sym"]
        out["hc"] = next((c for c in out["tf"]["short"] if c in "hHkK"), out["hc"])
    return out


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`base` with `extra` merged in: dicts recursively, None removes a key."""
    from runner.compat.intl_data import merge  # one merge rule for both data sets
    return merge(base, extra)


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


@functools.lru_cache(maxsize=2048)
def locale_json(tag: str) -> str | None:
    """The JSON text of one shipped locale's data (None for a tag not shipped)."""
    if tag not in _locale_set():
        return None
    from runner.compat import intl_data

    # "dn": display names and interval formats (Intl.DisplayNames, formatRange) as a JSON text of
    # their own, parsed only by code that uses them.
    return json.dumps({**_locale_json(tag), "dn": intl_data.names_json(tag)}, ensure_ascii=False, separators=(",", ":"))


@functools.cache
def _locale_set() -> frozenset[str]:
    return frozenset(_icu()["locales"])


# ---- time zones ------------------------------------------------------------------------------


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
    return "|".join([offsets, dst, ",".join(deltas), ",".join(_b36(i) for i in idx), footer, str(initial)])


@functools.cache
def _meta() -> dict[str, list[list[Any]]]:
    """{zone id: [[from ms or None, to ms or None, metazone or None], ...]}: CLDR 48's metazone
    history of each zone, with ICU 78's exceptions (`_META_EXTRAS`)."""
    return {**_icu()["meta"], **_META_EXTRAS}


@functools.lru_cache(maxsize=1024)
def zone_json(zone_id: str) -> str | None:
    """{"r": rules record, "m": metazone history, "c": "territory" (+ "*" where the zone is its
    country's primary one)} of a zone id as ICU reports it; None for any other text."""
    key = cldr_zone_ids().get(zone_id)
    if key is None:
        return None
    country = _zone_countries().get(zone_id)
    out = {"r": _zone_record(key), "m": _meta().get(zone_id, []), "c": country and country[0] + ("*" if country[1] else "")}
    return json.dumps(out, separators=(",", ":"))


@functools.cache
def zone_ids() -> dict[str, str]:
    """{lower-cased accepted name: the id V8 reports}: every tzdata name ICU knows."""
    target = _tzdata_zones()[0]
    ids = {name.lower(): reported for name, reported in _icu()["zones"].items() if name in target or reported == "UTC"}
    for utc in ("utc", "etc/utc", "gmt", "etc/gmt"):
        ids[utc] = "UTC"
    return ids


# ---- the host's side of the lazy loading ------------------------------------------------------

#: The name the host function is registered under (the bootstrap takes it off the global object).
HOST_FUNCTION = "__runnerCompatData"
MAX_REQUEST = 64
_REQUEST_RE = re.compile(r"(loc|tz):([A-Za-z0-9][A-Za-z0-9_/+\-]{0,58})")


def host_data(request: Any) -> str | None:
    """The one function a context calls into Python: "loc:<tag>" → that locale's data, "tz:<zone
    id>" → that zone's (JSON text); None for anything else. Never raises (an exception inside a
    QuickJS callback would leave the binding in an error state) and keeps no state but caches."""
    if type(request) is not str or len(request) > MAX_REQUEST:
        return None
    m = _REQUEST_RE.fullmatch(request)
    if m is None:
        return None
    try:
        return locale_json(m.group(2)) if m.group(1) == "loc" else zone_json(m.group(2))
    except Exception:  # noqa: BLE001 - a broken data file must not break the context
        return None


# ---- what every context embeds ----------------------------------------------------------------


@functools.cache
def _language_aliases() -> dict[str, str]:
    """CLDR language aliases whose replacement is a shipped locale (iw → he, sh → sr-Latn)."""
    shipped = _locale_set()
    out = {}
    for alias, target in get_global("language_aliases").items():
        t = target.replace("_", "-")
        if "_" not in alias and t in shipped and alias not in shipped:
            out[alias] = t
    return out


@functools.cache
def _root_symbols() -> dict[str, dict[str, str]]:
    """Root's symbols of the numbering systems whose symbols differ from latn's."""
    symbols = _plain(_root()["number_symbols"])
    latn = {k: symbols["latn"].get(k) for k in _SYMBOL_KEYS}
    out = {}
    for ns, values in symbols.items():
        mine = {k: values.get(k, latn[k]) for k in _SYMBOL_KEYS}
        if mine != latn:
            out[ns] = mine
    out["latn"] = latn
    return out


@functools.cache
def bundle_json() -> str:
    """What every context embeds, as one JSON text: the boot locales' data (as JSON texts), the
    locale and zone-name tables, currency digits and numbering-system digits."""
    fractions = get_global("currency_fractions")
    digits = {c: fractions.get(c, fractions["DEFAULT"])[0] for c in _CURRENCIES}
    digits.update(_CURRENCY_DIGITS)
    icu = _icu()
    golden = {mz: {t: z for t, z in by.items()} for mz, by in icu["golden"].items()}
    payload = {
        "loc": {"boot": {t: locale_json(t) for t in BOOT_LOCALES}, "avail": icu["locales"],
                "alias": _language_aliases()},
        "tz": {"ids": zone_ids()},
        "golden": golden,
        "curDigits": digits,
        "narrow": _NARROW_ROOT,
        "digits": icu["digits"],
        "rootSyms": _root_symbols(),
    }
    from runner.compat import intl_data

    # Intl.Locale, Segmenter, supportedValuesOf tables; the boot locales' names travel beside
    # their data (a JSON text inside the locale's JSON text would be escaped twice more).
    intl = dict(intl_data.intl_bundle())
    payload["loc"]["boot"], intl["names"] = intl_data.split_names(payload["loc"]["boot"])
    payload["intl"] = json.dumps(intl, ensure_ascii=False, separators=(",", ":"))  # parsed on first use
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def supported_locales() -> list[str]:
    """Locale tags with full data (others resolve as V8 resolves them, see the README)."""
    return list(LOCALES)


def supported_zones() -> set[str]:
    """Lower-cased IANA names accepted as time zones."""
    return set(zone_ids())
