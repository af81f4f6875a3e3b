# itfm: two commands for a fresh machine (see README).
#   make demo   generate demo data, load it, dbt build, print a summary
#   make test   ruff, sqlfluff, dbt build on the ci target, pytest
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CI_LANDING := target/ci_landing
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: demo test lint dbt-ci pytest bench clean install

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/itfm demo --landing data/landing/demo

lint: $(STAMP)
	$(BIN)/ruff check python_helpers tests
	$(BIN)/ruff format --check python_helpers tests
	$(BIN)/sqlfluff lint models tests/dbt analyses

dbt-ci: $(STAMP)
	rm -rf $(CI_LANDING) target/ci.duckdb
	$(BIN)/itfm generate --out $(CI_LANDING) --scale ci --days 62
	$(BIN)/itfm load --target ci --landing $(CI_LANDING)
	$(BIN)/itfm build --target ci

pytest: $(STAMP)
	$(BIN)/python -m pytest -q

test: lint dbt-ci pytest

clean:
	rm -rf target logs warehouse data/landing

# The benchmark (never part of `make test`): SCALE=demo|1m|medium|large|curve.
SCALE ?= medium
bench: $(STAMP)
	$(BIN)/itfm bench --scale $(SCALE)
