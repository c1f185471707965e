"""Ingest: readers that turn text, HTML, feeds, WARC archives and JSON Lines into Articles."""
