# OCOP Fair Manager: `make run` serves the app with demo data, `make test` runs the whole suite.
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The first Python that is 3.11 or newer.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: run test bench fuzz install clean

run: $(STAMP)
	$(BIN)/events-app migrate
	$(BIN)/events-app demo --if-empty
	HOST=$(HOST) PORT=$(PORT) $(BIN)/events-app serve --no-migrate

test: $(STAMP)
	$(BIN)/python tests/run_suites.py $(ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

fuzz: $(STAMP)
	$(BIN)/python -m bench.fuzz_forms $(ARGS)

install: $(STAMP)

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
