"""One `runner serve` per SQLite data folder: an exclusive `flock` on `serve.lock` in it.

    lock = ServeLock.acquire(data_dir)   # ServeError if another server holds it
    ...
    lock.release()                       # or let the process end: the kernel drops the lock

The lock is held for the life of the server and dies with its process, even after SIGKILL,
so a crashed server never blocks a restart. Only `runner serve` takes it: `runner deliveries`
and `runner replay` are short-lived processes that SQLite's WAL lets read and write beside
the server, and a shared PostgreSQL queue is meant for several servers.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from runner.errors import ServeError
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
            holder = _read_pid(fd)
            os.close(fd)
            who = f"pid {holder}" if holder else "another process"
            raise ServeError(f"another runner serve ({who}) is using {data_dir}; give each its own --data-dir, "
                             "or share a PostgreSQL --queue") from None
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # a full disk: the lock holds all the same, only the refusal cannot name our pid
        return cls(path, fd)

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


def _read_pid(fd: int) -> int | None:
    """The pid the holder wrote, if it is there yet."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
