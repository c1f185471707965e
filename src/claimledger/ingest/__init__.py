"""Ingest: readers that turn text, HTML, feeds (RSS, Atom, JSON Feed), WARC and ARC archives and JSON Lines, in
any charset they declare or that fits, into Articles with their language."""
