"""The README's commands run: every `runner ...` command of its ```sh blocks and its ```console
`$ ` lines that can run offline exits 0 (in a temporary copy of the transforms and samples), the
rest get their `--help` run instead, and every `runner COMMAND` the README names exists.

Which commands cannot run is decided by the rules below (`skip_reason`), never by marking the
README: a command that needs a running server, a queue, the network or a browser; a command fed
by a pipe from a tool we do not have; arguments that are placeholders (files that do not exist).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Commands that serve, send to a server, need a queue or PostgreSQL, or open a browser.
NEEDS_SERVER = {"serve", "send", "replay", "deliveries", "db", "playground"}
# What a README command may read, copied into the temporary folder it runs in.
COPIED = ("transforms", "samples", "tests/samples")
TIMEOUT_S = 120


@dataclass(frozen=True)
class Command:
    """One `runner ...` invocation from a code block: its words, and what precedes it."""

    words: tuple[str, ...]  # starting with "runner"
    piped: bool  # its stdin is another command's output
    cwd: str  # the folder a preceding `cd DIR &&` moved to ("" for the run's folder)
    text: str

    @property
    def command(self) -> str:
        return self.words[1] if len(self.words) > 1 else ""


def code_blocks(lang: str) -> list[str]:
    """The bodies of the README's fenced blocks of language `lang`."""
    return [m.group(1) for m in re.finditer(rf"^```{lang}\n(.*?)^```", README, re.DOTALL | re.MULTILINE)]


def shell_lines() -> list[str]:
    """Every shell line of the ```sh blocks and every `$ ` line of the ```console blocks, with
    backslash continuations joined."""
    lines = [line for block in code_blocks("sh") for line in block.replace("\\\n", " ").splitlines()]
    lines += [line[2:] for block in code_blocks("console") for line in block.replace("\\\n", " ").splitlines()
              if line.startswith("$ ")]
    return lines


def commands() -> list[Command]:
    """The `runner` commands of the README's shell lines, also those inside `$(...)`."""
    out = []
    for line in shell_lines():
        inner = re.findall(r"\$\(([^()]*)\)", line)
        for source in [re.sub(r"\$\([^()]*\)", "SUBST", line), *inner]:
            try:
                words = shlex.split(source, comments=True)
            except ValueError:
                continue
            cwd, piped, segment = "", False, []
            for word in [*words, ";"]:
                if word in {"|", "&&", ";", "&", "||"} or word.endswith(";"):
                    if word.endswith(";") and word != ";":
                        segment.append(word[:-1])
                    while segment and re.fullmatch(r"[A-Z_]+=.*", segment[0]):
                        segment.pop(0)  # VAR=value before the command
                    if segment[:1] == ["runner"]:
                        segment = [w for w in segment if not re.fullmatch(r"\d?>.*|2>/dev/null", w)]
                        out.append(Command(tuple(segment), piped, cwd, source.strip()))
                    elif segment[:1] == ["cd"] and len(segment) == 2:
                        cwd = segment[1]
                    piped, segment = word == "|", []
                else:
                    segment.append(word)
    return out


def skip_reason(cmd: Command, where: Path) -> str | None:
    """Why `cmd` cannot run offline in `where` (None: it can)."""
    if cmd.command in NEEDS_SERVER:
        return f"`runner {cmd.command}` needs a running server, a queue, the network or a browser"
    if cmd.piped:
        return "its input is piped from another tool"
    for word in cmd.words[2:]:
        if not word.startswith("-") and re.search(r"\.(js|json)$|/$", word) and not (where / cmd.cwd / word).exists():
            return f"{word!r} is a placeholder"
    return None


def runner(args: list[str] | tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "runner", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False)


def named_commands() -> set[tuple[str, ...]]:
    """Every `runner COMMAND [SUBCOMMAND]` the README names, in prose or in code."""
    names: set[tuple[str, ...]] = set()
    for match in re.finditer(r"`runner ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", README):
        names.add(tuple(w for w in match.groups() if w))
    for cmd in commands():
        names.add(cmd.words[1:3])
    return names


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("readme")
    for name in COPIED:
        shutil.copytree(ROOT / name, where / name)
    return where


def test_the_readme_has_runner_commands() -> None:
    runnable = [c for c in commands() if skip_reason(c, ROOT) is None]
    assert any(c.command == "preview" for c in runnable), [c.text for c in commands()]
    assert any(c.command == "serve" for c in commands())


def test_every_offline_command_of_the_readme_exits_0(workdir: Path) -> None:
    ran = []
    for cmd in commands():
        if skip_reason(cmd, workdir) is not None:
            continue
        where = workdir / cmd.cwd
        if not where.is_dir():
            continue  # moved into a folder an earlier command makes (`cd shop`) that this README does not
        result = runner(cmd.words[1:], where)
        assert result.returncode == 0, f"{cmd.text}\n{result.stdout}\n{result.stderr}"
        ran.append(cmd.text)
    assert ran


def test_help_of_every_command_the_readme_names() -> None:
    top = runner(["--help"], ROOT)
    assert top.returncode == 0, top.stderr
    listed = set(re.findall(r"^  ([a-z][a-z-]*) ", top.stdout.split("Commands:", 1)[1], re.MULTILINE))
    for words in sorted(named_commands()):
        command = words[0]
        assert command in listed, f"the README names `runner {command}`, which `runner --help` does not list"
        helped = runner([command, "--help"], ROOT)
        assert helped.returncode == 0, f"runner {command} --help\n{helped.stderr}"
        if len(words) > 1 and "Commands:" in helped.stdout:
            sub = set(re.findall(r"^  ([a-z][a-z-]*)", helped.stdout.split("Commands:", 1)[1], re.MULTILINE))
            # a group's first argument is its subcommand: it must be one
            assert words[1] in sub, f"the README names `runner {command} {words[1]}`; `runner {command}` has {sub}"
            nested = runner([command, words[1], "--help"], ROOT)
            assert nested.returncode == 0, f"runner {command} {words[1]} --help\n{nested.stderr}"
