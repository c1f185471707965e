"""The attribution tagger's ceiling: its raw CONTENT spans scored as statements (content only, no speaker), on the
cross-validation folds of `claimledger eval quotes --cv` (their trained fold models in out/quotes-cv), beside the
final statements, pooled over the folds as they come. If statement building kept its precision and lost none of
the tagger's recall, content F1 could reach no higher than these figures allow. Prints figures, asserts nothing.

    .venv/bin/python benchmarks/tagger_ceiling.py   (after `claimledger eval quotes --cv`; about 4 minutes)
"""

from __future__ import annotations

import sys
from pathlib import Path

from claimledger.config import load_settings
from claimledger.corpora.polnear import fold_of, read_cv_corpus
from claimledger.eval.quotes import Prediction, _Tally, claimledger_predictions, gold_article
from claimledger.extract.attribution import load_tagger
from claimledger.extract.nlp import cheap_pass, load_nlp
from claimledger.extract.pipeline import article_paragraphs
from claimledger.extract.rules import disabled_rules

settings = load_settings({})
docs = read_cv_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/polnear"))
raw, final = _Tally(), _Tally()
nlp = load_nlp(settings.model)
for k in range(5):
    test = [d for d in docs if fold_of(d.name, 5) == k]
    s = settings.with_overrides(attribution_model=f"out/quotes-cv/fold-{k}", workers=1)
    tagger = load_tagger(s.attribution_model)
    articles = [gold_article(d) for d in test]
    parsed = list(cheap_pass(nlp, (a.text for a in articles), batch_size=64))
    tagged = tagger.tag_many([(doc, article_paragraphs(doc, a)) for a, doc in zip(articles, parsed)],
                             disabled_rules(""))
    for d, doc, labels in zip(test, parsed, tagged):
        spans, start = [], None
        for i, lab in enumerate(labels + ["O"]):
            inside = lab.endswith("CONTENT")
            if inside and (start is None or lab.startswith("B-")):
                if start is not None:
                    spans.append((start, i))
                start = i
            elif not inside and start is not None:
                spans.append((start, i)); start = None
        preds = [Prediction(((doc[a].idx, doc[b - 1].idx + len(doc[b - 1])),), None) for a, b in spans]
        raw.add(d.text, preds, d.attributions)
    for d, preds in zip(test, claimledger_predictions(test, s)):
        final.add(d.text, preds, d.attributions)
    print(k, "raw", {x: round(v, 3) for x, v in raw.figures().items() if "content" in x}, flush=True)
    print(k, "final", {x: round(v, 3) for x, v in final.figures().items() if "content" in x}, flush=True)
