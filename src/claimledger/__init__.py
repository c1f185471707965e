"""claimledger: a ledger of who said what, about whom, when, and who disputes it."""

__version__ = "0.1.0"
