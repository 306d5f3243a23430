"""JavaScript additions that make QuickJS behave like V8 with ICU (Intl, locale formatting,
local time in a configured zone, a frozen clock, web-platform globals), loaded once per context.

Contract with the engine: `bootstrap_source()` is evaluated once per context before any handler
code; its completion value is one function `compat(op, a, b, c)`:

- `compat("configure", locale, timeZone, nowMs)`: the engine calls it whenever the settings of the
  next invocation differ from the last (`JsSettings.configure_args()` are the three arguments).
- `compat("load")`: the engine calls it after every event, outside any time limit. A context
  embeds the default locale only; other locales and every zone's rules are fetched on first use
  through one host function (`data.host_data`, registered by `install()`), which QuickJS refuses
  to call while a time limit is set, i.e. during handler code. What an event asked for in vain is
  fetched by "load", which returns how many requests it served: when that is > 0, the event ran
  with stand-in data (the default locale, UTC) and must run again.
- `compat("clear")`: empties every cache of derived values. Caches are bounded, so contexts with
  frozen built-ins never need it; a context whose built-ins stay writable ("open mode") must
  call it after every event and every handler load that changed a built-in (once the built-ins
  are put back), because what the layer computed and cached meanwhile may have gone through the
  handler's patched `String.prototype.replace`, `Array.prototype.join`, ... (Fetched locale and
  zone data stay: they are parsed with functions captured before any handler ran.)

After bootstrap the engine freezes every built-in, so mutable state lives in closures.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import os
import re
from dataclasses import dataclass
from typing import Any

from runner.compat import data, lazyjs

__all__ = ["JsSettings", "bootstrap_source", "install", "supported_locales", "supported_time_zones"]

# Concatenation order matters only for top-level statements (bootstrap.js runs last).
_JS_FILES = ("core.js", "tz.js", "date_local.js", "intl_datetime.js", "intl_number.js", "collate.js", "intl_list.js",
             "intl_locale.js", "intl_locale_rules.js", "intl_displaynames.js", "intl_displaynames_rules.js",
             "intl_segmenter.js", "intl_segmenter_rules.js", "intl_range.js", "intl_range_rules.js", "web.js",
             "builtins.js", "bootstrap.js")
_SEED_BYTES = 32
_TAG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?$")


@dataclass(frozen=True)
class JsSettings:
    """Locale, time zone and (optionally) a frozen clock (`now_ms`, ms since the epoch) for
    handler code. Unknown zones and malformed or unsupported locales raise ValueError."""

    locale: str = "en-US"
    time_zone: str = "UTC"
    now_ms: float | None = None

    def __post_init__(self) -> None:
        examples = "en-US, de-DE, ar-EG, ja-JP"
        if not isinstance(self.locale, str) or not _TAG_RE.match(self.locale):
            raise ValueError(f"locale {self.locale!r} is not a BCP 47 tag like 'en-US'; "
                             f"supported: {len(data.LOCALES)} locales such as {examples}")
        if not _has_locale_data(self.locale):
            raise ValueError(f"locale {self.locale!r} has no locale data; "
                             f"supported: {len(data.LOCALES)} locales such as {examples}")
        if not isinstance(self.time_zone, str) or self.time_zone.lower() not in data.supported_zones():
            raise ValueError(
                f"time zone {self.time_zone!r} is not supported; use an IANA name such as 'America/New_York' "
                f"(supported: UTC, Etc/GMT±N, {len(data.ZONES) - 1} IANA zones and their aliases)"
            )
        if self.now_ms is not None and (not isinstance(self.now_ms, (int, float)) or abs(self.now_ms) > 8.64e15):
            raise ValueError(f"now_ms {self.now_ms!r} is not a valid time value (ms since 1970-01-01)")
        if self.now_ms is not None:
            # A float: the QuickJS binding truncates Python ints beyond 32 bits.
            object.__setattr__(self, "now_ms", float(self.now_ms))

    def configure_args(self) -> tuple[str, str, float | None]:
        """The arguments of `compat("configure", ...)` after the operation name."""
        return (self.locale, self.time_zone, self.now_ms)


def _has_locale_data(tag: str) -> bool:
    """Whether the tag, or a shorter prefix of it, is a shipped locale (as ICU looks it up)."""
    parts = tag.split("-")
    parts[0] = parts[0].lower()
    if len(parts) > 1 and len(parts[1]) == 4:
        parts[1] = parts[1].title()
    if len(parts) > 1:
        parts[-1] = parts[-1].upper() if len(parts[-1]) != 4 else parts[-1]
    shipped = _shipped()
    while parts:
        if "-".join(parts) in shipped:
            return True
        parts.pop()
    return False


@functools.cache
def _shipped() -> frozenset[str]:
    return frozenset(data.LOCALES)


@functools.cache
def _bootstrap_function() -> str:
    files = importlib.resources.files("runner.compat")
    body = "\n".join(lazyjs.emit(name, files.joinpath(name).read_text(encoding="utf-8")) for name in _JS_FILES)
    # The data travels as one JSON string literal: parsing it once per context is cheaper than
    # evaluating an object literal, and per-locale data stays a string until first use.
    return f'(function (DATA, SEED, HOST_NAME) {{\n"use strict";\n{body}\n}})(JSON.parse({json.dumps(data.bundle_json())}), '


def bootstrap_source() -> str:
    """JS source evaluated once per context; evaluates to `compat(op, a, b, c)` (see above).

    Each call carries fresh random bytes (the seed of crypto.getRandomValues/randomUUID), so call
    it once per context rather than caching its result."""
    seed = list(os.urandom(_SEED_BYTES))
    return _bootstrap_function() + json.dumps(seed) + ", " + json.dumps(data.HOST_FUNCTION) + ")"


def install(ctx: Any) -> Any:
    """Load the layer into a new quickjs.Context with its host function (the context's only way
    to locale and zone data beyond the default locale); returns `compat` (see above)."""
    ctx.add_callable(data.HOST_FUNCTION, data.host_data)
    return ctx.eval(bootstrap_source())


def supported_locales() -> list[str]:
    """Locale tags with full CLDR data."""
    return data.supported_locales()


def supported_time_zones() -> list[str]:
    """Canonical IANA zones shipped (their tzdata aliases are accepted too)."""
    return list(data.ZONES)
