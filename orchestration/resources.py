"""Dagster resources: the akshare source (snapshot or live), the raw zone it lands in, dbt, and
the read-only connection every reader of the warehouse shares."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from dagster_dbt import DbtCliResource, DbtProject
from dagster_dbt.compat import DBT_PYTHON_VERSION
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from orchestration import settings
from orchestration.lib.dbt_steps import DBT_GLOBAL_FLAGS
from orchestration.settings import SOURCE_MODES
from orchestration.sources.contracts import CONTRACTS, validate
from orchestration.sources.live import LiveSource
from orchestration.sources.snapshot import SnapshotSource

# Project reference data, not market data: the same file in both modes. The curated industry
# classification names the Shenwan level-1/2 industry of each tracked listing, as dim_company
# needs it. akshare has no such call: its live Shenwan data (assets/live/industry.py) is level-3
# codes of A shares without names, and is not modelled yet, so it cannot stand in for it.
# industry_sw_a_share (the Shenwan industry of every listing in the whole-market quotes,
# PROVENANCE.md §9) is project reference data too: a file of the snapshot, not an akshare call.
REFERENCE_DATASETS = frozenset({"industry_classification", "industry_sw_a_share"})

settings.export_dbt_env()
dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR)
# `dagster dev` re-parses on start; `make demo`/`make test` parse before loading (see Makefile).
dbt_project.prepare_if_dev()
if not dbt_project.manifest_path.exists():
    dbt_project.preparer.prepare(dbt_project)


@dataclass(frozen=True)
class RawBatch:
    """What one akshare call returned, checked against its contract."""

    function: str
    params: dict
    frame: pd.DataFrame
    origin: str


class AkshareSource(dg.ConfigurableResource):
    """Serves akshare calls from the embedded snapshot (default) or from live akshare.

    Raw assets ask for the same function with the same parameters in both modes and get the same
    raw shape back, so everything downstream runs the same code.
    """

    mode: str = "snapshot"
    snapshot_dir: str
    # Live mode only: seconds between the starts of two HTTP requests, tries per akshare call,
    # the backoff base (doubled per retry, plus jitter), the HTTP requests one run may make,
    # retries included, and the requests in a row that may fail to connect (refused, no route)
    # before the run stops; a host that does not resolve stops it at once. Budget: a daily
    # update of every market in one run is about 220 requests (A shares 55-58 pages, Hong Kong
    # 26, US 110-130, FX 2, Shenwan 2); 400 leaves room for one whole retry of the largest call
    # (US) and some 50 page retries, and stops a loop gone wrong.
    min_interval_s: float = 1.5
    retry_attempts: int = 4
    retry_base_delay_s: float = 2.0
    request_budget: int = 400
    refused_in_a_row_limit: int = 3

    # One LiveSource per run (Dagster builds the resource once per run in one process), so the
    # spacing and the budget span every asset of the run.
    _live: LiveSource | None = PrivateAttr(default=None)

    @classmethod
    def with_live_source(cls, live: LiveSource, **config) -> AkshareSource:
        """A live-mode resource around a given LiveSource (tests inject sleep and clocks)."""
        resource = cls(mode="live", **config)
        resource._live = live
        return resource

    def live_source(self) -> LiveSource:
        if self._live is None:
            self._live = LiveSource(
                self.min_interval_s,
                self.retry_attempts,
                self.retry_base_delay_s,
                self.request_budget,
                self.refused_in_a_row_limit,
            )
        return self._live

    def fetch(self, function: str, **params) -> RawBatch:
        if self.mode_of(function) == "snapshot":
            frame, origin = SnapshotSource(Path(self.snapshot_dir)).fetch(function, **params)
        else:
            frame, origin = self.live_source().fetch(function, **params)
        return RawBatch(function, params, validate(function, frame, origin), origin)

    def mode_of(self, function: str) -> str:
        """Where `function` is answered from: project reference data is read from the snapshot
        in both modes."""
        if self.mode not in SOURCE_MODES:
            raise ValueError(f"source mode must be one of {SOURCE_MODES}, got {self.mode!r}")
        return "snapshot" if function in REFERENCE_DATASETS else self.mode

    def snapshot_trade_dates(self, function: str) -> list:
        """The trade dates the snapshot has a file for, of a dataset kept one file per day."""
        return SnapshotSource(Path(self.snapshot_dir)).trade_dates(function)

    def now(self) -> datetime:
        """The time quotes fetched now are as of (the injected clock in live-mode tests)."""
        return self.live_source().now() if self.mode == "live" else datetime.now(UTC)


class RawZone(dg.ConfigurableResource):
    """Immutable raw zone: `<root>/<dataset>/<partition>.parquet` (a day, or `all`), replaced
    atomically."""

    root: str

    def path(self, dataset: str, partition: str = "all") -> Path:
        return Path(self.root) / dataset / f"{partition}.parquet"

    def land(self, dataset: str, frame: pd.DataFrame, load_metadata: dict, partition: str = "all"):
        """Write the partition to a temporary file, then swap it in with one rename.

        A reader (or dbt) sees the old file or the new one, never a half-written one, and a
        failure before the rename leaves what was landed before untouched.
        """
        target = self.path(dataset, partition)
        target.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(_typed(dataset, frame), preserve_index=False)
        metadata = {**(table.schema.metadata or {}), b"load_metadata": json.dumps(load_metadata)}
        table = table.replace_schema_metadata(metadata)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            pq.write_table(table, temporary)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        return target

    def read_load_metadata(self, dataset: str, partition: str = "all") -> dict:
        schema = pq.read_schema(self.path(dataset, partition))
        return json.loads(schema.metadata[b"load_metadata"])


def _typed(dataset: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give every column an explicit type so Parquet files of one dataset always agree."""
    contract = CONTRACTS.get(dataset)
    frame = frame.copy()
    for column in frame.columns:
        if contract and column == contract.date_column:
            continue
        if pd.api.types.infer_dtype(frame[column], skipna=True) == "date":
            continue  # datetime.date values land as a Parquet date (e.g. the stamped 交易日)
        if contract and column in (*contract.numeric, *contract.optional_numeric):
            frame[column] = frame[column].astype("float64")
        elif frame[column].dtype == object or column.startswith("_"):
            frame[column] = frame[column].astype("string")
    return frame


class VenvDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource, for the dbt installed beside this interpreter, starting only
    the dbt call itself. Both overrides are of dagster-dbt internals (constraints.txt pins it;
    tests/test_definitions.py fails if either stops taking effect)."""

    @cached_property
    def _cli_version(self):
        # dagster-dbt starts `dbt --version` once per run to learn whether dbt is dbt-core or
        # Fusion: 1.5-3.5 s, most of it importing dbt. The dbt beside this interpreter is the
        # dbt-core this process has imported.
        if Path(self.dbt_executable) == Path(settings.dbt_executable()) and DBT_PYTHON_VERSION:
            return DBT_PYTHON_VERSION
        return super()._cli_version

    def _initialize_dbt_core_adapter(self, args):
        # dagster-dbt loads dbt's project, profile and every macro into this process before each
        # dbt call (about 2 s) for an adapter that only `fetch_row_counts` and
        # `fetch_column_metadata` use. The dbt steps read their table metadata themselves
        # (assets/warehouse.py), so none is needed.
        return None


def warehouse_reader(path: Path) -> DuckDBResource:
    """Read-only connections to the warehouse at `path`, for its readers (the report, the table
    metadata of each dbt step, the gx checks). DuckDB lets one process open a file read-write,
    or any number read-only: read-only, readers never write the warehouse and can read side by
    side with other readers (BI copies, the docs, another run's checks); closed once read (see
    `reading`), they leave the file to dbt's next step. DuckDBResource always connects with
    read_only=False, so the access mode is set through its connection config (DuckDB applies it
    to the whole connection). It retries a refused connection for about 100 s (a lock held by a
    writer, a missing file) before it fails. Memory: settings.DUCKDB_CONFIG."""
    config = {"access_mode": "READ_ONLY", **settings.DUCKDB_CONFIG}
    return DuckDBResource(database=str(path), connection_config=config)


@contextmanager
def reading(warehouse: DuckDBResource) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection of `warehouse`, closed however the block ends. DuckDBResource closes it only
    when the block succeeds; after an error it stays open as long as the exception is referenced,
    and holds the file lock that the next dbt step needs."""
    with warehouse.get_connection() as connection, closing(connection):
        yield connection


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def warehouse_resources(akshare: dg.ResourceDefinition | None = None) -> dict:
    """Every resource the code location binds, configured from the environment now."""
    return {
        "akshare": akshare
        or AkshareSource(mode=settings.source_mode(), snapshot_dir=str(settings.snapshot_dir())),
        "raw_zone": RawZone(root=str(settings.raw_zone_dir())),
        "dbt": VenvDbtCliResource(
            project_dir=dbt_project,
            dbt_executable=settings.dbt_executable(),
            global_config_flags=list(DBT_GLOBAL_FLAGS),
        ),
        "warehouse": warehouse_reader(settings.warehouse_path()),
    }
