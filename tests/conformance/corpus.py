"""The conformance corpus: handlers in cases/*.js, each run on several sample webhooks through
runner's engine and through Node.js (V8 with full ICU), outputs compared byte for byte.

A case file may start with directives in line comments:
    // @samples payment.succeeded dispute.opened      (default: DEFAULT_SAMPLES)
    // @settings {"locale": "de-DE", "timeZone": "America/New_York", "now": "2025-08-04T05:30:45Z"}
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from runner.compat import JsSettings
from runner.engine import Engine, Handler, Limits

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
CASES_DIR = HERE / "cases"
NODE_RUNNER = HERE / "node_runner.js"
DEFAULT_SAMPLES = ("payment.succeeded", "subscription.active", "dispute.opened", "refund.succeeded")
URL = "https://example.invalid/"


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    samples: tuple[str, ...]
    settings: dict[str, Any] = field(default_factory=dict)

    def js_settings(self) -> JsSettings:
        now = self.settings.get("now")
        now_ms = None if now is None else datetime.fromisoformat(now).timestamp() * 1000
        return JsSettings(locale=self.settings.get("locale", "en-US"), time_zone=self.settings.get("timeZone", "UTC"),
                          now_ms=now_ms)


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.js")):
        source = path.read_text("utf-8")
        samples = DEFAULT_SAMPLES
        settings: dict[str, Any] = {}
        if m := re.search(r"^// @samples (.+)$", source, re.MULTILINE):
            samples = tuple(m.group(1).split())
        if m := re.search(r"^// @settings (.+)$", source, re.MULTILINE):
            settings = json.loads(m.group(1))
        cases.append(Case(path.stem, source, samples, settings))
    return cases


def sample_body(name: str) -> str:
    return (ROOT / "samples" / f"{name}.json").read_text("utf-8")


def _rendered(result: str, logs: list[str], position: str | None = None) -> str:
    """One comparable text: the result, the error's line:column, then each console line."""
    at = "" if position is None else f"\nat {position}"
    return result + at + "".join(f"\n{line}" for line in logs)


def _stream(level: str) -> str:
    return "err" if level in ("warn", "error") else "out"


def run_engine(cases: list[Case]) -> dict[tuple[str, str], str]:
    """(case, sample) → the engine's result: webhook JSON text or `error: Type: message` with the
    error's line:column, followed by the console output (stream and message per line)."""
    # Fidelity, not speed, is measured here: a generous time limit keeps Intl-heavy cases (dozens
    # of locales per event) clear of it on a loaded machine.
    engine = Engine(limits=Limits(time_ms=5000))
    out = {}
    for case in cases:
        handler = Handler.from_source(case.source, filename=f"{case.name}.js")
        settings = case.js_settings()
        for sample in case.samples:
            outcome = engine.run(handler, sample_body(sample), url=URL, env={}, settings=settings)
            logs = [f"{_stream(entry.level)} {entry.message}" for entry in outcome.logs]
            if outcome.error is not None:
                error = outcome.error
                position = None if error.line is None else f"{error.line}:{error.column}"
                out[(case.name, sample)] = _rendered(f"error: {error.type}: {error.message}", logs, position)
            else:
                out[(case.name, sample)] = _rendered(outcome.webhook_json or "", logs)
    engine.close()
    return out


def run_node(cases: list[Case]) -> dict[tuple[str, str], str]:
    """The same in Node: one process per default locale (Node reads it from LANG at start)."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node (Node.js 20 with full ICU) is required for the conformance tests")
    out: dict[tuple[str, str], str] = {}
    by_locale: dict[str, list[tuple[Case, str]]] = {}
    for case in cases:
        for sample in case.samples:
            by_locale.setdefault(case.settings.get("locale", "en-US"), []).append((case, sample))
    for locale, items in by_locale.items():
        payload = [
            {"source": c.source, "body": sample_body(s), "url": URL, "timeZone": c.settings.get("timeZone", "UTC"),
             "nowMs": c.js_settings().now_ms}
            for c, s in items
        ]
        env = dict(os.environ, TZ="UTC", LANG=locale.replace("-", "_") + ".UTF-8")
        env.pop("LC_ALL", None)
        proc = subprocess.run([node, str(NODE_RUNNER)], input=json.dumps(payload), capture_output=True, text=True,
                              env=env, timeout=300, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"node failed ({proc.returncode}): {proc.stderr[-2000:]}")
        for (c, s), result in zip(items, json.loads(proc.stdout)):
            if "error" in result:
                error = result["error"]
                out[(c.name, s)] = _rendered(f"error: {error['type']}: {error['message']}", result["logs"],
                                             error.get("position"))
            else:
                out[(c.name, s)] = _rendered(result["webhook"], result["logs"])
    return out
