"""The extraction rules as one registry: each has a name, what it fixes and an example it reads right, which
reads otherwise with the rule switched off; and ``disabled_rules`` switches rules off by name, no other."""

from __future__ import annotations

import pytest

from claimledger.config import load_settings
from claimledger.extract.pipeline import extract_article
from claimledger.extract.rules import ALL_RULES, RULE_NAMES, disabled_rules
from claimledger.models import Article

SETTINGS = load_settings({}).with_overrides(workers=1)


def statements(text: str, disabled: str = "") -> list[tuple[str, str | None]]:
    article = Article.from_blocks("example", [("paragraph", p) for p in text.split("\n\n")], published="2016-01-05")
    extraction = extract_article(article, SETTINGS.with_overrides(disabled_rules=disabled))
    return [(article.text[s.span[0]:s.span[1]], s.speaker_name) for s in extraction.statements]


def test_registry_names_are_unique_and_described():
    assert len(RULE_NAMES) == len(set(RULE_NAMES))
    for rule in ALL_RULES:
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert rule.fixes and rule.example and rule.scope in ("pass", "sentence", "cue")


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.name)
def test_each_rule_changes_what_its_example_reads(rule):
    with_rule = statements(rule.example)
    assert with_rule, f"{rule.name}: its example gives no statement"
    assert statements(rule.example, rule.name) != with_rule, f"{rule.name} changes nothing on its example"


def test_disabled_rules_setting():
    assert disabled_rules("") == frozenset()
    assert disabled_rules(" fill-lone-cues , signatures") == {"fill-lone-cues", "signatures"}
    with pytest.raises(ValueError, match="no rule named fill-lone-cue"):
        disabled_rules("fill-lone-cue")
