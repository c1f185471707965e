from datetime import date, datetime

from hypothesis import given, strategies as st

from claimledger.ingest.text import parse_dateline, parse_text
from claimledger.models import Article, Rejection

from paths import SAMPLE_SEED


def seed() -> Article:
    article = parse_text(SAMPLE_SEED.read_text(encoding="utf-8"), str(SAMPLE_SEED))
    assert isinstance(article, Article)
    return article


def test_seed_metadata():
    article = seed()
    assert article.published == "2022-02-16"
    assert article.section == "World"
    assert article.headline == "NATO sees no signs of Russia's troop withdrawal near Ukraine"


def test_seed_caption_is_kept_once_with_its_credit():
    (caption,) = seed().captions
    assert caption.text == "NATO Secretary General Jens Stoltenberg speaking in Brussels on Feb. 16."
    assert caption.credit == "Valeria Mongelli/Bloomberg via Getty Images"
    assert "Stoltenberg speaking in Brussels" not in seed().text


def test_seed_blocks():
    article = seed()
    labels = [b.text for b in article.blocks if b.kind == "label"]
    assert labels == ["Why it matters:", "What they're saying:", "The big picture:", "Go deeper:"]
    bullets = [b.text for b in article.blocks if b.kind == "bullet"]
    assert len(bullets) == 5
    assert bullets[0].startswith("Over the last several months, Moscow has positioned")
    assert all(not b.startswith("•") for b in bullets)
    assert article.blocks[0].kind == "paragraph"
    assert article.blocks[0].text.startswith("NATO has not seen signs of Russian troops pulling back")


def test_seed_related_link_and_no_trailing_go_deeper():
    article = seed()
    assert [r.text for r in article.related] == ["If Putin invades Ukraine, the whole world will feel it"]
    assert "If Putin invades" not in article.text
    assert not any(b.text == "Go deeper" for b in article.blocks)
    assert not article.text.rstrip().endswith("Go deeper")


def test_block_offsets_slice_the_text():
    article = seed()
    for block in article.blocks:
        assert article.text[block.start : block.end] == block.text
    assert article.text == "\n\n".join(b.text for b in article.blocks)


def test_same_text_gives_same_id():
    assert seed().id == seed().id
    assert len(seed().id) == 16


def test_text_with_only_a_headline_is_rejected():
    assert isinstance(parse_text("Just a headline\n", "x.txt"), Rejection)


def test_plain_text_without_dateline():
    article = parse_text("Prices rise again\n\nPrices rose 3% in May, the agency said.\n", "p.txt")
    assert isinstance(article, Article)
    assert article.headline == "Prices rise again" and article.published is None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from(["World", "Politics", "Business & Economy", "U.S."]),
       st.sampled_from(["%b %d, %Y", "%B %d, %Y", "%b %-d, %Y", "%b. %d, %Y"]),
       st.sampled_from([" - ", " — ", " – ", " | "]))
def test_dateline_round_trip(day, section, fmt, dash):
    parsed = parse_dateline(day.strftime(fmt) + dash + section)
    assert parsed is not None
    assert parsed.published == day.isoformat()
    assert parsed.section == section


@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2080, 1, 1)))
def test_dateline_with_time(moment):
    parsed = parse_dateline(moment.strftime("%b %d, %Y, %I:%M %p"))
    assert parsed is not None and parsed.section is None
    assert parsed.published == moment.strftime("%Y-%m-%dT%H:%M")


@given(st.text(max_size=60))
def test_dateline_parser_never_raises(line):
    result = parse_dateline(line)
    assert result is None or len(result.published) >= 10
