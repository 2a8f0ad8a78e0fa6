"""The code location loads, and every asset tells a UI user what it is and who owns it."""

import dagster as dg

from orchestration.definitions import defs


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
    assert specs["cny_value_within_1e8_to_5e13"].asset_key == dg.AssetKey(
        ["marts", "fct_listing_market_cap_daily"]
    )


def test_club_marts_are_built_in_a_later_step_than_the_facts_they_gate_on():
    graph = defs.resolve_asset_graph()
    fct = dg.AssetKey(["marts", "fct_listing_market_cap_daily"])
    membership = dg.AssetKey(["marts", "club_membership_daily"])
    assert fct in graph.get(membership).parent_keys
    assert defs.get_assets_def(fct).node_def.name == "warehouse_marts"
    assert defs.get_assets_def(membership).node_def.name == "warehouse_clubs"
