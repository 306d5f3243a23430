"""The bundled transforms (`*.js`) and sample webhook bodies (`<event type>.json`) the page offers.

A sample file is a webhook body or a Svix message `{"eventType", "payload"}` (runner.samples):
a message is offered as its payload, with its eventType as the event type it runs with.

Files are read on each request, so edits on disk show up on the next page load without a
restart. Names come from directory listings only; a name sent by the page is looked up, never
joined into a path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from runner.errors import PlaygroundConfigError
from runner.samples import from_json

# The sample the page opens with when present: the event most handlers are written for.
PREFERRED_SAMPLE = "payment.succeeded"




@dataclass(frozen=True)
class Transform:
    """A bundled handler: `name` is the file name without `.js`."""

    name: str
    source: str


@dataclass(frozen=True)
class Sample:
    """A bundled webhook body. `family` groups the picker (`payment`, `subscription`, ...).

    `event_type` is what the picker shows (the sample's own event type, else its file name);
    `own_event_type` is what it runs with: a message's eventType, the body's string `type`, or None."""

    name: str
    event_type: str
    family: str
    body: str
    own_event_type: str | None = None
    message: bool = False  # a Svix message: `body` is its payload


class Catalog:
    """Lists and reads the transforms and samples directories."""

    def __init__(self, transforms_dir: Path, samples_dir: Path) -> None:
        self.transforms_dir = _existing_dir(transforms_dir, "transforms", "--transforms")
        self.samples_dir = _existing_dir(samples_dir, "samples", "--samples")
        if not self.sample_names():
            raise PlaygroundConfigError(
                f"samples directory {self.samples_dir} has no *.json files; "
                "add webhook bodies named <event type>.json or pass --samples DIR"
            )

    def transforms(self) -> list[Transform]:
        """Every `*.js` handler, sorted by name."""
        return [
            Transform(path.stem, path.read_text(encoding="utf-8"))
            for path in sorted(self.transforms_dir.glob("*.js"))
        ]

    def sample_names(self) -> list[str]:
        return sorted(path.stem for path in self.samples_dir.glob("*.json"))

    def samples(self) -> list[Sample]:
        """Every sample, sorted by family then name (the order of the picker and run-all)."""
        found = [self._read(name) for name in self.sample_names()]
        return sorted(found, key=lambda s: (s.family, s.name))

    def sample(self, name: str) -> Sample | None:
        """The sample called `name`, or None when there is no such file."""
        if name not in self.sample_names():
            return None
        return self._read(name)

    def default_sample(self) -> str:
        names = self.sample_names()
        return PREFERRED_SAMPLE if PREFERRED_SAMPLE in names else names[0]

    def _read(self, name: str) -> Sample:
        text = (self.samples_dir / f"{name}.json").read_text(encoding="utf-8")
        try:
            sample = from_json(text, json.loads(text))
            body, declared, message = sample.body, sample.event_type, sample.message
        except (ValueError, RecursionError):
            # A broken sample still shows up; running it reports the JSON error.
            body, declared, message = text, None, False
        event_type = declared or name
        return Sample(name, event_type, event_type.split(".", 1)[0], body, declared, message)


def _existing_dir(path: Path, what: str, option: str) -> Path:
    if not path.is_dir():
        raise PlaygroundConfigError(
            f"{what} directory not found: {path}; run from the project root "
            f"(where {what}/ is) or pass {option} DIR"
        )
    return path
