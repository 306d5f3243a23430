"""The CLI as users run it: output formats, exit codes, stdin, snapshots, errors that say where."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from runner.cli import main
from tests.conftest import ROOT, SAMPLES

PAYMENTS = "transforms/segment-track-payments.js"


def cli(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The installed console script, in a real process."""
    exe = shutil.which("runner", path=str(Path(sys.executable).parent)) or "runner"
    return subprocess.run([exe, *args], input=stdin, capture_output=True, text=True, cwd=cwd,
                          env=dict(os.environ, NO_COLOR="1"), timeout=120)


def test_preview_defaults_to_the_bundled_samples():
    proc = cli("preview", PAYMENTS)
    assert proc.returncode == 0, proc.stderr
    assert "samples/payment.succeeded.json  payment.succeeded  SENT" in proc.stdout
    assert "POST https://api.segment.io/v1/track" in proc.stdout
    assert '"event": "Payment Completed"' in proc.stdout
    assert "refund.succeeded  UNCHANGED" not in proc.stdout  # counted, not shown: the default stays readable
    assert f"{PAYMENTS}: {len(SAMPLES) - 1} unchanged not shown (--all shows them)" in proc.stdout
    assert f"{'TRANSFORM':{len(PAYMENTS)}}  SAMPLES  SENT  CANCELLED  UNCHANGED  ERROR" in proc.stdout
    assert f"{PAYMENTS}  {len(SAMPLES):>7}     1          0  {len(SAMPLES) - 1:>9}      0" in proc.stdout
    assert "\x1b[" not in proc.stdout  # no colour when not a terminal


def test_preview_all_and_only_choose_what_is_shown():
    every = cli("preview", PAYMENTS, "--all")
    assert every.returncode == 0, every.stderr
    assert "samples/refund.succeeded.json  refund.succeeded  UNCHANGED" in every.stdout
    assert "not shown" not in every.stdout and "UNCHANGED  ERROR" in every.stdout  # the table still ends it
    unchanged = cli("preview", PAYMENTS, "--only", "unchanged")
    assert "UNCHANGED  no branch matched" in unchanged.stdout and "payment.succeeded  SENT" not in unchanged.stdout
    assert f"{PAYMENTS}: 1 sent not shown" in unchanged.stdout
    as_json = cli("preview", PAYMENTS, "--format", "json")  # machine-readable: every sample by default
    assert len(as_json.stdout.splitlines()) == len(SAMPLES)
    sent = cli("preview", PAYMENTS, "--format", "json", "--only", "sent,error")
    assert [json.loads(line)["sample"] for line in sent.stdout.splitlines()] == ["samples/payment.succeeded.json"]
    bad = cli("preview", PAYMENTS, "--only", "sent,nope")
    assert bad.returncode == 2 and "'nope' is not a status" in bad.stderr
    assert cli("preview", PAYMENTS, "--all", "--only", "sent").returncode == 2


def test_preview_json_lines_format():
    proc = cli("preview", PAYMENTS, "samples/payment.succeeded.json", "samples/refund.failed.json", "--format", "json",
               "--url", "https://hooks.example.com/in")
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [list(line) for line in lines] == [["sample", "result", "logs"]] * 2
    assert lines[0]["sample"] == "samples/payment.succeeded.json"
    assert list(lines[0]["result"]) == ["eventType", "url", "method", "payload", "cancel"]
    assert lines[0]["result"]["url"] == "https://api.segment.io/v1/track"
    assert lines[1]["result"]["url"] == "https://hooks.example.com/in"
    assert lines[1]["result"]["payload"] == json.loads((ROOT / "samples/refund.failed.json").read_text("utf-8"))


def test_preview_errors_exit_1_with_json_error_object():
    code = "function handler(webhook) {\n  console.warn('about to fail');\n  return webhook.payload.data.nope.x;\n}\n"
    proc = cli("preview", "-", "samples/payment.succeeded.json", "--format", "json", stdin=code)
    assert proc.returncode == 1
    record = json.loads(proc.stdout)
    assert list(record) == ["sample", "error", "logs"]
    assert record["error"]["type"] == "TypeError" and record["error"]["line"] == 3
    assert set(record["error"]) == {"type", "message", "line", "column"}
    assert record["logs"] == [{"level": "warn", "message": "about to fail"}]


def test_preview_text_error_shows_the_source_line():
    proc = cli("preview", "-", "samples/payment.succeeded.json",
               stdin="function handler(w) {\n  throw new RangeError('amount out of range');\n}")
    assert proc.returncode == 1
    assert "<stdin>:2:" in proc.stdout and "RangeError: amount out of range" in proc.stdout
    assert "throw new RangeError('amount out of range');" in proc.stdout


def test_syntax_error_in_pasted_code():
    proc = cli("preview", "-", stdin="function handler(w) {\n  return w +;\n}")
    assert proc.returncode == 1
    assert "<stdin>:2:" in proc.stderr and "SyntaxError" in proc.stderr and "return w +;" in proc.stderr


def test_invalid_json_sample_is_bad_usage_naming_file_and_position(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{\n  "type": "payment.succeeded",\n  "data": {,}\n}\n')
    proc = cli("preview", PAYMENTS, str(bad))
    assert proc.returncode == 2
    assert f"{bad.as_posix()}:3:12: invalid JSON" in proc.stderr


def test_missing_files_are_bad_usage(tmp_path):
    assert cli("preview", PAYMENTS, str(tmp_path / "nope.json")).returncode == 2
    missing = cli("preview", str(tmp_path / "nope.js"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    no_samples_here = cli("preview", str(ROOT / PAYMENTS), cwd=tmp_path)
    assert no_samples_here.returncode == 2 and "samples/" in no_samples_here.stderr


def test_env_and_settings_options():
    code = "function handler(w) { w.url = 'https://x.example/'; w.payload = {k: w.env.KEY, now: new Date().toISOString()}; return w }"
    proc = cli("preview", "-", "samples/payment.succeeded.json", "--env", "KEY=v=1", "--now", "2025-08-04T05:30:45Z",
               "--format", "json", stdin=code)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["result"]["payload"] == {"k": "v=1", "now": "2025-08-04T05:30:45.000Z"}
    assert cli("preview", "-", "--env", "NOEQUALS", stdin=code).returncode == 2


def test_a_directory_of_transforms():
    proc = cli("preview", "transforms", "samples/subscription.active.json", "--format", "json")
    assert proc.returncode == 0
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert sorted(r["transform"] for r in records) == sorted(f"transforms/{p.name}" for p in (ROOT / "transforms").glob("*.js"))


def test_check_command(tmp_path):
    good = cli("check", PAYMENTS, "transforms/segment-identify-customers.js")
    assert good.returncode == 0 and good.stdout.count("ok") == 2
    bad = tmp_path / "bad.js"
    bad.write_text("function handler(w) {\n  return w\n")
    nohandler = tmp_path / "nohandler.js"
    nohandler.write_text("function transform(w) { return w }\n")
    proc = cli("check", str(bad), str(nohandler), PAYMENTS)
    assert proc.returncode == 1
    assert f"{bad}:3:1: SyntaxError" in proc.stderr
    assert f"{nohandler}: NoHandlerError" in proc.stderr
    assert "2 of 3 handler(s) failed" in proc.stderr


def test_every_command_has_help():
    runner = CliRunner()
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, f"{name} has no help text"


@pytest.mark.parametrize("args", [["serve", PAYMENTS], ["serve", "--config", "{config}"], ["replay", "--all"]])
def test_a_bad_segment_url_is_refused_naming_the_option_once(args: list[str], tmp_path: Path) -> None:
    config = tmp_path / "runner.yaml"
    config.write_text(f"endpoints:\n  default:\n    transforms:\n      t: {{file: {ROOT / PAYMENTS}}}\n")
    result = CliRunner().invoke(main, [*(a.format(config=config) for a in args), "--segment-url", "nope"])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--segment-url': 'nope' is not a base URL" in result.output
    assert result.output.count("--segment-url") == 1


# ---- snapshot tests ------------------------------------------------------------------------

@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    (tmp_path / "transforms").mkdir()
    shutil.copy(ROOT / PAYMENTS, tmp_path / PAYMENTS)
    return tmp_path


def test_snapshot_create_match_and_mismatch(project: Path):
    first = cli("test", PAYMENTS, cwd=project)
    assert first.returncode == 2 and "--update" in first.stderr
    created = cli("test", PAYMENTS, "--update", cwd=project)
    assert created.returncode == 0, created.stderr
    snapshot = project / "transforms" / "segment-track-payments.snapshot.json"
    data = json.loads(snapshot.read_text())
    assert data["settings"]["now"] == "2025-01-01T00:00:00Z"
    assert data["samples"]["payment.succeeded.json"]["request"]["url"] == "https://api.segment.io/v1/track"
    assert data["samples"]["refund.succeeded.json"] == {"status": "unchanged"}
    assert cli("test", PAYMENTS, cwd=project).returncode == 0

    handler = project / PAYMENTS
    handler.write_text(handler.read_text().replace('"Payment Completed"', '"Order Completed"'))
    changed = cli("test", PAYMENTS, cwd=project)
    assert changed.returncode == 1
    assert "CHANGED  payment.succeeded.json" in changed.stdout
    assert '-      "event": "Payment Completed",' in changed.stdout
    assert '+      "event": "Order Completed",' in changed.stdout

    (project / "samples" / "extra.json").write_text((project / "samples" / "payment.failed.json").read_text())
    (project / "samples" / "refund.failed.json").unlink()
    cli("test", PAYMENTS, "--update", cwd=project)
    (project / "samples" / "refund.succeeded.json").unlink()
    gone = cli("test", PAYMENTS, cwd=project)
    assert gone.returncode == 1 and "MISSING  refund.succeeded.json" in gone.stdout


def test_snapshot_freezes_the_clock(project: Path):
    code = "function handler(w) { w.url = 'https://x.example/'; w.payload = {at: new Date().toISOString()}; return w }\n"
    (project / "transforms" / "clock.js").write_text(code)
    assert cli("test", "transforms/clock.js", "--update", "--now", "2030-01-02T03:04:05Z", cwd=project).returncode == 0
    data = json.loads((project / "transforms" / "clock.snapshot.json").read_text())
    assert data["samples"]["payment.succeeded.json"]["request"]["body"] == {"at": "2030-01-02T03:04:05.000Z"}
    assert cli("test", "transforms/clock.js", cwd=project).returncode == 0


def test_preview_of_many_samples_runs_on_two_engine_processes_with_the_output_of_one(tmp_path: Path) -> None:
    """From PARALLEL_RUNS runs on, preview uses two engine processes: the lines still come in
    the samples' order, each the same as the sample previewed alone."""
    from runner.cli.common import PARALLEL_RUNS, engine_processes

    bodies = SAMPLES
    many = tmp_path / "many"
    many.mkdir()
    count = PARALLEL_RUNS + 50
    for n in range(count):
        shutil.copy(bodies[n % len(bodies)], many / f"{n:04d}-{bodies[n % len(bodies)].name}")
    handler = str(ROOT / "transforms" / "segment-track-subscriptions.js")
    args = [sys.executable, "-m", "runner", "preview", handler, "--format", "json", "--now", "2025-01-01T00:00:00Z"]
    out = subprocess.run([*args, str(many)], capture_output=True, text=True, cwd=tmp_path, check=True)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [Path(line["sample"]).name for line in lines] == sorted(p.name for p in many.iterdir())
    alone = subprocess.run([*args, str(ROOT / "samples")], capture_output=True, text=True, cwd=tmp_path, check=True)
    expected = {Path(line["sample"]).name: line["result"] for line in map(json.loads, alone.stdout.splitlines())}
    assert all(line["result"] == expected[Path(line["sample"]).name[5:]] for line in lines)
    if (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1) >= 2:
        assert engine_processes(count) == 2 and engine_processes(PARALLEL_RUNS - 1) == 1
