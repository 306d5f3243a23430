"""Data of Intl.Locale, Intl.DisplayNames, Intl.Segmenter, formatRange and Intl.supportedValuesOf:
Babel's CLDR with the CLDR 48 values ICU 78 (Node 20) uses merged over it (`intl48.json`, built by
`intl48.py`), and the Unicode 17 segmentation properties of UAX #29 (`uax29.json`, built by
`uax29.py`). `intl_bundle()` and the boot locales' names (`split_names`) make the "intl" section
of the bundle `data.bundle_json()` builds; `names_json` travels with each fetched locale."""

from __future__ import annotations

import functools
import importlib.resources
import json
from typing import Any

from babel import Locale
from babel.core import get_global

# CLDR localenames file → key in the JS data.
NAME_KINDS = {"languages": "lang", "territories": "region", "scripts": "script", "variants": "variant"}


@functools.cache
def _resource(name: str) -> Any:
    return json.loads(importlib.resources.files("runner.compat").joinpath(name).read_text("utf-8"))


def _plain(value: Any) -> Any:
    if hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


@functools.lru_cache(maxsize=64)
def babel_names(tag: str) -> dict[str, Any]:
    """Display names and interval formats of one locale as Babel has them ({} where it has none)."""
    try:
        d = Locale.parse(tag.replace("-", "_"))._data
    except (ValueError, LookupError):
        return {}
    out: dict[str, Any] = {}
    for kind, key in NAME_KINDS.items():
        out[key] = {str(k).replace("_", "-"): v for k, v in d[kind].items()}
    out["currency"] = dict(d["currency_names"])
    iv: dict[str, Any] = {}
    for skeleton, value in _plain(d["interval_formats"]).items():
        if skeleton == "None":
            iv[""] = value
        else:
            iv[skeleton] = {field: "".join(parts) for field, parts in value.items()}
    out["iv"] = iv
    return out


def merge(base: dict[str, Any], diff: dict[str, Any]) -> dict[str, Any]:
    """`base` with `diff` merged in: dicts recursively, None removes a key."""
    out = dict(base)
    for key, value in diff.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def folder_chain(folder: str, parents: dict[str, str], folders: set[str]) -> list[str]:
    """CLDR's inheritance chain of a locale folder, root excluded, root-most first
    (en-AU → [en, en-001, en-AU])."""
    chain: list[str] = []
    f: str | None = folder
    while f and f != "root":
        if f in folders:
            chain.insert(0, f)
        f = parents.get(f) or (f.rsplit("-", 1)[0] if "-" in f else None)
    return chain


@functools.cache
def _folders() -> frozenset[str]:
    sup = _resource("intl48.json")["supplemental"]
    return frozenset(sup["folders"].split())


@functools.lru_cache(maxsize=256)
def locale_names(tag: str) -> dict[str, Any]:
    """Everything DisplayNames and formatRange read for one locale, as ICU 78 has it: Babel's data
    of its CLDR folder (the tag, else its nearest truncation) with CLDR 48's changes merged in."""
    extra = _resource("intl48.json")
    folders = _folders()
    folder = tag
    while folder not in folders and "-" in folder:
        folder = folder.rsplit("-", 1)[0]
    if folder not in folders:
        folder = "en"
    out = babel_names(folder)
    for f in folder_chain(folder, extra["supplemental"]["parents"], set(folders)):
        out = merge(out, extra["locales"].get(f, {}))
    return out


def names_json(tag: str) -> str:
    """`locale_names(tag)` as the JSON text a context fetches on first use."""
    return json.dumps(locale_names(tag), ensure_ascii=False, separators=(",", ":"))


def _likely() -> dict[str, Any]:
    """Likely subtags: {"lang": {value tail: "lang lang …"}, "other": {key: value}}: a lone
    language whose likely tag starts with it is stored under its script-region tail."""
    table = {k.replace("_", "-"): v.replace("_", "-") for k, v in get_global("likely_subtags").items()}
    table = merge(table, _resource("intl48.json")["supplemental"]["likely"])
    grouped: dict[str, list[str]] = {}
    other: dict[str, str] = {}
    for key, value in sorted(table.items()):
        if "-" not in key and value.startswith(key + "-"):
            grouped.setdefault(value[len(key) + 1 :], []).append(key)
        else:
            other[key] = value
    return {"lang": {tail: " ".join(keys) for tail, keys in grouped.items()}, "other": other}


def _aliases() -> dict[str, Any]:
    langs = {k.replace("_", "-"): v.replace("_", "-") for k, v in get_global("language_aliases").items()}
    langs = merge(langs, _resource("intl48.json")["supplemental"]["langAlias"])
    regions = {k: " ".join(v) for k, v in get_global("territory_aliases").items()}
    return {"lang": langs, "region": regions, "script": dict(get_global("script_aliases")),
            "variant": dict(get_global("variant_aliases"))}


@functools.cache
def intl_bundle() -> dict[str, Any]:
    """{"sup": supplemental tables, "seg": UAX #29 tables}: what every context embeds. (Each
    locale's names travel with its data: `names_json`, under the key "dn" of `data.locale_json`.)"""
    sup = dict(_resource("intl48.json")["supplemental"])
    for key in ("likely", "langAlias", "parents", "folders"):
        del sup[key]
    sup["likely"] = _likely()
    sup["alias"] = _aliases()
    for key in ("zones", "currencies", "numberingSystems"):
        sup[key] = " ".join(sup[key])
    return {"sup": sup, "seg": _resource("uax29.json")}


def split_names(boot: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Embedded locale texts without their "dn" names, and those names ({tag: JSON text})."""
    texts: dict[str, str] = {}
    names: dict[str, str] = {}
    for tag, text in boot.items():
        data = json.loads(text)
        if "dn" in data:
            names[tag] = data.pop("dn")
        texts[tag] = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return texts, names
