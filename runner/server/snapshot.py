"""The config every process of `runner serve --workers N` serves: read and checked by the
supervisor alone, and handed to its children as one file.

    shared = SharedConfig(path, config, checked.handlers, reread, environ)   # the supervisor
    if shared.reload("SIGHUP"):    # read the files again, check, write; then SIGHUP the children
        ...
    child = ChildConfig(path)      # a child: `child.config` to start on, `child.load()` on SIGHUP

Why it holds:
- One reader: the files are read once per reload, by the supervisor, and checked whole (secrets
  set, every handler loads) before any process sees them, so every process serves the same
  bytes; none reads a half-saved file or a later save than the others.
- The snapshot holds the handlers' code as it was checked, not only their paths: a child that is
  started again (killed, out of memory) after an edit that was refused starts on the last config
  that loaded, not on the broken file on disk.
- A child starts on the keys the server started with (`data_dir`, `port`, ...; those only a
  restart applies), whatever a later reload read: a restarted worker queues where the dispatcher
  delivers from. A reload reports those keys as needing a restart, as a single process does.
- A refused reload is written too, as its error beside the last good config: each child reports
  it (log line, metrics) as a reload of its own would have.
- Each good reload has a generation number: a child that missed one (busy, stopped, or just
  started) while a later one was refused still reloads to the last good config, then reports
  the refusal; it never stays on older code than the others.
- A snapshot that cannot be written (a full temporary folder) is a failed reload: the supervisor
  logs it and the children, not signalled, keep what they serve.
- The file is replaced by rename, so a child reads the old one or the new one, whole. A child
  that read it while starting, when SIGHUP could not reach it yet, compares the file with what
  it read once it listens, and reloads if it changed.

The file is a pickle in the server's private runtime folder (made by `mkdtemp`, mode 0700): it
is written and read only by processes of the server, as the user they run as.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from runner.config import Config
from runner.engine import Handler
from runner.errors import RunnerError, ServeError
from runner.pipeline import HandlerKey
from runner.server.reload import DEFAULT_POLL_S, FileWatch, Signature, signatures
from runner.server.service import check, keep_restart_keys

log = logging.getLogger("runner.serve")

FILENAME = "config.snapshot"


@dataclass(frozen=True)
class Snapshot:
    """What the children of one server serve: `latest`, on the restart-only keys of `started`."""

    started: Config  # as the server started
    latest: Config  # the last config checked whole, its handlers' code in it
    generation: int = 0  # of `latest`: one more at each good reload
    refused: str | None = None  # why the last reload was refused (`latest` is still served)

    def config(self) -> Config:
        """The config a child starts on."""
        return keep_restart_keys(self.started, self.latest)


def with_code(config: Config, handlers: Mapping[HandlerKey, Handler]) -> Config:
    """`config` with each transform's code as `handlers` (checked from it) hold it."""
    return dataclasses.replace(config, endpoints=tuple(
        dataclasses.replace(e, transforms=tuple(dataclasses.replace(t, code=handlers[(e.name, t.name)].source)
                                                for t in e.transforms))
        for e in config.endpoints))


def write(path: Path, snapshot: Snapshot) -> None:
    """Replace the file at `path` with `snapshot`, whole (written aside, then renamed over)."""
    aside = path.with_name(path.name + ".new")
    with open(aside, "wb") as f:
        pickle.dump(snapshot, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(aside, path)


def read(path: Path) -> Snapshot:
    """The snapshot at `path`."""
    with open(path, "rb") as f:
        snapshot = pickle.load(f)
    if not isinstance(snapshot, Snapshot):
        raise TypeError(f"{path} holds no config snapshot")
    return snapshot


class ChildConfig:
    """A child's side: the config it starts on (`config`, `refused`), and `load` for its
    Reloader, which reloads to the last good config and then reports a refusal after it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_as = signatures([path])  # before reading: a later write is seen once the child listens
        snapshot = read(path)
        self.config = snapshot.config()
        self.refused = snapshot.refused
        self.generation = snapshot.generation
        self._loading = snapshot.generation  # of the last `load`, served once its reload succeeds

    def load(self) -> Config:
        """The config to reload to; ServeError when there is nothing newer than what is
        served and the last reload was refused."""
        snapshot = read(self.path)
        self._loading = snapshot.generation
        self.refused = snapshot.refused
        if snapshot.generation == self.generation and snapshot.refused is not None:
            raise ServeError(snapshot.refused)
        return snapshot.latest

    def reloaded(self) -> str | None:
        """Note that the last `load` is served; the refusal that came after it, if any."""
        self.generation = self._loading
        return self.refused


class SharedConfig:
    """The supervisor's side: writes the snapshot at `path`, first of `config` (checked, with
    `handlers`), then of `reread()` at each `reload`; `changes()` polls the files for --watch."""

    def __init__(self, path: Path, config: Config, handlers: Mapping[HandlerKey, Handler],
                 reread: Callable[[], Config], environ: Mapping[str, str], *, signing: bool = True,
                 watch: bool = False, read_as: dict[Path, Signature] | None = None, poll_s: float = DEFAULT_POLL_S,
                 on_reload: Callable[[Config], None] = lambda config: None) -> None:
        """`read_as`: the files' signatures taken before `config` was read (default: now);
        raises OSError when the snapshot cannot be written."""
        self.path = path
        self.reread = reread
        self.environ = environ
        self.signing = signing
        self.watch = watch
        self.poll_s = poll_s
        self.on_reload = on_reload
        self.files = FileWatch(config, read_as=read_as)
        started = with_code(config, handlers)
        self.snapshot = Snapshot(started, started)
        write(path, self.snapshot)
        self._next_poll = time.monotonic() + poll_s
        self._started = False

    def reload(self, reason: str) -> bool:
        """Read the config again and check it; write it, or why it was refused. True when the
        snapshot changed (the children are to reload), whether or not the config loaded."""
        log.info("serve.reloading", extra={"reason": reason})
        try:
            config = self.files.read(self.reread, self.snapshot.latest)
            checked = check(config, self.environ, signing=self.signing, reload=True)
        except RunnerError as exc:
            snapshot = dataclasses.replace(self.snapshot, refused=str(exc))
        except Exception as exc:  # a bug of ours: logged here with its traceback; the children say it was refused
            log.exception("serve.reload_failed", extra={"reason": reason, "kept": "the running config"})
            snapshot = dataclasses.replace(self.snapshot, refused=f"internal error while reading the config: {exc!r}")
        else:
            snapshot = Snapshot(self.snapshot.started, with_code(config, checked.handlers),
                                generation=self.snapshot.generation + 1)
        try:
            write(self.path, snapshot)
        except OSError as exc:
            log.error("serve.reload_failed", extra={
                "reason": reason, "kept": "the running config",
                "error": f"cannot write the config for the server's processes in {self.path.parent}: "
                         f"{exc.strerror or exc}; free space in the temporary folder, then reload again"})
            return False
        self.snapshot = snapshot
        if snapshot.refused is None:
            self.on_reload(snapshot.latest)
        return True

    def changes(self) -> str | None:
        """Called often: a reason to reload when a file changed (since it was read, the first
        time; with `watch`, once a change has settled), else None."""
        if not self._started:
            self._started = True
            if self.files.changed_since_read():
                return "changed while starting"
        if not self.watch:
            return None
        now = time.monotonic()
        if now < self._next_poll:
            return None
        changed = self.files.poll()
        self._next_poll = now + self.files.next_poll_s(self.poll_s)
        return "changed: " + ", ".join(str(p) for p in changed) if changed else None
