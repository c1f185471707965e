"""The web pages in Chromium (Debian's, driven by Playwright) against a real `claimledger serve` process.

Set CLAIMLEDGER_SCREENSHOT_DIR=docs to also write the README's screenshots (docs/screenshot-*.png).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from serving import SEED_ID  # noqa: E402

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")
# The network is closed here: nothing for Chromium to fetch, sync or update.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def screenshot(page, tmp_path: Path, name: str) -> Path:
    """Save a screenshot into the test's folder and, when asked, into the README's folder."""
    path = tmp_path / f"screenshot-{name}.png"
    page.screenshot(path=str(path))
    wanted = os.environ.get("CLAIMLEDGER_SCREENSHOT_DIR")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(wanted) / path.name)
    return path


def test_seed_article_highlights_stoltenbergs_statements_and_attributes_them(server, page, tmp_path):
    page.goto(f"{server}/articles/{SEED_ID}")
    assert page.locator("h1").inner_text() == "NATO sees no signs of Russia's troop withdrawal near Ukraine"
    quotes = page.locator('.body .st[data-speaker="Jens Stoltenberg"]:not(.cont)')
    assert quotes.count() >= 3
    for i in range(quotes.count()):
        quote = quotes.nth(i)
        assert quote.is_visible()
        assert quote.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
        assert "Jens Stoltenberg" in quote.get_attribute("title")
    badges = page.locator('.body a.who', has_text="Jens Stoltenberg")
    assert badges.count() == quotes.count()
    assert "At the moment, we have not seen any withdrawal of Russian forces" in page.locator(
        '.body .st.k-direct[data-speaker="Jens Stoltenberg"]').all_inner_texts()
    assert page.locator(".body time.date").count() >= 2 and page.locator(".body data.qty").count() >= 1
    assert screenshot(page, tmp_path, "article").stat().st_size > 10_000
    badges.first.click()
    page.wait_for_url("**/actors/Jens%20Stoltenberg")
    assert page.locator("h1").inner_text() == "Jens Stoltenberg"
    assert page.locator("svg.timeline rect").count() >= 1
    assert "Secretary General" in page.locator(".profile").inner_text()
    screenshot(page, tmp_path, "actor")


def test_search_for_withdrawal_and_follow_a_result(server, page, tmp_path):
    page.goto(server + "/")
    page.get_by_label("Search statements, headlines and article text").fill("withdrawal")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=withdrawal*")
    results = page.locator(".results .result")
    assert results.count() >= 3
    assert page.locator(".results mark").first.inner_text().lower().startswith("withdraw")
    screenshot(page, tmp_path, "search")
    link = page.locator(f'.results a[href^="/articles/{SEED_ID}#s-"]').first
    anchor = link.get_attribute("href").split("#", 1)[1]
    link.click()
    page.wait_for_url(f"**/articles/{SEED_ID}#{anchor}")
    target = page.locator(f"#{anchor}")
    assert target.is_visible() and "withdrawal" in target.inner_text()
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") != "none"  # :target shows where it is


def test_pages_read_without_javascript_and_by_keyboard(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{server}/articles/{SEED_ID}")
        assert page.locator('.body .st[data-speaker="Jens Stoltenberg"]').count() >= 3
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
        page.goto(server + "/search?q=%22troops%20pulling%20back%22")
        assert page.locator(".results .result").count() >= 1
        for field in page.locator("main input, main select").all():  # every form field has a label
            assert page.locator(f'label[for="{field.get_attribute("id")}"]').count() == 1
    finally:
        context.close()
