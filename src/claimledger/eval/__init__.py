"""Evaluation commands against public gold data (PolNeAR, TempEval-3, FNC-1, the article extraction benchmark)."""
