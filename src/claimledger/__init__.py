"""claimledger: a ledger of who said what, about whom, when, and who disputes it."""

__version__ = "0.1.0"

__all__ = ["Ledger", "__version__"]


def __getattr__(name: str):
    # The ledger API is imported on first use, so `import claimledger` stays cheap for the CLI and the readers.
    if name == "Ledger":
        from claimledger.ledger import Ledger

        return Ledger
    raise AttributeError(f"module 'claimledger' has no attribute {name!r}")
