"""The Dagster code location: `dagster dev -w workspace.yaml` loads `defs` from here."""

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration import settings
from orchestration.assets import a_share, calendars, fx, hong_kong, industry, us
from orchestration.assets.warehouse import dbt_project, warehouse_dbt_assets
from orchestration.resources import AkshareSource, RawZone

RAW_SOURCE_MODULES = [a_share, hong_kong, us, fx, industry, calendars]

build_warehouse = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    description="Land every raw dataset and build every dbt model, test and check on top of it.",
)


def build_definitions() -> dg.Definitions:
    """Resources read the environment (WAREHOUSE_PATH, SOURCE_MODE, ...) when this is called."""
    settings.export_dbt_env()
    return dg.Definitions(
        assets=[*dg.load_assets_from_modules(RAW_SOURCE_MODULES), warehouse_dbt_assets],
        jobs=[build_warehouse],
        resources={
            "akshare": AkshareSource(
                mode=settings.source_mode(), snapshot_dir=str(settings.snapshot_dir())
            ),
            "raw_zone": RawZone(root=str(settings.raw_zone_dir())),
            "dbt": DbtCliResource(
                project_dir=dbt_project, dbt_executable=settings.dbt_executable()
            ),
        },
    )


defs = build_definitions()
