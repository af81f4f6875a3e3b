# itfm: two commands for a fresh machine (see README).
#   make demo   generate demo data, load it, dbt build, print a summary
#   make test   ruff, sqlfluff, dbt build on the ci target (DuckDB, then Spark,
#               compared), focus-validator, pytest
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CI_LANDING := target/ci_landing
# The FinOps Foundation's FOCUS validator needs Python 3.12 and duckdb < 2: its own
# environment, from requirements-focus.txt.
FOCUS_VENV := .venv-focus
FOCUS_STAMP := $(FOCUS_VENV)/.installed
PYTHON312 ?= $(shell for p in python3.12 $(wildcard /root/.pyenv/versions/3.12*/bin/python3.12) \
	$(wildcard /usr/bin/python3.12) $(wildcard /usr/local/bin/python3.12); do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && echo $$p && break; done)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: demo test lint dbt-ci spark-ci focus-validate focus-validator pytest bench clean install spark-install spark-bench browser-install

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

focus-validator: $(FOCUS_STAMP)

$(FOCUS_STAMP): requirements-focus.txt
	@test -n "$(PYTHON312)" || { echo "focus-validator needs Python 3.12 (set PYTHON312=...)"; exit 2; }
	test -x $(FOCUS_VENV)/bin/python || $(PYTHON312) -m venv $(FOCUS_VENV)
	$(FOCUS_VENV)/bin/python -m pip install --quiet -r requirements-focus.txt
	touch $(FOCUS_STAMP)

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

# The ci build's fact exported in FOCUS 1.2 columns and validated (0 MUST failures).
focus-validate: $(STAMP) $(FOCUS_STAMP)
	$(BIN)/itfm focus-validate --target ci --out target

pytest: $(STAMP) browser-install
	$(BIN)/python -m pytest -q

# Debian's Chromium, for the dashboards' browser test (tests/python/integration/
# test_dashboards.py, through Playwright); apt-get needs root, as on CI.
browser-install:
	@command -v chromium >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@chromium --version

test: lint dbt-ci spark-ci focus-validate pytest

clean:
	rm -rf target logs warehouse data/landing $(FOCUS_VENV)

# The benchmark (never part of `make test`): SCALE=demo|1m|medium|large|curve
# (curve: demo, 1m, medium and large in one run, about 45 minutes).
SCALE ?= medium
bench: $(STAMP)
	$(BIN)/itfm bench --scale $(SCALE)

# The Spark target (docs/spark.md): dbt-spark's session method and pyspark, on top
# of requirements.txt in the same .venv. Java 17 must be on the PATH.
SPARK_STAMP := $(VENV)/.spark-installed
spark-install: $(SPARK_STAMP)

$(SPARK_STAMP): $(STAMP) requirements-spark.txt
	$(BIN)/python -m pip install --quiet -r requirements-spark.txt
	touch $(SPARK_STAMP)

# The Spark proof (docs/spark.md): the ci raw data of dbt-ci built and tested on
# Spark (models and data tests), then every mart compared with the DuckDB build
# (itfm spark-compare fails when one differs). Then the incremental path: the
# same data generated a day longer (every billing month restated, a day of
# telemetry more; the generator's inventory snapshots change with the length, so
# --allow-row-drop; and the SaaS feed's July restated to no rows) is loaded into a
# copy of the warehouse, built on Spark incrementally and compared with a DuckDB
# full refresh of the copy.
SPARK_CI := target/spark
SPARK_ENV := ITFM_RAW_PARQUET=$(SPARK_CI)/raw ITFM_SPARK_WAREHOUSE=$(SPARK_CI)/warehouse
spark-ci: $(SPARK_STAMP)
	rm -rf $(SPARK_CI)
	start=$$(date +%s); \
	ITFM_DB=target/ci.duckdb $(SPARK_ENV) $(BIN)/itfm build --target spark; \
	echo "spark-ci: the Spark build took $$(( $$(date +%s) - start )) s"
	ITFM_DB=target/ci.duckdb $(SPARK_ENV) $(BIN)/itfm spark-compare --target ci
	$(BIN)/itfm generate --out $(SPARK_CI)/landing_day_more --scale ci --days 63
	# ... with the SaaS feed's July restated to no rows (a period emptied).
	$(BIN)/python -c "import sys, pyarrow.parquet as pq; \
		pq.write_table(pq.read_schema(sys.argv[1]).empty_table(), sys.argv[1])" \
		"$(SPARK_CI)/landing_day_more/focus/saas/billing_period=2026-07/part-00000.parquet"
	cp target/ci.duckdb $(SPARK_CI)/day_more.duckdb
	ITFM_DB=$(SPARK_CI)/day_more.duckdb $(BIN)/itfm load --target ci --allow-row-drop \
		--landing $(SPARK_CI)/landing_day_more
	ITFM_DB=$(SPARK_CI)/day_more.duckdb $(BIN)/itfm build --target ci --full-refresh
	start=$$(date +%s); \
	ITFM_DB=$(SPARK_CI)/day_more.duckdb $(SPARK_ENV) $(BIN)/itfm build --target spark; \
	echo "spark-ci: the incremental Spark build took $$(( $$(date +%s) - start )) s"
	ITFM_DB=$(SPARK_CI)/day_more.duckdb $(SPARK_ENV) $(BIN)/itfm spark-compare --target ci

# Spark at scale (never part of `make test`; docs/spark.md): SPARK_SCALE (default
# 1m) generated as FOCUS, loaded, built and tested on a local Spark session with
# the event log on; then the build's work per model (itfm spark-profile).
SPARK_SCALE ?= 1m
SPARK_BENCH := target/spark_bench
SPARK_BENCH_ENV := ITFM_DB=$(SPARK_BENCH)/itfm.duckdb ITFM_RAW_PARQUET=$(SPARK_BENCH)/raw \
	ITFM_SPARK_WAREHOUSE=$(SPARK_BENCH)/warehouse ITFM_SPARK_EVENT_LOG=$(SPARK_BENCH)/events \
	ITFM_SPARK_MEMORY=8g
spark-bench: $(SPARK_STAMP)
	rm -rf $(SPARK_BENCH)
	$(BIN)/itfm generate --out $(SPARK_BENCH)/landing --scale $(SPARK_SCALE) --billing-format focus
	$(SPARK_BENCH_ENV) $(BIN)/itfm load --landing $(SPARK_BENCH)/landing
	start=$$(date +%s); \
	$(SPARK_BENCH_ENV) $(BIN)/itfm build --target spark; \
	echo "spark-bench: the Spark build of $(SPARK_SCALE) took $$(( $$(date +%s) - start )) s"
	cp target/run_results.json $(SPARK_BENCH)/run_results.json
	$(SPARK_BENCH_ENV) $(BIN)/itfm spark-profile --run-results $(SPARK_BENCH)/run_results.json
