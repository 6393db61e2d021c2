# The two commands of a fresh machine: `make run` and `make test`.
# Each creates its own virtual environment in .venv (override with VENV=...).
PYTHON ?= python3
VENV ?= .venv
# `make run PORT=8001 HOST=0.0.0.0` serves elsewhere.
PORT ?= 8000
HOST ?= 127.0.0.1
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck unit unit-postgres bench rules-doc clean install

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## run: install postguard and serve the committee workspace with demo data on 127.0.0.1:8000 (PORT=, HOST=)
run: $(STAMP)
	$(BIN)/postguard serve --host $(HOST) --port $(PORT)

## test: lint, type-check and run the whole test suite (SQLite), then the web suite on PostgreSQL
test: $(STAMP) lint typecheck unit unit-postgres

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

# PostgreSQL at 127.0.0.1:5432 (override with PG_URL); Django creates and drops test_<name>.
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
unit-postgres: $(STAMP)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q tests/web

bench: $(STAMP)
	$(BIN)/postguard bench --final --write docs/benchmarks.md
	$(BIN)/postguard bench-inbox --final --write docs/benchmarks.md

rules-doc: $(STAMP)
	$(BIN)/postguard rules --format markdown > docs/rules.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
