"""Row count and date range of a built table or view, for the asset's metadata in the UI."""

from __future__ import annotations

import duckdb

# The date a row is about, when a table has several date columns.
PREFERRED_DATE_COLUMNS = ("trade_date", "event_date", "period_end", "session_date")


def table_metadata(
    connection: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    window: tuple[str, str] | None = None,
) -> dict:
    """Rows and dates of the whole table; with a window (a partitioned run's first and last
    day), also how many of its rows fall in that window."""
    relation = f'"{schema}"."{table}"'
    column = date_column(connection, schema, table)
    if column is None:
        [(row_count,)] = connection.execute(f"select count(*) from {relation}").fetchall()
        return {"dagster/row_count": row_count}
    # One scan for all of it: a staging view re-reads its raw files for every query (a query
    # each took the whole-market update's foundation step 3.9 s on one view, one query 0.9 s).
    first_day, last_day = window or (None, None)
    [(row_count, first, last, in_window)] = connection.execute(
        f'select count(*), min("{column}"), max("{column}"),'
        f' count(*) filter (where "{column}" between ? and ?) from {relation}',
        [first_day, last_day],
    ).fetchall()
    metadata = {
        "dagster/row_count": row_count,
        "date_column": column,
        "first_date": str(first),
        "last_date": str(last),
    }
    if window:
        metadata.update(window=f"{first_day}..{last_day}", rows_in_window=in_window)
    return metadata


def date_column(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> str | None:
    columns = [
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns"
            " where table_schema = ? and table_name = ? and data_type = 'DATE'"
            " order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]
    preferred = [name for name in PREFERRED_DATE_COLUMNS if name in columns]
    return (preferred or columns or [None])[0]
