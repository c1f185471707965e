import gzip
import json
import re

import pytest

from claimledger.ingest.html import parse_html
from claimledger.models import Article, Rejection

from paths import SAMPLES, shared


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def recall_precision(predicted: str, gold: str) -> tuple[float, float]:
    p, g = set(words(predicted)), set(words(gold))
    return len(p & g) / len(g), len(p & g) / len(p)


def test_sample_page_metadata_and_body():
    page = SAMPLES / "html" / "7916ecca969ffdd8f6fc32d171fbe0dd63db40fe4c1d2ade02b1dec5929a162f.html.gz"
    article = parse_html(gzip.decompress(page.read_bytes()), str(page))
    assert isinstance(article, Article)
    assert article.outlet == "Al Jazeera"
    assert article.published == "2019-11-20"
    assert "helicopter" in article.headline.lower()
    assert all(article.text[b.start : b.end] == b.text for b in article.blocks)
    # Page furniture stays out of the body.
    for furniture in ("Share", "Follow Al Jazeera", "Cookie", "Skip to"):
        assert not any(b.text.startswith(furniture) for b in article.blocks)


def test_benchmark_pages_match_gold_text():
    folder = shared("article-extraction-benchmark")
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    scores = []
    for page_id in sorted(truth)[:12]:
        html = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        article = parse_html(html, page_id, url=truth[page_id]["url"])
        if isinstance(article, Rejection):
            scores.append((0.0, 0.0))
            continue
        scores.append(recall_precision(article.text, truth[page_id]["articleBody"]))
    recall = sum(r for r, _ in scores) / len(scores)
    precision = sum(p for _, p in scores) / len(scores)
    assert recall > 0.85 and precision > 0.8


def test_page_without_article_text_is_rejected():
    html = b"<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav></body></html>"
    rejection = parse_html(html, "nav.html")
    assert isinstance(rejection, Rejection)
    assert "no article text" in rejection.reason


def test_lists_become_bullets_and_subheads_labels():
    body = " ".join(f"<p>Paragraph {i} says the mayor spoke about the city budget and its schools at length.</p>"
                    for i in range(4))
    html = (f"<html><head><title>Budget</title></head><body><article><h1>Budget</h1>{body}"
            "<h2>What comes next</h2><ul><li>First the council votes on the plan this week.</li>"
            "<li>Then the mayor signs the budget into law.</li></ul>" + body + "</article></body></html>")
    article = parse_html(html, "budget.html")
    assert isinstance(article, Article)
    kinds = [(b.kind, b.text) for b in article.blocks]
    assert ("label", "What comes next") in kinds
    assert ("bullet", "First the council votes on the plan this week.") in kinds
    assert not any(text == "Budget" for _, text in kinds)


def test_figure_caption_with_credit_is_kept_once_and_not_in_the_body():
    body = " ".join(f"<p>Paragraph {i}: the minister told reporters the talks in Geneva would resume soon.</p>"
                    for i in range(5))
    caption = "Jens Stoltenberg speaking in Brussels on Feb. 16."
    html = (f"<html><head><title>Talks</title></head><body><article><h1>Talks</h1>"
            f"<figure><img src='a.jpg' alt='logo'><figcaption>{caption} "
            "<span class='credit'>Valeria Mongelli/Bloomberg via Getty Images</span></figcaption></figure>"
            f"<p>{caption}</p>{body}</article></body></html>")
    article = parse_html(html, "talks.html")
    assert isinstance(article, Article)
    assert [(c.text, c.credit) for c in article.captions] == [
        (caption, "Valeria Mongelli/Bloomberg via Getty Images")]
    assert caption not in article.text


def test_caption_credit_written_after_the_caption():
    from claimledger.ingest.captions import split_credit

    assert split_credit("Troops in Donetsk. (Photo: AP)").credit == "AP"
    assert split_credit("A quiet street in Kyiv.").credit is None


def _page(body: str) -> str:
    paragraphs = " ".join(f"<p>Paragraph {i}: the council met on Tuesday and the mayor said the budget would pass "
                          f"before the end of the month.</p>" for i in range(4))
    return (f"<html><head><title>Budget</title></head><body><article><h1>Budget</h1>{paragraphs}{body}"
            f"{paragraphs}</article></body></html>")


def test_line_breaks_keep_lines_apart():
    html = _page("<p>The tour dates:<br>June 9 -- Coral Sky Amphitheatre<br>June 10 -- Credit Union Park</p>")
    article = parse_html(html, "tour.html")
    assert isinstance(article, Article)
    assert "The tour dates: June 9 -- Coral Sky Amphitheatre June 10 -- Credit Union Park" in article.text


def test_text_between_blocks_is_kept():
    # trafilatura keeps the text after a heading as the heading's tail, not as a paragraph of its own.
    folder = shared("article-extraction-benchmark")
    page = folder / "html" / "287e4d9f4af31733aad6534aefb2bd00fb344ec8d6ebf1ac99dbc4d762da0ca4.html.gz"
    article = parse_html(gzip.decompress(page.read_bytes()), str(page))
    assert isinstance(article, Article)
    assert "The price of one of the PS4 DualShock controllers has prematurely dropped" in article.text
    assert all(article.text[b.start : b.end] == b.text for b in article.blocks)


def test_link_dense_teaser_becomes_a_related_link():
    teaser = "<p>Read more: <a href='/2019/11/schools'>The schools plan the council rejected last year</a></p>"
    linked = ("<p>The mayor told <a href='/people/mayor'>reporters</a> that the vote on the budget would come "
              "before the end of the month.</p>")
    article = parse_html(_page(teaser + linked), "budget.html", url="https://city.example/2019/11/budget")
    assert isinstance(article, Article)
    assert "The schools plan the council rejected last year" not in article.text
    assert "The mayor told reporters that the vote on the budget" in article.text  # a link in a sentence stays
    assert ("The schools plan the council rejected last year", "https://city.example/2019/11/schools") in [
        (link.text, link.url) for link in article.related]


def test_rules_switch_off_by_name():
    teaser = "<p>Read more: <a href='/2019/11/schools'>The schools plan the council rejected last year</a></p>"
    article = parse_html(_page(teaser), "budget.html", disabled_rules={"link-dense-blocks"})
    assert isinstance(article, Article)
    assert "Read more: The schools plan the council rejected last year" in article.text
    with pytest.raises(ValueError, match="no-such-rule"):
        parse_html(_page(teaser), "budget.html", disabled_rules={"no-such-rule"})
