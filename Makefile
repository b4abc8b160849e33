# tapwatch: `make demo` runs the pipeline end to end on the sample district;
# `make test` runs the whole test suite against the real local stack.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup stack-up stack-down demo test test-unit lint bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint requirements.lock --editable '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

stack-up: setup
	$(BIN)/tapwatch stack up

stack-down: setup
	$(BIN)/tapwatch stack down

demo: setup
	$(BIN)/tapwatch stack up
	bash deploy/demo.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test-unit: setup
	$(BIN)/pytest -m "not integration" -q

test: setup
	$(BIN)/ruff check .
	$(BIN)/tapwatch stack up
	$(BIN)/pytest -q

bench: setup
	$(BIN)/tapwatch stack up
	$(BIN)/python -m bench.pipeline --posts 100000

clean:
	rm -rf $(VENV) .tapwatch
