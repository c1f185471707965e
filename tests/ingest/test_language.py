import pytest

from claimledger.ingest.language import identify_language, language_code, with_language
from claimledger.ingest.readers import read_paths
from claimledger.models import Article

from paths import SAMPLE_SEED

GERMAN = ("Bundesregierung verlängert Hilfen\n\nDie Bundesregierung will die Hilfen für Unternehmen bis zum Ende "
          "des Jahres verlängern. Das sagte der Wirtschaftsminister am Mittwoch in Berlin. Die Opposition "
          "kritisierte, die Entscheidung komme zu spät.\n")
FRENCH = ("Le gouvernement prolonge les aides\n\nLe gouvernement va prolonger les aides aux entreprises jusqu'à la "
          "fin de l'année, a annoncé mercredi le ministre de l'Économie à Paris. L'opposition estime que la "
          "décision arrive trop tard.\n")


@pytest.mark.parametrize("tag, code", [
    ("en", "en"), ("en-US", "en"), ("EN_gb", "en"), ("eng", "en"), ("deu", "de"), ("ger", "de"), ("fr-CA", "fr"),
    ("iw", "he"), ("fil", "fil"), ("und", None), ("zxx", None), ("", None), (None, None), ("12", None),
])
def test_language_codes_are_two_letters_where_the_language_has_them(tag, code):
    assert language_code(tag) == code


def test_identified_when_sure_unknown_when_not():
    assert identify_language(GERMAN) == "de" and identify_language(FRENCH) == "fr"
    assert identify_language("NATO Secretary General Jens Stoltenberg") is None


def test_declared_language_is_kept_and_normalized():
    article = Article.from_blocks("x", [("paragraph", GERMAN)], language="en-GB")
    assert with_language(article).language == "en"  # the source's word, not a guess


def test_read_articles_carry_their_language(tmp_path, settings):
    (tmp_path / "de.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    german, french, seed = read_paths([tmp_path / "de.txt", tmp_path / "fr.txt", SAMPLE_SEED], settings)
    assert (german.language, french.language, seed.language) == ("de", "fr", "en")
