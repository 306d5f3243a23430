"""Reloading a running server: on SIGHUP, and with `runner serve --watch` when a file changes.

    reloader = Reloader(service, load, watch=True)   # load(): the config, read again
    await reloader.start() ... await reloader.stop()  # in the app's lifespan

A reload reads the config again as the server was started (the same runner.yaml or TRANSFORM
files, the same command-line values over it), then hands it to `Service.reload`, which checks
all of it before serving it: on any problem the server keeps the config it has and the log says
why (`serve.reload_failed`, with the file, line and column a handler or YAML error names).

Reloads run one at a time. A signal or a change that comes during one is not lost: one more
reload follows it, however many came.

The watcher polls, once per `poll_s`, the config file and every transform file of the last
config that could be read, by size, modification time and inode (an editor that saves by
renaming replaces the inode). While a config that cannot be read waits to be fixed, it polls
their folders too, so that a file the config names is seen when it appears. A change is acted
on once the files have stayed the same for a quarter of a second: a save in several writes is
read once, whole. Polling needs no library or OS support and sees every way a file can change;
a second's delay is nothing beside a human's edit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

from runner.config import Config
from runner.config.model import COMMAND_LINE
from runner.errors import ConfigError, RunnerError
from runner.server.service import Service

log = logging.getLogger("runner.serve")

DEFAULT_POLL_S = 1.0
SETTLE_S = 0.25  # a changed file must stay unchanged this long before it is read

Signature = tuple[int, int, int] | None  # (size, mtime_ns, inode); None when missing


class Reloader:
    """Reloads `service` with `load()` on SIGHUP and, if `watch`, when a file it reads changes;
    `on_reload` is called after each successful swap (the CLI updates its log redaction)."""

    def __init__(self, service: Service, load: Callable[[], Config], *, watch: bool = False,
                 poll_s: float = DEFAULT_POLL_S, on_reload: Callable[[], None] = lambda: None,
                 paths: Callable[[Config], list[Path]] | None = None,
                 read_as: dict[Path, Signature] | None = None) -> None:
        """`paths(config)`: the files `load` reads (default `watched_paths`); `read_as`: their
        signatures taken before the service's config was read (default: now)."""
        self.service = service
        self.load = load
        self.watch = watch
        self.poll_s = poll_s
        self.on_reload = on_reload
        self._wanted = asyncio.Event()  # a reload was asked for since the last began
        self._reasons: list[str] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._current: asyncio.Future[bool] | None = None  # the reload under way
        self._signal = False
        # A change after the config was read and before `start` listens still reloads.
        self.files = FileWatch(service.config, paths or watched_paths, read_as)

    async def start(self) -> None:
        """Listen for SIGHUP (where the platform has it) and start watching if asked."""
        loop = asyncio.get_running_loop()
        if hasattr(signal, "SIGHUP"):
            try:
                loop.add_signal_handler(signal.SIGHUP, self.request, "SIGHUP")
                self._signal = True
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                log.warning("serve.reload_unavailable", extra={"detail": "SIGHUP cannot be handled here"})
        if self.files.changed_since_read():
            self.request("changed while starting")
        self._tasks.append(asyncio.create_task(self._run(), name="reloader"))
        if self.watch:
            self._tasks.append(asyncio.create_task(self._watch(), name="watcher"))

    async def stop(self) -> None:
        """Stop listening and watching; a reload under way is finished first (it may be
        starting engines, which the service's stop must then find to close)."""
        if self._signal:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
            # remove_signal_handler puts back SIG_DFL, which ends the process: a SIGHUP during
            # the rest of the shutdown (engines and queue still closing) must not cut it short.
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
            self._signal = False
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self._current is not None:
            await self._current

    def request(self, reason: str) -> None:
        """Ask for a reload (from the event loop's thread)."""
        self._reasons.append(reason)
        self._wanted.set()

    async def reload_now(self, reason: str) -> bool:
        """Reload once, now; True when the new config is being served."""
        try:
            config = await asyncio.to_thread(self.files.read, self.load, self.service.config)
            reloaded = await self.service.reload(config)
        except Exception as exc:  # noqa: BLE001 - see failed
            return self.failed(reason, exc)
        self.service.metrics.reloads.labels("ok").inc()
        self.service.metrics.reload_ok.set(1)
        self.on_reload()
        fields: dict[str, object] = {"reason": reason, "changed": reloaded.changed or ["nothing"]}
        if reloaded.needs_restart:
            fields["needs_restart"] = reloaded.needs_restart
        log.log(logging.WARNING if reloaded.needs_restart else logging.INFO, "serve.reloaded", extra=fields)
        return True

    def failed(self, reason: str, exc: Exception) -> bool:
        """Report a reload that failed with `exc` (log line, metrics); False. A RunnerError says
        what is wrong with the files; anything else is a bug of ours, logged with its traceback.
        Neither stops the server, which keeps what it serves."""
        self.service.metrics.reloads.labels("failed").inc()
        self.service.metrics.reload_ok.set(0)
        fields = {"reason": reason, "kept": "the running config"}
        if isinstance(exc, RunnerError):
            log.error("serve.reload_failed", extra=fields | {"error": str(exc)})
        else:
            log.error("serve.reload_failed", extra=fields, exc_info=exc)
        return False

    async def _run(self) -> None:
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            reasons, self._reasons = self._reasons, []
            self._current = asyncio.ensure_future(self.reload_now(", ".join(dict.fromkeys(reasons))))
            await asyncio.shield(self._current)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.files.next_poll_s(self.poll_s))
            changed = self.files.poll()
            if changed:
                self.request("changed: " + ", ".join(str(p) for p in changed))


class FileWatch:
    """The files a config was read from, polled for changes by (size, mtime, inode).

    `read(load, current)` reads a config and follows the files it names from then on (those of
    a config that cannot be read, and their folders, until it can). `poll()`, called every
    `next_poll_s()`, returns the files that changed once they have stayed the same between two
    polls a quarter of a second apart: a save in several writes is read once, whole."""

    def __init__(self, config: Config, paths: Callable[[Config], list[Path]] | None = None,
                 read_as: dict[Path, Signature] | None = None) -> None:
        self.paths_of = paths or watched_paths
        self._lock = threading.Lock()  # `read` runs off the event loop, beside `poll`
        self._paths = self.paths_of(config)
        self._seen = signatures(self._paths) if read_as is None else read_as
        self._baseline: dict[Path, Signature] = {}
        self._pending: dict[Path, Signature] | None = None  # changed, waiting to stay the same

    def read(self, load: Callable[[], Config], current: Config) -> Config:
        """`load()`, following the files it read from now on, whether or not it succeeds."""
        known = self.paths_of(current)
        folders = list(dict.fromkeys(p.parent for p in known))
        before = signatures(folders)  # taken before reading: what appears after is a change
        try:
            config = load()
        except Exception as exc:
            # It may name a file that is not there yet: while it fails, a file appearing in a
            # folder the config reads from (a change of the folder), or the very file it named
            # (in a folder of its own, say), tries again.
            missing = [exc.missing] if isinstance(exc, ConfigError) and exc.missing is not None else []
            self._follow(list(dict.fromkeys(known + folders + missing)), before | dict.fromkeys(missing))
            raise
        # Watched from now on whether or not it is served: fixing a transform it names reloads.
        paths = self.paths_of(config)
        self._follow(paths, signatures(paths))
        return config

    def _follow(self, paths: list[Path], baseline: dict[Path, Signature]) -> None:
        # A path not seen yet is compared with `baseline`, taken before its file was read: a
        # change the read did not see is not missed.
        with self._lock:
            self._paths = paths
            self._baseline = baseline

    def changed_since_read(self) -> bool:
        """Whether a file differs from what it was when the config was read (and note it)."""
        with self._lock:
            now = signatures(self._paths)
            changed, self._seen = now != self._seen, now
        return changed

    def next_poll_s(self, poll_s: float) -> float:
        """How long to wait before the next `poll`: shorter while a change settles."""
        return poll_s if self._pending is None else min(poll_s, SETTLE_S)

    def poll(self) -> list[Path]:
        """The files that changed and have since stayed the same; [] when none (yet)."""
        with self._lock:
            now = signatures(self._paths)
            self._seen = {p: self._seen[p] if p in self._seen else self._baseline.get(p, now[p]) for p in now}
            if now == self._seen:
                self._pending = None
                return []
            if now != self._pending:  # changed since the last poll: wait until it stays so
                self._pending = now
                return []
            self._pending = None
            changed = [p for p in now if now[p] != self._seen.get(p)]
            self._seen = now
            return changed


def watched_paths(config: Config) -> list[Path]:
    """The files a reload of `config` reads: its runner.yaml (if any) and every transform file."""
    paths = [Path(t.path) for e in config.endpoints for t in e.transforms]
    if config.source != COMMAND_LINE:
        paths.insert(0, Path(config.source))
    return list(dict.fromkeys(paths))


def signatures(paths: list[Path]) -> dict[Path, Signature]:
    """Each path's (size, mtime, inode), or None when it cannot be read now."""
    out: dict[Path, Signature] = {}
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            out[path] = None
        else:
            out[path] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return out
