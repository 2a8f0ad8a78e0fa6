"""The dbt project as Dagster assets: every model and seed an asset, every dbt test a check."""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration import settings
from orchestration.club_reports import club_metadata
from orchestration.table_metadata import table_metadata

settings.export_dbt_env()
dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR)
# `dagster dev` re-parses on start; `make demo`/`make test` parse before loading (see Makefile).
dbt_project.prepare_if_dev()
if not dbt_project.manifest_path.exists():
    dbt_project.preparer.prepare(dbt_project)

WAREHOUSE_OWNERS = ["team:analytics-engineering"]


class WarehouseTranslator(DagsterDbtTranslator):
    """Groups follow the dbt layer (folder); dbt sources keep their `raw/<function>` keys, which
    are the keys of the raw assets, so lineage runs unbroken from akshare to the marts."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        return dbt_resource_props["fqn"][1]  # models/<layer>/...: staging, intermediate, marts

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return WAREHOUSE_OWNERS


class WarehouseBuildConfig(dg.Config):
    """Run config for a dbt step: set full_refresh to rebuild incremental models from scratch."""

    full_refresh: bool = False


# Three dbt steps, so the great-expectations gates (orchestration/gx_checks.py) run between them:
# a blocking check stops only the steps after its own, never models inside the same dbt step.
#   foundation: seeds, staging, intermediate -> FX gate on int_fx_fixings
#   marts: facts and dimensions              -> conversion gate on fct_listing_market_cap_daily
#   clubs: membership, events, composition   -> threshold gates on the club marts
CLUB_MODELS = "club_membership_daily club_events club_composition"
DBT_LAYERS = {
    "warehouse_foundation": {
        "select": "resource_type:seed path:models/staging path:models/intermediate"
    },
    "warehouse_marts": {"select": "path:models/marts", "exclude": CLUB_MODELS},
    "warehouse_clubs": {"select": CLUB_MODELS},
}


def full_refresh_run_config() -> dict:
    """Run config that rebuilds every incremental model from scratch (the UI's Launchpad too)."""
    return {"ops": {name: {"config": {"full_refresh": True}} for name in DBT_LAYERS}}


def dbt_layer(name: str, select: str, exclude: str | None = None) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        name=name,
        select=select,
        exclude=exclude,
        dagster_dbt_translator=WarehouseTranslator(
            settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True)
        ),
    )
    def _layer(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, config: WarehouseBuildConfig
    ):
        args = ["build", "--full-refresh"] if config.full_refresh else ["build"]
        invocation = dbt.cli(args, context=context, raise_on_error=False)
        events = list(invocation.stream())
        # Read only once dbt has exited and released its write lock. Not `.fetch_row_counts()`:
        # it opens a read-write connection in this process and keeps it, locking readers out.
        invocation.wait()
        yield from with_table_metadata(events, invocation.manifest)
        if not invocation.is_successful():
            raise invocation.get_error()

    return _layer


warehouse_dbt_assets = [dbt_layer(name, **selection) for name, selection in DBT_LAYERS.items()]


def with_table_metadata(events: list, manifest: Mapping[str, Any]) -> Iterator:
    """Add row count, date range and, on club marts, members and charts to each built node."""
    built = [event for event in events if isinstance(event, dg.Output | dg.AssetMaterialization)]
    if not built:
        yield from events
        return
    with duckdb.connect(str(settings.warehouse_path()), read_only=True) as connection:
        for event in events:
            if event in built:
                node = manifest["nodes"][event.metadata["unique_id"].value]
                event = event.with_metadata({**event.metadata, **node_metadata(connection, node)})
            yield event


def node_metadata(connection: duckdb.DuckDBPyConnection, node: Mapping[str, Any]) -> dict:
    return {
        **table_metadata(connection, node["schema"], node["alias"]),
        **club_metadata(connection, node["name"], settings.reports_dir()),
    }
