"""`runner serve` configuration: what to run (endpoints, transforms) and where results go.

    model     the frozen dataclasses and every default (`Config` and its parts)
    loader    `load`/`parse`: a runner.yaml (shape in its docstring) validated into a `Config`
    simple    `simple`: the config `runner serve TRANSFORM...` means
    secrets   which environment variables hold secrets, and which are missing

Errors are `ConfigError`s naming the file, line and dotted key. Secrets are never in the file:
only the names of the environment variables that hold them.
"""

from __future__ import annotations

from runner.addresses import is_private_host
from runner.config.loader import check_base_url, check_queue_url, is_name, load, parse
from runner.config.model import (
    DEFAULT_DATA_DIR,
    DEFAULT_DESTINATION,
    DEFAULT_DESTINATIONS,
    DEFAULT_ENDPOINT,
    DEFAULT_ENGINE_WORKERS,
    DEFAULT_EVENT_TYPE_FIELD,
    DEFAULT_HOST,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_PORT,
    DEFAULT_PREVIOUS_SECRET_ENV,
    DEFAULT_SECRET_ENV,
    DEFAULT_WRITE_KEY_ENV,
    MAX_AUTO_WORKERS,
    MAX_WORKERS,
    SYNCHRONOUS_MODES,
    Config,
    DeliveryConfig,
    DestinationConfig,
    EndpointConfig,
    ServerConfig,
    TransformConfig,
    Value,
    default_destinations,
    engine_worker_count,
    segment_destination,
    worker_count,
)
from runner.config.simple import check_segment_url, simple
from runner.errors import ConfigError

__all__ = [
    "DEFAULT_DATA_DIR",
    "DEFAULT_DESTINATION",
    "DEFAULT_DESTINATIONS",
    "DEFAULT_ENDPOINT",
    "DEFAULT_ENGINE_WORKERS",
    "DEFAULT_EVENT_TYPE_FIELD",
    "DEFAULT_HOST",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_PORT",
    "DEFAULT_PREVIOUS_SECRET_ENV",
    "DEFAULT_SECRET_ENV",
    "DEFAULT_WRITE_KEY_ENV",
    "MAX_AUTO_WORKERS",
    "MAX_WORKERS",
    "SYNCHRONOUS_MODES",
    "Config",
    "ConfigError",
    "DeliveryConfig",
    "DestinationConfig",
    "EndpointConfig",
    "ServerConfig",
    "TransformConfig",
    "Value",
    "check_base_url",
    "check_queue_url",
    "check_segment_url",
    "default_destinations",
    "engine_worker_count",
    "is_name",
    "is_private_host",  # moved to runner.addresses; re-exported until its callers import it there
    "load",
    "parse",
    "segment_destination",
    "simple",
    "worker_count",
]
