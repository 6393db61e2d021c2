# The two commands of a fresh machine: `make run` and `make test`.
# Each creates its own virtual environment in .venv (override with VENV=...).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck unit bench rules-doc clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## run: install postguard and check a demo post (the web workspace arrives with `postguard serve`)
run: $(STAMP)
	$(BIN)/postguard rules --pack ipala-social-media-2023
	-$(BIN)/postguard check --account official "Baby Liam (DOB 3/4/25) at St Mary's ward 4 still isn't latching, call his mum Sarah on 07700 900123"
	$(BIN)/postguard check --account official "Join us for World Breastfeeding Week: free drop-in support at the town library on Saturday."

## test: lint, type-check and run the whole test suite
test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/postguard bench --write docs/benchmarks.md

rules-doc: $(STAMP)
	$(BIN)/postguard rules --format markdown > docs/rules.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
