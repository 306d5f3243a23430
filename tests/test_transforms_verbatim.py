"""transforms/*.js seed handlers are verbatim copies from the provider's Segment guide.

The seed document lives outside the repository, at ../shared/seeds/dodo-segment-integration.txt
relative to the repo root; checkouts without it skip the comparison (the line counts and file
format are still checked).
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TRANSFORMS_DIR = REPO_ROOT / "transforms"
SEED_PATH = REPO_ROOT.parent / "shared" / "seeds" / "dodo-segment-integration.txt"

# file name -> the "See all N lines" figure printed under the handler in the guide
EXPECTED_LINES = {
    "segment-track-payments.js": 20,
    "segment-track-subscriptions.js": 37,
    "segment-identify-customers.js": 18,
}


def _read(name: str) -> str:
    return (TRANSFORMS_DIR / name).read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED_LINES))
def test_seed_transform_shape(name):
    text = _read(name)
    assert text.startswith("function handler ( webhook ) {\n")
    assert text.endswith("\n}\n") and not text.endswith("\n\n"), "ends with `}` and one newline"
    assert "\r" not in text
    assert len(text.splitlines()) == EXPECTED_LINES[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_LINES))
def test_seed_transform_is_verbatim(name):
    if not SEED_PATH.is_file():
        pytest.skip(f"seed document not found at {SEED_PATH}; verbatim comparison skipped")
    seed = SEED_PATH.read_bytes().decode("utf-8")
    text = _read(name)
    assert text in seed, f"{name} is not a verbatim excerpt of the seed document"
    # the excerpt is the whole handler: directly followed by the guide's line-count note
    assert text + f"See all {EXPECTED_LINES[name]} lines\n" in seed
