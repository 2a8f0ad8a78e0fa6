"""The code location loads, and every asset tells a UI user what it is and who owns it."""

import json
import subprocess
from datetime import date, datetime
from subprocess import Popen

import dagster as dg
import pytest

from orchestration.assets.warehouse import warehouse_dbt_assets
from orchestration.definitions import defs
from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.partitions import MONTHLY, month_of, trade_dates
from orchestration.resources import dbt_project, warehouse_resources


def test_definitions_load_with_the_build_job():
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("build_warehouse") is not None


def test_every_asset_has_a_description_a_group_and_an_owner():
    specs = list(defs.resolve_all_asset_specs())
    assert len(specs) > 20
    missing = [
        spec.key.to_user_string()
        for spec in specs
        if not spec.description
        or not spec.group_name
        or spec.group_name == "default"
        or not spec.owners
    ]
    assert missing == []


def test_raw_assets_feed_the_dbt_sources_so_lineage_is_unbroken():
    specs = {spec.key: spec for spec in defs.resolve_all_asset_specs()}
    staging = specs[dg.AssetKey(["staging", "stg_a_share__market_value"])]
    assert dg.AssetKey(["raw", "stock_value_em"]) in {dep.asset_key for dep in staging.deps}
    assert specs[dg.AssetKey(["raw", "stock_value_em"])].group_name == "raw_a_share"
    assert specs[dg.AssetKey(["marts", "fct_listing_market_cap_daily"])].group_name == "marts"


def test_every_dbt_model_is_built_by_exactly_one_dbt_step():
    # A step selects the models tagged with its name (dbt_project/selectors.yml): a model with
    # no step tag would never be built, and the next step would read a table that is not there.
    from orchestration.lib.dbt_steps import DBT_STEPS

    manifest = json.loads(dbt_project.manifest_path.read_text())
    steps = {
        node["name"]: set(node["tags"]) & set(DBT_STEPS)
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    assert len(steps) > 20
    assert {name: tags for name, tags in steps.items() if len(tags) != 1} == {}


def test_dbt_tests_show_up_as_asset_checks_including_source_tests():
    check_keys = {key for key in defs.resolve_asset_graph().asset_check_keys}
    assets_with_checks = {key.asset_key.to_user_string() for key in check_keys}
    assert "marts/fct_listing_market_cap_daily" in assets_with_checks
    assert "raw/currency_boc_safe" in assets_with_checks


def test_gx_gates_guard_their_assets_and_only_error_gates_block():
    from expectations import SUITES

    specs = {
        spec.key.name: spec
        for checks in defs.asset_checks or []
        for spec in getattr(checks, "check_specs", [])
    }
    for suite in SUITES:
        for gate in suite.gates:
            assert specs[gate.name].blocking == (gate.severity == "ERROR"), gate.name
    assert specs["cny_value_within_1e5_to_1e14"].asset_key == dg.AssetKey(
        ["marts", "fct_listing_market_cap_daily"]
    )


def test_club_marts_are_built_in_a_later_step_than_the_facts_they_gate_on():
    graph = defs.resolve_asset_graph()
    fct = dg.AssetKey(["marts", "fct_listing_market_cap_daily"])
    membership = dg.AssetKey(["marts", "club_membership_daily"])
    assert fct in graph.get(membership).parent_keys
    assert defs.get_assets_def(fct).node_def.name == "warehouse_daily_values"
    assert defs.get_assets_def(membership).node_def.name == "warehouse_daily_clubs"


def test_every_dbt_model_and_seed_is_built_by_exactly_one_step():
    manifest = json.loads(dbt_project.manifest_path.read_text())
    nodes = {
        (node["schema"], node["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
    }
    built = [key.path[0:2] for step in warehouse_dbt_assets for key in step.keys]
    assert sorted(built) == sorted(map(list, nodes))


def test_the_daily_marts_are_partitioned_by_month_and_backfill_in_one_run():
    for name in ("fct_listing_market_cap_daily", "club_membership_daily", "club_events"):
        assets = defs.get_assets_def(dg.AssetKey(["marts", name]))
        assert assets.partitions_def == MONTHLY, name
        assert assets.backfill_policy == dg.BackfillPolicy.single_run(), name
    assert isinstance(MONTHLY, dg.MonthlyPartitionsDefinition)
    assert MONTHLY.timezone == "Asia/Shanghai"
    assert MONTHLY.get_first_partition_key() == "2020-01-01"  # the snapshot starts 2020-01-02
    dimension = defs.get_assets_def(dg.AssetKey(["marts", "dim_company"]))
    assert dimension.partitions_def is None
    for job in ("update_warehouse", "daily_live_update"):
        assert defs.resolve_job_def(job).partitions_def == MONTHLY, job


def test_every_time_partitioned_asset_has_the_one_monthly_partitioning():
    # Dagster refuses a job whose assets are partitioned differently: build_warehouse lands the
    # snapshot's quotes and builds the marts in one run. (The history batches are partitioned
    # by listing, not time, and only backfill_history runs them.)
    partitioned = [
        a
        for a in defs.resolve_asset_graph().assets_defs
        if isinstance(a.partitions_def, dg.TimeWindowPartitionsDefinition)
    ]
    assert {a.partitions_def for a in partitioned} == {MONTHLY}
    keys = {key.to_user_string() for a in partitioned for key in a.keys}
    assert {"raw/stock_zh_a_spot_em", "raw/forex_hist_em", "marts/club_events"} <= keys


def test_the_current_month_is_a_partition_so_today_can_be_landed():
    today = datetime.now(SHANGHAI).date()
    assert MONTHLY.get_last_partition_key() == month_of(today) == today.strftime("%Y-%m-01")


def test_a_range_of_months_is_the_days_from_its_first_to_its_last():
    assert trade_dates(dg.PartitionKeyRange("2024-02-01", "2024-02-01")) == (
        date(2024, 2, 1),
        date(2024, 2, 29),  # a leap year
    )
    assert trade_dates(dg.PartitionKeyRange("2025-12-01", "2026-01-01")) == (
        date(2025, 12, 1),
        date(2026, 1, 31),
    )
    with pytest.raises(ValueError, match="'2025-06-30' is not a month partition"):
        trade_dates(dg.PartitionKeyRange("2025-06-30", "2025-06-30"))


def test_a_dbt_call_starts_dbt_once_and_loads_nothing_of_it_here(monkeypatch):
    # dagster-dbt would also start `dbt --version` per run, and load the project's macros in
    # this process before each call (2-5 s each): the resource needs neither.
    commands = []

    def popen(*args, **options):
        commands.append(options.get("args", args[0] if args else None))
        return Popen(*args, **options)

    monkeypatch.setattr(subprocess, "Popen", popen)
    invocation = warehouse_resources()["dbt"].cli(["ls", "--select", "dim_company"])
    lines = [event.raw_event["info"]["msg"] for event in invocation.stream_raw_events()]
    assert invocation.is_successful() and "trillion_club.marts.dim_company" in lines
    assert invocation.adapter is None
    [command] = commands
    assert command[1:3] == ["--no-write-json", "ls"]
