import codecs
import io

import pytest

from claimledger.ingest.charsets import CharsetError, as_utf8, decode_html, decode_text, utf8_lines
from claimledger.ingest.html import parse_html
from claimledger.models import Article

STORY = "The mayor of São Paulo said “we won’t close the café” — and Peña agreed."
BOMS = [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE), ("utf-8", codecs.BOM_UTF8)]


@pytest.mark.parametrize("codec, bom", BOMS)
def test_text_with_a_byte_order_mark_decodes(codec, bom):
    assert decode_text(bom + STORY.encode(codec)) == STORY


@pytest.mark.parametrize("codec, bom", BOMS)
def test_head_cut_inside_a_character_reads_as_utf8(codec, bom):
    data = bom + "<rss version='2.0'>é".encode(codec)
    assert as_utf8(data[:-1]).startswith(b"<rss version='2.0'>")


FRENCH = ("Grève à la SNCF : le trafic sera très perturbé jeudi\n\nLe ministre des Transports a déclaré mercredi "
          "que « la négociation reste ouverte », mais les syndicats maintiennent leur préavis. À Paris, les usagers "
          "s’attendent à une journée difficile ; en Île-de-France, un train sur trois circulera.")
RUSSIAN = "Президент России заявил в среду, что переговоры с Украиной продолжатся на следующей неделе."


@pytest.mark.parametrize("text, charset", [(FRENCH, "cp1252"), (RUSSIAN, "cp1251"), (RUSSIAN, "koi8_r")])
def test_text_in_a_legacy_charset_is_guessed(text, charset):
    assert decode_text(text.encode(charset)) == text


def test_text_that_breaks_its_byte_order_mark_is_an_error():
    with pytest.raises(CharsetError, match="invalid UTF-16LE at byte"):
        decode_text(codecs.BOM_UTF16_LE + "Headline".encode("utf-16-le") + b"\x00\xdc")


def page(charset: str) -> str:
    body = "".join(f"<p>{STORY} Paragraph {i} of the story, officials said on Monday.</p>" for i in range(4))
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>Café talks</title></head><body><article><h1>Café talks</h1>{body}</article></body></html>")


def test_html_declared_latin1_is_read_as_windows_1252_as_browsers_do():
    # Old pages declare ISO-8859-1 and use windows-1252's curly quotes and dashes (0x80-0x9f).
    assert STORY in decode_html(page("iso-8859-1").encode("cp1252"))
    article = parse_html(page("iso-8859-1").encode("cp1252"), "cafe.html")
    assert isinstance(article, Article)
    assert STORY in article.text and article.headline == "Café talks"


def test_html_charset_from_the_http_header():
    data = page("utf-8").replace('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', "")
    assert STORY in decode_html(data.encode("cp1252"), "text/html; charset=windows-1252")


def test_html_saved_again_as_utf8_keeps_utf8_despite_its_old_declaration():
    assert STORY in decode_html(page("iso-8859-1").encode("utf-8"))


def test_utf16_lines_keep_a_line_separator_inside_a_line():
    text = '{"text": "one\u2028two"}\n{"text": "three"}\n'
    lines = list(utf8_lines(io.BytesIO(codecs.BOM_UTF16_BE + text.encode("utf-16-be")), "utf-16-be"))
    assert lines == ['{"text": "one\u2028two"}\n'.encode(), b'{"text": "three"}\n']
