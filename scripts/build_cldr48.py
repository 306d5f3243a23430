"""Maintenance tool: rebuild runner/compat's `icu78.json` and `cldr48.json`, what V8 (Node 20: ICU 78, CLDR 48)
knows and prints where Babel's newer CLDR differs.

- `icu78.json`: which locale tags ICU has data for, per Intl service (asked of Node: a tag is
  available when `new Intl.X(tag).resolvedOptions().locale` is the tag itself), the id ICU
  reports for every tzdata zone name, and CLDR 48's metazone history, golden zones, primary zones
  and numbering-system digits.
- `cldr48.json`: per shipped locale, the CLDR 48 values that differ from what `data.py` makes of
  Babel's data (spaces before AM/PM, time zone names, "atTime" glue, numbering systems, …), in
  the shape of `data._locale_json`; `data.py` deep-merges it over Babel's (`null` removes a key).

Run it after changing Babel or Node, with `node` (20, full ICU) on PATH, against the CLDR JSON
packages of the version in Node's ICU (`node -p process.versions.cldr`), unpacked side by side:

    npm pack cldr-core@48.0.0 cldr-dates-full@48.0.0 cldr-numbers-full@48.0.0 cldr-localenames-full@48.0.0 \
        cldr-misc-full@48.0.0
    for f in cldr-*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    python scripts/build_cldr48.py DIR

The conformance corpus (tests/conformance) then checks the result against Node.
"""

from __future__ import annotations

import calendar
import json
import subprocess
import sys
import zoneinfo
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the runner package of this checkout, which the files are written into

VERSION = "48.0.0"
COMPAT = ROOT / "runner" / "compat"
OUT = COMPAT / "cldr48.json"
ICU_OUT = COMPAT / "icu78.json"
_DAY_KEYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_WIDTHS = ("full", "long", "medium", "short")

# Asks V8 which tags each Intl service has data for, and which id it reports for each zone name.
_PROBE = r"""
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const SERVICES = %s;
const locales = {};
for (const tag of input.tags) {
  let mask = 0;
  SERVICES.forEach((s, i) => { try { if (new Intl[s](tag).resolvedOptions().locale === tag) mask |= 1 << i; } catch (e) {} });
  if (mask) locales[tag] = mask;
}
const zones = {};
for (const name of input.zones) {
  try { zones[name] = new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone; } catch (e) {}
}
process.stdout.write(JSON.stringify({ locales, zones }));
"""


def _bcp47(babel_id: str) -> str:
    out = []
    for i, p in enumerate(babel_id.split("_")):
        if i == 0:
            out.append(p.lower())
        elif len(p) == 4 and p.isalpha():
            out.append(p.title())
        elif (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit()):
            out.append(p.upper())
        else:
            out.append(p.lower())
    return "-".join(out)


def _candidates() -> list[str]:
    """Babel's locales as BCP 47 tags, their forms without a script (V8 adds "zh-TW" for
    zh-Hant-TW) and their languages."""
    from babel import localedata

    tags: set[str] = set()
    for babel_id in localedata.locale_identifiers():
        tag = _bcp47(babel_id)
        parts = tag.split("-")
        tags.add(tag)
        tags.add(parts[0])
        if len(parts) >= 3 and len(parts[1]) == 4:
            tags.add("-".join([parts[0], *parts[2:]]))
    return sorted(tags)


def _ms(text: str) -> int:
    """"1971-10-31 02:00" (UTC) → ms since the epoch."""
    date, time = text.split(" ")
    y, m, d = (int(x) for x in date.split("-"))
    hh, mm = (int(x) for x in time.split(":"))
    return (calendar.timegm((y, m, d, hh, mm, 0)) * 1000)


def _flatten_zones(node: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        name = prefix + key
        if isinstance(value, list) or (isinstance(value, dict) and ("_type" in value or "exemplarCity" in value
                                                                     or "long" in value or "short" in value)):
            out[name] = value
        elif isinstance(value, dict):
            out.update(_flatten_zones(value, name + "/"))
    return out


def build_icu(root: Path) -> dict[str, Any]:
    """The facts of `icu78.json`."""
    from babel import Locale

    from runner.compat.data import SERVICES

    tags = _candidates()
    names = sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})
    probe = subprocess.run(["node", "-e", _PROBE % json.dumps(list(SERVICES))], input=json.dumps({"tags": tags, "zones": names}),
                           capture_output=True, text=True, check=True)
    found = json.loads(probe.stdout)
    locales = {}
    for tag, mask in found["locales"].items():
        try:
            Locale.parse(tag.replace("-", "_"))
        except Exception:  # noqa: BLE001 - a tag ICU knows but Babel cannot parse: not shipped
            continue
        locales[tag] = mask
    supplemental = root / f"cldr-core-{VERSION}" / "package" / "supplemental"
    mz = json.loads((supplemental / "metaZones.json").read_text("utf-8"))["supplemental"]["metaZones"]
    meta: dict[str, list[list[Any]]] = {}
    for zone, uses in _flatten_zones(mz["metazoneInfo"]["timezone"]).items():
        history = []
        for use in uses:
            u = use["usesMetazone"]
            history.append([_ms(u["_from"]) if "_from" in u else None, _ms(u["_to"]) if "_to" in u else None, u["_mzone"]])
        meta[zone] = history
    golden: dict[str, dict[str, str]] = {}
    for entry in mz["metazones"]:
        m = entry["mapZone"]
        golden.setdefault(m["_other"], {})[m["_territory"]] = m["_type"]
    primary = json.loads((supplemental / "primaryZones.json").read_text("utf-8"))["supplemental"]["primaryZones"]
    systems = json.loads((supplemental / "numberingSystems.json").read_text("utf-8"))["supplemental"]["numberingSystems"]
    digits = {k: v["_digits"] for k, v in sorted(systems.items()) if v.get("_type") == "numeric"}
    return {"locales": dict(sorted(locales.items())), "zones": dict(sorted(found["zones"].items())), "meta": meta,
            "golden": golden, "primary": primary, "digits": digits}


def _main(root: Path, package: str, tag: str, name: str) -> dict[str, Any]:
    """One file of a locale's CLDR JSON, or of the nearest parent that package has."""
    parts = tag.split("-")
    while parts:
        t = "-".join(parts)
        path = root / f"{package}-{VERSION}" / "package" / "main" / t / name
        if path.is_file():
            found: dict[str, Any] = json.loads(path.read_text("utf-8"))["main"][t]
            return found
        parts.pop()
    t = "en" if package == "cldr-localenames-full" else "und"
    path = root / f"{package}-{VERSION}" / "package" / "main" / t / name
    return json.loads(path.read_text("utf-8"))["main"][t] if path.is_file() else {}


def _value(x: Any) -> Any:
    return x["_value"] if isinstance(x, dict) else x


def _counts(block: dict[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix):]: v for k, v in block.items() if k.startswith(prefix) and "-alt-" not in k}


def _compact(block: dict[str, str]) -> list[Any]:
    out: list[Any] = []
    for exp in range(3, 15):
        forms = _counts(block, f"{10**exp}-count-")
        forms = {k: v.split(";")[0] for k, v in forms.items()}  # the sign is placed apart
        values = set(forms.values())
        out.append(values.pop() if len(values) == 1 else forms or "0")
    return out


def _json_dir(root: Path, tag: str) -> str:
    """The CLDR JSON directory holding `tag`'s data: the tag with Babel's likely script, then
    shorter prefixes."""
    from runner.compat.data import _babel_locale

    main_dir = root / f"cldr-dates-full-{VERSION}" / "package" / "main"
    loc = _babel_locale(tag)
    full = "-".join(p for p in (loc.language, loc.script, loc.territory, loc.variant and loc.variant.lower()) if p)
    for cand in (full, tag):
        if (main_dir / cand).is_dir():
            return cand
    for cand in (full, tag):
        parts = cand.split("-")
        while parts:
            if (main_dir / "-".join(parts)).is_dir():
                return "-".join(parts)
            parts.pop()
    return tag.split("-")[0]


def _plurals(root: Path, kind: str) -> dict[str, dict[str, str]]:
    path = root / f"cldr-core-{VERSION}" / "package" / "supplemental" / ("plurals.json" if kind == "cardinal" else "ordinals.json")
    rules: dict[str, dict[str, str]] = json.loads(path.read_text("utf-8"))["supplemental"][f"plurals-type-{kind}"]
    return rules


def convert(root: Path, tag: str, plurals: dict[str, Any]) -> dict[str, Any]:
    """The keys of `data._locale_json(tag)` that CLDR 48 defines, from its JSON."""
    from runner.compat import data as D

    t = _json_dir(root, tag)
    greg = _main(root, "cldr-dates-full", t, "ca-gregorian.json")["dates"]["calendars"]["gregorian"]
    tzn = _main(root, "cldr-dates-full", t, "timeZoneNames.json")["dates"]["timeZoneNames"]
    fields = _main(root, "cldr-dates-full", t, "dateFields.json")["dates"]["fields"]
    numbers = _main(root, "cldr-numbers-full", t, "numbers.json")["numbers"]
    currencies = _main(root, "cldr-numbers-full", t, "currencies.json")["numbers"]["currencies"]
    territories = _main(root, "cldr-localenames-full", t, "territories.json").get("localeDisplayNames", {}).get("territories", {})
    ns = numbers["defaultNumberingSystem"]
    out: dict[str, Any] = {}
    out["m"] = {c: {w: [greg["months"][c][w][str(i)] for i in range(1, 13)] for w in ("wide", "abbreviated", "narrow")}
                for c in ("format", "stand-alone")}
    out["d"] = {c: {w: [greg["days"][c][w][k] for k in _DAY_KEYS] for w in ("wide", "abbreviated", "short", "narrow")}
                for c in ("format", "stand-alone")}
    periods = greg["dayPeriods"]["format"]["abbreviated"]
    out["ap"] = [periods["am"], periods["pm"]]
    out["era"] = {w: [greg["eras"][k]["0"], greg["eras"][k]["1"]]
                  for w, k in (("wide", "eraNames"), ("abbreviated", "eraAbbr"), ("narrow", "eraNarrow"))}
    out["df"] = {w: _value(greg["dateFormats"][w]) for w in _WIDTHS}
    out["tf"] = {w: _value(greg["timeFormats"][w]) for w in _WIDTHS}
    # ICU 78 glues dates and times with the atTime patterns ("{1} 'at' {0}") where CLDR has them.
    at_time = greg.get("dateTimeFormats-atTime", {}).get("standard", {})
    out["dtf"] = {w: at_time.get(w) or _value(greg["dateTimeFormats"][w]) for w in _WIDTHS}
    out["sk"] = {k: v for k, v in greg["dateTimeFormats"]["availableFormats"].items() if "-alt-" not in k and "-count-" not in k}
    out["gmt"] = tzn["gmtFormat"]
    # The signs of GMT offsets: what precedes the hours in hourFormat ("+HH:mm; -HH:mm" in bs).
    plus, minus = (part[:part.index("H")] for part in tzn["hourFormat"].split(";"))
    out["gmtMinus"] = None if minus == "-" else minus
    if plus != "+":
        out["gmtPlus"] = plus
    out["rf"] = tzn["regionFormat"]
    out["ff"] = tzn["fallbackFormat"]
    zone_names: dict[str, Any] = {}
    cities: dict[str, str] = {}
    flat = _flatten_zones(tzn["zone"])
    for zone_id in D.cldr_zone_ids():
        node = flat.get(zone_id, {})
        entry = {k: v for k, v in node.items() if k in ("long", "short")}
        if entry:
            zone_names[zone_id] = entry
        if "exemplarCity" in node and node["exemplarCity"] != D._id_city(zone_id):
            cities[zone_id] = node["exemplarCity"]
    utc = flat.get("Etc/UTC", {})
    zone_names["UTC"] = {k: v for k, v in utc.items() if k in ("long", "short")}
    out["zn"] = zone_names
    out["city"] = cities
    out["mz"] = dict(tzn.get("metazone", {}))
    out["terr"] = {c: territories[c] for c, _ in D._zone_countries().values() if c in territories}
    systems = {ns, "latn"} | set(numbers.get("otherNumberingSystems", {}).values())
    syms = {}
    for system in sorted(systems):
        symbols = numbers.get("symbols-numberSystem-" + system)
        if symbols is None:
            continue
        syms[system] = {k: symbols[k] for k in D._SYMBOL_KEYS if k in symbols}
        if "currencyGroup" in symbols:  # de-AT: "1 234,5" but "€ 1.234,50"
            syms[system]["currencyGroup"] = symbols["currencyGroup"]
    out["nu"] = ns
    out["syms"] = syms
    out["mg"] = int(numbers.get("minimumGroupingDigits", 1))
    decimal = numbers["decimalFormats-numberSystem-" + ns]
    cur = numbers["currencyFormats-numberSystem-" + ns]
    out["dec"] = decimal["standard"]
    out["pct"] = numbers["percentFormats-numberSystem-" + ns]["standard"]
    out["cur"] = cur["standard"]
    out["acc"] = cur["accounting"]
    out["cs"] = {c: currencies.get(c, {}).get("symbol", c) for c in D._CURRENCIES}
    out["ns"] = {c: currencies[c]["symbol-alt-narrow"] for c in D._CURRENCIES
                 if "symbol-alt-narrow" in currencies.get(c, {}) and currencies[c]["symbol-alt-narrow"] != D._NARROW_ROOT.get(c)}
    names: dict[str, Any] = {}
    for c in D._CURRENCIES:
        entry = currencies.get(c, {})
        forms = _counts(entry, "displayName-count-")
        if forms:
            names[c] = forms
        elif "displayName" in entry:
            names[c] = {"other": entry["displayName"]}
    out["cn"] = names
    out["cu"] = _counts(cur, "unitPattern-count-")
    out["cp"] = {"short": _compact(decimal["short"]["decimalFormat"]), "long": _compact(decimal["long"]["decimalFormat"])}
    if "short" in cur:
        out["ccp"] = _compact(cur["short"]["standard"])
    rel: dict[str, Any] = {}
    for unit in D._REL_UNITS:
        for style in ("", "-short", "-narrow"):
            f = fields.get(unit + style, {})
            relative = {k[len("relative-type-"):]: v for k, v in f.items() if k.startswith("relative-type-")}
            rel[unit + style] = [_counts(f.get("relativeTime-type-future", {}), "relativeTimePattern-count-"),
                                 _counts(f.get("relativeTime-type-past", {}), "relativeTimePattern-count-"), relative]
    out["rel"] = rel
    lists = _main(root, "cldr-misc-full", t, "listPatterns.json").get("listPatterns")
    if lists:
        out["lp"] = {k[len("listPattern-type-"):]: [v["start"], v["middle"], v["end"], v["2"]] for k, v in lists.items()}
    for key, kind in (("pl", "cardinal"), ("po", "ordinal")):
        parts = tag.split("-")
        while parts and "-".join(parts) not in plurals[kind]:
            parts.pop()
        rules = plurals[kind].get("-".join(parts)) if parts else None
        if rules is not None:
            out[key] = D.plural_js({k[len("pluralRule-count-"):]: v for k, v in rules.items()})
    return out


def _delta(babel: Any, cldr: Any) -> Any:
    """What to merge over `babel` to get `cldr` (dicts recursively; None removes a key)."""
    if isinstance(babel, dict) and isinstance(cldr, dict):
        out: dict[str, Any] = {}
        for key in babel.keys() | cldr.keys():
            if key not in cldr:
                out[key] = None
            elif key not in babel:
                out[key] = cldr[key]
            elif babel[key] != cldr[key]:
                out[key] = _delta(babel[key], cldr[key])
        return out
    return cldr


def build(root: Path) -> dict[str, Any]:
    from runner.compat import data as D

    plurals = {"cardinal": _plurals(root, "cardinal"), "ordinal": _plurals(root, "ordinal")}
    out: dict[str, Any] = {}
    for tag in sorted(D._icu()["locales"]):
        babel = D._locale_json(tag, overrides=False)
        cldr = convert(root, tag, plurals)
        delta = _delta({k: babel.get(k) for k in cldr}, cldr)
        if delta:
            out[tag] = delta
    # A value equal to a shorter tag's (de-AT's zone names are de's) is stored once: {"@": "de"}.
    for tag in sorted(out, key=len):
        parts = tag.split("-")[:-1]
        while parts:
            parent = out.get("-".join(parts))
            if parent is not None:
                for key, value in out[tag].items():
                    if parent.get(key) == value and len(json.dumps(value)) > 20:
                        out[tag][key] = {"@": "-".join(parts) if "@" not in parent[key] else parent[key]["@"]}
                break
            parts.pop()
    return out


def main(argv: list[str]) -> None:
    """`python scripts/build_cldr48.py DIR`: write both files from the CLDR packages in DIR."""
    if len(argv) != 1:
        sys.exit(__doc__)
    cldr_root = Path(argv[0])
    ICU_OUT.write_text(json.dumps(build_icu(cldr_root), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {ICU_OUT} ({ICU_OUT.stat().st_size} bytes)")
    import importlib

    from runner.compat import data as _data

    importlib.reload(_data)  # LOCALES and the zone tables come from the file just written
    result = build(cldr_root)
    OUT.write_text(json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", "utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(result)} locales)")


if __name__ == "__main__":
    main(sys.argv[1:])
