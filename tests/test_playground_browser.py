"""The playground page in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Set RUNNER_UPDATE_SCREENSHOT=1 to also refresh docs/playground.png from this run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from runner.playground import create_app
from runner.playground.serving import background

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a closed network: no sync, updates, background requests or GPU.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

HANDLER = """function handler(webhook) {
  if (webhook.eventType !== "subscription.active") return webhook;
  const s = webhook.payload.data;
  console.log("subscription", s.subscription_id);
  webhook.url = "https://api.segment.io/v1/track";
  webhook.payload = {
    userId: s.customer.customer_id,
    event: "Trial Converted",
    properties: {plan: s.product_id, amount: (s.recurring_pre_tax_amount / 100).toFixed(2)},
  };
  return webhook;
}
"""

BROKEN = """function handler(webhook) {
  const s = webhook.payload.data;
  return s.nothing.here;
}
"""


@pytest.fixture()
def page(tmp_path: Path) -> Iterator[Page]:
    app = create_app(
        transforms_dir=ROOT / "transforms",
        samples_dir=ROOT / "samples",
        environ={"SEGMENT_WRITE_KEY": "wk_browser_secret_42"},
    )
    with background(app) as url, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh profile per test
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1500, "height": 940},
        )
        page = context.pages[0] if context.pages else context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
        page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type in ("error", "warning") else None)
        # Everything the page loads must come from the app itself (no CDN: it works offline).
        page.on("request", lambda req: None if req.url.startswith((url, "data:")) else problems.append(f"foreign request: {req.url}"))
        page.goto(url)
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        try:
            yield page
        finally:
            context.close()
        assert problems == []


def paste(page: Page, editor_id: str, text: str) -> None:
    """Replace an editor's content the way a person pastes: focus, select all, insert text."""
    page.click(f"#{editor_id} .ace_content")
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)


def test_paste_pick_run_and_error_highlight(page: Page, tmp_path: Path) -> None:
    # The page opens with a bundled handler and sample, already run.
    expect(page.locator("#transform-picker option")).to_have_count(4)  # 3 bundled + custom
    expect(page.locator("#sample-picker optgroup[label=subscription] option").first).to_be_attached()
    expect(page.locator("#status")).not_to_have_attribute("data-status", "")

    paste(page, "code-editor", HANDLER)
    page.select_option("#sample-picker", "subscription.active")

    expect(page.locator("#status")).to_have_attribute("data-status", "sent")
    expect(page.locator("#request-body")).to_contain_text('"event": "Trial Converted"')
    expect(page.locator("#request-line")).to_have_text("POSThttps://api.segment.io/v1/track")
    expect(page.locator("#request-headers")).to_contain_text("Basic ••••••••")
    expect(page.locator("#request-body")).to_contain_text('"messageId": "runner-')
    expect(page.locator("#diff .ins").first).to_be_visible()
    expect(page.locator("#diff")).to_contain_text('+   "event": "Trial Converted",')
    expect(page.locator("#console")).to_contain_text("subscription sub_")
    expect(page.locator("#duration")).to_contain_text(" ms")
    expect(page.locator("#delivery")).to_have_attribute("data-delivery", "pending")
    assert "wk_browser_secret_42" not in page.content()
    page.screenshot(path=str(tmp_path / "playground.png"))
    if os.environ.get("RUNNER_UPDATE_SCREENSHOT"):
        shutil.copyfile(tmp_path / "playground.png", ROOT / "docs" / "playground.png")

    # A throw: message, and the line and column highlighted in the editor.
    paste(page, "code-editor", BROKEN)
    expect(page.locator("#status")).to_have_attribute("data-status", "error")
    expect(page.locator("#error-message")).to_contain_text("TypeError")
    expect(page.locator("#error-message")).to_contain_text("line 3")
    expect(page.locator("#code-editor .pg-error-marker")).to_have_count(1)
    expect(page.locator("#code-editor .pg-error-line")).to_have_count(1)
    expect(page.locator("#code-editor .ace_gutter-cell.ace_error")).to_have_text("3")
    page.screenshot(path=str(tmp_path / "playground-error.png"))

    # Fixing it clears the highlight.
    paste(page, "code-editor", HANDLER)
    expect(page.locator("#status")).to_have_attribute("data-status", "sent")
    expect(page.locator("#code-editor .pg-error-marker")).to_have_count(0)


def test_invalid_payload_is_marked_at_its_position(page: Page) -> None:
    paste(page, "payload-editor", '{\n  "type": "payment.succeeded",\n  data: {}\n}')
    expect(page.locator("#status")).to_have_attribute("data-status", "error")
    expect(page.locator("#payload-error")).to_contain_text("line 3, column 3")
    expect(page.locator("#payload-state")).to_contain_text("edited")
    expect(page.locator("#payload-editor .pg-error-marker")).to_have_count(1)
    expect(page.locator("#payload-editor .ace_gutter-cell.ace_error")).to_have_text("3")
    expect(page.locator("#code-editor .pg-error-marker")).to_have_count(0)


def test_ctrl_enter_runs_now(page: Page) -> None:
    runs = int(page.locator("body").get_attribute("data-runs") or "0")
    page.click("#code-editor .ace_content")
    page.keyboard.press("Control+Enter")
    expect(page.locator("body")).to_have_attribute("data-runs", str(runs + 1))


def test_run_all_samples_table_opens_a_row(page: Page) -> None:
    page.select_option("#transform-picker", "segment-track-subscriptions")
    page.click("#run-all-button")
    samples = len(list((ROOT / "samples").glob("*.json")))
    rows = page.locator("#run-all-table tbody tr[data-sample]")
    expect(rows).to_have_count(samples)
    active = page.locator('#run-all-table tr[data-sample="subscription.active"]')
    expect(active).to_contain_text("sent")
    expect(active).to_contain_text("POST https://api.segment.io/v1/track")
    expect(page.locator('#run-all-table tr[data-sample="payment.succeeded"]')).to_contain_text("unchanged")
    expect(page.locator("#run-all-summary")).to_contain_text(f"{samples} samples")

    active.click()
    expect(page.locator("#sample-picker")).to_have_value("subscription.active")
    expect(page.locator("#tab-result")).to_be_visible()
    expect(page.locator("#request-body")).to_contain_text('"event": "Subscription Started"')
