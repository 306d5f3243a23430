"""The config the processes of `serve --workers N` share (runner.server.snapshot), the keys a
reload cannot apply, and the data folder lock's refusal: in-process, on real files."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from runner import config as cfg
from runner.delivery.lock import ServeLock
from runner.errors import ServeError
from runner.server import snapshot
from runner.server.reload import FileWatch, signatures
from runner.server.service import check, keep_restart_keys, needs_restart

GOOD = "function handler(webhook) {{\n  webhook.payload = {{version: {v}}};\n  return webhook;\n}}\n"
BROKEN = "function handler(webhook) {\n  return webhook.;\n}\n"
ENV = {"SEGMENT_WRITE_KEY": "wk_snapshot"}


def test_keep_restart_keys_puts_back_what_only_a_restart_applies_and_keeps_the_rest(tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text(GOOD.format(v=1))
    old = cfg.simple([handler])
    new = dataclasses.replace(
        old, data_dir=tmp_path / "elsewhere",
        server=dataclasses.replace(old.server, port=9999, max_body_bytes=1234),
        delivery=dataclasses.replace(old.delivery, timeout_s=3.0, max_attempts=2))
    kept = keep_restart_keys(old, new)
    assert (kept.data_dir, kept.server.port, kept.delivery.timeout_s) == (old.data_dir, old.server.port, old.delivery.timeout_s)
    assert (kept.server.max_body_bytes, kept.delivery.max_attempts) == (1234, 2)  # applied by a reload
    assert needs_restart(old, new) == ["server.port", "delivery.timeout_s", "data_dir"]
    assert needs_restart(old, kept) == []


def shared(tmp_path: Path, **kwargs: object) -> tuple[snapshot.SharedConfig, Path]:
    handler = tmp_path / "h.js"
    handler.write_text(GOOD.format(v=1))
    config = cfg.simple([handler])
    checked = check(config, ENV, signing=False)
    return snapshot.SharedConfig(tmp_path / snapshot.FILENAME, config, checked.handlers,
                                 lambda: cfg.simple([handler]), ENV, signing=False, **kwargs), handler  # type: ignore[arg-type]


def code_of(config: snapshot.Snapshot | cfg.Config) -> str | None:
    if isinstance(config, snapshot.Snapshot):
        config = config.latest
    return config.endpoints[0].transforms[0].code


def test_a_child_gets_the_code_that_was_checked_not_the_file_on_disk(tmp_path: Path) -> None:
    config, handler = shared(tmp_path)
    handler.write_text(BROKEN)  # saved, not reloaded
    snap = snapshot.read(config.path)
    assert code_of(snap) == GOOD.format(v=1)
    # and a process started on it loads that code, whatever the file holds now
    assert check(snap.config(), ENV, signing=False).handlers[("default", "h")].source == GOOD.format(v=1)


def test_a_refused_reload_keeps_the_last_good_config_and_tells_the_children_why(tmp_path: Path) -> None:
    config, handler = shared(tmp_path)
    child = snapshot.ChildConfig(config.path)
    handler.write_text(BROKEN)
    assert config.reload("SIGHUP") is True  # written: the children are to report it
    snap = snapshot.read(config.path)
    assert code_of(snap) == GOOD.format(v=1)
    with pytest.raises(ServeError) as refused:
        child.load()
    assert f"{handler}:2:" in str(refused.value)  # file, line and column, as a reload of one process says
    handler.write_text(GOOD.format(v=2))
    assert config.reload("SIGHUP") is True
    assert code_of(child.load()) == GOOD.format(v=2)
    assert child.reloaded() is None


def test_a_child_that_missed_a_good_reload_before_a_refused_one_reloads_to_the_good_one(tmp_path: Path) -> None:
    """It reloads to the last good config (as the others serve), then reports the refusal."""
    config, handler = shared(tmp_path)
    child = snapshot.ChildConfig(config.path)
    handler.write_text(GOOD.format(v=2))
    assert config.reload("SIGHUP")
    handler.write_text(BROKEN)
    assert config.reload("SIGHUP")
    assert code_of(child.load()) == GOOD.format(v=2)  # not refused: it is behind
    refusal = child.reloaded()
    assert refusal is not None and f"{handler}:2:" in refusal
    with pytest.raises(ServeError):  # now up to date: the refusal is all there is
        child.load()


def test_a_snapshot_that_cannot_be_written_is_a_failed_reload(tmp_path: Path) -> None:
    config, handler = shared(tmp_path)
    handler.write_text(GOOD.format(v=2))
    (tmp_path / (snapshot.FILENAME + ".new")).mkdir()  # where it is written aside
    assert config.reload("SIGHUP") is False  # the children are not signalled
    assert code_of(snapshot.read(config.path)) == GOOD.format(v=1)
    (tmp_path / (snapshot.FILENAME + ".new")).rmdir()
    assert config.reload("SIGHUP") is True
    assert code_of(snapshot.read(config.path)) == GOOD.format(v=2)


def test_a_reload_of_restart_only_keys_is_served_on_the_keys_the_server_started_with(tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text(GOOD.format(v=1))
    data = {"dir": tmp_path / "a"}
    config = cfg.simple([handler], data_dir=data["dir"])
    shared_config = snapshot.SharedConfig(
        tmp_path / snapshot.FILENAME, config, check(config, ENV, signing=False).handlers,
        lambda: cfg.simple([handler], data_dir=data["dir"]), ENV, signing=False)
    data["dir"] = tmp_path / "b"
    assert shared_config.reload("SIGHUP")
    child = snapshot.ChildConfig(shared_config.path)  # started again after the reload
    assert child.config.data_dir == tmp_path / "a"  # where a restarted child queues
    assert needs_restart(child.config, child.load()) == ["data_dir"]  # what a child's reload reports


def test_an_edit_while_the_server_starts_is_a_change_once_it_listens(tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text(GOOD.format(v=1))
    read_as = signatures([handler])  # before the start read it
    config = cfg.simple([handler])
    handler.write_text(GOOD.format(v=22))  # saved while the handlers load
    shared_config = snapshot.SharedConfig(tmp_path / snapshot.FILENAME, config, check(config, ENV, signing=False).handlers,
                                          lambda: cfg.simple([handler]), ENV, signing=False, read_as=read_as)
    assert shared_config.changes() == "changed while starting"
    assert shared_config.changes() is None  # without --watch, that first look is all


def test_watch_reports_a_save_once_it_has_settled(tmp_path: Path) -> None:
    config, handler = shared(tmp_path, poll_s=0.0, watch=True)
    assert config.changes() is None
    handler.write_text(GOOD.format(v=3))
    first = config.changes()  # seen changing: waits for it to stay the same
    second = config.changes()
    assert first is None and second is not None and str(handler) in second
    assert config.changes() is None


def test_file_watch_sees_a_file_replaced_by_rename(tmp_path: Path) -> None:
    handler = tmp_path / "h.js"
    handler.write_text(GOOD.format(v=1))
    watch = FileWatch(cfg.simple([handler]))
    aside = tmp_path / "h.js.new"
    aside.write_text(GOOD.format(v=1))  # same size and content: only the inode tells
    os.replace(aside, handler)
    assert watch.poll() == [] and watch.poll() == [handler]


def test_the_lock_refusal_names_a_live_process(tmp_path: Path) -> None:
    lock = ServeLock.acquire(tmp_path)
    try:
        with pytest.raises(ServeError, match=rf"\(pid {os.getpid()}\)"):
            ServeLock.acquire(tmp_path)
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        gone = int(dead.stdout)
        sharing = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        try:
            # As a killed supervisor leaves it: its pid first (gone), then its children's.
            (tmp_path / "serve.lock").write_text(f"{gone}\n{sharing.pid}\n")
            with pytest.raises(ServeError) as refused:
                ServeLock.acquire(tmp_path)
            assert f"pid {sharing.pid}, whose supervisor was killed" in str(refused.value)
            assert str(gone) not in str(refused.value)
        finally:
            sharing.kill()
            sharing.wait()
        lock.record([])
        assert (tmp_path / "serve.lock").read_text() == f"{os.getpid()}\n"
    finally:
        lock.release()
