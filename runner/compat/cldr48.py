"""Maintenance tool: rebuild `cldr48.json`, the CLDR 48 values that differ from Babel's data.

V8 (Node 20) formats with ICU 78, whose locale data is CLDR 48; Babel ships a newer CLDR, whose
changes (spaces before AM/PM, time zone metazones, Portuguese GMT format, Korean day periods, …)
would show in our output. `data.py` deep-merges `cldr48.json` over the data it generates from
Babel (`null` removes a key), so the bundle carries what ICU 78 prints. Only differences are
stored, per locale, in the shape of `data._locale_json`.

Run it after changing Babel or the shipped locales, against the CLDR JSON packages of the version
in Node's ICU (`node -p process.versions.cldr`), unpacked side by side in one directory:

    npm pack cldr-core@48.0.0 cldr-dates-full@48.0.0 cldr-numbers-full@48.0.0 cldr-localenames-full@48.0.0 \
        cldr-misc-full@48.0.0
    for f in cldr-*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    python -m runner.compat.cldr48 DIR

The conformance corpus (tests/conformance) then checks the result against Node.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from runner.compat import data as D

VERSION = "48.0.0"
OUT = Path(__file__).with_name("cldr48.json")
_DAY_KEYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_WIDTHS = ("full", "long", "medium", "short")


def _main(root: Path, package: str, tag: str, name: str) -> dict[str, Any]:
    path = root / f"{package}-{VERSION}" / "package" / "main" / tag / name
    return json.loads(path.read_text("utf-8"))["main"][tag]


def _value(x: Any) -> Any:
    return x["_value"] if isinstance(x, dict) else x


def _counts(block: dict[str, str], prefix: str) -> dict[str, str]:
    return {k[len(prefix):]: v for k, v in block.items() if k.startswith(prefix) and "-alt-" not in k}


def _compact(block: dict[str, str]) -> list[Any]:
    out: list[Any] = []
    for exp in range(3, 15):
        forms = _counts(block, f"{10**exp}-count-")
        values = set(forms.values())
        out.append(values.pop() if len(values) == 1 else forms or "0")
    return out


def convert(root: Path, tag: str) -> dict[str, Any]:
    """The keys of `data._locale_json(tag)` that CLDR 48 defines, from its JSON."""
    main_dir = root / f"cldr-dates-full-{VERSION}" / "package" / "main"
    t = tag if (main_dir / tag).is_dir() else tag.split("-")[0]
    greg = _main(root, "cldr-dates-full", t, "ca-gregorian.json")["dates"]["calendars"]["gregorian"]
    tzn = _main(root, "cldr-dates-full", t, "timeZoneNames.json")["dates"]["timeZoneNames"]
    fields = _main(root, "cldr-dates-full", t, "dateFields.json")["dates"]["fields"]
    numbers = _main(root, "cldr-numbers-full", t, "numbers.json")["numbers"]
    currencies = _main(root, "cldr-numbers-full", t, "currencies.json")["numbers"]["currencies"]
    territories = _main(root, "cldr-localenames-full", t, "territories.json")["localeDisplayNames"]["territories"]
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
    minus = tzn["hourFormat"].split(";")[1][0]
    out["gmtMinus"] = None if minus == "-" else minus
    out["rf"] = tzn["regionFormat"]
    out["ff"] = tzn["fallbackFormat"]
    zone_names: dict[str, Any] = {}
    cities: dict[str, str] = {}
    for zone in D.ZONES[1:]:
        node: Any = tzn["zone"]
        for part in D._LEGACY_ZONE_IDS.get(zone, zone).split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        entry = {k: v for k, v in node.items() if k in ("long", "short")}
        if entry:
            zone_names[zone] = entry
        if "exemplarCity" in node and node["exemplarCity"] != D._id_city(zone):
            cities[zone] = node["exemplarCity"]
    utc = tzn["zone"].get("Etc", {}).get("UTC", {})
    zone_names["UTC"] = {k: v for k, v in utc.items() if k in ("long", "short")}
    out["zn"] = zone_names
    out["city"] = cities
    out["mz"] = {m: tzn["metazone"][m] for m in set(D._META.values()) if m in tzn.get("metazone", {})}
    out["terr"] = {c: territories[c] for c, _ in D._zone_countries().values() if c in territories}
    symbols = numbers["symbols-numberSystem-" + ns]
    out["sym"] = {k: symbols[k] for k in ("decimal", "group", "percentSign", "plusSign", "minusSign", "exponential",
                                          "infinity", "nan", "approximatelySign")}
    if "currencyGroup" in symbols:  # de-AT: "1 234,5" but "€ 1.234,50"
        out["sym"]["currencyGroup"] = symbols["currencyGroup"]
    decimal = numbers["decimalFormats-numberSystem-" + ns]
    cur = numbers["currencyFormats-numberSystem-" + ns]
    out["dec"] = decimal["standard"]
    out["pct"] = numbers["percentFormats-numberSystem-" + ns]["standard"]
    out["cur"] = cur["standard"]
    out["acc"] = cur["accounting"]
    out["cs"] = {c: currencies.get(c, {}).get("symbol", c) for c in D._CURRENCIES}
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
    lists = _main(root, "cldr-misc-full", t, "listPatterns.json")["listPatterns"]
    out["lp"] = {k[len("listPattern-type-"):]: [v["start"], v["middle"], v["end"], v["2"]] for k, v in lists.items()}
    return out


def _delta(babel: Any, cldr: Any) -> Any:
    """What to merge over `babel` to get `cldr` (dicts recursively; None removes a key)."""
    if isinstance(babel, dict) and isinstance(cldr, dict):
        out = {}
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
    out: dict[str, Any] = {}
    for tag in D.LOCALES:
        babel = D._locale_json(tag, overrides=False)
        cldr = convert(root, tag)
        delta = _delta({k: babel.get(k) for k in cldr}, cldr)
        if delta:
            out[tag] = delta
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    result = build(Path(sys.argv[1]))
    OUT.write_text(json.dumps(result, ensure_ascii=False, sort_keys=True, indent=0) + "\n", "utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(result)} locales)")
