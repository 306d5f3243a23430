"""Markdown for bench/RESULTS.md: the machine, tables, and merging with what others wrote there.

Sections another benchmark owns (a heading naming PostgreSQL: bench/queue_bench.py's figures)
are carried over unchanged when bench/run.py rewrites the file.
"""

from __future__ import annotations

import importlib.metadata
import math
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

KEEP_HEADING = re.compile(r"^## .*postgres", re.IGNORECASE)


def machine() -> list[str]:
    """Facts about this machine and the software measured, one bullet each."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    node = _version(["node", "--version"]) if shutil.which("node") else "not installed"
    libs = ", ".join(f"{name} {_dist(name)}" for name in
                     ("quickjs-ng", "uvicorn", "uvloop", "httptools", "starlette", "httpx", "segment-analytics-python"))
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; {mem_gib:.0f} GiB RAM; {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, Node {node}",
        f"Libraries: {libs}",
        f"fsync of a 4 KiB write in the temp directory: {fsync_ms():.2f} ms median (SQLite commits with synchronous=FULL)",
    ]


def fsync_ms(count: int = 50) -> float:
    times = []
    with tempfile.NamedTemporaryFile() as f:
        for _ in range(count):
            f.write(b"x" * 4096)
            f.flush()
            t0 = time.perf_counter()
            os.fsync(f.fileno())
            times.append((time.perf_counter() - t0) * 1000)
    return sorted(times)[len(times) // 2]


def _version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False).stdout.strip().lstrip("v")
    except (OSError, subprocess.SubprocessError):
        return "?"


def _dist(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def md_table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str | None = None) -> str:
    """A Markdown table; `align` has one letter per column, l or r (default: first l, rest r)."""
    align = align or "l" + "r" * (len(headers) - 1)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" if a == "l" else "---:" for a in align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def num(value: float, digits: int = 0) -> str:
    return "–" if math.isnan(value) else f"{value:,.{digits}f}"  # NaN: nothing measured


def kept_sections(existing: str) -> str:
    """The sections of an existing RESULTS.md that another benchmark owns, verbatim."""
    out, keep = [], False
    for line in existing.splitlines():
        if line.startswith("## "):
            keep = bool(KEEP_HEADING.match(line))
        if keep:
            out.append(line)
    return "\n".join(out).strip()


def write(path: Path, body: str) -> None:
    """Write `body` to `path`, appending the sections of the old file others own."""
    kept = kept_sections(path.read_text("utf-8")) if path.exists() else ""
    path.write_text(body.rstrip() + "\n" + (f"\n{kept}\n" if kept else ""), "utf-8")
