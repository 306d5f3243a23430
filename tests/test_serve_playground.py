"""`runner serve` mounts the playground at /playground only when the config enables it."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.serve import ROOT, ServeProcess, new_secret

PAYMENTS = ROOT / "transforms" / "segment-track-payments.js"


def config(tmp_path: Path, enabled: bool) -> Path:
    path = tmp_path / "runner.yaml"
    path.write_text(f"""\
server: {{playground: {str(enabled).lower()}, playground_samples: {ROOT / 'samples'}}}
destinations:
  segment: {{type: segment, write_key_env: SEG_KEY}}
endpoints:
  default:
    secret_env: SHOP_SECRET
    transforms:
      payments: {{file: {PAYMENTS}}}
""")
    return path


def test_playground_is_off_by_default(tmp_path: Path) -> None:
    env = {"SHOP_SECRET": new_secret(), "SEG_KEY": "wk_live_secret_value"}
    with ServeProcess(["--config", str(config(tmp_path, False))], env=env, data_dir=tmp_path / "data") as srv:
        assert httpx.get(srv.url + "/playground/").status_code == 404


def test_enabled_playground_runs_handlers_and_never_shows_the_write_key(tmp_path: Path) -> None:
    env = {"SHOP_SECRET": new_secret(), "SEG_KEY": "wk_live_secret_value"}
    with ServeProcess(["--config", str(config(tmp_path, True))], env=env, data_dir=tmp_path / "data") as srv:
        page = httpx.get(srv.url + "/playground/")
        assert page.status_code == 200 and "<html" in page.text.lower()
        catalog = httpx.get(srv.url + "/playground/api/catalog").json()
        assert any(t["name"].startswith("segment-track-payments") for t in catalog["transforms"])
        code = PAYMENTS.read_text()
        payload = (ROOT / "samples" / "payment.succeeded.json").read_text()
        result = httpx.post(srv.url + "/playground/api/run", json={"code": code, "payload": payload})
        assert result.status_code == 200, result.text
        data = result.json()
        assert data["status"] == "sent"
        assert "wk_live_secret_value" not in result.text and "wk_live_secret_value" not in page.text
