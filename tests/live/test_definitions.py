"""Live-only assets stay out of the offline build (but for the A-share quotes the snapshot has);
the live and backfill jobs exist."""

import dagster as dg

from orchestration.assets.history_batches import history_batch_assets
from orchestration.definitions import build_definitions, defs
from orchestration.resources import AkshareSource
from orchestration.settings import snapshot_dir
from orchestration.sources.history_batches import BATCH_KEYS
from tests.live.conftest import failure_message


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


def test_backfill_history_lands_the_per_listing_history_by_batch_of_listings():
    history = {"stock_value_em", "stock_hk_valuation_baidu", "stock_hk_hist"}
    history |= {"stock_us_hist", "stock_us_valuation_baidu"}
    assert raw_keys("backfill_history") == {f"raw/history_batches/{f}" for f in history}
    job = defs.resolve_job_def("backfill_history")
    assert job.partitions_def.get_partition_keys() == BATCH_KEYS
    assert job.tags["akshare"] == "live"  # one live run at a time (.dagster_home/dagster.yaml)
    # Partitioned by batch, not by day: build_warehouse (daily marts) lands the seed's history
    # as all.parquet through the unpartitioned assets, and still resolves.
    assert not {key for key in raw_keys("build_warehouse") if "history_batches" in key}
    assert {f"raw/{f}" for f in history} <= raw_keys("build_warehouse")


def test_a_history_batch_is_refused_in_snapshot_mode(raw_zone):
    source = AkshareSource(snapshot_dir=str(snapshot_dir()))
    result = dg.materialize(
        history_batch_assets[:1],
        partition_key=BATCH_KEYS[0],
        resources={"akshare": source, "raw_zone": raw_zone},
        raise_on_error=False,
    )
    assert "backfill_history lands in live mode only" in failure_message(result)
    assert not raw_zone.path("stock_value_em", BATCH_KEYS[0]).exists()


def test_a_backfill_of_daily_live_update_is_still_one_run_per_month():
    # The A-share quotes land a range in one run (BackfillPolicy.single_run, for snapshot mode);
    # a job takes the least of its assets' policies (Dagster warns that they differ), so a
    # backfill of daily_live_update stays one run per month, each checked by its landing rules
    # (which refuse every month but today's).
    job = defs.resolve_job_def("daily_live_update")
    assert job.backfill_policy == dg.BackfillPolicy.multi_run(max_partitions_per_run=1)
    assert defs.resolve_job_def("build_warehouse").backfill_policy == dg.BackfillPolicy.single_run()
