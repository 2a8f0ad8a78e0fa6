"""Rows shown as a table in the Dagster UI (`MetadataValue.table`), from a pandas frame."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import dagster as dg
import numpy as np
import pandas as pd

# pandas' inferred kind of a column -> the column type the UI shows.
COLUMN_TYPES = {
    "boolean": "bool",
    "integer": "int",
    "floating": "float",
    "mixed-integer-float": "float",
    "decimal": "float",
    "date": "date",
}


def ui_table(frame: pd.DataFrame) -> dg.TableMetadataValue:
    """Every row of `frame` (bound it before) as a TableRecord, its columns typed."""
    names = [str(name) for name in frame.columns]
    types = [column_type(frame[column]) for column in frame.columns]
    records = [
        dg.TableRecord(
            {name: cell(value, kind) for name, value, kind in zip(names, row, types, strict=True)}
        )
        for row in frame.itertuples(index=False, name=None)
    ]
    columns = [dg.TableColumn(name, kind) for name, kind in zip(names, types, strict=True)]
    return dg.MetadataValue.table(records, dg.TableSchema(columns=columns))


def column_type(values: pd.Series) -> str:
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("datetime64", "datetime"):
        # Dates read from DuckDB arrive as timestamps at midnight: shown as dates.
        stamps = pd.to_datetime(values.dropna())
        midnight = stamps.dt.tz is None and (stamps == stamps.dt.normalize()).all()
        return "date" if midnight else "datetime"
    return COLUMN_TYPES.get(kind, "string")


def cell(value, kind: str = "string") -> str | int | float | bool | None:
    """A value as TableRecord takes it (str, int, float, bool or None): in a column of `kind`
    "date" as YYYY-MM-DD, other timestamps in ISO format, a decimal as a float, a missing value
    (None, NaN, NaT, NA) as None."""
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return None
    if isinstance(value, datetime):  # pd.Timestamp too
        return value.date().isoformat() if kind == "date" else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, np.generic):
        value = value.item()  # numpy bool, int and float as Python's
    return value if isinstance(value, str | int | float | bool) else str(value)
