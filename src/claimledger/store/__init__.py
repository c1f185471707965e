"""Store: the ledger's SQLite schema, migrations and reads/writes."""
