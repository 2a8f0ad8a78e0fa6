"""Run a great-expectations suite (GX 1.x, defined as code) on the warehouse, inside DuckDB.

A suite module (fx_rates, conversion, thresholds) gives the SQL that builds the frame to check
for a window of trade dates, the columns that name a row, and its gates: one GX expectation
each, with a severity and the reason for it. ERROR gates block downstream assets in Dagster;
WARN gates flag and show rows.

Why the rows stay in DuckDB. A whole fact read into pandas and validated by GX took about 60 s
and 13.9 GB per suite on the full-market benchmark (10.8 M listing-days). GX's own SQL
datasource would keep the rows in the database, but it does not run on DuckDB with this stack:
DuckDB is not one of GX's dialects, and through duckdb_engine (SQLAlchemy) GX 1.24 drops a
table asset's schema and fails its first metric (table.row_count: "list index out of range").
So each gate's expectation is translated to a row condition (`unexpected_condition`, which knows
the few expectation types the suites use and refuses any other) and evaluated by DuckDB over the
window's frame in one pass: the counts are exact. GX then validates a bounded frame, the first
SAMPLE_ROWS rows plus at most SAMPLE_ROWS failing rows of each gate, and its verdict and failing
rows must agree with DuckDB's, or the run fails: GX still judges every gate, and a translation
that drifted from GX's semantics cannot pass silently.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import pandas as pd

# Set before GX is imported: no usage statistics leave the machine.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx
from great_expectations.data_context.types.base import ProgressBarsConfig

from orchestration.settings import DUCKDB_CONFIG

ERROR = "ERROR"
WARN = "WARN"
SAMPLE_ROWS = 20
FRAME_TABLE = "gx_gate_frame"  # a temporary table of the checking connection
# DuckDB's memory while a suite runs, on any connection (make gx-docs opens its own): a larger
# frame (a full build's facts) spills to disk beside the warehouse instead of growing the process.
MEMORY_LIMIT = DUCKDB_CONFIG["memory_limit"]


@dataclass(frozen=True)
class Window:
    """The trade dates a gate checks, both ends inclusive; no start checks every date. Without an
    end it runs on to the latest date (models rebuilt from the window's start on)."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self):
        if self.start is None and self.end is not None:
            raise ValueError(f"a window ending {self.end} needs a start")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"window ends {self.end} before it starts {self.start}")

    @property
    def is_all(self) -> bool:
        return self.start is None

    def where(self, column: str, lookback_days: int = 0) -> str:
        """SQL: `column` within the window, from `lookback_days` before its start (the rows a
        comparison with an earlier day needs); true for every date."""
        if self.is_all:
            return "true"
        start = f"date '{self.start - timedelta(days=lookback_days)}'"
        if self.end is None:
            return f"{column} >= {start}"
        return f"{column} between {start} and date '{self.end}'"

    def before(self, column: str) -> str:
        """SQL: `column` before the window; false for every date."""
        return "false" if self.is_all else f"{column} < date '{self.start}'"

    def metadata(self) -> dict[str, str]:
        if self.is_all:
            return {"window": "all"}
        return {
            "window_start": self.start.isoformat(),
            "window_end": self.end.isoformat() if self.end else "latest",
        }


ALL = Window()


@dataclass(frozen=True)
class Gate:
    """One expectation, how bad its failure is, and why."""

    name: str
    expectation: gx.expectations.Expectation
    severity: str
    why: str
    show: tuple[str, ...] = ()  # columns that explain a failing row, besides the row key


@dataclass(frozen=True)
class Suite:
    name: str
    description: str
    sql: Callable[[Window], str]  # builds the frame every gate reads, for a window's rows
    row_key: tuple[str, ...]
    gates: tuple[Gate, ...]
    notes: dict[str, str] = field(default_factory=dict)  # known, explained failures per gate
    # False: the guarded asset is rebuilt whole in every run, so every row is checked.
    windowed: bool = True
    # The guarded model rebuilds from the window's start on (club_events): checked up to the end.
    open_ended: bool = False

    def checked_window(self, run_window: Window) -> Window:
        if not self.windowed or run_window.is_all:
            return ALL
        return Window(run_window.start, None if self.open_ended else run_window.end)

    def gx_suite(self) -> gx.ExpectationSuite:
        suite = gx.ExpectationSuite(name=self.name, meta={"description": self.description})
        for gate in self.gates:
            expectation = gate.expectation.copy(
                update={"meta": {"gate": gate.name, "severity": gate.severity, "why": gate.why}}
            )
            suite.add_expectation(expectation)
        return suite


@dataclass(frozen=True)
class GateResult:
    gate: Gate
    passed: bool
    element_count: int  # rows checked, exact
    unexpected_count: int  # failing rows, exact
    failing_rows: pd.DataFrame  # a sample, at most SAMPLE_ROWS, in row-key order
    window: Window = ALL  # the trade dates checked
    note: str | None = None  # the suite's explanation of a known failure


def ephemeral_context() -> gx.data_context.AbstractDataContext:
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def validate(frame: pd.DataFrame, suite: Suite):
    """GX validation of the frame: batch.validate(suite) on a pandas dataframe asset."""
    source = ephemeral_context().data_sources.add_pandas("warehouse")
    asset = source.add_dataframe_asset(suite.name)
    batch = asset.add_batch_definition_whole_dataframe("whole_table").get_batch(
        batch_parameters={"dataframe": frame}
    )
    return batch.validate(suite.gx_suite(), result_format={"result_format": "COMPLETE"})


def run_suite(
    connection: duckdb.DuckDBPyConnection, suite: Suite, window: Window = ALL
) -> list[GateResult]:
    """Every gate of the suite on the window's rows: counted in DuckDB, judged by GX on a
    bounded sample that must agree with the counts."""
    checked = suite.checked_window(window)
    flags = flag_columns(suite)
    sample, element_count, unexpected = counted_sample(connection, suite, checked, flags)
    by_gate = validated(sample.drop(columns=flags), suite)
    return [
        gate_result(gate, by_gate[gate.name], sample, flag, count, element_count, checked, suite)
        for gate, flag, count in zip(suite.gates, flags, unexpected, strict=True)
    ]


def sample_frame(
    connection: duckdb.DuckDBPyConnection, suite: Suite, window: Window = ALL
) -> pd.DataFrame:
    """The bounded sample of the window's frame that the gates hand to GX (Data Docs)."""
    flags = flag_columns(suite)
    sample, _, _ = counted_sample(connection, suite, suite.checked_window(window), flags)
    return sample.drop(columns=flags)


def counted_sample(
    connection: duckdb.DuckDBPyConnection, suite: Suite, window: Window, flags: list[str]
) -> tuple[pd.DataFrame, int, list[int]]:
    """In DuckDB, under its memory cap: the window's row count, each gate's exact count of
    failing rows, and the bounded sample with one flag column per gate."""
    with memory_limit(connection, MEMORY_LIMIT):
        try:
            build_frame(connection, suite, window, flags)
            element_count, *unexpected = connection.execute(
                f"select count(*), {', '.join(f'count(*) filter ({f})' for f in flags)}"
                f" from {FRAME_TABLE}"
            ).fetchone()
            return bounded_sample(connection, suite, flags, unexpected), element_count, unexpected
        finally:
            connection.execute(f"drop table if exists {FRAME_TABLE}")


@contextmanager
def memory_limit(connection: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory limit for the block (a setting of the whole database, so restored)."""
    [(previous,)] = connection.execute("select current_setting('memory_limit')").fetchall()
    connection.execute(f"set memory_limit = '{limit}'")
    try:
        yield
    finally:
        connection.execute(f"set memory_limit = '{previous}'")


def flag_columns(suite: Suite) -> list[str]:
    """One boolean column per gate of the suite in the checked frame: its row fails the gate."""
    return [f"gx_gate_{index}_fails" for index in range(len(suite.gates))]


def build_frame(connection, suite: Suite, window: Window, flags: list[str]) -> None:
    """The window's frame with one boolean per gate (does the row fail it?), in one pass."""
    conditions = ",\n    ".join(
        f"coalesce({unexpected_condition(gate.expectation)}, false) as {flag}"
        for gate, flag in zip(suite.gates, flags, strict=True)
    )
    connection.execute(
        f"create or replace temp table {FRAME_TABLE} as\n"
        f"select *,\n    {conditions}\nfrom ({suite.sql(window)}) as frame"
    )


def bounded_sample(connection, suite: Suite, flags: list[str], unexpected: list[int]):
    """The first SAMPLE_ROWS rows of the frame and the first SAMPLE_ROWS failing rows of each
    failing gate, in row-key order: at most (gates + 1) × SAMPLE_ROWS rows."""
    key = ", ".join(quoted(column) for column in suite.row_key)
    picks = [f"(select rowid from {FRAME_TABLE} order by {key} limit {SAMPLE_ROWS})"]
    for gate, flag, count in zip(suite.gates, flags, unexpected, strict=True):
        if count:
            order = ", ".join([*map(quoted, expectation_columns(gate.expectation)), key])
            picks.append(
                f"(select rowid from {FRAME_TABLE} where {flag}"
                f" order by {order} limit {SAMPLE_ROWS})"
            )
    return connection.execute(
        f"select * from {FRAME_TABLE} where rowid in ({' union '.join(picks)}) order by {key}"
    ).df()


def validated(frame: pd.DataFrame, suite: Suite) -> dict:
    validation = validate(frame, suite)
    return {result.expectation_config.meta["gate"]: result for result in validation.results}


def gate_result(
    gate: Gate, result, sample: pd.DataFrame, flag: str, count: int, elements: int, window, suite
) -> GateResult:
    if result.exception_info.get("raised_exception"):
        raise RuntimeError(f"{suite.name}.{gate.name}: {result.exception_info}")
    failing = sample.index[sample[flag]]
    check_agreement(gate, result, set(failing), count, suite)
    columns = [c for c in dict.fromkeys([*suite.row_key, *gate.show]) if c in sample.columns]
    return GateResult(
        gate=gate,
        passed=count == 0,
        element_count=elements,
        unexpected_count=count,
        failing_rows=sample.loc[failing[:SAMPLE_ROWS], columns].reset_index(drop=True),
        window=window,
        note=suite.notes.get(gate.name) if count else None,
    )


def check_agreement(gate: Gate, result, failing: set, count: int, suite: Suite) -> None:
    """GX's verdict and failing rows on the sample are DuckDB's. Uniqueness is judged on the
    whole table, so in a sample GX can only see some of the duplicates DuckDB counted."""
    by_gx = set(result.result.get("unexpected_index_list") or [])
    agrees = by_gx <= failing if is_unique(gate.expectation) else by_gx == failing
    if bool(result.success) != (count == 0) or not agrees:
        raise RuntimeError(
            f"{suite.name}.{gate.name}: great-expectations and DuckDB disagree on the sample: "
            f"GX success={result.success} on rows {sorted(by_gx)}, DuckDB counts {count} "
            f"failing rows, rows {sorted(failing)} of the sample"
        )


# The expectation types the suites use, as SQL conditions that hold where GX counts a row as
# unexpected. GX leaves out rows whose column is null (pair expectations: per ignore_row_if).


def unexpected_condition(expectation: gx.expectations.Expectation) -> str:
    kind = type(expectation).__name__
    if getattr(expectation, "mostly", 1) != 1:
        raise NotImplementedError(f"{kind} with mostly < 1: gates.py counts every row")
    if kind == "ExpectColumnPairValuesToBeEqual":
        return pair_unequal(expectation)
    column = quoted(expectation.column)
    if kind == "ExpectColumnValuesToBeBetween":
        return f"{column} is not null and not ({between(expectation)})"
    if kind == "ExpectColumnValuesToBeInSet":
        return f"{column} is not null and {column} not in ({values(expectation.value_set)})"
    if kind == "ExpectColumnValuesToNotBeInSet":
        return f"{column} is not null and {column} in ({values(expectation.value_set)})"
    if kind == "ExpectColumnValuesToBeUnique":
        return f"{column} is not null and count(*) over (partition by {column}) > 1"
    raise NotImplementedError(f"no SQL condition for {kind} yet: add one to gates.py")


def pair_unequal(expectation) -> str:
    a, b = quoted(expectation.column_A), quoted(expectation.column_B)
    # GX compares with pandas' ==, under which a missing value equals nothing.
    unequal = f"not coalesce({a} = {b}, false)"
    ignored = {
        "both_values_are_missing": f"{a} is null and {b} is null",
        "either_value_is_missing": f"{a} is null or {b} is null",
        "neither": "false",
    }[expectation.ignore_row_if]
    return f"not ({ignored}) and {unequal}"


def between(expectation) -> str:
    column = quoted(expectation.column)
    bounds = []
    if expectation.min_value is not None:
        bounds.append(
            f"{column} {'>' if expectation.strict_min else '>='} {expectation.min_value!r}"
        )
    if expectation.max_value is not None:
        bounds.append(
            f"{column} {'<' if expectation.strict_max else '<='} {expectation.max_value!r}"
        )
    return " and ".join(bounds) or "true"


def values(value_set) -> str:
    return ", ".join(literal(value) for value in value_set)


def literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def is_unique(expectation) -> bool:
    return type(expectation).__name__ == "ExpectColumnValuesToBeUnique"


def expectation_columns(expectation) -> list[str]:
    """Sample order of a gate's failing rows: duplicates side by side, so GX sees them too."""
    return [expectation.column] if is_unique(expectation) else []
