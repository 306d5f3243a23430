"""Options and input handling shared by the CLI commands."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from runner.compat import JsSettings
from runner.config.model import usable_cores
from runner.engine import EnginePool, Handler, Limits
from runner.engine.sandbox import DEFAULT_URL
from runner.errors import HandlerError, SampleError
from runner.samples import event_type_for, from_json, near_miss
from runner.textsafe import printable, source_excerpt

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_SAMPLES = Path("samples")


@dataclass(frozen=True)
class Sample:
    """A webhook body read from a file (a body, or a Svix message's payload), with the name it
    is shown under and its own event type (the message's eventType, else the body's `type`)."""

    path: str
    body: str
    event_type: str | None
    message: bool = False
    note: str | None = None  # why it may not be read as its author meant (see runner.samples)

    def run_type(self, given: str | None) -> str | None:
        """The event type it runs with when `given` (--event-type) may override its own."""
        return event_type_for(given, self.event_type)


PARALLEL_RUNS = 200  # from this many handler runs, a second engine process pays for its boot


def engine_processes(runs: int) -> int:
    """Engine processes for a command that runs handlers `runs` times: two when there are many
    and two cores to run them on (the engine, not reading or printing, is what such a run
    waits for), else one."""
    return 2 if runs >= PARALLEL_RUNS and usable_cores() >= 2 else 1


class StartingPool:
    """An `EnginePool` of `workers` processes started on a thread of its own: they boot
    (~0.5 s) while the command reads its samples, instead of after."""

    def __init__(self, limits: Limits, settings: JsSettings, workers: int = 1) -> None:
        self._pool: EnginePool | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, args=(limits, settings, workers), daemon=True,
                                        name="engine-start")
        self._thread.start()

    def _start(self, limits: Limits, settings: JsSettings, workers: int) -> None:
        try:
            # One process, or two and no spare: either way two boot, and two cores take them.
            self._pool = EnginePool(workers=workers, limits=limits, settings=settings, spare=workers == 1)
        except BaseException as exc:  # noqa: BLE001 - raised again by result()
            self._error = exc

    def result(self) -> EnginePool:
        """The started pool (the caller closes it), or what starting it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._pool is not None
        return self._pool

    def close(self) -> None:
        """Stop it, started or not (the command ended before using it)."""
        self._thread.join()
        if self._pool is not None:
            self._pool.close()


def handler_options(f: F) -> F:
    """--url, --env, limits and JavaScript settings: how a handler runs."""
    decorators = [
        click.option("--url", default=DEFAULT_URL, show_default=True,
                     help="The endpoint URL the webhook starts with (webhook.url)."),
        click.option("--env", "env_pairs", multiple=True, metavar="KEY=VALUE",
                     help="A variable for webhook.env (repeatable)."),
        click.option("--locale", default=None, help="Default locale for Intl and toLocale* [en-US]."),
        click.option("--time-zone", default=None, help="Default time zone for dates [UTC]."),
        click.option("--now", default=None, metavar="ISO-8601",
                     help="Freeze Date.now() and new Date() at this instant, e.g. 2025-08-04T05:30:45Z."),
        click.option("--time-limit-ms", type=click.IntRange(1, 60_000), default=None,
                     help=f"CPU time per event [{Limits().time_ms}]."),
        click.option("--memory-limit-mb", type=click.IntRange(1, 4096), default=None,
                     help=f"Heap per event [{Limits().memory_bytes // 2**20}]."),
    ]
    for decorator in reversed(decorators):
        f = decorator(f)
    return f


def event_type_option(f: F) -> F:
    """--event-type: webhook.eventType for every sample, over the sample's own."""
    return click.option(
        "--event-type", default=None, metavar="TYPE", callback=_check_event_type,
        help="webhook.eventType for every sample, whatever the sample says (for senders whose bodies have "
             "no type). [default: a Svix message sample's eventType, else the body's type, else none]")(f)


def _check_event_type(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter("give an event type such as user.created (leave the option out to use each "
                                 "sample's own)", param_hint="--event-type")
    return value


def event_type_label(event_type: str | None) -> str:
    """How a run's event type is shown (made printable)."""
    return printable(event_type) if event_type is not None else "(no event type)"


def parse_env(pairs: Iterable[str]) -> dict[str, str]:
    env: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--env")
        env[key] = value
    return env


def parse_now(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"expected an ISO-8601 instant such as 2025-08-04T05:30:45Z, got {text!r}",
                                 param_hint="--now") from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"give the time zone, e.g. {text}Z for UTC", param_hint="--now")
    return moment.timestamp() * 1000


def build_settings(locale: str | None, time_zone: str | None, now: str | None) -> JsSettings:
    base = JsSettings()
    try:
        return JsSettings(locale=locale or base.locale, time_zone=time_zone or base.time_zone,
                          now_ms=parse_now(now))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def build_limits(time_limit_ms: int | None, memory_limit_mb: int | None) -> Limits:
    base = Limits()
    return Limits(time_ms=time_limit_ms or base.time_ms,
                  memory_bytes=(memory_limit_mb * 2**20) if memory_limit_mb else base.memory_bytes,
                  stack_bytes=base.stack_bytes, log_bytes=base.log_bytes)


def load_handler(spec: str) -> Handler:
    """A handler from a path, or from standard input when `spec` is `-`."""
    if spec == "-":
        return Handler.from_bytes(sys.stdin.buffer.read(), filename="<stdin>")
    return Handler.from_file(spec)


def load_handlers(spec: str) -> list[Handler]:
    """`spec` names a handler file, `-`, or a directory of `.js` handlers."""
    path = Path(spec)
    if spec != "-" and path.is_dir():
        files = sorted(p for p in path.glob("*.js") if p.is_file())
        if not files:
            raise click.UsageError(f"{spec}: no .js handler files in this directory")
        return [Handler.from_file(p) for p in files]
    return [load_handler(spec)]


def _parts(path: Path) -> tuple[str, ...]:
    return path.parts


def sample_files(specs: Iterable[str]) -> list[Path]:
    """Sample files named by `specs` (files or directories of `.json`); default `samples/`."""
    specs = list(specs)
    if not specs:
        if not DEFAULT_SAMPLES.is_dir():
            raise click.UsageError("no samples given and there is no samples/ directory here; "
                                   "name sample files or directories after the transform")
        specs = [str(DEFAULT_SAMPLES)]
    files: list[Path] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            # Sorted by parts: the order Path's own comparison gives, ~20x faster over thousands.
            found = sorted((p for p in path.rglob("*.json") if p.is_file()), key=_parts)
            if not found:
                raise click.UsageError(f"{spec}: no .json sample files in this directory")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise click.UsageError(f"{spec}: no such sample file or directory")
    return files


def read_sample(path: Path) -> Sample:
    """Read a webhook body or a Svix message (runner.samples); raises SampleError naming the
    file and position of a problem."""
    name = path.as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SampleError(f"cannot read: {exc.strerror}", filename=name) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SampleError(f"not valid UTF-8 at byte {exc.start}", filename=name) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SampleError(f"invalid JSON: {exc.msg}", filename=name, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise SampleError("the JSON is nested too deeply to read (hundreds of levels)", filename=name) from None
    try:
        sample = from_json(text, data)
    except ValueError as exc:
        raise SampleError(str(exc), filename=name) from None
    return Sample(path=name, body=sample.body, event_type=sample.event_type, message=sample.message,
                  note=near_miss(data))


def read_samples(specs: Iterable[str]) -> list[Sample]:
    """All samples of `specs` (see `sample_files`), or a UsageError listing every unreadable
    one (exit status 2)."""
    return read_sample_files(sample_files(specs))


def read_sample_files(files: Iterable[Path]) -> list[Sample]:
    """The samples in `files`, or a UsageError listing every unreadable one (exit status 2)."""
    samples: list[Sample] = []
    problems: list[str] = []
    for path in files:
        try:
            samples.append(read_sample(path))
        except SampleError as exc:
            problems.append(printable(exc))  # file names and positions: shown, so made printable
    if problems:
        raise click.UsageError("bad sample file(s):\n  " + "\n  ".join(problems))
    for sample in samples:
        if sample.note is not None:
            click.echo(printable(f"{sample.path}: note: {sample.note}"), err=True)  # keys are the file's
    return samples


def handler_error_text(exc: HandlerError) -> str:
    """`exc.render()` made safe to print: the message (which the handler's code can choose, e.g.
    by throwing at load time), the file name and the source line have their control and bidi
    characters escaped, with the caret still under the offending column."""
    text = f"{printable(exc.location())}: {exc.kind}: {printable(exc.message)}"
    if exc.source_line is not None:
        line, pad = source_excerpt(exc.source_line, exc.column)
        text += f"\n    {line}"
        if pad is not None:
            text += f"\n    {pad}^"
    if exc.hint:
        text += "\n" + printable(exc.hint, multiline=True)
    return text


def report_handler_error(exc: HandlerError, color: bool | None = None) -> None:
    """Print why a handler could not be loaded (file:line:column, the line, a caret, a hint)."""
    click.echo(click.style(handler_error_text(exc), fg="red"), err=True, color=color)


def cli_error(exc: Exception) -> click.ClickException:
    """A ClickException (exit status 1, `Error: ...` on stderr) whose message is safe to print;
    for errors whose text may come from handlers or the queue (load errors, stored values)."""
    if isinstance(exc, HandlerError):
        return click.ClickException(handler_error_text(exc))
    return click.ClickException(printable(str(exc), multiline=True))
