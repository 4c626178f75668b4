"""The handler page in a real browser (Debian's chromium driven by Playwright) against the real service on
loopback: submit a narrative, see the advisory suggestion, record a decision; a screenshot is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcrp.serving.api_keys import KeyRing
from rcrp.serving.app import create_app
from rcrp.serving.settings import ServingSettings

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"
NARRATIVE = "Caller says her son is on the railway bridge parapet threatening to jump. He has a knife."


@pytest.fixture()
def server(tmp_path, model_dir, loopback_server):
    app = create_app(ServingSettings(data_dir=tmp_path, model_uri=str(model_dir), model_refresh_seconds=0))
    key = KeyRing(app.state.audit.engine).create("handler", "browser test")[1]
    with loopback_server(app) as base:
        yield base, key, app


def test_handler_submits_sees_advice_and_records_a_decision(server):
    from playwright.sync_api import expect, sync_playwright

    base, key, app = server
    chromium = Path("/usr/bin/chromium")
    assert chromium.exists(), "Debian's chromium is needed (make test installs it)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(base + "/")
        expect(page.get_by_role("note")).to_contain_text("Advisory only")
        page.get_by_label("Your API key").fill(key)
        page.get_by_label("Call reference (optional)").fill("CAD-77")
        page.get_by_label("Call narrative").fill(NARRATIVE)
        page.get_by_label("Call narrative").press("Control+Enter")  # keyboard only
        expect(page.locator("#flag")).to_contain_text("MAY BE MET")
        expect(page.locator("#reasons")).to_contain_text("Safety rule")
        expect(page.locator("#notice")).to_contain_text("Advisory only")
        assert page.locator("#category").inner_text() in app.state.taxonomy.category_names
        page.get_by_label("No, a partner leads").check()
        page.get_by_label("Reason (optional, especially if you differ from the suggestion)").fill("Ambulance on scene")
        page.get_by_role("button", name="Record decision").click()
        expect(page.get_by_role("status")).to_contain_text("Decision recorded (differs from the suggestion")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "handler_page.png"), full_page=True)
        browser.close()
    calls = app.state.audit.calls(disputed_only=True)
    assert len(calls) == 1 and calls[0]["call_ref"] == "CAD-77" and calls[0]["police_attend"] is False


def test_the_page_says_plainly_when_no_suggestion_is_available(tmp_path, loopback_server):
    from playwright.sync_api import expect, sync_playwright

    app = create_app(ServingSettings(data_dir=tmp_path, model_uri=str(tmp_path / "none"), model_refresh_seconds=0))
    key = KeyRing(app.state.audit.engine).create("handler")[1]
    with loopback_server(app) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(base + "/")
        page.get_by_label("Your API key").fill(key)
        page.get_by_label("Call narrative").fill(NARRATIVE)
        page.get_by_role("button", name="Get suggestion").click()
        expect(page.locator(".error")).to_contain_text("standard procedure applies")
        assert page.locator("#result").is_hidden()
        browser.close()
