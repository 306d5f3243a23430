"""The tests' PostgreSQL: one throwaway server (`harness.postgres.PostgresServer`) per pytest
session, started by the `postgres` fixture, and a fresh database per test (`pg_url`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from harness.postgres import (
    FAST_SETTINGS,
    SUPERUSER,
    PostgresServer,
    PostgresUnavailable,
    _free_port,
    bin_dir,
)

__all__ = ["FAST_SETTINGS", "SUPERUSER", "PostgresServer", "PostgresUnavailable", "_free_port", "bin_dir", "pg_url",
           "postgres"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server. Missing binaries fail the run in CI (CI=true) and
    skip, saying how to install them, elsewhere."""
    try:
        server = PostgresServer()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc} (scripts/test.sh installs it when run as root)")
        pytest.skip(str(exc))
    with server:
        yield server


_databases = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """A fresh, empty database on the session's server (no runner schema yet)."""
    return postgres.create_database(f"t{os.getpid()}_{next(_databases)}")
