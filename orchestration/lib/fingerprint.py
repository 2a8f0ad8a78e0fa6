"""A fingerprint of the marts: two warehouses with equal fingerprints hold the same marts."""

from __future__ import annotations

from pathlib import Path

import duckdb


def marts_fingerprint(warehouse: Path) -> dict[str, tuple]:
    """Row count and an order-independent hash of every table in schema marts."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
        return {name: table_fingerprint(connection, f"marts.{name}") for (name,) in tables}


def table_fingerprint(connection: duckdb.DuckDBPyConnection, table: str) -> tuple:
    """Row count and an order-independent hash of the rows of `table` (a qualified name)."""
    return connection.execute(f"select count(*), sum(hash(t)) from {table} as t").fetchone()
