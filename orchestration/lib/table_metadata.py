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
    [(row_count,)] = connection.execute(f"select count(*) from {relation}").fetchall()
    metadata = {"dagster/row_count": row_count}
    column = date_column(connection, schema, table)
    if column:
        [(first, last)] = connection.execute(
            f'select min("{column}"), max("{column}") from {relation}'
        ).fetchall()
        metadata.update(date_column=column, first_date=str(first), last_date=str(last))
    if column and window:
        [(in_window,)] = connection.execute(
            f'select count(*) from {relation} where "{column}" between ? and ?', list(window)
        ).fetchall()
        metadata.update(window=f"{window[0]}..{window[1]}", rows_in_window=in_window)
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
