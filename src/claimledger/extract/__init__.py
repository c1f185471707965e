"""Extract: actors, statements with speakers, dates, quantities and places, with offsets into the article text."""

import sys

# thinc, under spaCy, imports PyTorch whenever it is installed, for layers that wrap PyTorch models; it is
# installed here for linking's sentence encoder. No extraction pipeline has such a layer, and the import cost each
# `claimledger extract` about 1.5 s of start-up and 185 MiB in every process. So spaCy is first imported with
# PyTorch hidden (a None entry in sys.modules makes `import torch` fail, as if it were absent): thinc records that
# it has none, and a later `import torch` in the same process (linking after extracting) loads it as usual.
if "thinc" not in sys.modules and "torch" not in sys.modules:
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]
