"""Fixtures of the extraction tests: the spaCy pipeline, loaded once for the whole run."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from claimledger.config import load_settings


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load(load_settings({}).model)
