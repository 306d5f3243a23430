"""The simple form: the config `runner serve TRANSFORM...` means, without a runner.yaml.

One endpoint `default` running every TRANSFORM file (each named after its file), secrets from
the default variables, and Segment as the one destination, at `--segment-url` if given.
"""

from __future__ import annotations

import re
from pathlib import Path

from runner.config.loader import check_base_url
from runner.config.model import (
    DEFAULT_DATA_DIR,
    DEFAULT_ENDPOINT,
    DEFAULT_HOST,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_PORT,
    DEFAULT_PREVIOUS_SECRET_ENV,
    DEFAULT_SECRET_ENV,
    Config,
    EndpointConfig,
    ServerConfig,
    TransformConfig,
    default_destinations,
)

SEGMENT_URL_OPTION = "--segment-url"


def simple(
    transforms: list[Path],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    segment_url: str | None = None,
    data_dir: Path = Path(DEFAULT_DATA_DIR),
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Config:
    """The config `runner serve TRANSFORM...` means: one endpoint `default`, one Segment
    destination whose base URL is `segment_url`, secrets from the default variables."""
    if segment_url is not None:
        check_segment_url(segment_url)
    names: list[str] = []
    items = []
    for path in transforms:
        name = _unique(re.sub(r"[^A-Za-z0-9_.-]", "-", path.stem) or "transform", names)
        names.append(name)
        items.append(TransformConfig(name=name, path=path))
    return Config(
        endpoints=(EndpointConfig(DEFAULT_ENDPOINT, tuple(items), DEFAULT_SECRET_ENV, DEFAULT_PREVIOUS_SECRET_ENV),),
        destinations=default_destinations(segment_url),
        server=ServerConfig(host=host, port=port, max_body_bytes=max_body_bytes),
        data_dir=data_dir,
    )


def check_segment_url(url: str) -> None:
    """Raise ConfigError (`--segment-url: '...' is not a base URL; ...`) unless `url` is one."""
    check_base_url(url, filename=SEGMENT_URL_OPTION)


def _unique(name: str, taken: list[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    return candidate
