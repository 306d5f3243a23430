"""The secrets a config needs: which environment variables hold them, and which are missing.

A config names variables, never values. `runner serve` refuses to start while a required one
is unset (`missing`, each message naming the variable and where it is referenced; a header or
handler-env `{env: X}` is required unless `optional: true`), and redacts every value in use from
its logs (`values`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from runner.config.model import Config, Value


def missing(config: Config, environ: Mapping[str, str], *, signing: bool = True) -> list[str]:
    """Problems with required environment variables, each naming the variable and what it holds;
    without `signing`, the webhook signing secrets are not required (no verification, replay)."""
    problems = []
    for ep in config.endpoints if signing else ():
        if ep.secret_env and not environ.get(ep.secret_env):
            problems.append(
                f"endpoint {ep.name!r}: environment variable {ep.secret_env} (its webhook "
                "signing secret, whsec_...) is not set; set it, or pass "
                "--insecure-skip-verify for local testing"
            )
    for dest in config.destinations:
        if dest.type == "segment" and dest.write_key_env and not environ.get(dest.write_key_env):
            problems.append(
                f"destination {dest.name!r}: environment variable {dest.write_key_env} "
                "(the Segment write key) is not set; set it"
            )
    for where, value in references(config):
        if value.env and not value.optional and not environ.get(value.env):
            problems.append(
                f"{where}: environment variable {value.env} is not set (or empty); set it, or write "
                f"{{env: {value.env}, optional: true}} to use an empty value when it is unset"
            )
    return problems


def references(config: Config) -> list[tuple[str, Value]]:
    """Every header and handler-env value, with where it is configured (for messages), e.g.
    `destination 'crm' header Authorization`, `endpoint 'default' transform 'payments' env KEY`."""
    out = [(f"destination {d.name!r} header {name}", v) for d in config.destinations for name, v in d.headers]
    out += [(f"endpoint {e.name!r} transform {t.name!r} env {key}", v)
            for e in config.endpoints for t in e.transforms for key, v in t.env.items()]
    return out


def env_names(config: Config) -> list[str]:
    """Every variable whose value is secret: webhook secrets, write keys, header and handler env values."""
    names = [e.secret_env for e in config.endpoints] + [e.previous_secret_env for e in config.endpoints]
    names += [d.write_key_env for d in config.destinations]
    names += [v.env for d in config.destinations for _, v in d.headers]
    names += [v.env for e in config.endpoints for t in e.transforms for v in t.env.values()]
    return [n for n in names if n]


def values(config: Config, environ: Mapping[str, str]) -> list[str]:
    """The secret values in use (set and non-empty), for log redaction."""
    return [environ[n] for n in env_names(config) if environ.get(n)]
