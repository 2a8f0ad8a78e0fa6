"""great-expectations suites (expectations/) as Dagster asset checks on the assets they guard.

One multi-asset check per suite, one check spec per expectation: ERROR expectations are blocking,
so a failure stops the dbt steps after the guarded asset in the same run; WARN expectations
flag the rows in the UI and let the run go on. The result's metadata carries the expectation's
outcome, why it exists, the trade dates it checked and a sample of the failing rows as a table.

A run over some month partitions (a day's update of its month, a backfill of a range) checks the
trade dates it rebuilt, every day of those months; a run over every partition, or none, checks
every row (expectations/gates.py).
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from expectations import conversion, fx_rates, thresholds
from expectations.gates import ALL, ERROR, GateResult, Suite, Window, run_suite
from orchestration.lib.ui_table import ui_table
from orchestration.partitions import rebuilt_days
from orchestration.resources import reading

GUARDED = [
    (fx_rates.SUITE, dg.AssetKey(["intermediate", "int_fx_fixings"])),
    (conversion.SUITE, dg.AssetKey(["marts", "fct_listing_market_cap_daily"])),
    (thresholds.MEMBERSHIP, dg.AssetKey(["marts", "club_membership_daily"])),
    (thresholds.EVENTS, dg.AssetKey(["marts", "club_events"])),
]


def check_result(asset: dg.AssetKey, result: GateResult) -> dg.AssetCheckResult:
    gate = result.gate
    metadata = {
        "severity": gate.severity,
        "expectation": gate.expectation.expectation_type,
        "why": gate.why,
        "rows_checked": result.element_count,
        "failing_rows": result.unexpected_count,
        **result.window.metadata(),
        # At most SAMPLE_ROWS rows (expectations/gates.py); none when the gate passed.
        "failing_rows_sample": ui_table(result.failing_rows),
    }
    if result.note:
        metadata["known_issue"] = result.note
    return dg.AssetCheckResult(
        asset_key=asset,
        check_name=gate.name,
        passed=result.passed,
        severity=dg.AssetCheckSeverity(gate.severity),
        metadata=metadata,
    )


def gx_suite_check(suite: Suite, asset: dg.AssetKey) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        name=f"gx_{suite.name}",
        description=f"great-expectations suite {suite.name}: {suite.description}",
        specs=[
            dg.AssetCheckSpec(
                gate.name,
                asset=asset,
                blocking=gate.severity == ERROR,
                description=f"[{gate.severity}] {gate.why}",
            )
            for gate in suite.gates
        ],
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: DuckDBResource):
        # Read-only: the dbt step that wrote the table has finished, and the next one waits.
        with reading(warehouse) as connection:
            results = run_suite(connection, suite, gate_window(context))
        for result in results:
            yield check_result(asset, result)

    return _check


def gate_window(context: dg.AssetCheckExecutionContext) -> Window:
    """The days of the run's months (dbt rebuilt those: lib/dbt_steps.py), or ALL for a run over
    every partition or none."""
    days = rebuilt_days(context)
    return ALL if days is None else Window(*days)


gx_checks = [gx_suite_check(suite, asset) for suite, asset in GUARDED]
