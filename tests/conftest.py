"""Shared fixtures: the bundled transforms and samples, and one engine per test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner.engine import Engine, Handler
from tests.support.postgres import pg_url, postgres  # noqa: F401  (fixtures: one server per session)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.json"))
TRANSFORMS = sorted((ROOT / "transforms").glob("*.js"))


@pytest.fixture(scope="module")
def engine() -> Engine:
    eng = Engine()
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def seed_handlers() -> dict[str, Handler]:
    return {p.name: Handler.from_file(p) for p in TRANSFORMS}


def sample_text(name: str) -> str:
    return (ROOT / "samples" / name).read_text("utf-8")
