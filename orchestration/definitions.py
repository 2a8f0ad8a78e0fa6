"""The Dagster code location: `dagster dev -w workspace.yaml` (or `dg dev`) loads `defs` from
here. Each concept has its own module; this one only puts them together (docs/architecture.md).
"""

import dagster as dg

from orchestration import settings
from orchestration.assets import live, raw
from orchestration.assets.history_batches import history_batch_assets
from orchestration.assets.reports import trillion_club_bi, trillion_club_report
from orchestration.assets.warehouse import warehouse_dbt_assets
from orchestration.checks import calendar, fx_parity
from orchestration.checks.freshness import raw_freshness_checks
from orchestration.checks.gx import gx_checks
from orchestration.jobs import daily_live_update, jobs, update_warehouse
from orchestration.resources import warehouse_resources
from orchestration.schedules import live_schedules
from orchestration.sensors import freshness_sensor, update_after_live_landing

RAW_HISTORY_ASSETS = dg.load_assets_from_package_module(raw)
FRESHNESS_CHECKS = raw_freshness_checks(RAW_HISTORY_ASSETS)


def build_definitions(akshare: dg.ResourceDefinition | None = None) -> dg.Definitions:
    """Resources read the environment (WAREHOUSE_PATH, SOURCE_MODE, ...) when this is called;
    `akshare` replaces the source it configures (tests replay live HTTP through their own)."""
    # Again, not only at import (resources.py): a test that points WAREHOUSE_PATH elsewhere after
    # the import must have dbt write where the resources read.
    settings.export_dbt_env()
    return dg.Definitions(
        assets=[
            *RAW_HISTORY_ASSETS,
            *history_batch_assets,
            *dg.load_assets_from_package_module(live),
            *warehouse_dbt_assets,
            trillion_club_report,
            trillion_club_bi,
        ],
        asset_checks=[
            *dg.load_asset_checks_from_modules([calendar, fx_parity]),
            *FRESHNESS_CHECKS,
            *gx_checks,
        ],
        jobs=jobs(settings.source_mode()),
        schedules=live_schedules(daily_live_update),
        sensors=[
            freshness_sensor(FRESHNESS_CHECKS),
            update_after_live_landing(daily_live_update, update_warehouse),
        ],
        resources=warehouse_resources(akshare),
    )


defs = build_definitions()
