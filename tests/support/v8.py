"""Run handlers in Node.js (V8) for differential tests: the reference behaviour we must match."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

RUNNER_JS = Path(__file__).with_name("v8_runner.js")
NODE = shutil.which("node")


def run_in_v8(cases: list[dict[str, Any]], timeout: float = 120) -> list[dict[str, Any]]:
    """Each case {source, body, url, env} → {webhook: text} or {error: {type, message}}."""
    if NODE is None:
        raise RuntimeError("node is not installed")
    env = dict(os.environ, TZ="UTC")
    proc = subprocess.run([NODE, str(RUNNER_JS)], input=json.dumps(cases), capture_output=True, text=True,
                          env=env, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"node failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)
