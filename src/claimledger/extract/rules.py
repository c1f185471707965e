"""Every rule of the extraction stack in one registry, in the order applied: the completion rules
(``completion.RULES``), then the repairs of each paragraph (``attribution.PARAGRAPH_RULES``). The setting
``disabled_rules`` switches rules off by name; ``claimledger eval quotes --cv --ablate`` measures each."""

from __future__ import annotations

from claimledger.extract.attribution import PARAGRAPH_RULES
from claimledger.extract.completion import RULES, Rule

ALL_RULES: tuple[Rule, ...] = RULES + PARAGRAPH_RULES
RULE_NAMES = tuple(rule.name for rule in ALL_RULES)


def disabled_rules(setting: str) -> frozenset[str]:
    """The rule names of a ``disabled_rules`` setting (comma separated); an unknown name is an error, so that a typo
    does not measure the full stack under another name."""
    names = frozenset(name.strip() for name in setting.split(",") if name.strip())
    unknown = names - set(RULE_NAMES)
    if unknown:
        raise ValueError(f"disabled_rules: no rule named {', '.join(sorted(unknown))} (rules: {', '.join(RULE_NAMES)})")
    return names
