"""Training of the shipped models (attribution tagger, BiLSTMs, FNC-1 stance, statement stance) from the gold
corpora and hand labels. Sits above the stages: the runtime imports only the weights it writes."""
