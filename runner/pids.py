"""Whether a process of this host is alive, by pid: for what a dead process leaves (a queue
claim, a lock file's holder, a metrics folder)."""

from __future__ import annotations

import os


def alive(pid: int | str) -> bool:
    """Whether a process with this pid (a number, or its text) exists on this host."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True
