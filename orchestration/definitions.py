"""The Dagster code location: `dagster dev -w workspace.yaml` loads `defs` from here."""

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration import settings
from orchestration.assets import (
    a_share,
    bi,
    calendars,
    club_report,
    fx,
    hong_kong,
    industry,
    live_fx,
    live_industry,
    live_spot,
    us,
)
from orchestration.assets.daily import LIVE_GROUPS
from orchestration.assets.warehouse import dbt_project, warehouse_dbt_assets
from orchestration.dbt_steps import DAILY_UPDATE_STEPS, DBT_GLOBAL_FLAGS
from orchestration.freshness import freshness_sensor, raw_freshness_checks
from orchestration.gx_checks import gx_checks
from orchestration.partitions import DAILY
from orchestration.resources import AkshareSource, RawZone
from orchestration.schedules import live_schedules, update_after_live_landing

RAW_SOURCE_MODULES = [a_share, hong_kong, us, fx, industry, calendars]
# Live-only sources: not in the snapshot, so not in build_warehouse (which must run offline).
LIVE_SOURCE_MODULES = [live_spot, live_fx, live_industry]
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
    | dg.AssetSelection.assets(club_report.trillion_club_report, bi.trillion_club_bi),
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

RAW_HISTORY_ASSETS = dg.load_assets_from_modules(RAW_SOURCE_MODULES)
FRESHNESS_CHECKS = raw_freshness_checks(RAW_HISTORY_ASSETS)


def build_definitions(akshare: dg.ResourceDefinition | None = None) -> dg.Definitions:
    """Resources read the environment (WAREHOUSE_PATH, SOURCE_MODE, ...) when this is called;
    `akshare` replaces the source it configures (tests replay live HTTP through their own)."""
    settings.export_dbt_env()
    return dg.Definitions(
        assets=[
            *RAW_HISTORY_ASSETS,
            *dg.load_assets_from_modules(LIVE_SOURCE_MODULES),
            *warehouse_dbt_assets,
            club_report.trillion_club_report,
            bi.trillion_club_bi,
        ],
        asset_checks=[
            *dg.load_asset_checks_from_modules([*LIVE_SOURCE_MODULES, calendars]),
            *FRESHNESS_CHECKS,
            *gx_checks,
        ],
        jobs=[build_warehouse, update_warehouse, daily_live_update, backfill_history],
        schedules=live_schedules(daily_live_update),
        sensors=[
            freshness_sensor(FRESHNESS_CHECKS),
            update_after_live_landing(daily_live_update, update_warehouse),
        ],
        resources={
            "akshare": akshare
            or AkshareSource(
                mode=settings.source_mode(), snapshot_dir=str(settings.snapshot_dir())
            ),
            "raw_zone": RawZone(root=str(settings.raw_zone_dir())),
            "dbt": DbtCliResource(
                project_dir=dbt_project,
                dbt_executable=settings.dbt_executable(),
                global_config_flags=list(DBT_GLOBAL_FLAGS),
            ),
        },
    )


defs = build_definitions()
