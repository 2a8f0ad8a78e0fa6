"""Run a great-expectations suite (GX 1.x, defined as code) on a frame read from DuckDB.

A suite module (fx_rates, conversion, thresholds) gives the SQL that builds the frame to check,
the columns that name a row, and its gates: one GX expectation each, with a severity and the
reason for it. ERROR gates block downstream assets in Dagster; WARN gates flag and show rows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import duckdb
import pandas as pd

# Set before GX is imported: no usage statistics leave the machine.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import great_expectations as gx
from great_expectations.data_context.types.base import ProgressBarsConfig

ERROR = "ERROR"
WARN = "WARN"
SAMPLE_ROWS = 20


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
    sql: str  # builds the frame every gate reads
    row_key: tuple[str, ...]
    gates: tuple[Gate, ...]
    notes: dict[str, str] = field(default_factory=dict)  # known, explained failures per gate

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
    element_count: int
    unexpected_count: int
    failing_rows: pd.DataFrame  # a sample, at most SAMPLE_ROWS
    note: str | None = None  # the suite's explanation of a known failure


def read_frame(connection: duckdb.DuckDBPyConnection, suite: Suite) -> pd.DataFrame:
    return connection.execute(suite.sql).df()


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


def run_suite(connection: duckdb.DuckDBPyConnection, suite: Suite) -> list[GateResult]:
    frame = read_frame(connection, suite)
    validation = validate(frame, suite)
    by_gate = {result.expectation_config.meta["gate"]: result for result in validation.results}
    return [gate_result(gate, by_gate[gate.name], frame, suite) for gate in suite.gates]


def gate_result(gate: Gate, result, frame: pd.DataFrame, suite: Suite) -> GateResult:
    if result.exception_info.get("raised_exception"):
        raise RuntimeError(f"{suite.name}.{gate.name}: {result.exception_info}")
    failing = result.result.get("unexpected_index_list") or []
    columns = [c for c in dict.fromkeys([*suite.row_key, *gate.show]) if c in frame.columns]
    return GateResult(
        gate=gate,
        passed=bool(result.success),
        element_count=int(result.result.get("element_count") or len(frame)),
        unexpected_count=len(failing),
        failing_rows=frame.loc[failing[:SAMPLE_ROWS], columns].reset_index(drop=True),
        note=suite.notes.get(gate.name) if not result.success else None,
    )
