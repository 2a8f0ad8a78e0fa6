"""Publish the marts for BI tools: a new, complete DuckDB file per build, swapped in atomically.

DuckDB lets one process write a file or many read it, never both. So BI tools never open the
warehouse: they open `settings.bi_path()` read-only, and nothing ever writes that file in place.
Each publication copies the marts into a new file under `published/`, then renames a link to it
over the stable path (`os.replace`, atomic on POSIX). A reader sees the old or the new version,
never half of one; a reader still holding the old file keeps reading it until it reconnects.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration import settings

# Storage format of DuckDB 1.0, which DuckDB 0.10 and later read; many BI drivers bundle an
# older DuckDB than the 2.0 that builds the warehouse, and 2.0's default format is unreadable
# to them.
BI_STORAGE_VERSION = "v1.0.0"
# One row per published table: the version and its row count, for readers to check.
PUBLICATION_TABLE = "marts._publication"
KEEP_PUBLICATIONS = 3


@dataclass(frozen=True)
class Publication:
    version: str
    path: Path
    row_counts: dict[str, int]


def publish_marts(warehouse: Path, published_dir: Path, bi_path: Path) -> Publication:
    """Copy every table of schema `marts` into a new file, then make it the BI file."""
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = published_dir / f"marts_{version}.duckdb"
    row_counts = copy_marts(warehouse, path, version)
    swap_in(path, bi_path)
    prune(published_dir, keep=KEEP_PUBLICATIONS)
    return Publication(version, path, row_counts)


def copy_marts(warehouse: Path, path: Path, version: str) -> dict[str, int]:
    """Write the marts to `path` (via a temporary name, so `path` only ever holds a whole copy)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    # A connection of its own, not the warehouse resource's: that one is READ_ONLY as a whole
    # and could not write the new file. The warehouse is attached read-only, as the resource has it.
    # In memory, it would spill to .tmp in the working directory: spill beside the new file.
    config = {**settings.DUCKDB_CONFIG, "temp_directory": str(path.parent / ".tmp")}
    with duckdb.connect(config=config) as connection:
        connection.execute(f"attach '{warehouse}' as warehouse (read_only)")
        connection.execute(
            f"attach '{partial}' as published (storage_version '{BI_STORAGE_VERSION}')"
        )
        connection.execute("create schema published.marts")
        row_counts = {table: copy_table(connection, table) for table in mart_tables(connection)}
        connection.execute(
            f"create table published.{PUBLICATION_TABLE} "
            "(version varchar, published_at timestamptz, table_name varchar, row_count bigint)"
        )
        published_at = datetime.now(UTC)
        connection.executemany(
            f"insert into published.{PUBLICATION_TABLE} values (?, ?, ?, ?)",
            [(version, published_at, table, count) for table, count in row_counts.items()],
        )
        connection.execute("detach published")  # checkpoints: the file is complete, no WAL
    partial.chmod(0o444)  # discourage BI tools from opening it read-write
    os.replace(partial, path)
    return row_counts


def mart_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        name
        for (name,) in connection.execute(
            "select table_name from information_schema.tables where table_catalog = 'warehouse'"
            " and table_schema = 'marts' and table_type = 'BASE TABLE' order by table_name"
        ).fetchall()
    ]


def copy_table(connection: duckdb.DuckDBPyConnection, table: str) -> int:
    connection.execute(
        f'create table published.marts."{table}" as select * from warehouse.marts."{table}"'
    )
    [(count,)] = connection.execute(f'select count(*) from published.marts."{table}"').fetchall()
    return count


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
