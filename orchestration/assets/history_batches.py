"""backfill_history: the whole market's per-listing history, one partition per batch of listings.

Live mode only. Each run lands one batch (sources/history_batches.py) of each history dataset as
`raw/<dataset>/batch-NN.parquet`, swapped in whole: a failed call loses that batch's file of that
dataset only, landed batches stay, and a re-run replaces the batch's file rather than adding to
it. The UI shows each batch's status. The seed's listings also land as `all.parquet` through
build_warehouse (the only history in snapshot mode); staging reads each listing from its newest
file (dbt macro newest_landing_per_listing), so a listing in both counts once.

These assets have their own partitions (batches, not days), so build_warehouse, whose marts are
partitioned by day, cannot hold them: Dagster runs one partitions definition per job.
"""

from pathlib import Path

import dagster as dg

from orchestration.assets.landing import RAW_OWNERS, fetch_calls, land_frame
from orchestration.assets.live.landing_rules import nothing_landed
from orchestration.resources import AkshareSource, RawZone
from orchestration.sources.history_batches import (
    BATCH_KEYS,
    HISTORY_FUNCTIONS,
    QUOTE_DATASETS,
    HistoryUniverse,
    batch_of,
    landed_symbols,
)
from orchestration.sources.live import RequestBudgetExceeded

HISTORY_BATCHES = dg.StaticPartitionsDefinition(BATCH_KEYS)
GROUP = "history_batches"


def land_batch(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone, function: str
) -> dg.MaterializeResult:
    """Land `function` for the listings of the run's batch, as one file for the batch."""
    batch = context.partition_key
    if akshare.mode_of(function) != "live":
        raise ValueError(
            f"{function} {batch}: backfill_history lands in live mode only (SOURCE_MODE=live); "
            f"in snapshot mode the history lands as all.parquet through build_warehouse"
        )
    listings = batch_listings(raw_zone, function, batch)
    ensure_within_budget(listings, batch, akshare.live_source().request_budget)
    batch_calls = listings.calls(function)
    if not batch_calls:
        return nothing_landed(f"{batch} holds no listing {function} is called for", batch=batch)
    frame, load_metadata = fetch_calls(context, akshare, function, batch_calls)
    landed = land_frame(raw_zone, function, frame, load_metadata, batch)
    progress = {"batch": batch, "quote_files": dg.MetadataValue.json(list(listings.quote_files))}
    return dg.MaterializeResult(metadata={**landed.metadata, **progress})


def batch_listings(raw_zone: RawZone, function: str, batch: str) -> HistoryUniverse:
    """The batch's listings: of the seed and the newest quotes, and those its file holds."""
    listings = HistoryUniverse.read(Path(raw_zone.root)).batch(batch)
    market = HISTORY_FUNCTIONS[function][0]
    if market not in QUOTE_DATASETS:
        return listings
    landed = landed_symbols(raw_zone.path(function, batch))
    return listings.including(market, [s for s in landed if batch_of(s) == batch])


def ensure_within_budget(listings: HistoryUniverse, batch: str, budget: int) -> None:
    """Refuse a batch whose calls alone would use up the run's budget, before any is sent."""
    planned = listings.planned_requests()
    if planned > budget:
        raise RequestBudgetExceeded(
            f"{batch} plans {planned} HTTP requests (one per call of {len(HISTORY_FUNCTIONS)} "
            f"history functions), more than a run's live budget of {budget}: nothing was sent"
        )


def _batch_asset(function: str, description: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=["raw", GROUP, function],
        group_name=GROUP,
        owners=RAW_OWNERS,
        kinds={"python", "parquet"},
        partitions_def=HISTORY_BATCHES,
        # One run per batch: each run has its own request budget (AkshareSource).
        backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=1),
        description=(
            f"{description} Live mode: one partition per batch of the whole market's listings, "
            f"landed as raw/{function}/batch-NN.parquet (backfill_history)."
        ),
    )
    def history_batch(
        context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
    ) -> dg.MaterializeResult:
        return land_batch(context, akshare, raw_zone, function)

    return history_batch


history_batch_assets = [
    _batch_asset("stock_value_em", "Daily A-share market value per listing (元, shares)."),
    _batch_asset("stock_hk_hist", "Daily unadjusted Hong Kong prices per listing (HKD)."),
    _batch_asset("stock_hk_valuation_baidu", "Daily Hong Kong market value (亿港元)."),
    _batch_asset("stock_us_hist", "Daily unadjusted US prices per tracked listing (USD)."),
    _batch_asset("stock_us_valuation_baidu", "Daily US market value per listing (亿美元)."),
]
