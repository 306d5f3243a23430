"""Deployment, proved without Docker or systemd: the Dockerfile's own commands, the wheel, the
compose file, the systemd unit and shell completion, each run through the real CLI and server.

No Docker daemon or base image is reachable here, so the image is built by running the
Dockerfile as parsed (`parse_dockerfile`), stage by stage, in a temporary folder (`build_image`):

- a stage's root is a folder of its own, and every absolute path the Dockerfile names is a path
  in that root (`/opt/runner` → ROOT/opt/runner), except the base image's system folders
  (`SYSTEM_PATHS`) and what a run mounts over it (`docker run -v`: the project at /app);
- the base image (`python:3.11-slim`) is a fresh venv of this interpreter per stage, its `bin`
  first on PATH, so `python` and `pip` are the image's own and nothing leaks between stages;
- `RUN --mount=type=cache` is pip's own cache here (HOME is kept), which is what the mount is in
  a build: a cache in no layer; `RUN --mount=type=bind,from=STAGE` copies from that stage's root
  for the one RUN, then removes the copy;
- COPY reads the build context as .dockerignore filters it;
- the only commands not run are those in `SKIPPED` (they need root); any other command, and any
  instruction `Image.apply` does not know, runs or fails the test, so a new step is never
  silently ignored.

The server is then started as ENTRYPOINT + CMD exactly as parsed, with the image's ENV, the
secrets in the environment (as `docker run --env-file`) and EXPOSE's port rewritten to a free
one wherever it appears (`with_port`). The builder stage's wheel is the one the wheel test
installs: built once per session, with `python -m build`.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
import yaml

from harness.segment_standin import SegmentStandin
from harness.serve import free_port, new_secret, payment_event, signed
from runner import config as cfg
from runner.cli.options import QUEUE_ENV
from runner.config import secrets
from runner.server.worker import GRACEFUL_SHUTDOWN_S
from tests.support.postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
UNIT = ROOT / "deploy" / "runner.service"
UNIT_ENV = ROOT / "deploy" / "runner.env.example"
PROJECT = ROOT / "runner" / "project"

# Commands of RUN steps that are not run, and why: each needs root (or the image's package index).
SKIPPED = {
    "groupadd": "creates a system group: needs root",
    "useradd": "creates a system user: needs root",
    "chown": "gives a folder to that user: needs root",
    "apt-get": "installs Debian packages: needs root and the image's package index",
}
# The base image's own folders: paths there are the machine's, never rewritten into a stage.
SYSTEM_PATHS = ("/usr/", "/bin/", "/sbin/", "/etc/", "/dev/", "/proc/", "/sys/", "/nonexistent")
START_TIMEOUT_S = 60.0

pytestmark = pytest.mark.slow


# --- the Dockerfile, parsed ------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: RUN, COPY, ...
    flags: tuple[tuple[str, str], ...]  # leading --name=value options, in order
    args: str  # the rest, continuations joined
    line: int

    def flag(self, name: str) -> str | None:
        return next((v for k, v in self.flags if k == name), None)

    def json_or_shell(self) -> list[str]:
        """An exec-form (JSON array) argument list; the shell form as `sh -c`."""
        if self.args.startswith("["):
            words = json.loads(self.args)
            assert isinstance(words, list) and all(isinstance(w, str) for w in words), self
            return words
        return ["/bin/sh", "-c", self.args]


@dataclass
class Stage:
    image: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)


def parse_dockerfile(text: str) -> tuple[list[Instruction], list[Stage]]:
    """(the ARGs before the first FROM, the stages). Comment lines go (also inside a
    continuation, as Docker drops them), `\\` at a line's end joins the next line, and a
    leading `--name=value` of RUN, COPY or HEALTHCHECK is a flag."""
    logical: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        logical.append((start, pending + stripped))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continuation"
    preamble: list[Instruction] = []
    stages: list[Stage] = []
    for number, line in logical:
        keyword, _, rest = line.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        flags = []
        while keyword in {"RUN", "COPY", "HEALTHCHECK"} and rest.startswith("--"):
            word, _, rest = rest.partition(" ")
            name, _, value = word[2:].partition("=")
            flags.append((name, value))
            rest = rest.strip()
        instruction = Instruction(keyword, tuple(flags), rest, number)
        if keyword == "FROM":
            words = rest.split()
            assert len(words) in (1, 3) and (len(words) == 1 or words[1].upper() == "AS"), f"line {number}: {line}"
            stages.append(Stage(words[0], words[2] if len(words) == 3 else None))
        elif stages:
            stages[-1].instructions.append(instruction)
        else:
            assert keyword == "ARG", f"line {number}: only ARG may come before the first FROM"
            preamble.append(instruction)
    return preamble, stages


_VAR = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)")


def expand(text: str, variables: dict[str, str]) -> str:
    """Docker's `$VAR`, `${VAR}` and `${VAR:-default}` in an instruction's arguments."""
    def one(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(3)
        value = variables.get(name, "")
        return value if value or m.group(2) is None else m.group(2)
    return _VAR.sub(one, text)


def arg_defaults(instructions: list[Instruction]) -> dict[str, str]:
    out = {}
    for ins in instructions:
        name, _, default = ins.args.partition("=")
        out[name] = default
    return out


def env_pairs(ins: Instruction) -> list[tuple[str, str]]:
    """ENV KEY=VALUE ... (and the old `ENV KEY VALUE`)."""
    words = shlex.split(ins.args)
    if words and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]
    return [(k, v) for k, _, v in (w.partition("=") for w in words)]


# --- .dockerignore ----------------------------------------------------------------------


def ignore_patterns() -> list[tuple[bool, re.Pattern[str]]]:
    """(is an exception `!`, the pattern) per line of .dockerignore, in order."""
    out = []
    for raw in (ROOT / ".dockerignore").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        rx = "".join(".*" if part == "**" else "[^/]*" if part == "*" else "[^/]" if part == "?" else re.escape(part)
                     for part in re.split(r"(\*\*|\*|\?)", pattern))
        out.append((negate, re.compile(rx.replace(".*/", "(.*/)?"))))
    return out


def in_context(relative: str, patterns: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether the build context holds `relative`: the last pattern matching the path or one of
    its parent folders decides, as Docker's does."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    included = True
    for negate, rx in patterns:
        if any(rx.fullmatch(p) for p in prefixes):
            included = negate
    return included


def copy_context(sources: list[str], dest: Path, *, into: bool) -> None:
    """COPY from the build context (ROOT, filtered by .dockerignore) to `dest`: a folder's
    contents into it, a file into it when `into` (the destination ends with `/`), else as it."""
    patterns = ignore_patterns()
    for source in sources:
        path = ROOT / source.rstrip("/")
        assert in_context(source.rstrip("/"), patterns), f"COPY {source}: .dockerignore leaves it out of the context"
        files = [path] if path.is_file() else sorted(f for f in path.rglob("*") if f.is_file())
        for file in files:
            if not in_context(file.relative_to(ROOT).as_posix(), patterns):
                continue
            target = (dest / file.name if into else dest) if file == path else dest / file.relative_to(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)


# --- running it -------------------------------------------------------------------------

_ABSOLUTE = re.compile(r"(?<![\w.:/$-])/[\w.*-]+(?:/[\w.*-]*)*")


def image_path(text: str, root: Path, mounts: dict[str, Path] | None = None) -> str:
    """`text` with every absolute path the image means moved into `root` (or the folder mounted
    there), the base image's system paths left alone."""
    def one(m: re.Match[str]) -> str:
        path = m.group(0)
        for target, source in (mounts or {}).items():
            if path == target or path.startswith(target + "/"):
                return str(source) + path[len(target):]
        return path if path.startswith(SYSTEM_PATHS) else str(root) + path
    return _ABSOLUTE.sub(one, text)


def host_env() -> dict[str, str]:
    """This process's environment without what would point a command at the test's own venv or
    hand it the tests' secrets."""
    drop = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "DODO_", "SEGMENT_", "RUNNER_", "PG")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


@dataclass
class Image:
    """A built stage: its root, ENV, WORKDIR and metadata, and what its RUN steps did."""

    stage: Stage
    root: Path
    env: dict[str, str]
    workdir: str = "/"
    user: str = "root"
    expose: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)
    healthcheck_flags: dict[str, str] = field(default_factory=dict)
    stop_signal: str = "SIGTERM"
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def path(self, where: str) -> Path:
        """Where the image's absolute path `where` is in this stage's root."""
        return self.root / where.lstrip("/")


def build_image(preamble: list[Instruction], stages: list[Stage], work: Path) -> dict[str, Image]:
    """Every stage built in `work` as Docker would, in order; by stage name (the last also as "")."""
    globals_ = arg_defaults(preamble)
    built: dict[str, Image] = {}
    for index, stage in enumerate(stages):
        assert expand(stage.image, globals_).startswith("python:"), "the test stands a venv in for a python:* image"
        base = work / f"base-{index}"
        subprocess.run([sys.executable, "-m", "venv", str(base)], check=True)
        env = {"PATH": f"{base / 'bin'}:{os.environ['PATH']}", "LANG": "C.UTF-8"}  # as python:* sets them
        image = Image(stage, work / (stage.name or f"stage-{index}"), env)
        image.root.mkdir()
        args: dict[str, str] = {}
        for ins in stage.instructions:
            apply(image, ins, globals_, args, built)
        built[stage.name or str(index)] = image
        built[""] = image
    return built


def apply(image: Image, ins: Instruction, globals_: dict[str, str], args: dict[str, str], built: dict[str, Image]) -> None:
    """One instruction of a stage (see the module docstring for what stands in for what)."""
    variables = {**args, **image.env}  # ENV wins over ARG, as in Docker
    text = expand(ins.args, variables) if ins.keyword not in {"RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"} else ins.args
    if ins.keyword == "ARG":
        name, _, default = text.partition("=")
        args[name] = default or globals_.get(name, "")
    elif ins.keyword == "ENV":
        image.env.update({k: expand(image_path(v, image.root), image.env) for k, v in env_pairs(ins)})
    elif ins.keyword == "WORKDIR":
        image.workdir = text
        image.path(text).mkdir(parents=True, exist_ok=True)
    elif ins.keyword == "COPY":
        *sources, dest = shlex.split(text)
        if not dest.startswith("/"):
            dest = image.workdir.rstrip("/") + "/" + dest
        target = image.path(dest)
        if ins.flag("from") is not None:
            source_stage = built[str(ins.flag("from"))]
            for source in map(source_stage.path, sources):
                if source.is_dir():
                    shutil.copytree(source, target, dirs_exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target / source.name if dest.endswith("/") else target)
        else:
            copy_context(sources, target, into=dest.endswith("/") or len(sources) > 1)
    elif ins.keyword == "RUN":
        run(image, ins, args, built)
    elif ins.keyword == "USER":
        image.user = text
    elif ins.keyword == "EXPOSE":
        image.expose += text.split()
    elif ins.keyword == "VOLUME":
        image.volumes += json.loads(text) if text.startswith("[") else text.split()
    elif ins.keyword == "STOPSIGNAL":
        image.stop_signal = text
    elif ins.keyword == "ENTRYPOINT":
        image.entrypoint = ins.json_or_shell()
    elif ins.keyword == "CMD":
        image.cmd = ins.json_or_shell()
    elif ins.keyword == "HEALTHCHECK":
        kind, _, rest = ins.args.partition(" ")
        assert kind == "CMD", f"line {ins.line}: HEALTHCHECK {kind}"
        image.healthcheck = Instruction("CMD", (), rest.strip(), ins.line).json_or_shell()
        image.healthcheck_flags = dict(ins.flags)
    else:
        pytest.fail(f"Dockerfile line {ins.line}: {ins.keyword} is not one this test knows how to stand in for")


def run(image: Image, ins: Instruction, args: dict[str, str], built: dict[str, Image]) -> None:
    """A RUN step: each `&&`-joined command runs under `sh -c` in WORKDIR with ENV and ARGs, except
    the kinds in SKIPPED; bind mounts from other stages are copied in for the step."""
    mounted: list[Path] = []
    for name, value in ins.flags:
        assert name == "mount", f"line {ins.line}: RUN --{name}"
        spec = dict(part.split("=", 1) for part in value.split(","))
        if spec["type"] == "bind":
            target = image.path(spec["target"])
            shutil.copytree(built[spec["from"]].path(spec["source"]), target)
            mounted.append(target)
        else:
            assert spec["type"] == "cache" and spec["target"].endswith("/.cache/pip"), f"line {ins.line}: {value}"
    commands = [c.strip() for c in ins.args.split("&&")]
    kept = []
    for command in commands:
        kind = shlex.split(command)[0]
        (image.skipped if kind in SKIPPED else kept).append(command)
    image.ran += kept
    env = {**host_env(), **image.env, **args}  # the host's pip settings and HOME (its cache) too
    script = " && ".join(image_path(c, image.root) for c in kept)  # the shell expands $VARs
    try:
        done = subprocess.run(["/bin/sh", "-c", script], cwd=image.path(image.workdir), env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"Dockerfile line {ins.line}: {script}\n{done.stdout}\n{done.stderr}"
    finally:
        for target in mounted:
            shutil.rmtree(target)


def with_port(words: list[str], old: str, new: int) -> list[str]:
    """EXPOSE's port replaced wherever it is an argument of its own or a URL's `:PORT/`."""
    return [str(new) if w == old else w.replace(f":{old}/", f":{new}/") for w in words]


def resolve(argv: list[str], env: dict[str, str]) -> list[str]:
    """argv with its program found on env's PATH, as the container runtime finds it."""
    found = shutil.which(argv[0], path=env["PATH"])
    assert found, f"{argv[0]} is not on the image's PATH {env['PATH']}"
    return [found, *argv[1:]]


def wait_healthy(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"exited with {proc.returncode}:\n{log.read_text(errors='replace')}"
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"not healthy within {START_TIMEOUT_S} s:\n{log.read_text(errors='replace')}")


@dataclass
class Started:
    proc: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self, sig: int = signal.SIGTERM, timeout: float = GRACEFUL_SHUTDOWN_S + 10) -> bool:
        """Send `sig`; whether the server then shut down gracefully: exit 0, or death by that same
        signal (uvicorn raises it again once shut down; Docker and systemd count both as a clean
        stop, so Restart=on-failure leaves it stopped) after its `serve.stopped` line."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        return code in (0, -sig) and '"event": "serve.stopped"' in self.log.read_text(errors="replace")


@pytest.fixture
def start() -> Iterator[Any]:
    """start(argv, env, cwd, port) → Started, healthy; whatever is left running is killed at the end."""
    procs: list[subprocess.Popen[bytes]] = []

    def _start(argv: list[str], env: dict[str, str], cwd: Path, port: int, log: Path) -> Started:
        with open(log, "wb") as out:
            proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        wait_healthy(proc, url, log)
        return Started(proc, url, log)

    yield _start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def deliver_one(url: str, secret: str, standin: SegmentStandin) -> int:
    """A signed payment webhook through `url` to the stand-in: one Segment event per pending
    transform (the payment's track, the customer's identify), with the write key."""
    body, headers = signed(secret, payment_event(1))
    answer = httpx.post(url + "/webhooks", content=body, headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    statuses = {t["name"]: t["status"] for t in answer.json()["transforms"]}
    assert statuses["payments"] == "pending", answer.text
    pending = sum(status == "pending" for status in statuses.values())
    assert standin.wait_for_events(pending, timeout=30) == pending
    tracked = [e for e in standin.events() if e.get("event") == "Payment Completed"]
    assert [e["properties"]["payment_id"] for e in tracked] == ["pay_00000001"], standin.events()
    assert {r.write_key for r in standin.accepted()} == {"wk_test"}
    return pending


def project_for(standin: SegmentStandin, where: Path, source: Path) -> Path:
    """A copy of the project at `source` (runner.yaml, transforms/) sending Segment's requests to
    the stand-in: what a user mounts at /app, with their own destination settings."""
    shutil.copytree(source, where)
    config = where / "runner.yaml"
    text, n = re.subn(r"# (base_url:) \S+", rf"\1 {standin.url}", config.read_text())
    assert n == 1, "the starter runner.yaml has no commented base_url to set"
    config.write_text(text)
    return where


@pytest.fixture
def standin() -> Iterator[SegmentStandin]:
    with SegmentStandin() as s:
        yield s


# --- fixtures: the image, its wheel, the wheel installed --------------------------------


@pytest.fixture(scope="session")
def dockerfile() -> tuple[list[Instruction], list[Stage]]:
    return parse_dockerfile(DOCKERFILE.read_text())


@pytest.fixture(scope="session")
def image(dockerfile: tuple[list[Instruction], list[Stage]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Image]:
    """The Dockerfile built, once per session (15-30 s, most of it pip)."""
    return build_image(*dockerfile, tmp_path_factory.mktemp("image"))


@pytest.fixture(scope="session")
def wheel(image: dict[str, Image]) -> Path:
    """The wheel the builder stage built with `python -m build --wheel`."""
    builder = image["builder"]
    assert any(re.match(r"python -m build --wheel\b", c) for c in builder.ran), builder.ran
    wheels = sorted(builder.path("/dist").glob("runner-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh `python -m venv` at TMP/opt/runner with the wheel pip-installed: the systemd
    unit's /opt/runner, made as the README says."""
    venv = tmp_path_factory.mktemp("installed") / "opt" / "runner"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], check=True, env=host_env())
    return venv


# --- the Dockerfile ---------------------------------------------------------------------


def test_the_dockerfile_builds_in_two_stages_and_runs_unprivileged(image: dict[str, Image]) -> None:
    runtime, builder = image[""], image["builder"]
    assert runtime is not builder and runtime.stage.image.endswith("-slim"), runtime.stage
    # Exactly these commands were not run (a new root-only step must be added here, knowingly);
    # every other one ran and exited 0.
    assert [shlex.split(c)[0] for c in builder.skipped + runtime.skipped] == ["groupadd", "useradd", "chown"]
    assert len(builder.ran) == 2 and len(runtime.ran) == 5, (builder.ran, runtime.ran)
    # Small: the runtime stage installs binary wheels only and no compiler or package manager.
    assert not any(re.search(r"\b(apt-get|gcc|build-essential|python -m build)\b", c) for c in runtime.ran), runtime.ran
    assert any("--only-binary=:all:" in c for c in runtime.ran)
    assert not (runtime.path("/opt/runner/bin/pip")).exists(), "the venv should hold no pip of its own"
    assert not runtime.path("/tmp/dist").exists(), "the builder's wheel is bind-mounted, not left in a layer"
    # Unprivileged, with its data in a volume the CMD uses.
    user = runtime.user.split(":")[0]
    assert user.isdigit() and int(user) != 0, runtime.user
    assert any(re.fullmatch(r"useradd .*--uid \$\{?RUNNER_UID\}? .*", c) for c in runtime.skipped), runtime.skipped
    data = runtime.cmd[runtime.cmd.index("--data-dir") + 1]
    assert runtime.volumes == [data] and runtime.path(data).is_dir()
    assert any(c == f"chown runner:runner {data}" for c in runtime.skipped)
    assert runtime.entrypoint == ["runner"] and runtime.cmd[0] == "serve"
    assert runtime.cmd[runtime.cmd.index("--host") + 1] == "0.0.0.0"
    assert runtime.expose == [runtime.cmd[runtime.cmd.index("--port") + 1]]
    asked = re.search(r"http://127\.0\.0\.1:(\d+)/healthz\b", " ".join(runtime.healthcheck))
    assert asked and [asked.group(1)] == runtime.expose, runtime.healthcheck
    assert signal.Signals[runtime.stop_signal] == signal.SIGTERM
    # No secret is baked in: no ENV or ARG names a variable runner reads a secret from.
    project = cfg.load(PROJECT / "runner.yaml")
    secret_names = {*secrets.env_names(project), "PGPASSWORD", QUEUE_ENV}
    declared = {k for s in image.values() for ins in s.stage.instructions if ins.keyword in {"ENV", "ARG"}
                for k, _ in (env_pairs(ins) if ins.keyword == "ENV" else [ins.args.partition("=")[::2]])}
    assert not declared & secret_names, declared & secret_names


def test_dockerignore_keeps_secrets_and_tests_out_of_the_context() -> None:
    patterns = ignore_patterns()
    for left_out in (".git/config", ".venv/bin/python", "tests/test_deploy.py", "tests/samples/svix/invoice.paid.json",
                     ".env", "runner.egg-info/PKG-INFO", ".runner/queue.sqlite3", "runner/__pycache__/x.pyc",
                     "bench/run.py", "samples/payment.succeeded.json"):
        assert not in_context(left_out, patterns), left_out
    for kept in ("pyproject.toml", "README.md", "runner/__init__.py", "runner/project/runner.yaml",
                 "runner/compat/cldr48.json", "runner/engine/js/runtime.js"):
        assert in_context(kept, patterns), kept


def test_the_image_serves_a_signed_webhook_to_segment(image: dict[str, Image], standin: SegmentStandin,
                                                     start: Any, tmp_path: Path) -> None:
    runtime = image[""]
    assert runtime.path("/app/runner.yaml").is_file(), "the image carries `runner init`'s project"
    # `docker run -v ./project:/app:ro`: the user's project, whose Segment destination is the stand-in.
    mounts = {"/app": project_for(standin, tmp_path / "project", runtime.path("/app"))}
    port, secret = free_port(), new_secret()
    argv = [image_path(w, runtime.root, mounts) for w in with_port(runtime.entrypoint + runtime.cmd, runtime.expose[0], port)]
    env = {**runtime.env, "DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_test"}
    argv = resolve(argv, env)
    assert argv[0] == str(runtime.path("/opt/runner/bin/runner")), argv
    server = start(argv, env, Path(image_path(runtime.workdir, runtime.root, mounts)), port, tmp_path / "serve.log")

    delivered = deliver_one(server.url, secret, standin)
    assert runtime.path("/data/queue.sqlite3").is_file(), "the queue is in the VOLUME"
    # `docker exec runner runner deliveries list --data-dir /data`, as the README has it.
    words = [image_path(w, runtime.root, mounts) for w in ["runner", "deliveries", "list", "--data-dir", runtime.volumes[0]]]
    listed = subprocess.run(resolve(words, env), env=env, cwd=mounts["/app"], capture_output=True, text=True,
                            timeout=60, check=True).stdout
    assert listed.startswith(f"pending: 0  delivered: {delivered}  "), listed
    assert not list(mounts["/app"].glob(".runner")), "nothing is written into the (read-only) project"

    health = resolve(with_port(runtime.healthcheck, runtime.expose[0], port), env)
    assert health[0] == str(runtime.path("/opt/runner/bin/python")), health
    assert "/healthz" in " ".join(runtime.healthcheck)
    timeout = float(runtime.healthcheck_flags["timeout"].rstrip("s"))
    assert subprocess.run(health, env=env, capture_output=True, timeout=timeout, check=False).returncode == 0
    # `docker stop`: the stop signal ends it cleanly, and from then on the health check fails.
    assert server.stop(signal.Signals[runtime.stop_signal]), server.log.read_text()
    assert subprocess.run(health, env=env, capture_output=True, timeout=timeout, check=False).returncode != 0


# --- the wheel --------------------------------------------------------------------------

# Files of runner/ that are not needed when runner runs (so not package data).
NOT_PACKAGE_DATA = {"runner/playground/static/vendor/update-ace.sh"}


def test_the_wheel_installs_in_a_fresh_venv_with_its_data_and_serves(installed: Path, standin: SegmentStandin,
                                                                    start: Any, tmp_path: Path) -> None:
    listed = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "import importlib.resources as r, pathlib; root = pathlib.Path(str(r.files('runner')));"
         "print('\\n'.join(sorted(p.relative_to(root.parent).as_posix() for p in root.rglob('*') if p.is_file())))"],
        capture_output=True, text=True, check=True, cwd=tmp_path).stdout.split()
    source = {p.relative_to(ROOT).as_posix() for p in (ROOT / "runner").rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert source - NOT_PACKAGE_DATA - set(listed) == set(), "files of runner/ missing from the wheel"
    assert {"runner/project/runner.yaml", "runner/compat/cldr48.json", "runner/playground/static/index.html"} <= set(listed)

    runner = str(installed / "bin" / "runner")
    made = subprocess.run([runner, "init", "shop"], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert made.stdout.startswith("wrote 30 files in shop:"), made.stdout
    shop = tmp_path / "shop"
    text = (shop / "runner.yaml").read_text().replace("# base_url: https://events.eu1.segmentapis.com",
                                                      f"base_url: {standin.url}")
    (shop / "runner.yaml").write_text(text)
    port, secret = free_port(), new_secret()
    env = {**host_env(), "DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_test"}
    server = start([runner, "serve", "--config", "runner.yaml", "--port", str(port)], env, shop, port, tmp_path / "serve.log")
    deliver_one(server.url, secret, standin)
    assert server.stop(), server.log.read_text()


# --- compose ----------------------------------------------------------------------------

_INTERPOLATION = re.compile(r"\$\{(\w+)(?::\?([^}]*))?\}")


def interpolate(node: Any, values: dict[str, str]) -> Any:
    """Compose's `${VAR}` and `${VAR:?message}` (an error when VAR is unset or empty)."""
    if isinstance(node, dict):
        return {k: interpolate(v, values) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate(v, values) for v in node]
    if isinstance(node, str):
        def one(m: re.Match[str]) -> str:
            if not values.get(m.group(1)) and m.group(2) is not None:
                raise KeyError(f"{m.group(1)}: {m.group(2)}")
            return values.get(m.group(1), "")
        return _INTERPOLATION.sub(one, node)
    return node


def dotenv_names(path: Path) -> list[str]:
    return [line.split("=", 1)[0] for line in path.read_text().splitlines() if re.match(r"[A-Z_]+=", line)]


def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def test_compose_agrees_with_the_image_and_the_config(image: dict[str, Image]) -> None:
    data, runtime = compose(), image[""]
    services = data["services"]
    # Every secret comes from .env through ${VAR:?...}: .env.example lists exactly those, none is
    # written in the file, and leaving one out stops compose.
    used = set(_INTERPOLATION.findall(COMPOSE.read_text()))
    assert {name for name, _ in used} == set(dotenv_names(ROOT / ".env.example"))
    assert all(message for _, message in used), "each secret is required (${VAR:?message})"
    values = dict.fromkeys(dotenv_names(ROOT / ".env.example"), "x")
    with pytest.raises(KeyError, match="SEGMENT_WRITE_KEY"):
        interpolate(data, {**values, "SEGMENT_WRITE_KEY": ""})
    project = cfg.load(PROJECT / "runner.yaml")
    runner_env = interpolate(services["runner"]["environment"], values)
    assert set(secrets.env_names(project)) <= set(runner_env), "the image's runner.yaml reads these"
    assert {QUEUE_ENV, "PGPASSWORD"} <= set(runner_env)

    # The queue URL: the postgres service's user and database, no password in it.
    pg = services["postgres"]
    assert pg["image"].startswith("postgres:16")
    queue = urlsplit(runner_env[QUEUE_ENV])
    assert (queue.scheme, queue.hostname, queue.port, queue.username, queue.password) == (
        "postgresql", "postgres", 5432, pg["environment"]["POSTGRES_USER"], None)
    assert queue.path.strip("/") == pg["environment"]["POSTGRES_DB"]
    assert "pg_isready" in pg["healthcheck"]["test"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["runner"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"

    # Ports and volumes are the image's, and the stop grace outlasts the graceful shutdown.
    container_ports = [str(p).rsplit(":", 1)[1] for p in services["runner"]["ports"]]
    assert container_ports == runtime.expose
    mounts = dict(str(v).split(":", 1)[::-1] for v in services["runner"]["volumes"])
    assert list(mounts) == runtime.volumes and set(mounts.values()) <= set(data["volumes"])
    assert int(services["runner"]["stop_grace_period"].rstrip("s")) > GRACEFUL_SHUTDOWN_S
    for name in ("runner", "migrate"):
        assert services[name]["build"] == "." and (ROOT / services[name]["build"] / "Dockerfile").is_file()


def test_the_compose_services_run_on_postgresql(image: dict[str, Image], postgres: PostgresServer, standin: SegmentStandin,
                                              start: Any, tmp_path: Path) -> None:
    """migrate, then runner, as compose starts them: the image's ENTRYPOINT with each service's
    command, the environment compose gives each, the queue on a real PostgreSQL (the session's,
    standing in for the postgres service: same user, a fresh database)."""
    runtime, services = image[""], compose()["services"]
    secret = new_secret()
    values = {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_test", "POSTGRES_PASSWORD": "not-checked-by-trust-auth"}
    database = urlsplit(postgres.create_database(f"compose_{os.getpid()}"))
    mounts = {"/app": project_for(standin, tmp_path / "project", runtime.path("/app")), "/data": tmp_path / "runner-data"}
    mounts["/data"].mkdir()

    def service(name: str, port: int) -> tuple[list[str], dict[str, str]]:
        spec = interpolate(services[name], values)
        env = {**runtime.env, **spec["environment"]}
        queue = urlsplit(env[QUEUE_ENV])
        env[QUEUE_ENV] = urlunsplit(queue._replace(netloc=f"{queue.username}@{database.hostname}:{database.port}",
                                                   path=database.path))
        words = runtime.entrypoint + spec.get("command", runtime.cmd)
        argv = [image_path(w, runtime.root, mounts) for w in with_port(words, runtime.expose[0], port)]
        return resolve(argv, env), env

    argv, env = service("migrate", 0)
    for _ in range(2):  # it runs on every `docker compose up`: again on a current schema too
        upgraded = subprocess.run(argv, env=env, cwd=mounts["/app"], capture_output=True, text=True, timeout=60, check=False)
        assert upgraded.returncode == 0, upgraded.stderr
    port = free_port()
    argv, env = service("runner", port)
    server = start(argv, env, mounts["/app"], port, tmp_path / "serve.log")
    delivered = deliver_one(server.url, secret, standin)
    assert server.stop(), server.log.read_text()
    listed = subprocess.run(resolve(["runner", "deliveries", "list"], env), env=env, cwd=mounts["/app"],
                            capture_output=True, text=True, timeout=60, check=True).stdout
    assert listed.startswith(f"pending: 0  delivered: {delivered}  "), listed
    assert not (mounts["/data"] / "queue.sqlite3").exists(), "the queue is PostgreSQL, not SQLite"


# --- systemd ----------------------------------------------------------------------------


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd's keys are case-sensitive
    parser.read_string(UNIT.read_text())
    return parser


def test_the_systemd_unit_names_real_options_and_outlasts_the_graceful_shutdown(installed: Path) -> None:
    service = unit()["Service"]
    assert float(service["TimeoutStopSec"]) > GRACEFUL_SHUTDOWN_S
    assert service["KillSignal"] == "SIGTERM" and service["KillMode"] == "mixed"
    assert service["Restart"] == "on-failure" and service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    words = shlex.split(service["ExecStart"])
    assert words[:2] == ["/opt/runner/bin/runner", "serve"]
    helped = subprocess.run([str(installed / "bin" / "runner"), "serve", "--help"], capture_output=True, text=True, check=True)
    known = set(re.findall(r"(--[a-z][a-z-]*)", helped.stdout))
    assert {w for w in words if w.startswith("--")} <= known
    choice = re.search(r"--log-format \[([a-z|]+)\]", helped.stdout)
    assert choice and words[words.index("--log-format") + 1] in choice.group(1).split("|")
    data = words[words.index("--data-dir") + 1]
    assert data in service["ReadWritePaths"].split() and data == "/var/lib/" + service["StateDirectory"]
    for key, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes", "ProtectHome": "yes"}.items():
        assert service[key] == value, key
    assert service["User"] != "root"
    assert dotenv_names(UNIT_ENV) == secrets.env_names(cfg.load(PROJECT / "runner.yaml"))
    assert service["EnvironmentFile"] == "/etc/runner/runner.env"


def test_the_systemd_exec_start_serves_and_stops_cleanly_on_its_kill_signal(installed: Path, standin: SegmentStandin,
                                                                           start: Any, tmp_path: Path) -> None:
    """ExecStart as systemd runs it: the unit's paths in a temporary root (/opt/runner is the
    installed venv, /etc/runner the project, /var/lib/runner what StateDirectory= creates), its
    EnvironmentFile's variables set, systemd's PATH; stopped with KillSignal it exits 0, which
    Restart=on-failure leaves stopped."""
    service = unit()["Service"]
    secret = new_secret()
    etc = project_for(standin, tmp_path / "etc-runner", PROJECT)
    shutil.rmtree(etc / "samples")
    mounts = {"/opt/runner": installed, "/etc/runner": etc, "/var/lib/runner": tmp_path / "var-lib-runner"}
    mounts["/var/lib/runner"].mkdir()
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
    env.update({name: {"DODO_WEBHOOK_SECRET": secret, "SEGMENT_WRITE_KEY": "wk_test"}[name] for name in dotenv_names(UNIT_ENV)})
    port, words = free_port(), shlex.split(service["ExecStart"])
    argv = [image_path(w, tmp_path, mounts) for w in with_port(words, words[words.index("--port") + 1], port)]
    server = start(argv, env, Path(image_path(service["WorkingDirectory"], tmp_path, mounts)), port, tmp_path / "serve.log")
    deliver_one(server.url, secret, standin)
    assert (mounts["/var/lib/runner"] / "queue.sqlite3").is_file()
    # `systemctl reload`: ExecReload with systemd's $MAINPID; the server reloads and keeps serving.
    reload = shlex.split(service["ExecReload"].replace("$MAINPID", str(server.proc.pid)))
    subprocess.run(reload, check=True, timeout=10)
    deadline = time.monotonic() + 30
    while '"event": "serve.reloaded"' not in server.log.read_text() and time.monotonic() < deadline:
        assert server.proc.poll() is None, server.log.read_text()
        time.sleep(0.05)
    assert '"event": "serve.reloaded"' in server.log.read_text(), server.log.read_text()
    assert httpx.get(server.url + "/healthz", timeout=5).status_code == 200
    assert server.stop(signal.Signals[service["KillSignal"]], float(service["TimeoutStopSec"])), server.log.read_text()


# --- shell completion -------------------------------------------------------------------


def documented_completions() -> dict[str, str]:
    """shell → the README's command that prints its completion script (Deploying section)."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Deploying", 1)[1].split("\n## ", 1)[0]
    out = {}
    for shell, block in re.findall(r"^```(bash|zsh|fish)\n(.*?)^```", section, re.DOTALL | re.MULTILINE):
        match = re.search(r"_RUNNER_COMPLETE=(\w+) runner", block)
        assert match, block
        out[shell] = match.group(0)
    return out


def test_the_documented_completion_commands_print_working_scripts(installed: Path) -> None:
    commands = documented_completions()
    assert set(commands) == {"bash", "zsh", "fish"}
    env = {**host_env(), "PATH": f"{installed / 'bin'}:/usr/bin:/bin"}
    markers = {"bash": "complete -o nosort -F _runner_completion runner", "zsh": "#compdef runner",
               "fish": "complete --no-files --command runner"}
    for shell, command in commands.items():
        printed = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True, check=True).stdout
        assert markers[shell] in printed, (shell, printed[:200])
    if shutil.which("bash"):
        # The bash script, sourced as ~/.bashrc would, completes `runner se<TAB>`.
        script = f'eval "$({commands["bash"]})"; COMP_WORDS=(runner se); COMP_CWORD=1; _runner_completion runner; echo "${{COMPREPLY[*]}}"'
        done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, check=True)
        assert done.stdout.split() == ["secret", "send", "serve"], done
        script = script.replace("(runner se); COMP_CWORD=1", '(runner serve --log-format ""); COMP_CWORD=3')
        done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, check=True)
        assert done.stdout.split() == ["json", "text"], done
