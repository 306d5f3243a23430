"""Every conformance handler produces exactly V8's output (see corpus.py)."""

from __future__ import annotations

import pytest

from tests.conformance.corpus import load_cases, run_engine, run_node

CASES = load_cases()


@pytest.fixture(scope="module")
def results() -> tuple[dict, dict]:
    return run_engine(CASES), run_node(CASES)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_matches_v8(case, results) -> None:
    ours, v8 = results
    for sample in case.samples:
        assert ours[(case.name, sample)] == v8[(case.name, sample)], f"{case.name} on {sample}"
