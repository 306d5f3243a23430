"""Untrusted text never reaches the terminal raw: `runner.textsafe` and every CLI output that
shows handler-derived or stored text (preview, check, test, deliveries, replay, serve)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from runner.cli import main
from runner.delivery.sqlite import SQLiteStore
from runner.delivery.store import Attempt, NewDelivery, NewEvent
from runner.textsafe import printable, printable_json, source_excerpt
from tests.conftest import ROOT
from tests.support.serve import payment_event

SAMPLE = str(ROOT / "samples" / "payment.succeeded.json")

# What a hostile handler logs and throws: OSC 52 (write the clipboard), CSI (clear the screen),
# a C1 CSI, a right-to-left override, DEL and a carriage return.
NASTY = "\x1b]52;c;SGVsbG8=\x07 \x1b[2J \u009b31m \u202e \x7f \r"
NASTY_JS = json.dumps(NASTY)  # a JavaScript string literal with the same value
NASTY_SHOWN = r"\x1b]52;c;SGVsbG8=\x07 \x1b[2J \u009b31m \u202e \x7f \r"

# Anything that may drive a terminal or reorder text: C0 but LF and TAB, DEL, C1, bidi controls.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
SGR = re.compile("\x1b\\[[0-9;]*m")  # runner's own colours (click.style)


def assert_clean(text: str | bytes, *, colours: bool = False) -> None:
    """No raw control or bidi character in `text` (besides runner's own SGR colours if allowed).

    Give bytes, or text decoded without newline translation: a raw CR must not hide in a CRLF."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogateescape")  # undecodable bytes are caught as surrogates
    if colours:
        text = SGR.sub("", text)
    found = RAW.findall(text)
    assert not found, f"raw characters reach the terminal: {found!r} in {text!r}"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed console script in a real process (stdout and stderr are pipes), its output
    decoded as is: no newline translation that would turn a raw CR into LF."""
    exe = shutil.which("runner", path=str(Path(sys.executable).parent)) or "runner"
    proc = subprocess.run([exe, *args], capture_output=True, cwd=cwd or ROOT, timeout=120,
                          env={**os.environ, "SEGMENT_WRITE_KEY": "wk"})
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8", "surrogateescape"),
                                       proc.stderr.decode("utf-8", "surrogateescape"))


# --- the function -------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b]52;c;SGVsbG8=\x07", r"\x1b]52;c;SGVsbG8=\x07"),
    ("\x1b[2J", r"\x1b[2J"),
    ("\u009b31m", r"\u009b31m"),
    ("\u0080\u009f", r"\u0080\u009f"),
    ("\x7f", r"\x7f"),
    ("\x00\x08\x0b\x0c", r"\x00\x08\x0b\x0c"),
    ("a\rb", r"a\rb"),
    ("a\nb\tc", r"a\nb\tc"),
    ("\u202a\u202b\u202c\u202d\u202e", r"\u202a\u202b\u202c\u202d\u202e"),
    ("\u2066\u2067\u2068\u2069", r"\u2066\u2067\u2068\u2069"),
    ("\ud800", r"\ud800"),
])
def test_unsafe_characters_become_visible_escapes(raw: str, shown: str) -> None:
    assert printable("<" + raw + ">") == "<" + shown + ">"


def test_ordinary_text_is_left_alone() -> None:
    text = "Zahlung über 10 € — 支払い ✓ C:\\path\\x1b literal \u200f\u05e9\u05dc\u05d5\u05dd 🙂"
    assert printable(text) == text
    assert printable(text, multiline=True) == text
    assert printable_json(json.dumps(text, ensure_ascii=False)) == json.dumps(text, ensure_ascii=False)


def test_multiline_keeps_newlines_and_tabs_only() -> None:
    assert printable("a\n\tb\r\n\x1b[2Jc", multiline=True) == "a\n\tb\\r\n\\x1b[2Jc"
    assert printable(12) == "12" and printable(None) == "None"


def test_every_code_point_is_either_kept_or_escaped() -> None:
    for code in range(0x3000):
        ch = chr(code)
        out = printable(ch)
        assert not RAW.search(out)
        assert out == ch or out.startswith("\\"), hex(code)


def test_json_escaping_keeps_the_value_and_the_validity() -> None:
    value = {"log": NASTY, "bidi\u202e key": ["\u2066x\u2069", "\u0085", "\x7f"], "lone": "\ud83d"}
    for text in (json.dumps(value, ensure_ascii=False), json.dumps(value, ensure_ascii=False, indent=2)):
        safe = printable_json(text)
        assert_clean(safe)
        assert json.loads(safe) == value
        assert "\\u009b31m" in safe and "\\u202e" in safe and "\\u007f" in safe
    assert printable_json('{\n\t"a": 1\n}') == '{\n\t"a": 1\n}'  # JSON whitespace stays


def test_source_excerpt_keeps_tabs_and_the_caret_under_its_column() -> None:
    line, pad = source_excerpt("\tlet s = '\u202e'; oops\r", 15)  # column 15: the "o" of oops
    assert line == "\tlet s = '\\u202e'; oops"
    assert pad is not None and (pad + "^").index("^") == line.index("oops")
    assert pad.startswith("\t") and set(pad[1:]) == {" "}
    assert source_excerpt("x", None) == ("x", None)


# --- runner preview -----------------------------------------------------------------------------


def hostile_handlers(tmp_path: Path) -> tuple[Path, Path]:
    throwing = tmp_path / "throwing.js"
    throwing.write_text(
        f"const NASTY = {NASTY_JS};\n"
        "function handler(webhook) {\n"
        "  console.log(NASTY);\n"
        "  console.warn('two\\nlines ' + NASTY);\n"
        "  throw new Error('boom ' + NASTY);\n"
        "}\n", "utf-8")
    sending = tmp_path / "sending.js"
    sending.write_text(
        f"const NASTY = {NASTY_JS};\n"
        "function handler(webhook) {\n"
        "  console.error(NASTY);\n"
        "  webhook.url = 'https://api.segment.io/v1/track?q=\\u009b\\u202e';\n"
        "  webhook.payload = {userId: 'u1', event: 'Paid ' + NASTY, note: '\\u2066x\\u2069'};\n"
        "  return webhook;\n"
        "}\n", "utf-8")
    return throwing, sending


def test_preview_text_shows_logs_errors_and_results_escaped(tmp_path: Path) -> None:
    throwing, sending = hostile_handlers(tmp_path)
    proc = run("preview", str(throwing), SAMPLE)
    assert proc.returncode == 1
    assert_clean(proc.stdout)
    assert_clean(proc.stderr)
    assert f"console.log: {NASTY_SHOWN}" in proc.stdout
    assert f"Error: boom {NASTY_SHOWN}" in proc.stdout
    assert "console.warn: two\n" in proc.stdout  # a multi-line log keeps its lines, indented
    proc = run("preview", str(sending), SAMPLE)
    assert proc.returncode == 0, proc.stderr
    assert_clean(proc.stdout)
    assert "POST https://api.segment.io/v1/track?q=\\u009b\\u202e" in proc.stdout
    assert '"note": "\\u2066x\\u2069"' in proc.stdout


def test_preview_json_lines_escape_but_keep_every_value(tmp_path: Path) -> None:
    throwing, sending = hostile_handlers(tmp_path)
    for handler, code in ((throwing, 1), (sending, 0)):
        proc = run("preview", str(handler), SAMPLE, "--format", "json")
        assert proc.returncode == code, proc.stderr
        assert_clean(proc.stdout)
        (record,) = [json.loads(line) for line in proc.stdout.splitlines()]
        assert record["logs"][0]["message"] == NASTY
        if code:
            assert record["error"]["message"] == "boom " + NASTY
            assert record["logs"][1]["message"] == "two\nlines " + NASTY
        else:
            assert record["result"]["url"] == "https://api.segment.io/v1/track?q=\u009b\u202e"
            assert record["result"]["payload"]["event"] == "Paid " + NASTY


@pytest.mark.parametrize("colour", ["--color", "--no-color"])
def test_preview_escapes_whatever_the_colour_option(tmp_path: Path, colour: str) -> None:
    throwing, _ = hostile_handlers(tmp_path)
    result = CliRunner().invoke(main, ["preview", str(throwing), SAMPLE, colour])
    assert result.exit_code == 1
    assert_clean(result.output_bytes, colours=colour == "--color")
    assert NASTY_SHOWN in result.output
    if colour == "--color":
        assert SGR.search(result.output)  # colours are still runner's own


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_preview_on_a_terminal_escapes_too(tmp_path: Path) -> None:
    """On a TTY click colours the output and strips nothing: the handler's text is still escaped."""
    throwing, _ = hostile_handlers(tmp_path)
    exe = shutil.which("runner", path=str(Path(sys.executable).parent)) or "runner"
    leader, follower = os.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    proc = subprocess.Popen([exe, "preview", str(throwing), SAMPLE], stdout=follower, stderr=follower,
                            stdin=subprocess.DEVNULL, cwd=ROOT, env={**env, "TERM": "xterm"})
    os.close(follower)
    out = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: the other side closed
                    break
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
    finally:
        os.close(leader)
        proc.wait(30)
    text = out.decode("utf-8", "surrogateescape").replace("\r\n", "\n")  # the tty's own line ends
    assert proc.returncode == 1, text
    assert SGR.search(text), "expected colours on a terminal"
    assert_clean(text, colours=True)
    assert NASTY_SHOWN in text


# --- runner check (load errors) -----------------------------------------------------------------


def test_check_escapes_a_thrown_load_error_and_the_source_line(tmp_path: Path) -> None:
    load = tmp_path / "load.js"
    load.write_text(f"throw new Error('top ' + {NASTY_JS});\nfunction handler(w) {{ return w; }}\n", "utf-8")
    syntax = tmp_path / "syntax.js"
    syntax.write_text("function handler(w) {\n  let s = '\u202e' + ;\n  return w;\n}\n", "utf-8")
    proc = run("check", str(load), str(syntax))
    assert proc.returncode == 1
    assert_clean(proc.stdout)
    assert_clean(proc.stderr)
    assert f"LoadError: the top-level code threw Error: top {NASTY_SHOWN}" in proc.stderr
    assert "    let s = '\\u202e' + ;" in proc.stderr  # the source line, its bidi override visible
    result = CliRunner().invoke(main, ["check", str(load), str(syntax), "--color"])
    assert result.exit_code == 1
    assert_clean(result.output_bytes, colours=True)


def test_serve_escapes_a_handler_that_fails_to_load(tmp_path: Path) -> None:
    bad = tmp_path / "bad.js"
    bad.write_text("function handler(w) {\n  return '\u202e' + ;\n}\n", "utf-8")
    proc = subprocess.run([sys.executable, "-m", "runner", "serve", str(bad), "--port", "0",
                           "--data-dir", str(tmp_path / "data"), "--insecure-skip-verify"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "SEGMENT_WRITE_KEY": "wk"})
    assert proc.returncode == 1, proc.stderr
    assert_clean(proc.stderr)
    assert "'\\u202e' + ;" in proc.stderr


# --- runner test (snapshot diffs) ---------------------------------------------------------------


def test_snapshot_diff_and_file_are_escaped(tmp_path: Path) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "payment.succeeded.json").write_text(Path(SAMPLE).read_text("utf-8"), "utf-8")
    handler = tmp_path / "h.js"

    def write(event: str) -> None:
        handler.write_text(
            f"function handler(w) {{ console.log({NASTY_JS});"
            f" w.payload = {{userId: 'u', event: {json.dumps(event)}}}; return w; }}\n", "utf-8")

    write("Paid " + NASTY)
    cli = CliRunner()
    created = cli.invoke(main, ["test", str(handler), "--samples", str(samples), "--update"])
    assert created.exit_code == 0, created.output
    snapshot = tmp_path / "h.snapshot.json"
    text = snapshot.read_text("utf-8")
    assert_clean(text)  # reviewed like code: no bidi override may hide in it
    assert json.loads(text)["samples"]["payment.succeeded.json"]["logs"][0]["message"] == NASTY
    assert cli.invoke(main, ["test", str(handler), "--samples", str(samples)]).exit_code == 0  # same values
    write("Paid \u2067again\u2069 " + NASTY)
    for colour in ("--color", "--no-color"):
        changed = cli.invoke(main, ["test", str(handler), "--samples", str(samples), colour])
        assert changed.exit_code == 1
        assert_clean(changed.output_bytes, colours=colour == "--color")
        assert "\\u2067again\\u2069" in changed.output and "\\u009b31m" in changed.output


# --- runner deliveries and replay (stored text) -------------------------------------------------


def hostile_queue(data_dir: Path) -> None:
    store = SQLiteStore.in_dir(data_dir)

    async def go() -> None:
        event = payment_event(1) | {"type": "payment.succeeded\u202e"}
        body = json.dumps({"userId": "u1", "event": "Paid " + NASTY, "type": "track"}, ensure_ascii=False)
        await store.enqueue(NewEvent("default", "msg_1", event["type"], json.dumps(event, ensure_ascii=False), time.time()), [
            NewDelivery("pay", "pending", "segment", "https://api.segment.io/v1/track?\u009b", "POST",
                        {"X-Note": "\u202eevil"}, body, "track", "mid-1",
                        logs=json.dumps([{"level": "log", "message": "line one\n" + NASTY}])),
            NewDelivery("broken", "dead", stage="transform", reason="Error: boom " + NASTY,
                        logs=json.dumps([{"level": "error", "message": NASTY}])),
        ])
        (d,) = await store.claim("w", limit=1, lease_s=60)
        await store.dead_letter("w", [Attempt(d.id, 1, time.time(), 12.0, "dead", 400, "HTTP 400: " + NASTY)],
                                ["HTTP 400: " + NASTY])

    asyncio.run(go())
    store.close_sync()


def test_deliveries_list_and_show_escape_stored_text(tmp_path: Path) -> None:
    queue = tmp_path / "q"
    hostile_queue(queue)
    cli = CliRunner()
    listed = cli.invoke(main, ["deliveries", "list", "--data-dir", str(queue)])
    assert listed.exit_code == 0, listed.output
    assert_clean(listed.output_bytes)
    assert "payment.succeeded\\u202e" in listed.output and "Error: boom \\x1b]52" in listed.output
    rows = cli.invoke(main, ["deliveries", "list", "--data-dir", str(queue), "--json"])
    assert_clean(rows.output_bytes)
    assert {json.loads(line)["reason"] for line in rows.output.splitlines()} == {"Error: boom " + NASTY, "HTTP 400: " + NASTY}
    shown: dict[str, str] = {}
    for delivery_id in ("1", "2"):
        text = cli.invoke(main, ["deliveries", "show", delivery_id, "--data-dir", str(queue)])
        assert text.exit_code == 0, text.output
        assert_clean(text.output_bytes)
        shown[delivery_id] = text.output
        as_json = cli.invoke(main, ["deliveries", "show", delivery_id, "--data-dir", str(queue), "--json"])
        assert_clean(as_json.output_bytes)
        data = json.loads(as_json.output)
        assert data["event"]["type"] == "payment.succeeded\u202e"  # escaped on screen, the same value
        if delivery_id == "1":
            assert data["logs"][0]["message"] == "line one\n" + NASTY
            assert data["headers"] == {"X-Note": "\u202eevil"}
    assert f"HTTP 400: {NASTY_SHOWN}" in shown["1"]  # the attempt's error and the dead letter's reason
    assert "https://api.segment.io/v1/track?\\u009b" in shown["1"]
    assert '"event": "Paid \\u001b]52;c;SGVsbG8=\\u0007' in shown["1"]  # the body: JSON escapes, same value
    assert "  [log] line one\n        \\x1b]52" in shown["1"]  # a multi-line log keeps its lines, indented
    assert f"reason       Error: boom {NASTY_SHOWN}" in shown["2"]


def test_replay_escapes_a_handler_error(tmp_path: Path) -> None:
    queue = tmp_path / "q"
    hostile_queue(queue)
    broken = tmp_path / "broken.js"
    broken.write_text("function handler(w) {\n  return '\u202e\x1b[2J' + ;\n}\n", "utf-8")
    result = CliRunner().invoke(main, ["replay", "--all", "--data-dir", str(queue), "--transform-file", str(broken),
                                       "--segment-url", "http://127.0.0.1:9", "--timeout", "1"],
                                 env={"SEGMENT_WRITE_KEY": "wk_test"})  # replay refuses to send without it
    assert result.exit_code == 1
    assert_clean(result.output_bytes)
    assert "SyntaxError" in result.output and "\\u202e\\x1b[2J" in result.output
