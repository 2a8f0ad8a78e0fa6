"""Live-only assets stay out of the offline build (but for the A-share quotes the snapshot has);
the live and backfill jobs exist."""

import dagster as dg

from orchestration.definitions import build_definitions, defs


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


def test_build_warehouse_lands_the_snapshot_quotes_and_no_other_live_dataset():
    # SOURCE_MODE=snapshot (the default): the snapshot has whole-market A-share quotes
    # (PROVENANCE.md §9); Hong Kong, US, the eastmoney parity and Shenwan lists it has not.
    assert raw_keys("build_warehouse") & LIVE_ONLY == {"raw/stock_zh_a_spot_em"}


def test_a_live_build_warehouse_lands_no_quotes(monkeypatch):
    # Live quotes are a picture of now: today's day per run, through daily_live_update only.
    monkeypatch.setenv("SOURCE_MODE", "live")
    job = build_definitions().resolve_job_def("build_warehouse")
    keys = {key.to_user_string() for key in job.asset_layer.executable_asset_keys}
    assert not keys & LIVE_ONLY
    assert "raw/stock_value_em" in keys


def test_daily_live_update_is_partitioned_by_shanghai_month():
    assert raw_keys("daily_live_update") == LIVE_ONLY
    partitions = defs.resolve_job_def("daily_live_update").partitions_def
    assert isinstance(partitions, dg.MonthlyPartitionsDefinition)
    assert partitions.timezone == "Asia/Shanghai"


def test_backfill_history_selects_the_per_listing_history():
    assert raw_keys("backfill_history") == {
        "raw/stock_value_em",
        "raw/stock_hk_valuation_baidu",
        "raw/stock_hk_hist",
        "raw/stock_us_hist",
        "raw/stock_us_valuation_baidu",
    }


def test_a_backfill_of_daily_live_update_is_still_one_run_per_month():
    # The A-share quotes land a range in one run (BackfillPolicy.single_run, for snapshot mode);
    # a job takes the least of its assets' policies (Dagster warns that they differ), so a
    # backfill of daily_live_update stays one run per month, each checked by its landing rules
    # (which refuse every month but today's).
    job = defs.resolve_job_def("daily_live_update")
    assert job.backfill_policy == dg.BackfillPolicy.multi_run(max_partitions_per_run=1)
    assert defs.resolve_job_def("build_warehouse").backfill_policy == dg.BackfillPolicy.single_run()
