"""The public surface is what we mean it to be, and importing runner stays cheap."""

from __future__ import annotations

import subprocess
import sys

import runner
import runner.errors

PUBLIC = {
    "__version__", "Engine", "EnginePool", "Envelope", "Handler", "Limits", "Outcome",
    "RunnerError", "HandlerError", "HandlerSyntaxError", "HandlerLoadError", "NoHandlerError", "SampleError",
    "ConfigError", "PlaygroundConfigError", "SecretError", "ServeError", "StoreError", "RequestError",
    "SignatureError", "EnvelopeError", "EventTypeMissing", "UnknownEndpoint", "ApiError", "ResultError",
    "RouteRejected", "SegmentEventError",
}


def test_the_public_names_are_exactly_these() -> None:
    assert set(runner.__all__) == PUBLIC == {*runner._EXPORTS, "__version__"}
    for name in PUBLIC:
        assert getattr(runner, name) is not None


def test_every_exception_runner_raises_is_a_runner_error_in_the_drawn_tree() -> None:
    classes = [v for v in vars(runner.errors).values() if isinstance(v, type) and issubclass(v, BaseException)]
    drawn = runner.errors.__doc__ or ""
    for cls in classes:
        assert issubclass(cls, runner.RunnerError), cls
        assert cls.__name__ in drawn, f"{cls.__name__} is missing from the tree in runner/errors.py"
    assert {c.__name__ for c in classes} <= PUBLIC


def test_importing_runner_or_its_pure_modules_does_not_load_the_engine() -> None:
    code = ("import sys, runner, runner.segment, runner.errors, runner.envelope\n"
            "heavy = [m for m in ('quickjs', 'babel', 'runner.engine', 'runner.compat') if m in sys.modules]\n"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
