import codecs
import gzip
import json
import shutil
import unicodedata

import pytest

from claimledger.ingest.dedup import Deduplicator, Verdict
from claimledger.ingest.readers import read_paths
from claimledger.models import Article, Rejection

from paths import SAMPLES


def test_format_is_told_by_content_not_by_name(tmp_path, settings):
    page = gzip.decompress((SAMPLES / "html" / "7916ecca969ffdd8f6fc32d171fbe0dd63db40fe4c1d2ade02b1dec5929a162f.html.gz"
                            ).read_bytes())
    (tmp_path / "page.txt").write_bytes(page)  # HTML under a text name
    shutil.copy(SAMPLES / "feeds" / "boko-haram.rss", tmp_path / "feed.dat")
    (tmp_path / "lines.gz").write_bytes(gzip.compress(json.dumps(
        {"headline": "Ceasefire", "text": "Officials said on Friday that a ceasefire had been agreed."}).encode()))
    (tmp_path / "story").write_bytes(gzip.compress((SAMPLES / "text" / "fnc1-2403.txt").read_bytes()))
    items = list(read_paths([tmp_path], settings))
    articles = [i for i in items if isinstance(i, Article)]
    assert any("helicopter" in a.text for a in articles)
    assert sum(a.url is not None and "fnc1/body" in a.url for a in articles) == 4
    assert any(a.headline == "Ceasefire" for a in articles)
    assert any(a.headline == "Boko Haram denies it has agreed ceasefire" for a in articles)


def test_folders_are_read_recursively_in_a_stable_order(settings):
    first = [getattr(i, "id", None) or str(i) for i in read_paths([SAMPLES], settings)]
    second = [getattr(i, "id", None) or str(i) for i in read_paths([SAMPLES], settings)]
    assert first == second and len(first) == 30


def test_large_jsonl_streams_instead_of_being_rejected(tmp_path, settings):
    settings = settings.with_overrides(max_document_mb=0.05)
    record = json.dumps({"headline": "H", "text": "Word " * 400})
    (tmp_path / "many.jsonl").write_text("\n".join(record.replace('"H"', f'"H{i}"') for i in range(40)))
    items = list(read_paths([tmp_path / "many.jsonl"], settings))
    assert len(items) == 40 and all(isinstance(i, Article) for i in items)
    (tmp_path / "big.txt").write_text("Headline\n\n" + "Word " * 20000)
    (rejection,) = read_paths([tmp_path / "big.txt"], settings)
    assert isinstance(rejection, Rejection) and "limit" in rejection.reason


BODY = ("Officials in Zürich said on Monday that the talks on the café owners’ rents would resume next week. "
        "The mayor, Chloé Müller, told reporters that “nobody wants the cafés to close”.")
UNICODE_FILES = [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                 ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE)]


def one_article(path, settings) -> Article:
    (item,) = read_paths([path], settings)
    assert isinstance(item, Article), item
    return item


@pytest.mark.parametrize("codec, bom", UNICODE_FILES)
def test_utf16_and_utf32_text_html_feeds_and_json_lines_are_read(tmp_path, settings, codec, bom):
    (tmp_path / "story.txt").write_bytes(bom + f"Rents talks resume\n\n{BODY}\n".encode(codec))
    story = one_article(tmp_path / "story.txt", settings)
    assert story.headline == "Rents talks resume" and story.text == BODY

    paragraphs = "".join(f"<p>{BODY} Paragraph {i}.</p>" for i in range(3))
    page = (f'<html><head><meta charset="utf-16"><title>Rents</title></head>'
            f"<body><article>{paragraphs}</article></body></html>")
    (tmp_path / "page.html").write_bytes(bom + page.encode(codec))
    assert BODY in one_article(tmp_path / "page.html", settings).text

    rss = (f'<?xml version="1.0" encoding="{codec[:6]}"?><rss version="2.0"><channel><title>Wire</title><item>'
           f"<title>Rents talks resume</title><link>https://wire.example/rents</link>"
           f"<description><![CDATA[{paragraphs * 3}]]></description></item></channel></rss>")
    (tmp_path / "feed.rss").write_bytes(bom + rss.encode(codec))
    entry = one_article(tmp_path / "feed.rss", settings)
    assert entry.url == "https://wire.example/rents" and BODY in entry.text and entry.outlet == "Wire"

    lines = "\n".join(json.dumps({"headline": f"Rents {i}", "text": BODY}, ensure_ascii=False) for i in range(2))
    (tmp_path / "lines.jsonl").write_bytes(bom + lines.encode(codec))
    items = list(read_paths([tmp_path / "lines.jsonl"], settings))
    assert [i.headline for i in items] == ["Rents 0", "Rents 1"] and items[0].text == BODY


def test_text_in_a_legacy_charset_is_read(tmp_path, settings):
    french = ("Les loyers des cafés de Zürich\n\nLe maire a déclaré lundi que « personne ne veut que les cafés "
              "ferment », et les négociations reprendront la semaine prochaine à l’hôtel de ville.\n")
    (tmp_path / "cafes.txt").write_bytes(french.encode("cp1252"))
    article = one_article(tmp_path / "cafes.txt", settings)
    assert article.headline == "Les loyers des cafés de Zürich" and "« personne ne veut" in article.text


def test_decomposed_accents_and_invisible_characters_give_the_clean_article(tmp_path, settings):
    clean = f"Rents talks resume in Zürich\n\n{BODY}\n"
    messy = unicodedata.normalize("NFD", clean).replace("Officials", "Offi\u00adcials").replace(
        "talks", "talks\u200b").replace("reporters", "repor\u2060ters\ufeff")
    assert messy != clean and unicodedata.normalize("NFC", messy) != clean
    (tmp_path / "clean.txt").write_text(clean, encoding="utf-8")
    (tmp_path / "messy.txt").write_text(messy, encoding="utf-8")
    first, second = one_article(tmp_path / "clean.txt", settings), one_article(tmp_path / "messy.txt", settings)
    assert (second.id, second.headline, second.text, second.blocks) == (first.id, first.headline, first.text,
                                                                        first.blocks)
    dedup = Deduplicator(0.9, 5, 128, lambda article_id: first.text)
    assert dedup.check(first)[0].kind == "new"
    assert dedup.check(second)[0] == Verdict("exact", first.id)

    # The joiners stay: ZWNJ writes Persian "I want" apart, not as one joined word; ZWJ makes one family emoji.
    joined = "می\u200cخواهم and \U0001F468\u200d\U0001F469\u200d\U0001F467"
    (tmp_path / "joiners.txt").write_text(f"Joiners\n\nThe reader wrote {joined} to\u00adday.\n", encoding="utf-8")
    assert one_article(tmp_path / "joiners.txt", settings).text == f"The reader wrote {joined} today."


def test_markup_that_is_no_feed_and_no_page_is_rejected_with_its_root_element(tmp_path, settings):
    (tmp_path / "channel.cdf").write_text(
        '<?xml version="1.0"?><CHANNEL HREF="http://x.example/index.html"><TITLE>News</TITLE>'
        '<ABSTRACT>Daily news from the city council and its committees.</ABSTRACT>'
        '<ITEM HREF="http://x.example/1.html"><TITLE>Council meets</TITLE></ITEM></CHANNEL>')
    (tmp_path / "unknown.rss").write_text(
        '<?xml version="1.0"?><x:rss xmlns:x="http://example.org/unknown-rss/"><x:channel><x:title>W</x:title>'
        f"<x:item><x:title>Rents</x:title><x:description>{BODY}</x:description></x:item></x:channel></x:rss>")
    cdf, unknown = read_paths([tmp_path / "channel.cdf", tmp_path / "unknown.rss"], settings)
    assert isinstance(cdf, Rejection) and "XML document <CHANNEL>" in cdf.reason
    assert isinstance(unknown, Rejection)
    assert "<rss> in namespace http://example.org/unknown-rss/" in unknown.reason
    assert "not a feed" in unknown.reason


def test_json_feed_is_read_as_a_feed_not_as_json_lines(tmp_path, settings):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Wire",
            "items": [{"id": "1", "url": "https://wire.example/rents", "title": "Rents talks resume",
                       "content_text": BODY}]}
    (tmp_path / "feed.json").write_text(json.dumps(feed, indent=2))
    article = one_article(tmp_path / "feed.json", settings)
    assert article.url == "https://wire.example/rents" and article.text == BODY and article.outlet == "Wire"

    # Keys sorted: "version" comes after 10 KB of items, where no sniffing looks; pretty-printed or on one line.
    feed["items"] = [{**feed["items"][0], "id": str(i), "title": f"Rents {i}"} for i in range(40)]
    for name, indent in (("sorted.json", 2), ("one-line.json", None)):
        (tmp_path / name).write_text(json.dumps(feed, indent=indent, sort_keys=True))
        items = list(read_paths([tmp_path / name], settings))
        assert [i.headline for i in items] == [f"Rents {i}" for i in range(40)]
    (tmp_path / "other.json").write_text(json.dumps({"items": [1, 2]}, indent=2))
    (rejection,) = read_paths([tmp_path / "other.json"], settings)
    assert "not a JSON Feed" in rejection.reason
