"""Maintenance tool: rebuild `intl48.json`, the CLDR 48 data behind Intl.Locale, Intl.DisplayNames,
formatRange and Intl.supportedValuesOf that Babel lacks or carries in a newer version.

V8 (Node 20) uses ICU 78, whose data is CLDR 48. `intl_data.py` builds the bundle from Babel and
merges this file over it, so only what Babel does not have, or has otherwise, is stored:

- supplemental tables Babel does not export: week data, preferred hour cycles (timeData), calendar
  preferences, the region of each canonical zone, and the identifier lists of
  `Intl.supportedValuesOf` (currencies, zones, numbering systems);
- where CLDR 48 differs from Babel: likely subtags and language aliases (`null` removes a key);
- keyword value aliases (`-u-ca-islamicc` → islamic-civil) from CLDR's BCP 47 data;
- what only ICU knows, asked of Node: the default numbering system and text direction of the
  locales ICU ships, and its list of current currencies;
- per CLDR locale folder, over its parent folders': display-name differences (including the
  `-alt-short` forms Babel drops), calendar names, date field names, the locale display pattern,
  interval formats and the date-time glue of ranges.

Run it after changing Babel or Node, with `node` (20, full ICU) on PATH, against the CLDR JSON
packages of the version in Node's ICU (`node -p process.versions.cldr`), unpacked side by side:

    npm pack cldr-core@48.0.0 cldr-dates-full@48.0.0 cldr-localenames-full@48.0.0 \
        cldr-numbers-full@48.0.0 cldr-bcp47@48.2.0
    for f in cldr-*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    python -m runner.compat.intl48 DIR

The conformance corpus (tests/conformance) then checks the result against Node.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("intl48.json")
VERSION = "48.0.0"
BCP47_VERSION = "48.2.0"
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# ECMA-402 calendar ids of CLDR's calendar type names.
CALENDAR_IDS = {"gregorian": "gregory", "ethiopic-amete-alem": "ethioaa"}
# Intl.DisplayNames dateTimeField codes → CLDR date field keys.
FIELDS = {"era": "era", "year": "year", "quarter": "quarter", "month": "month", "weekOfYear": "week",
          "weekday": "weekday", "day": "day", "dayPeriod": "dayperiod", "hour": "hour", "minute": "minute",
          "second": "second", "timeZoneName": "zone"}


def _load(root: Path, package: str, *parts: str, version: str = VERSION) -> Any:
    return json.loads((root / f"{package}-{version}" / "package").joinpath(*parts).read_text("utf-8"))


def _main_dir(root: Path, package: str, tag: str) -> str:
    """The CLDR folder of a shipped tag: its own when CLDR has one (en-GB), else its language's."""
    base = root / f"{package}-{VERSION}" / "package" / "main"
    return tag if (base / tag).is_dir() else tag.split("-")[0]


def _diff(base: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    """Keys of `value` that differ from `base`, plus `None` for keys only `base` has."""
    out: dict[str, Any] = {k: v for k, v in value.items() if base.get(k) != v}
    out.update({k: None for k in base if k not in value})
    return out


def supplemental(root: Path) -> dict[str, Any]:
    from babel.core import get_global

    sup = "supplemental"
    likely = _load(root, "cldr-core", sup, "likelySubtags.json")["supplemental"]["likelySubtags"]
    babel_likely = {k.replace("_", "-"): v.replace("_", "-") for k, v in get_global("likely_subtags").items()}
    aliases = _load(root, "cldr-core", sup, "aliases.json")["supplemental"]["metadata"]["alias"]
    lang_aliases = {k: v["_replacement"] for k, v in aliases["languageAlias"].items() if "_replacement" in v}
    babel_lang = {k.replace("_", "-"): v.replace("_", "-") for k, v in get_global("language_aliases").items()}
    week = _load(root, "cldr-core", sup, "weekData.json")["supplemental"]["weekData"]
    day = {d: (i or 7) for i, d in enumerate(_DAYS)}  # weekInfo numbers days 1 = Monday … 7 = Sunday

    def week_table(name: str, conv: Any) -> dict[str, Any]:
        return {k: conv(v) for k, v in week[name].items() if "-alt-" not in k}

    time_data = _load(root, "cldr-core", sup, "timeData.json")["supplemental"]["timeData"]
    cal_pref = _load(root, "cldr-core", sup, "calendarPreferenceData.json")["supplemental"]["calendarPreferenceData"]
    tz = _load(root, "cldr-bcp47", "bcp47", "timezone.json", version=BCP47_VERSION)["keyword"]["u"]["tz"]
    zones = sorted(v["_alias"].split()[0] for k, v in tz.items()
                   if not k.startswith("_") and "_alias" in v and not v.get("_deprecated")
                   and not v["_alias"].startswith("Etc/"))
    # The region of each zone, from Babel's zone territories under any of the zone's aliases.
    territories = get_global("zone_territories")
    alias_sets = {v["_alias"].split()[0]: v["_alias"].split() for k, v in tz.items() if "_alias" in v}
    zone_aliases = get_global("zone_aliases")
    region: dict[str, str] = {}
    for z in zones:
        names = [*alias_sets.get(z, [z]), zone_aliases.get(z, z)]
        r = next((territories[n] for n in names if n in territories), None)
        if r is None or r == "001":
            r = _zone_tab().get(z, r)  # Antarctica/Troll: CLDR's 001, the tz database's AQ
        if r is None:
            raise SystemExit(f"no region for {z}")
        region[z] = r
    # ICU's list of current ISO 4217 codes comes from its own ISO table, not from CLDR's
    # currencyData (it keeps HRK, SLL, XDR, ...): asked of V8.
    currencies = json.loads(subprocess.run(["node", "-e", "process.stdout.write(JSON.stringify(Intl.supportedValuesOf('currency')))"],
                                           capture_output=True, text=True, check=True).stdout)
    numbering = _load(root, "cldr-core", sup, "numberingSystems.json")["supplemental"]["numberingSystems"]
    # Keyword value aliases ("u-ca": {"islamicc": "islamic-civil"}): old names (`_alias`) that
    # are not themselves types, and deprecated types with a preferred one.
    type_alias: dict[str, dict[str, str]] = {}
    for path in sorted((root / f"cldr-bcp47-{BCP47_VERSION}" / "package" / "bcp47").glob("*.json")):
        for ext, keys in json.loads(path.read_text("utf-8"))["keyword"].items():
            for key, types in keys.items():
                for name, info in types.items():
                    if name.startswith("_") or not isinstance(info, dict):
                        continue
                    table = type_alias.setdefault(f"{ext}-{key}", {})
                    if info.get("_deprecated") and "_preferred" in info:
                        table[name] = info["_preferred"]
                    elif "_alias" in info and key != "tz":
                        table.update({a: name for a in info["_alias"].split() if a not in types})
                    elif "_alias" in info:
                        # One-word IANA links ICU takes as zone types too: Eire → iedub.
                        table.update({a.lower(): name for a in info["_alias"].split()
                                      if "/" not in a and a.lower() not in types and 3 <= len(a) <= 8 and a.isalnum()})
    type_alias = {k: v for k, v in type_alias.items() if v}
    return {
        "likely": _diff(babel_likely, likely),
        "langAlias": _diff(babel_lang, lang_aliases),
        "week": {
            "firstDay": week_table("firstDay", lambda v: day[v]),
            "minDays": week_table("minDays", int),
            "weekendStart": week_table("weekendStart", lambda v: day[v]),
            "weekendEnd": week_table("weekendEnd", lambda v: day[v]),
        },
        "hours": {k: v["_preferred"] for k, v in time_data.items()},
        "calendars": {k: [CALENDAR_IDS.get(c, c) for c in v] for k, v in cal_pref.items()},
        "zones": zones,
        "zoneRegions": " ".join(region[z] for z in zones),
        "currencies": currencies,
        "numberingSystems": sorted(k for k, v in numbering.items() if v["_type"] == "numeric"),
        "typeAlias": type_alias,
        **_icu_locale_facts(root, likely),
    }


def _zone_tab() -> dict[str, str]:
    import importlib.resources

    text = importlib.resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text("utf-8")
    return {f[2]: f[0] for f in (line.split("\t") for line in text.splitlines() if not line.startswith("#"))}


# Asks V8, for each tag ICU has locale data for (its resolved locale is the tag itself), the
# default numbering system and the text direction: which locales ICU ships, and the aliases it
# resolves (pa-PK → pa-Arab-PK, sd-IN → sd-Deva-IN), are ICU's, not CLDR's.
_PROBE = r"""
const tags = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {};
for (const tag of tags) {
  try {
    if (new Intl.NumberFormat(tag).resolvedOptions().locale !== tag) continue;
    const l = new Intl.Locale(tag);
    out[tag] = [l.numberingSystems[0], l.textInfo.direction];
  } catch (e) {}
}
process.stdout.write(JSON.stringify(out));
"""


def _icu_locale_facts(root: Path, likely: dict[str, str]) -> dict[str, Any]:
    """{"numbering": {tag: system}, "rtl": {tag: 0|1}}: each ICU locale whose default numbering
    system (direction) differs from that of its nearest ancestor by truncation (root: latn, ltr),
    so that truncating a tag to the nearest listed one gives ICU's answer."""
    folders = {p.name for p in (root / f"cldr-numbers-full-{VERSION}" / "package" / "main").iterdir()}
    tags = sorted((folders | set(likely) | set(likely.values())) - {"root"}, key=lambda t: (t.count("-"), t))
    tags = [t for t in tags if not t.startswith("und")]
    facts = json.loads(subprocess.run(["node", "-e", _PROBE], input=json.dumps(tags), capture_output=True, text=True,
                                      check=True).stdout)
    numbering: dict[str, str] = {}
    rtl: dict[str, int] = {}

    def inherited(table: dict[str, Any], tag: str, default: Any) -> Any:
        while "-" in tag:
            tag = tag.rsplit("-", 1)[0]
            if tag in table:
                return table[tag]
        return default

    for tag in tags:
        if tag not in facts:
            continue
        ns, direction = facts[tag]
        if ns != inherited(numbering, tag, "latn"):
            numbering[tag] = ns
        if int(direction == "rtl") != inherited(rtl, tag, 0):
            rtl[tag] = int(direction == "rtl")
    return {"numbering": numbering, "rtl": rtl}


def _target(root: Path, folder: str) -> dict[str, Any]:
    """What DisplayNames and formatRange read for one CLDR 48 locale folder (resolved data)."""
    from runner.compat import intl_data

    def main(package: str, name: str) -> Any:
        path = root / f"{package}-{VERSION}" / "package" / "main" / folder / name
        return json.loads(path.read_text("utf-8"))["main"][folder] if path.is_file() else None

    # A folder without some file (a seed locale) inherits that part: it stays out of the result.
    out: dict[str, Any] = {}
    for kind in ("languages", "territories", "scripts", "variants"):
        file = main("cldr-localenames-full", f"{kind}.json")
        if file is None:
            continue
        table = file["localeDisplayNames"][kind]
        key = intl_data.NAME_KINDS[kind]
        out[key] = {k: v for k, v in table.items() if "-alt-" not in k and "-menu-" not in k}
        out[key + "Short"] = {k.split("-alt-")[0]: v for k, v in table.items() if k.endswith("-alt-short")}
    if cur := main("cldr-numbers-full", "currencies.json"):
        out["currency"] = {k: v["displayName"] for k, v in cur["numbers"]["currencies"].items() if "displayName" in v}
    if display := main("cldr-localenames-full", "localeDisplayNames.json"):
        display = display["localeDisplayNames"]
        pattern = display["localeDisplayPattern"]
        out["pattern"] = [pattern["localePattern"], pattern["localeSeparator"]]
        calendars = display.get("types", {}).get("calendar", {})
        out["calendar"] = {CALENDAR_IDS.get(k, k): v for k, v in calendars.items() if "-alt-" not in k}
    if dates := main("cldr-dates-full", "dateFields.json"):
        fields = dates["dates"]["fields"]
        out["field"] = {code: [fields[key + w]["displayName"] for w in ("", "-short", "-narrow")]
                        for code, key in FIELDS.items()}
    if greg := main("cldr-dates-full", "ca-gregorian.json"):
        intervals = dict(greg["dates"]["calendars"]["gregorian"]["dateTimeFormats"]["intervalFormats"])
        intervals[""] = intervals.pop("intervalFormatFallback")
        out["iv"] = intervals
        # ICU's DateTimePatterns[kDateTime] (CLDR's plain medium date-time pattern): the glue of
        # "date, time – time" ranges, which may differ from what a DateTimeFormat glues with.
        out["glue"] = greg["dates"]["calendars"]["gregorian"]["dateTimeFormats"]["medium"]
    return out


def _tree_diff(base: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    """`value` as changes to `base`: differing keys (dicts recursively), None for removed ones."""
    out: dict[str, Any] = {}
    for key in value.keys() | base.keys():
        a, b = base.get(key), value.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            if sub := _tree_diff(a, b):
                out[key] = sub
        elif a != b:
            out[key] = b
    return out


def locales(root: Path) -> dict[str, Any]:
    """{CLDR folder: changes}, each folder's changes over Babel's data for it with its parent
    folders' changes applied (`intl_data.locale_names` merges them in that order)."""
    from runner.compat import intl_data

    folders = sorted(p.name for p in (root / f"cldr-localenames-full-{VERSION}" / "package" / "main").iterdir())
    parents = _load(root, "cldr-core", "supplemental", "parentLocales.json")["supplemental"]["parentLocales"]["parentLocale"]
    out: dict[str, Any] = {}
    for folder in sorted(folders, key=lambda f: len(intl_data.folder_chain(f, parents, set(folders)))):
        if folder == "root":
            continue
        inherited = intl_data.babel_names(folder)
        for f in intl_data.folder_chain(folder, parents, set(folders))[:-1]:
            inherited = intl_data.merge(inherited, out.get(f, {}))
        if d := _tree_diff(inherited, _target(root, folder)):
            out[folder] = d
    return out


def build(root: Path) -> dict[str, Any]:
    sup = supplemental(root)
    sup["parents"] = _load(root, "cldr-core", "supplemental", "parentLocales.json")["supplemental"]["parentLocales"]["parentLocale"]
    sup["folders"] = " ".join(sorted(p.name for p in (root / f"cldr-localenames-full-{VERSION}" / "package" / "main").iterdir()))
    return {"supplemental": sup, "locales": locales(root)}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    OUT.write_text(json.dumps(build(Path(sys.argv[1])), ensure_ascii=False, sort_keys=True, indent=0) + "\n", "utf-8")
    print(f"wrote {OUT}")
