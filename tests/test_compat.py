"""The compat layer: settings validation, configure(), host-TZ independence, web globals."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import quickjs

from runner.compat import JsSettings, bootstrap_source, install, supported_locales, supported_time_zones
from runner.engine import Engine, Handler


@pytest.fixture(scope="module")
def ctx() -> quickjs.Context:
    context = quickjs.Context()
    install(context)("configure", "en-US", "UTC", None)
    return context


def test_settings_defaults_and_validation() -> None:
    assert JsSettings().configure_args() == ("en-US", "UTC", None)
    assert JsSettings(locale="de-DE", time_zone="Asia/Calcutta").time_zone == "Asia/Calcutta"
    with pytest.raises(ValueError, match="Mars/Base"):
        JsSettings(time_zone="Mars/Base")
    with pytest.raises(ValueError, match="en_US"):
        JsSettings(locale="en_US")
    with pytest.raises(ValueError, match="xx-YY.*supported"):
        JsSettings(locale="xx-YY")
    with pytest.raises(ValueError, match="now_ms"):
        JsSettings(now_ms=1e20)
    assert "ja-JP" in supported_locales() and "America/New_York" in supported_time_zones()


def test_common_dashboard_formats(ctx: quickjs.Context) -> None:
    d = "new Date('2025-08-23T12:01:51Z')"
    assert ctx.eval(f"{d}.toLocaleDateString()") == "8/23/2025"
    assert ctx.eval(f"{d}.toLocaleString()") == "8/23/2025, 12:01:51 PM"
    assert ctx.eval(f"{d}.toLocaleDateString('en-US', {{year:'numeric', month:'long', day:'numeric'}})") == "August 23, 2025"
    assert ctx.eval("(1234.5).toLocaleString('de-DE', {style:'currency', currency:'EUR'})") == "1.234,50\xa0€"


def test_configure_switches_locale_zone_and_clock() -> None:
    context = quickjs.Context()
    compat = install(context)
    compat("configure", "de-DE", "America/New_York", 1754285445000.0)  # 2025-08-04T05:30:45Z
    assert context.eval("new Date().toLocaleString()") == "4.8.2025, 01:30:45"
    assert context.eval("Date.now()") == 1754285445000
    assert context.eval("new Date(2025, 0, 1).toISOString()") == "2025-01-01T05:00:00.000Z"
    compat("configure", "en-US", "UTC", None)
    assert context.eval("new Date(2025, 0, 1).toISOString()") == "2025-01-01T00:00:00.000Z"
    assert context.eval("Math.abs(Date.now() - %d) < 60000" % int(__import__("time").time() * 1000))


def test_local_time_ignores_host_tz() -> None:
    """Local-time methods follow configure(), not the process TZ."""
    code = (
        "import quickjs; from runner.compat import install\n"
        "c = quickjs.Context(); install(c)('configure', 'en-US', 'UTC', None)\n"
        "print(c.eval(\"[new Date(2025,6,1,12).toISOString(), new Date(0).getHours(), new Date(0).toString(),"
        " Date.parse('2025-08-04T10:00:00'), Date.parse('Aug 4, 2025')].join('|')\"))\n"
    )
    outputs = []
    for tz in ("UTC", "America/New_York", "Asia/Kolkata"):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env=dict(os.environ, TZ=tz))
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].startswith("2025-07-01T12:00:00.000Z|0|Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)")


def test_unsupported_options_throw_like_v8(ctx: quickjs.Context) -> None:
    assert ctx.eval("(() => { try { new Intl.DateTimeFormat('en', {month: 'longg'}) } catch (e) { return e.name + ': ' + e.message } })()") == (
        "RangeError: Value longg out of range for Intl.DateTimeFormat options property month")
    assert ctx.eval("(() => { try { new Intl.NumberFormat('en', {style: 'currency'}) } catch (e) { return e.name + ': ' + e.message } })()") == (
        "TypeError: Currency code is required with currency style.")


def test_random_values_differ_per_context() -> None:
    a, b = quickjs.Context(), quickjs.Context()
    a.eval(bootstrap_source())
    b.eval(bootstrap_source())
    assert a.eval("crypto.randomUUID()") != b.eval("crypto.randomUUID()")


def test_engine_uses_settings_per_run() -> None:
    handler = Handler.from_source(
        "function handler(w) { w.payload = {t: new Date().toLocaleString(), n: (1234.5).toLocaleString()}; return w; }",
        filename="settings.js")
    body = '{"business_id":"b","type":"payment.succeeded","timestamp":"2025-08-04T05:30:45Z","data":{}}'
    engine = Engine()
    fr = engine.run(handler, body, settings=JsSettings(locale="fr-FR", time_zone="Europe/Paris", now_ms=1754285445000))
    us = engine.run(handler, body, settings=JsSettings(now_ms=1754285445000))
    assert '"payload":{"t":"04/08/2025 07:30:45","n":"1\u202f234,5"}' in (fr.webhook_json or "")
    assert '"payload":{"t":"8/4/2025, 5:30:45 AM","n":"1,234.5"}' in (us.webhook_json or "")
    assert engine.contexts_created == 1


def test_data_is_icu78s_where_babels_cldr_is_newer() -> None:
    """cldr48.json corrects Babel's newer CLDR to what V8 (ICU 78, CLDR 48) prints."""
    from runner.compat import data

    en = data._locale_json("en-US")
    assert en["sk"]["hm"] == "h:mm\u202fa" and en["dtf"]["long"] == "{1} 'at' {0}"
    assert data._locale_json("pt-BR")["gmt"] == "GMT{0}"
    assert data._locale_json("ko-KR")["ap"] == ["AM", "PM"]
    assert data._meta()["Europe/London"][-1] == [57722400000, None, "GMT"]
    assert data._meta()["Africa/Casablanca"][-1][1] is not None  # no metazone since 2018


def test_time_zone_names_follow_icu(ctx: quickjs.Context) -> None:
    def name(locale: str, zone: str, style: str, when: str = "2025-07-23T12:00:00Z") -> str:
        return ctx.eval(f"new Intl.DateTimeFormat('{locale}', {{timeZone: '{zone}', timeZoneName: '{style}'}})"
                        f".formatToParts(new Date('{when}')).find(p => p.type === 'timeZoneName').value")

    assert name("en-US", "Asia/Kolkata", "shortGeneric") == "India Time"  # country: the only zone
    assert name("en-US", "Asia/Kolkata", "longGeneric") == "India Standard Time"  # no DST near
    assert name("en-US", "Europe/London", "longGeneric") == "United Kingdom Time"
    assert name("en-IN", "America/Toronto", "shortGeneric") == "Toronto Time"  # city: one of many
    assert name("es-MX", "America/Chicago", "longGeneric") == "hora central (Estados Unidos)"
    assert name("pt-BR", "Europe/Berlin", "short") == "GMT+2"
    assert name("de-DE", "Europe/London", "short", "2025-01-15T12:00:00Z") == "GMT+0"


def test_narrow_currency_symbols(ctx: quickjs.Context) -> None:
    fmt = "new Intl.NumberFormat('{0}', {{style: 'currency', currency: '{1}', currencyDisplay: 'narrowSymbol'}}).format(1)"
    assert ctx.eval(fmt.format("en-US", "MXN")) == "$1.00"
    assert ctx.eval(fmt.format("pl-PL", "RON")) == "1,00\xa0lej"
    assert ctx.eval(fmt.format("ja-JP", "JPY")) == "￥1"
    assert ctx.eval(fmt.format("en-US", "CHF")) == "CHF\xa01.00"


def test_host_function_answers_only_locale_and_zone_requests() -> None:
    from runner.compat.data import host_data

    assert host_data("loc:ar-EG") is not None and host_data("tz:Asia/Calcutta") is not None
    for hostile in (None, 1, b"loc:en", "loc:" + "a" * 100, "loc:../../etc", "tz:Mars/Base", "loc:xx", "file:/etc/passwd",
                    "tz:", "loc:en-US\n", ["loc:en"], "tz:__proto__"):
        assert host_data(hostile) is None, hostile


def test_engine_fetches_a_new_locale_and_reruns_the_event() -> None:
    handler = Handler.from_source(
        "function handler(w) { w.payload = [new Date(0).toLocaleDateString('ar-EG', {timeZone: 'Asia/Tokyo'}),"
        " (1234.5).toLocaleString('bn'), typeof globalThis.__runnerCompatData]; return w; }", filename="lazy.js")
    body = '{"business_id":"b","type":"payment.succeeded","timestamp":"2025-08-04T05:30:45Z","data":{}}'
    engine = Engine()
    for _ in range(2):
        outcome = engine.run(handler, body)
        assert '"payload":["١\u200f/١\u200f/١٩٧٠","১,২৩৪.৫","undefined"]' in (outcome.webhook_json or ""), outcome
    assert engine.contexts_created == 1
