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
DBT_DIRS := --project-dir dbt_project --profiles-dir dbt_project

.PHONY: install manifest demo test lint ui bench clean

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
	$(BIN)/python -m orchestration.demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models

test: manifest lint
	$(BIN)/pytest

# Full-market benchmark on SYNTHETIC data (issue #7), not part of `make test`: about 12 million
# listing-days in data/bench/, figures in reports/bench.json. Scale: BENCH_ARGS="--years 1".
bench: manifest
	nice -n 10 $(BIN)/python -m bench $(BENCH_ARGS)

ui: manifest
	$(BIN)/dagster dev -w workspace.yaml --host 127.0.0.1 --port 3000

clean:
	rm -rf data/warehouse dbt_project/target dbt_project/logs
