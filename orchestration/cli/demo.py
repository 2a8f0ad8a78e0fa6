"""`make demo`: materialise every asset through Dagster, then print who is in each club.

Runs the `build_warehouse` job against the Dagster instance in DAGSTER_HOME, so the run shows in
the UI afterwards. Exits non-zero, naming them, when any asset or blocking check fails.
"""

from __future__ import annotations

import sys

import dagster as dg
import duckdb

from orchestration import settings
from orchestration.assets.warehouse import all_partitions_tags
from orchestration.definitions import build_definitions
from orchestration.lib.club_report import LATEST_MEMBERS_SQL


def run_build(
    instance: dg.DagsterInstance, run_config: dict | None = None
) -> dg.ExecuteInProcessResult:
    """One build_warehouse run over every month partition, like a single-run backfill."""
    job = build_definitions().resolve_job_def("build_warehouse")
    return job.execute_in_process(
        instance=instance,
        # INFO: the DEBUG log has a line per partition materialised.
        run_config={
            "loggers": {"console": {"config": {"log_level": "INFO"}}},
            **(run_config or {}),
        },
        tags=all_partitions_tags(),
        raise_on_error=False,
    )


def failures(result: dg.ExecuteInProcessResult) -> list[str]:
    """Failed steps, and failed checks whose severity blocks downstream assets."""
    problems = [
        f"step {event.step_key} failed: {root_cause(event.event_specific_data.error)}"
        for event in result.get_step_failure_events()
    ]
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        evaluation = event.event_specific_data
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            key = evaluation.asset_key.to_user_string()
            problems.append(f"blocking check {evaluation.check_name} on {key} failed")
    return problems


def root_cause(error) -> str:
    """The innermost error of Dagster's wrapper chain: the one that names the bad input."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def club_summary(warehouse: str) -> str:
    with duckdb.connect(warehouse, read_only=True) as connection:
        rows = connection.execute(LATEST_MEMBERS_SQL).fetchall()
    lines, current = [], None
    for club_id, trade_date, company, value, currency, is_derived, as_of_date in rows:
        if club_id != current:
            current = club_id
            lines.append(f"\n{club_id}, as of {as_of_date}, members at each company's latest data:")
        flag = "  (derived figure)" if is_derived else ""
        lines.append(f"  {company:<40} {value / 10**12:>7.3f} tn {currency} on {trade_date}{flag}")
    return "\n".join(lines)


def main() -> int:
    # Disposed on the way out: the event log's open files are closed and checkpointed.
    with dg.DagsterInstance.get() as instance:
        result = run_build(instance)
    problems = failures(result)
    if problems:
        print(f"build_warehouse run {result.run_id} FAILED:", *problems, sep="\n  ")
        return 1
    print(f"build_warehouse run {result.run_id} succeeded; warehouse: {settings.warehouse_path()}")
    print(club_summary(str(settings.bi_path())))
    print(f"\nBI tools: open {settings.bi_path()} read-only; charts in {settings.reports_dir()}")
    print(f"Report: {report_page_uri()}")
    return 0


def report_page_uri() -> str:
    """The page the build's report asset wrote; saying so when it is missing."""
    page = settings.reports_dir() / "index.html"
    return page.as_uri() if page.exists() else f"{page} was not written (see the run's log)"


if __name__ == "__main__":
    sys.exit(main())
