"""JavaScript additions that make QuickJS behave like V8 with ICU (Intl, locale formatting,
web-platform globals), loaded once per engine context.

Contract with the engine: `bootstrap_source()` is evaluated once per context before any handler
code; its completion value is a function `configure(locale, timeZone, nowMs)` the engine calls
whenever the settings of the next invocation differ from the last. After bootstrap the engine
freezes every built-in, so mutable state here lives in closures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JsSettings:
    """Locale, time zone and (optionally) a frozen clock for handler code."""

    locale: str = "en-US"
    time_zone: str = "UTC"
    now_ms: float | None = None


def bootstrap_source() -> str:
    """JS source evaluated once per context; evaluates to `configure(locale, timeZone, nowMs)`."""
    return "(function configure(locale, timeZone, nowMs) {})"
