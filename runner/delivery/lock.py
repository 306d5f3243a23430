"""One `runner serve` per SQLite data folder: an exclusive `flock` on `serve.lock` in it.

    lock = ServeLock.acquire(data_dir)   # ServeError if another server holds it
    ...
    lock.release()                       # or let the process end: the kernel drops the lock

The lock is held for the life of the server and dies with its process, even after SIGKILL,
so a crashed server never blocks a restart. The processes of `serve --workers N` share it
(they inherit its descriptor), and their pids are written after the supervisor's, so that a
refusal names one that is alive even when the supervisor was killed first. Only `runner serve`
takes it: `runner deliveries` and `runner replay` are short-lived processes that SQLite's WAL
lets read and write beside the server, and a shared PostgreSQL queue is meant for several
servers.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Sequence
from pathlib import Path

from runner.errors import ServeError
from runner.pids import alive as is_alive
from runner.textsafe import printable

LOCK_FILENAME = "serve.lock"


class ServeLock:
    """The held lock on `path` (an open file descriptor with an exclusive flock)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, data_dir: Path) -> ServeLock:
        """Take the lock of `data_dir` (created if missing) and write our pid into it; raise
        ServeError naming the holder's pid when another process has it."""
        path = data_dir / LOCK_FILENAME
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except (OSError, ValueError) as exc:  # a file where the folder goes, no permission, a NUL in the name
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ServeError(f"cannot use {printable(str(data_dir))} as the data folder (it holds the SQLite queue and "
                             f"{LOCK_FILENAME}): {why}; pass another --data-dir") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pids = _read_pids(fd)
            os.close(fd)
            raise ServeError(_refusal(data_dir, pids)) from None
        except BaseException:
            os.close(fd)
            raise
        lock = cls(path, fd)
        lock.record([])
        return lock

    def record(self, sharing: Sequence[int]) -> None:
        """Write our pid and those of the processes `sharing` the lock (they inherited it)."""
        text = "".join(f"{pid}\n" for pid in (os.getpid(), *sharing)).encode()
        try:
            # Written over, then cut to length: a refusal reading meanwhile never sees it empty.
            os.pwrite(self.fileno(), text, 0)
            os.ftruncate(self.fileno(), len(text))
        except OSError:
            pass  # a full disk: the lock holds all the same, only the refusal cannot name us

    def fileno(self) -> int:
        """The locked descriptor: a child process that inherits it holds the lock as long."""
        if self._fd is None:
            raise ValueError("the lock was released")
        return self._fd

    def release(self) -> None:
        """Drop the lock (idempotent); the file stays, so no other server races its removal."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
            except OSError:
                pass  # closing drops the lock anyway
            finally:
                os.close(fd)


def _refusal(data_dir: Path, pids: list[int]) -> str:
    alive = [pid for pid in pids if is_alive(pid)]
    if alive and alive[0] == pids[0]:
        who = f"pid {pids[0]}"
    elif alive:  # its supervisor was killed; the workers stop by themselves, after their requests
        others = f" and {', '.join(map(str, alive[1:]))}" if alive[1:] else ""
        who = (f"pid {alive[0]}{others}, whose supervisor was killed; they stop by themselves once their "
               "requests are done")
    else:
        who = "another process"
    return (f"another runner serve ({who}) is using {data_dir}; give each its own --data-dir, "
            "or share a PostgreSQL --queue")


def _read_pids(fd: int) -> list[int]:
    """The pids the holder wrote (its own first), if they are there yet."""
    try:
        text = os.pread(fd, 4096, 0).decode("ascii", "replace")
    except OSError:
        return []
    return [int(line) for line in text.split() if line.isdigit()]
