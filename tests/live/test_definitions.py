"""Live-only assets stay out of the offline build; the live and backfill jobs exist."""

import dagster as dg

from orchestration.definitions import defs


def raw_keys(job_name: str) -> set[str]:
    job = defs.resolve_job_def(job_name)
    keys = job.asset_layer.executable_asset_keys
    return {key.to_user_string() for key in keys if key.path[0] == "raw"}


LIVE_ONLY = {
    "raw/stock_zh_a_spot_em",
    "raw/stock_hk_spot_em",
    "raw/stock_us_spot_em",
    "raw/forex_hist_em",
    "raw/stock_industry_clf_hist_sw",
    "raw/sw_index_first_info",
}


def test_build_warehouse_runs_on_the_snapshot_only():
    assert not raw_keys("build_warehouse") & LIVE_ONLY


def test_daily_live_update_is_partitioned_by_shanghai_day():
    assert raw_keys("daily_live_update") == LIVE_ONLY
    partitions = defs.resolve_job_def("daily_live_update").partitions_def
    assert isinstance(partitions, dg.DailyPartitionsDefinition)
    assert partitions.timezone == "Asia/Shanghai"


def test_backfill_history_selects_the_per_listing_history():
    assert raw_keys("backfill_history") == {
        "raw/stock_value_em",
        "raw/stock_hk_valuation_baidu",
        "raw/stock_hk_hist",
        "raw/stock_us_hist",
        "raw/stock_us_valuation_baidu",
    }
