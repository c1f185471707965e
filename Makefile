# claimledger: `make demo` (set up and run on the sample corpus), `make test`, `make bench`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEMO_DB := out/demo.db
# The seed article's id: a hash of its normalized headline and body, so the same on every machine.
SEED_ID := f0b6de449740328a
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: install demo test bench fuzz lock clean

install: $(STAMP)

# Exact versions from requirements.lock; the package itself without dependencies, so nothing unpinned slips in.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Tables as wide as a terminal window, also when the output is piped or logged.
demo: export COLUMNS = 150
demo: install
	mkdir -p out
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/claimledger ingest samples/corpus --db $(DEMO_DB) --rejected out/demo-rejected.jsonl
	$(BIN)/claimledger articles --db $(DEMO_DB)
	$(BIN)/claimledger extract --db $(DEMO_DB)
	@echo "Statements of the seed article (Axios, 16 Feb 2022):"
	$(BIN)/claimledger statements --db $(DEMO_DB) --article $(SEED_ID)
	$(BIN)/claimledger link --db $(DEMO_DB)
	@echo "Disputed claims (a contradiction the stance model is sure of, by someone not among the supporters):"
	$(BIN)/claimledger disputes --db $(DEMO_DB)
	@echo
	@echo "Claims about Russia: the seed's withdrawal, worded by Russia's announcement, and who said what:"
	$(BIN)/claimledger claims --db $(DEMO_DB) --actor Russia
	@echo
	@echo "How true the ledger is against the hand labels of labels/:"
	$(BIN)/claimledger eval ledger --db $(DEMO_DB)
	@echo
	@echo "Browse the ledger: $(BIN)/claimledger serve --db $(DEMO_DB)"
	@echo "then open http://127.0.0.1:8000/articles/$(SEED_ID)"

test: install
	$(BIN)/python -m pytest

bench: install
	mkdir -p out
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_link.py
	$(BIN)/python benchmarks/bench_serve.py --db out/bench-serve.db
	$(BIN)/python benchmarks/bench_spark.py
	$(BIN)/claimledger eval stance --data ../shared/data/fnc1

# Every reader and parser fuzzed with 10,000 inputs (tests/fuzz, at most 10 minutes each), then executions per harness.
# Without schemathesis's pytest plugin, which blanks the inputs in hypothesis's report of a failure.
fuzz: install
	CLAIMLEDGER_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest tests/fuzz -q -p no:schemathesis

# Refresh the lock from the current environment (after changing dependencies in pyproject.toml).
lock:
	$(BIN)/python -m pip freeze --exclude-editable | sed -e 's/^torch==\([0-9.]*\)+cpu$$/torch==\1/' > requirements.lock

clean:
	rm -rf out .pytest_cache .hypothesis
