"""The dbt project as Dagster assets: every model and seed an asset, every dbt test a check."""

import os
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)
from dagster_duckdb import DuckDBResource

from orchestration.lib.dbt_steps import DBT_BUILD_FLAGS, DBT_STEPS, DbtStep
from orchestration.lib.table_metadata import table_metadata
from orchestration.partitions import (
    MONTHLY,
    every_partition,
    range_tags,
    run_window,
    trade_dates,
)
from orchestration.resources import dbt_project, reading

WAREHOUSE_OWNERS = ["team:analytics-engineering"]
PARTIAL_PARSE = "partial_parse.msgpack"


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


def full_refresh_run_config(steps: Iterable[str] = tuple(DBT_STEPS)) -> dict:
    """Run config that rebuilds the incremental models of `steps` (dbt ops) from scratch; the
    same in the UI's Launchpad."""
    return {"ops": {name: {"config": {"full_refresh": True}} for name in steps}}


def all_partitions_tags() -> dict[str, str]:
    """Run tags for one run over every month partition, as a single-run backfill has."""
    every_month = every_partition()
    return range_tags(every_month.start, every_month.end)


def dbt_step(name: str, step: DbtStep) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        name=name,
        selector=name,  # dbt_project/selectors.yml
        partitions_def=MONTHLY if step.partitioned else None,
        # A backfill of any range is one dbt call over its window, not one per day.
        backfill_policy=dg.BackfillPolicy.single_run() if step.partitioned else None,
        dagster_dbt_translator=WarehouseTranslator(
            settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True)
        ),
    )
    def _step(
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        config: WarehouseBuildConfig,
        warehouse: DuckDBResource,
    ):
        # The run's months: one, or the range of a single-run backfill.
        window = context.partition_key_range if step.partitioned else None
        args = ["build", *DBT_BUILD_FLAGS, *refresh_flags(window, config.full_refresh)]
        # An unpartitioned step in a partitioned run (the reports after the daily steps) is told
        # the run's window too: int_listing_period_values rebuilds only the years it can change.
        # Run on its own, such a step has no window, and that model rebuilds every year.
        with dbt_env(step, run_window(context)):
            invocation = dbt.cli(args, context=context, raise_on_error=False)
        events = list(invocation.stream())
        # Read only once dbt has exited and released its write lock. Not `.fetch_row_counts()`:
        # it opens a read-write connection in this process and keeps it, locking readers out.
        invocation.wait()
        yield from with_table_metadata(warehouse, events, invocation.manifest, window)
        if not invocation.is_successful():
            raise invocation.get_error()
        # dagster-dbt gives every dbt call a directory of its own (compiled SQL, dbt.log, a copy
        # of the partial parse: 1.5-3 MB), and nothing removes it. A failed step keeps its
        # directory to debug; a successful one has nothing more to say than its events.
        keep_parse(invocation.target_path)
        shutil.rmtree(invocation.target_path)

    return _step


def keep_parse(call_target: Path) -> None:
    """Leave a dbt call's partial parse in the target directory for the next call, as dbt does
    when its calls share one. dagster-dbt starts each call from that directory's parse, which
    holds only for the profile it was made with: under another WAREHOUSE_PATH than `make
    manifest` parsed with (a test's, the benchmark's) every step would parse anew (3-4 s)."""
    parse = call_target / PARTIAL_PARSE
    if parse.exists():
        os.replace(parse, call_target.parent / PARTIAL_PARSE)


def refresh_flags(window: dg.PartitionKeyRange | None, full_refresh: bool) -> list[str]:
    if not full_refresh:
        return []
    if window is not None and window != every_partition():
        # A full refresh rebuilds a table from the run's window alone: every earlier and later
        # day would be lost.
        raise dg.Failure(
            f"full_refresh needs every partition, got {window.start}..{window.end}: launch it "
            f"over all partitions, or drop full_refresh to rebuild only these months"
        )
    return ["--full-refresh"]


@contextmanager
def dbt_env(step: DbtStep, window: dg.PartitionKeyRange | None) -> Iterator[None]:
    """The step's indirect selection, and TRADE_DATE_FROM/TO, the days of the run's months
    (macros/trade_date_window.sql), for the dbt process started inside (it copies os.environ)."""
    variables = {"DBT_INDIRECT_SELECTION": step.indirect_selection}
    if window is not None:
        first, last = trade_dates(window)
        variables.update(TRADE_DATE_FROM=first.isoformat(), TRADE_DATE_TO=last.isoformat())
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


warehouse_dbt_assets = [dbt_step(name, step) for name, step in DBT_STEPS.items()]


def with_table_metadata(
    warehouse: DuckDBResource,
    events: list,
    manifest: Mapping[str, Any],
    window: dg.PartitionKeyRange | None,
) -> Iterator:
    """Add row count and date range (and the rows in a partitioned run's window) to each node."""
    built = [event for event in events if isinstance(event, dg.Output | dg.AssetMaterialization)]
    if not built:
        yield from events
        return
    with reading(warehouse) as connection:
        for event in events:
            if event in built:
                node = manifest["nodes"][event.metadata["unique_id"].value]
                metadata = node_metadata(connection, node, window)
                event = event.with_metadata({**event.metadata, **metadata})
            yield event


def node_metadata(
    connection: duckdb.DuckDBPyConnection,
    node: Mapping[str, Any],
    window: dg.PartitionKeyRange | None,
) -> dict:
    dates = tuple(day.isoformat() for day in trade_dates(window)) if window else None
    return table_metadata(connection, node["schema"], node["alias"], dates)
