# syntax=docker/dockerfile:1
# `runner serve` in a container. A builder stage makes the wheel; the runtime stage installs it
# into a venv (binary wheels only: nothing compiles, so no compiler or headers in the image) and
# runs it as an unprivileged user, with the queue in the /data volume.
#
# Secrets are never part of the image: pass them at run time, e.g. `docker run --env-file .env`:
#   DODO_WEBHOOK_SECRET   the endpoint's signing secret (whsec_...), as runner.yaml names it
#   SEGMENT_WRITE_KEY     the Segment source's write key
#   RUNNER_QUEUE          optional: postgresql://USER@HOST:PORT/DB, a shared queue instead of SQLite
#   PGPASSWORD            optional: that database user's password
#
# The project (runner.yaml, transforms/) is /app: the image carries `runner init`'s starter
# project; mount your own over it (`-v ./project:/app:ro`). tests/test_deploy.py runs this
# file's own commands, stage by stage.

ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS builder
WORKDIR /src
# The cache mounts keep pip's downloads out of every layer without giving up the cache.
RUN --mount=type=cache,target=/root/.cache/pip \
    python -m pip install --disable-pip-version-check "build>=1.2,<2"
COPY pyproject.toml README.md ./
COPY runner/ runner/
RUN --mount=type=cache,target=/root/.cache/pip \
    python -m build --wheel --outdir /dist

FROM python:${PYTHON_VERSION}-slim
ARG RUNNER_UID=10001
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# A venv without pip of its own: the base image's pip installs into it (--python), so the image
# holds one pip, and the wheel is bind-mounted from the builder rather than copied into a layer.
RUN --mount=type=bind,from=builder,source=/dist,target=/tmp/dist \
    --mount=type=cache,target=/root/.cache/pip \
    python -m venv --without-pip /opt/runner \
    && python -m pip --python /opt/runner/bin/python install --disable-pip-version-check \
       --root-user-action=ignore --only-binary=:all: /tmp/dist/*.whl
# Only now: the RUN above needs `python` to be the base image's, which has pip.
ENV PATH=/opt/runner/bin:$PATH
WORKDIR /app
# Owned by root and read-only to the service: a compromised process cannot rewrite its handlers.
RUN runner init /app
RUN groupadd --system --gid ${RUNNER_UID} runner \
    && useradd --system --uid ${RUNNER_UID} --gid runner --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin runner \
    && mkdir -p /data \
    && chown runner:runner /data \
    && chmod 0750 /data
# Declared after the chown: Docker discards changes made to a volume's path after VOLUME.
VOLUME ["/data"]
# Numeric, so orchestrators can verify it is not root (Kubernetes' runAsNonRoot).
USER ${RUNNER_UID}:${RUNNER_UID}
EXPOSE 8080
# In-flight requests get runner's 30 s graceful shutdown: stop with `docker stop -t 40`.
STOPSIGNAL SIGTERM
# No curl in slim images: the venv's Python asks /healthz (non-2xx or no answer: exit 1).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
ENTRYPOINT ["runner"]
CMD ["serve", "--config", "/app/runner.yaml", "--host", "0.0.0.0", "--port", "8080", "--data-dir", "/data"]
