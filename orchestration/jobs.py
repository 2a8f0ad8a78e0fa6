"""The jobs: build the warehouse, update it for some trade dates, land a live day, re-land the
per-listing history."""

import dagster as dg

from orchestration.assets.history_batches import GROUP as HISTORY_BATCH_GROUP
from orchestration.assets.history_batches import HISTORY_BATCHES
from orchestration.assets.live.landing_rules import LIVE_GROUPS
from orchestration.assets.reports import trillion_club_bi, trillion_club_report
from orchestration.assets.warehouse import warehouse_dbt_assets
from orchestration.lib.dbt_steps import DAILY_UPDATE_STEPS
from orchestration.partitions import MONTHLY
from orchestration.settings import SOURCE_MODES

# The daily live landings (daily_live_update): quotes of now, today's parity and classification.
LIVE_ASSETS = dg.AssetSelection.groups(*LIVE_GROUPS)
# The one of them the snapshot holds too: whole-market A-share quotes, 2026-06-02..07-29.
SNAPSHOT_QUOTES = dg.AssetSelection.assets(["raw", "stock_zh_a_spot_em"])
# The whole market's history by batch of listings (backfill_history): partitioned by batch, not
# by day, so no job with the daily marts can hold them.
HISTORY_BATCH_ASSETS = dg.AssetSelection.groups(HISTORY_BATCH_GROUP)
# Live runs share the sites' patience: at most one run with this tag at a time (the run queue's
# limit, .dagster_home/dagster.yaml), so a backfill of many batches queues its runs.
LIVE_RUN_TAGS = {"akshare": "live"}


def build_warehouse_job(source_mode: str):
    """build_warehouse lands what the source mode can serve for a range of days in one run.

    Snapshot mode: every raw dataset of the snapshot, the A-share quotes included: the run's
    range (all month partitions, one run) lands one file per snapshot day through the same
    asset and partitions as live mode, so the offline build exercises the whole-market path.

    Live mode: the history only, as before. Quotes are a picture of now: a live run over more
    than one partition is refused (assets/live/landing_rules.py), so they land through
    daily_live_update, today's day per run. The other live assets stay out in both modes: Hong
    Kong and US quotes, the eastmoney parity and the Shenwan lists have no snapshot. In
    build_warehouse they would only mark every month partition materialised with nothing
    landed; out of it, the UI shows them as never landed, which is the truth offline.
    """
    if source_mode not in SOURCE_MODES:
        raise ValueError(f"source mode must be one of {SOURCE_MODES}, got {source_mode!r}")
    live_only = LIVE_ASSETS - SNAPSHOT_QUOTES if source_mode == "snapshot" else LIVE_ASSETS
    return dg.define_asset_job(
        "build_warehouse",
        selection=dg.AssetSelection.all() - live_only - HISTORY_BATCH_ASSETS,
        description=(
            "Land every raw dataset and build every dbt model, test and check on top of it. "
            "Launch it over all partitions (one run): the daily marts are partitioned by month "
            "of trade date. In snapshot mode it lands the snapshot's A-share quotes (one file "
            "per day); in live mode quotes land through daily_live_update only."
        ),
    )


update_warehouse = dg.define_asset_job(
    "update_warehouse",
    selection=dg.AssetSelection.assets(
        *(step for step in warehouse_dbt_assets if step.op.name in DAILY_UPDATE_STEPS)
    )
    | dg.AssetSelection.assets(trillion_club_report, trillion_club_bi),
    partitions_def=MONTHLY,
    description=(
        "Rebuild the warehouse for every trade date of the chosen months from the raw zone as "
        "it is (one run per month, or one run for a backfill of any range): the dimensions "
        "and the FX gate whole, the daily marts for those dates only; then the report and the "
        "BI copy."
    ),
)

daily_live_update = dg.define_asset_job(
    "daily_live_update",
    selection=LIVE_ASSETS,
    partitions_def=MONTHLY,
    # One process, one call at a time: the sites ban bursts, and the run's request budget and
    # spacing live in one LiveSource.
    executor_def=dg.in_process_executor,
    tags=LIVE_RUN_TAGS,
    description=(
        "Live mode only (SOURCE_MODE=live): land today's whole-market quotes (A, HK, US), "
        "CNY parity and Shenwan classification, in a run over the month partition holding "
        "today. The sensor update_after_live_landing then runs update_warehouse for the "
        "month(s) of the day landed and the day before."
    ),
)

backfill_history = dg.define_asset_job(
    "backfill_history",
    selection=HISTORY_BATCH_ASSETS,
    partitions_def=HISTORY_BATCHES,
    executor_def=dg.in_process_executor,
    tags=LIVE_RUN_TAGS,
    description=(
        "Live mode only: land the per-listing history of one batch of the whole market's "
        "listings (the seed's and the newest A-share and Hong Kong quotes') per run, one file "
        "per batch and dataset. Backfill every batch from the UI: one run per batch, each "
        "within its request budget; a re-run replaces its batch's files."
    ),
)


def jobs(source_mode: str) -> list:
    """The code location's jobs for a source mode (SOURCE_MODE, read by build_definitions)."""
    return [build_warehouse_job(source_mode), update_warehouse, daily_live_update, backfill_history]
