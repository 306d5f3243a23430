"""A web playground: paste a dashboard handler, pick a sample, see what would be sent.

    from runner.playground import create_app
    app = create_app(transforms_dir=Path("transforms"), samples_dir=Path("samples"))

Served by `runner playground`; `runner serve` can mount the same app (it uses relative URLs).

JSON API (paths relative to where the app is mounted; POST bodies are `application/json`,
at most 1 MiB, handler code at most 256 KiB, payload at most 512 KiB; over that: 413):

- `GET api/catalog` → `{transforms: [{name, source}], samples: [{name, event_type, family, message}],
  default_transform, default_sample, endpoint_url, limits, settings}`
- `GET api/samples/{name}` → `{name, event_type, family, body, own_event_type, message}` (404 for
  an unknown name). `message`: the file is a Svix message `{eventType, payload}` (runner.samples);
  `body` is then its payload and `own_event_type` its eventType. `own_event_type` is what the
  sample runs with (else the body's string `type`, else null); `event_type` is for display (it
  falls back to the file name).
- `POST api/run` `{code, payload, event_type?, transform?, webhook_id?}` → `{status, event_type, duration_ms,
  webhook_id, request: {method, url, headers: [{name, value, added}], body, message_id} | null,
  diff: [{op, text}] | null, warnings, logs: [{level, message}], logs_truncated,
  error: {phase: "payload"|"load"|"run", type, message, line, column, ...} | null}`
  — `status` is the engine's (`sent`, `cancelled`, `unchanged`, `error`); a body that is not JSON
  is an `error` with `phase: "payload"` and its line/column; `request` is as the server would
  deliver it (Segment auth masked, `messageId` added; `added` marks what the server adds).
  `webhook.eventType` is `event_type` when given (non-empty, at most 256 characters), else the
  payload's string `type`, else there is none (`event_type: null` in the answer).
- `POST api/run-all` `{code, event_type?, transform?}` → `{results: [{sample, family, event_type, status,
  method, url, error}], counts: {sent, cancelled, unchanged, error}, duration_ms}`; each sample
  runs with `event_type` when given, else its own (`own_event_type`).
- `GET api` → this list and the limits, as JSON.

Malformed requests get `{error: {status, message}}` with 400, 404, 413 or 415.
"""

from runner.errors import PlaygroundConfigError
from runner.playground.app import create_app

__all__ = ["PlaygroundConfigError", "create_app"]
