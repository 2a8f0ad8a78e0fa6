# Two commands on a fresh machine with Python 3.11 and make: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

export DAGSTER_HOME := $(CURDIR)/.dagster_home
export WAREHOUSE_PATH ?= $(CURDIR)/data/warehouse/trillion_club.duckdb
export RAW_ZONE_DIR ?= $(dir $(WAREHOUSE_PATH))raw
export SOURCE_MODE ?= snapshot
DBT := $(BIN)/dbt --no-use-colors
# dg looks for the project's virtualenv; naming it keeps dg from warning that none is active.
DG := VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg
# Absolute: dbt records the project dir in its parse; Dagster runs dbt from inside dbt_project,
# where a relative `dbt_project/seeds/...` path from a reused partial parse does not exist.
DBT_DIRS := --project-dir $(CURDIR)/dbt_project --profiles-dir $(CURDIR)/dbt_project

.PHONY: install manifest demo test lint ui docs gx-docs bench record clean

$(INSTALLED): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

# Dagster reads dbt's manifest; parse so it always matches the models on disk.
manifest: install
	$(DBT) parse $(DBT_DIRS) --quiet

demo: manifest
	$(BIN)/python -m orchestration.cli.demo

# great-expectations Data Docs (HTML) of every suite on the warehouse `make demo` built.
gx-docs: install
	$(BIN)/python -m expectations.docs

lint: manifest
	$(DG) check defs
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models

test: manifest lint
	$(BIN)/pytest

# Full-market benchmark on SYNTHETIC data (issue #7), not part of `make test`: about 12 million
# listing-days in data/bench/, figures in reports/bench.json. Scale: BENCH_ARGS="--years 1".
bench: manifest
	TQDM_DISABLE=1 nice -n 10 $(BIN)/python -m bench $(BENCH_ARGS)

# Re-record the snapshot from live akshare (needs the internet): the calls the build makes.
record: install
	$(BIN)/python -m orchestration.cli.record --out $(or $(SNAPSHOT_DIR),data/snapshot)

# Dagster's current CLI (pyproject.toml [tool.dg]); `dagster dev -w workspace.yaml` loads the same.
ui: manifest
	$(DG) dev --host 127.0.0.1 --port 3000

# dbt docs with the BI exposures, as one self-contained page (works from file://):
# dbt_project/target/static_index.html. The catalog reads the warehouse: run `make demo` first.
docs: manifest
	$(DBT) docs generate $(DBT_DIRS) --static
	@echo "open dbt_project/target/static_index.html"

clean:
	rm -rf data/warehouse dbt_project/target dbt_project/logs
