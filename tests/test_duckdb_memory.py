"""The DuckDB connections the Dagster process opens run under settings.DUCKDB_CONFIG, not DuckDB's
default memory limit of 80 % of RAM (the report grew the process to 6.7 GB at full scale)."""

import duckdb

from orchestration import settings
from orchestration.lib import publication
from orchestration.resources import reading, warehouse_reader


def memory_limit(connection: duckdb.DuckDBPyConnection) -> str:
    [(limit,)] = connection.execute("select current_setting('memory_limit')").fetchall()
    return limit


def configured_limit() -> str:
    with duckdb.connect(config=settings.DUCKDB_CONFIG) as connection:
        return memory_limit(connection)


def test_the_warehouse_readers_have_the_configured_memory_limit(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(path)).close()
    with duckdb.connect() as default, reading(warehouse_reader(path)) as connection:
        assert memory_limit(connection) == configured_limit() != memory_limit(default)


def test_the_bi_publish_copies_under_the_configured_memory_limit(tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema marts; create table marts.t as select 1 as x")
    expected, limits, connect = configured_limit(), [], duckdb.connect

    def recording_connect(*args, **kwargs):
        connection = connect(*args, **kwargs)
        limits.append(memory_limit(connection))
        return connection

    monkeypatch.setattr(publication.duckdb, "connect", recording_connect)
    publication.write_marts(warehouse, tmp_path / "published" / "marts_v.duckdb", "v")
    assert limits == [expected]
