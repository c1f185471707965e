"""Serve: HTTP JSON API and web pages over the ledger."""
