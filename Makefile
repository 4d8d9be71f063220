# Two commands for a fresh machine:
#   make run    run the daemon on the embedded default (SQLite) with sample dealer mail
#   make test   lint and run the test suite
# Each creates .venv with the project installed; nothing else is needed.

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

.PHONY: install run test bench clean

install: $(STAMP)

run: $(STAMP)
	$(BIN)/intake init demo --with-samples
	cd demo && ../$(BIN)/intake -c intake.yaml run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/rules.py
	$(BIN)/python bench/imap.py
	$(BIN)/python bench/sweep.py
	$(BIN)/python bench/desk.py
	$(BIN)/python bench/understand.py
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/sieve.py

clean:
	rm -rf $(VENV) demo .pytest_cache .ruff_cache
