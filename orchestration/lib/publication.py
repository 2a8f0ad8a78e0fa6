"""Publish the marts for BI tools: a new, complete DuckDB file per build, swapped in atomically.

DuckDB lets one process write a file or many read it, never both. So BI tools never open the
warehouse: they open `settings.bi_path()` read-only, and nothing ever writes that file in place.
Each publication writes the marts into a new file under `published/`, then renames a link to it
over the stable path (`os.replace`, atomic on POSIX). A reader sees the old or the new version,
never half of one; a reader still holding the old file keeps reading it until it reconnects.

A run over some months (a one-day update) starts the new file as a copy of the last publication
and replaces only the run's days of the daily marts, the tables with a `trade_date` column (a
whole copy of 49 M rows took 20 s at full-market scale, the window a few). Each such table is
then compared with the warehouse, count and hash of every row: one that differs anywhere (a
publication missed after an earlier run, a model that changed its columns) is copied whole.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.lib.fingerprint import table_fingerprint

# Storage format of DuckDB 1.0, which DuckDB 0.10 and later read; many BI drivers bundle an
# older DuckDB than the 2.0 that builds the warehouse, and 2.0's default format is unreadable
# to them.
BI_STORAGE_VERSION = "v1.0.0"
# One row per published table: the version and its row count, for readers to check.
PUBLICATION_TABLE = "_publication"
KEEP_PUBLICATIONS = 3
# The daily marts have one row per listing or company and trade date; dbt rebuilds a run's
# days of them and nothing else (macros/trade_date_window.sql).
DAY_COLUMN = "trade_date"

Days = tuple[date, date]  # first and last trade date, inclusive


@dataclass(frozen=True)
class Publication:
    version: str
    path: Path
    row_counts: dict[str, int]
    # The tables of which only the run's days were replaced; every other one was copied whole.
    windowed: tuple[str, ...] = ()


def publish_marts(
    warehouse: Path, published_dir: Path, bi_path: Path, days: Days | None = None
) -> Publication:
    """Publish every table of schema `marts` as a new file, then make it the BI file. With
    `days` (the run rebuilt only those), start from the last publication."""
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = published_dir / f"marts_{version}.duckdb"
    previous = latest(published_dir) if days else None
    publication = write_marts(warehouse, path, version, previous, days)
    swap_in(path, bi_path)
    prune(published_dir, keep=KEEP_PUBLICATIONS)
    return publication


def write_marts(
    warehouse: Path,
    path: Path,
    version: str,
    previous: Path | None = None,
    days: Days | None = None,
) -> Publication:
    """Write the marts to `path` (via a temporary name, so `path` only ever holds a whole copy):
    a copy of `previous` with `days` of the daily marts replaced, or everything anew."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    if previous is not None:
        shutil.copyfile(previous, partial)
        partial.chmod(0o644)
    # A connection of its own, not the warehouse resource's: that one is READ_ONLY as a whole
    # and could not write the new file. The warehouse is attached read-only, as the resource has it.
    # In memory, it would spill to .tmp in the working directory: spill beside the new file.
    config = {**settings.DUCKDB_CONFIG, "temp_directory": str(path.parent / ".tmp")}
    with duckdb.connect(config=config) as connection:
        connection.execute(f"attach '{warehouse}' as warehouse (read_only)")
        connection.execute(
            f"attach '{partial}' as published (storage_version '{BI_STORAGE_VERSION}')"
        )
        connection.execute("create schema if not exists published.marts")
        tables = mart_tables(connection, "warehouse")
        for stale in set(mart_tables(connection, "published")) - set(tables):
            connection.execute(f'drop table published.marts."{stale}"')
        windowed = (
            tuple(table for table in tables if replace_days(connection, table, days))
            if previous and days
            else ()
        )
        for table in tables:
            if table not in windowed:
                copy_table(connection, table)
        row_counts = {table: row_count(connection, table) for table in tables}
        record_version(connection, version, row_counts)
        connection.execute("detach published")  # checkpoints: the file is complete, no WAL
    partial.chmod(0o444)  # discourage BI tools from opening it read-write
    os.replace(partial, path)
    return Publication(version, path, row_counts, windowed)


def replace_days(connection: duckdb.DuckDBPyConnection, table: str, days: Days) -> bool:
    """Replace `days` of a daily mart in the published copy; True if the table then equals the
    warehouse's. False, with nothing replaced, for a table that is not daily or whose columns
    differ from the copy's."""
    columns = table_columns(connection, "warehouse", table)
    if DAY_COLUMN not in dict(columns) or columns != table_columns(connection, "published", table):
        return False
    where = f"{DAY_COLUMN} between ? and ?"
    connection.execute(f'delete from published.marts."{table}" where {where}', days)
    connection.execute(
        f'insert into published.marts."{table}" select * from warehouse.marts."{table}" '
        f"where {where}",
        days,
    )
    return table_fingerprint(connection, f'published.marts."{table}"') == table_fingerprint(
        connection, f'warehouse.marts."{table}"'
    )


def copy_table(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    connection.execute(
        f'create or replace table published.marts."{table}" as '
        f'select * from warehouse.marts."{table}"'
    )


def record_version(
    connection: duckdb.DuckDBPyConnection, version: str, row_counts: dict[str, int]
) -> None:
    connection.execute(
        f"create or replace table published.marts.{PUBLICATION_TABLE} "
        "(version varchar, published_at timestamptz, table_name varchar, row_count bigint)"
    )
    published_at = datetime.now(UTC)
    connection.executemany(
        f"insert into published.marts.{PUBLICATION_TABLE} values (?, ?, ?, ?)",
        [(version, published_at, table, count) for table, count in row_counts.items()],
    )


def mart_tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    return [
        name
        for (name,) in connection.execute(
            "select table_name from information_schema.tables where table_catalog = ?"
            " and table_schema = 'marts' and table_type = 'BASE TABLE'"
            " and table_name != ? order by table_name",
            [catalog, PUBLICATION_TABLE],
        ).fetchall()
    ]


def table_columns(
    connection: duckdb.DuckDBPyConnection, catalog: str, table: str
) -> list[tuple[str, str]]:
    return connection.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = ?"
        " and table_schema = 'marts' and table_name = ? order by ordinal_position",
        [catalog, table],
    ).fetchall()


def row_count(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    [(count,)] = connection.execute(f'select count(*) from published.marts."{table}"').fetchall()
    return count


def latest(published_dir: Path) -> Path | None:
    """The newest publication: a file there is always whole (written under a temporary name)."""
    return max(published_dir.glob("marts_*.duckdb"), default=None)


def swap_in(path: Path, bi_path: Path) -> None:
    """Point `bi_path` at `path` in one rename. A hard link costs nothing; copy across devices."""
    bi_path.parent.mkdir(parents=True, exist_ok=True)
    staged = bi_path.with_name(f".{bi_path.name}.{path.stem}")
    staged.unlink(missing_ok=True)
    try:
        os.link(path, staged)
    except OSError:
        shutil.copyfile(path, staged)
    os.replace(staged, bi_path)


def prune(published_dir: Path, keep: int) -> None:
    """Delete all but the newest `keep` publications; open readers keep their file until closed."""
    for old in sorted(published_dir.glob("marts_*.duckdb"))[:-keep]:
        old.unlink()
