"""The jobs: build the warehouse, update it for some trade dates, land a live day, re-land the
per-listing history."""

import dagster as dg

from orchestration.assets.live.landing_rules import LIVE_GROUPS
from orchestration.assets.reports import trillion_club_bi, trillion_club_report
from orchestration.assets.warehouse import warehouse_dbt_assets
from orchestration.lib.dbt_steps import DAILY_UPDATE_STEPS
from orchestration.partitions import DAILY

# Live-only sources: not in the snapshot, so not in build_warehouse (which must run offline).
LIVE_ASSETS = dg.AssetSelection.groups(*LIVE_GROUPS)

build_warehouse = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all() - LIVE_ASSETS,
    description=(
        "Land every raw dataset and build every dbt model, test and check on top of it. Launch "
        "it over all partitions (one run): the daily marts are partitioned by trade date."
    ),
)

update_warehouse = dg.define_asset_job(
    "update_warehouse",
    selection=dg.AssetSelection.assets(
        *(step for step in warehouse_dbt_assets if step.op.name in DAILY_UPDATE_STEPS)
    )
    | dg.AssetSelection.assets(trillion_club_report, trillion_club_bi),
    partitions_def=DAILY,
    description=(
        "Rebuild the marts for the chosen trade dates from the raw zone as it is (one run per "
        "day, or one run for a backfill of any range), then publish the BI copy."
    ),
)

daily_live_update = dg.define_asset_job(
    "daily_live_update",
    selection=LIVE_ASSETS,
    partitions_def=DAILY,
    # One process, one call at a time: the sites ban bursts, and the run's request budget and
    # spacing live in one LiveSource.
    executor_def=dg.in_process_executor,
    description=(
        "Live mode only (SOURCE_MODE=live): land one trade date of whole-market quotes (A, HK, "
        "US), the day's CNY parity and the Shenwan classification. The sensor "
        "update_after_live_landing then runs update_warehouse for the days landed."
    ),
)

backfill_history = dg.define_asset_job(
    "backfill_history",
    selection=dg.AssetSelection.assets(
        ["raw", "stock_value_em"],
        ["raw", "stock_hk_valuation_baidu"],
        ["raw", "stock_hk_hist"],
        ["raw", "stock_us_hist"],
        ["raw", "stock_us_valuation_baidu"],
    ),
    executor_def=dg.in_process_executor,
    description="Re-land the full per-listing history (one call per listing and function).",
)

JOBS = [build_warehouse, update_warehouse, daily_live_update, backfill_history]
