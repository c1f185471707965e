"""The web pages in Chromium (Debian's, driven by Playwright) against a real `claimledger serve` process: over the
sample corpus extracted, and over it linked with disputes (home, dispute, claim with its chart, actor pages).

Set CLAIMLEDGER_SCREENSHOT_DIR=docs to also write the README's screenshots (docs/screenshot-*.png).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from serving import SEED_ID, serve  # noqa: E402

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


def screenshot(page, tmp_path: Path, name: str, full_page: bool = False) -> Path:
    """Save a screenshot into the test's folder and, when asked, into the README's folder."""
    path = tmp_path / f"screenshot-{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
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


# Pages over the sample corpus linked with disputes.

@pytest.fixture(scope="module")
def dated_server(dated_dispute, tmp_path_factory):
    """A server over the sample ledger with one dispute's contradiction dated: its chart has both sides."""
    yield from serve(dated_dispute[0], tmp_path_factory.mktemp("server") / "server.log")


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, locator
    return found


def test_a_dispute_from_home_shows_both_sides_and_leads_to_the_words_highlighted(disputes_server, page, tmp_path):
    page.goto(disputes_server + "/")
    newest = page.get_by_role("region", name="Newest disputes")
    assert newest.get_by_role("link").count() >= 2
    newest.get_by_role("link").first.click()
    page.wait_for_url("**/disputes/C*")
    main_nav = page.get_by_role("navigation", name="Main")
    assert main_nav.get_by_role("link", name="Disputes").get_attribute("aria-current") == "page"
    supports, contradicts = page.locator("section.side-supports"), page.locator("section.side-contradicts")
    assert supports.get_by_role("heading").inner_text().startswith("Supports")
    assert contradicts.get_by_role("heading").inner_text().startswith("Contradicts")
    left, right = box(supports), box(contradicts)
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 2  # next to each other
    for side in (supports, contradicts):
        entry = side.locator(".entry").first
        assert entry.locator(".said-by a").count() == 1  # who, linked to their page
        assert entry.locator("time").inner_text()  # when (or "undated")
        assert entry.locator("blockquote.quoted").inner_text().startswith("“")  # the words quoted
    assert contradicts.get_by_text("disputes it").count() >= 1
    screenshot(page, tmp_path, "dispute", full_page=True)
    source = contradicts.get_by_role("link", name=re.compile("^Read it highlighted")).first
    anchor = source.get_attribute("href").split("#", 1)[1]
    quoted = contradicts.locator("blockquote.quoted").first.inner_text().strip("“”")
    source.click()
    page.wait_for_url(f"**#{anchor}")
    target = page.locator(f"#{anchor}")
    assert target.is_visible() and quoted in target.inner_text()
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") != "none"  # :target shows where it is


def test_a_claim_page_charts_supports_above_and_contradicts_below(dated_server, dated_dispute, page, tmp_path):
    page.goto(f"{dated_server}/claims/{dated_dispute[1]}")
    chart = page.get_by_role("img", name="Who supports and who contradicts the claim, by date")
    assert chart.count() == 1 and chart.is_visible()
    assert "support the claim (bars above the axis)" in chart.locator("desc").text_content()
    axis = box(chart.locator("line.axis"))["y"]
    ups, downs = chart.locator("rect.up"), chart.locator("rect.down")
    assert ups.count() >= 1 and downs.count() >= 1
    for i in range(ups.count()):
        bar = box(ups.nth(i))
        assert bar["height"] > 10 and abs(bar["y"] + bar["height"] - axis) < 2  # standing on the axis
    for i in range(downs.count()):
        bar = box(downs.nth(i))
        assert bar["height"] > 10 and abs(bar["y"] - axis) < 2  # hanging from it
    assert box(ups.first)["x"] < box(downs.first)["x"]  # the support came first
    table = page.get_by_role("table", name="Stances on the claim by period")
    header = [cell.inner_text() for cell in table.locator("thead th").all()]
    assert header == ["Period", "Supports", "Contradicts", "Discusses"]
    counts = [[cell.inner_text() for cell in row.locator("th, td").all()] for row in table.locator("tbody tr").all()]
    assert sum(int(row[1]) for row in counts) == ups.count() and sum(int(row[2]) for row in counts) >= 1
    screenshot(page, tmp_path, "claim-both-sides", full_page=True)


def test_the_sample_claim_page_and_actor_pages_link_the_disputes(disputes_server, page, tmp_path):
    page.goto(disputes_server + "/")
    page.get_by_role("region", name="Newest disputes").get_by_role("link").first.click()  # a dated one
    page.get_by_role("link", name="its timeline and chart").click()
    page.wait_for_url("**/claims/C*")
    # Its supporter is dated, its contradiction (an FNC-1 body) is not: a bar above the axis, none below, and
    # the table counts the undated contradiction.
    chart = page.get_by_role("img", name="Who supports and who contradicts the claim, by date")
    assert chart.locator("rect.up").count() >= 1 and chart.locator("rect.down").count() == 0
    rows = page.get_by_role("table", name="Stances on the claim by period").locator("tbody tr")
    assert rows.last.inner_text().split() == ["undated", "0", "1", "0"]
    screenshot(page, tmp_path, "claim", full_page=True)
    page.goto(disputes_server + "/actors/abubakar-shekau")
    assert page.locator("h1").inner_text() == "Abubakar Shekau"
    assert "Shekau" in page.locator(".profile").inner_text()  # also called
    disputes = page.get_by_role("region", name="Claims they dispute")
    disputes.get_by_role("link").first.click()
    page.wait_for_url("**/disputes/C*")
    assert "Abubakar Shekau" in page.locator("section.side-contradicts").inner_text()


def test_the_dispute_pages_read_without_javascript_and_by_keyboard(browser, disputes_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(disputes_server + "/disputes")
        reached = []
        for _ in range(8):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        assert reached == ["Skip to content", "claimledger", "Home", "Articles", "Actors", "Claims", "Disputes",
                           "Search"]
        assert page.evaluate("document.activeElement.getAttribute('aria-current')") is None
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.getAttribute('aria-current')") == "page"  # Disputes
        page.keyboard.press("Enter")
        page.wait_for_url("**/disputes")
        link = page.get_by_role("table").get_by_role("link").first
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/disputes/C*")
        assert page.get_by_role("heading", name=re.compile("^Supports")).count() == 1
        assert page.get_by_role("heading", name=re.compile("^Contradicts")).count() == 1
        page.get_by_role("link", name="its timeline and chart").click()
        page.wait_for_url("**/claims/C*")
        assert page.get_by_role("table", name="Stances on the claim by period").is_visible()
    finally:
        context.close()
