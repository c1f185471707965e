"""Readers of the public gold corpora that training and evaluation use (PolNeAR, FNC-1, TimeML). The runtime
stages import nothing from here."""
