"""The dbt project as Dagster assets: every model and seed an asset, every dbt test a check."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration import settings

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
    def _layer(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        yield from dbt.cli(["build"], context=context).stream()

    return _layer


warehouse_dbt_assets = [dbt_layer(name, **selection) for name, selection in DBT_LAYERS.items()]
