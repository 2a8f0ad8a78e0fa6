"""The dbt project in four steps, so that the great-expectations gates run between them.

A blocking check stops only the steps after its own, never models inside the same dbt step:
  foundation     seeds, staging, intermediate, dimensions -> FX gate on int_fx_fixings
  daily_values   listing and company values per trade date -> conversion gate on the listing fact
  daily_clubs    membership, entries/exits, composition    -> threshold gates on the club marts
  reports        yearly performance, top movers, tech seven
The two daily steps are partitioned by month of trade date: a run rebuilds its months' dates only
(dbt_project/macros/trade_date_window.sql). Which models and tests each step runs is the dbt
project's: a YAML selector per step (dbt_project/selectors.yml) over the tags of its models
(dbt_project.yml). No Dagster import here: the benchmark runs the same selectors with dbt alone.
"""

from __future__ import annotations

from dataclasses import dataclass

# Flags of every dbt call a step makes. Dagster reads a step's results from dbt's event stream,
# against the manifest `make manifest` parsed: the manifest.json and run_results.json a call would
# write (about 1 MB, 0.35 s of each call) would go unread into a new target directory per step.
DBT_GLOBAL_FLAGS = ("--no-write-json",)
# Flags of every `dbt build` a step runs. Unit tests check the models' SQL on static inputs, so a
# build on real data learns nothing from them: dbt Labs recommends running them in development
# and CI only. `make test` runs them all (tests/test_marts.py); a step spends nothing on them.
DBT_BUILD_FLAGS = ("--exclude-resource-type", "unit_test")


@dataclass(frozen=True)
class DbtStep:
    """A dbt call of its own between gates: the YAML selector of the step's name
    (dbt_project/selectors.yml), the models tagged with it and their tests. Every test runs in
    the step that builds the model Dagster declares it as a check on, so that each declared
    check reports: `eager` takes a step's tests whose other parents (dimensions, seeds) earlier
    steps built; the foundation is `buildable`, which leaves out the tests of later steps'
    models that point at its dimensions (they would run before those models exist)."""

    partitioned: bool = False
    indirect_selection: str = "eager"


DBT_STEPS = {
    "warehouse_foundation": DbtStep(indirect_selection="buildable"),
    "warehouse_daily_values": DbtStep(partitioned=True),
    "warehouse_daily_clubs": DbtStep(partitioned=True),
    "warehouse_reports": DbtStep(),
}

# What a day's update rebuilds: every step. A new day of raw data changes the foundation too:
# the dimensions are tables (a listing first quoted that day, a class in a new Shenwan file) and
# the FX gate must see the day's parity before values are converted with it.
DAILY_UPDATE_STEPS = tuple(DBT_STEPS)
# Their union, as one dbt call outside Dagster (tests, benchmark): `dbt build --selector ...`.
DAILY_UPDATE_SELECTOR = "daily_update"
