"""What reacts to events between runs: the warehouse update after each live landing, and the
raw assets' freshness checks evaluated between runs. Both are stopped until someone turns them
on (live mode needs the internet)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import date, timedelta

import dagster as dg

from orchestration.partitions import range_tags


def freshness_sensor(checks: Sequence[dg.AssetChecksDefinition]) -> dg.SensorDefinition:
    """Evaluates the checks between runs; stopped until someone turns it on."""
    with warnings.catch_warnings(category=dg.SupersessionWarning, action="ignore"):
        return dg.build_sensor_for_freshness_checks(freshness_checks=checks)


def update_after_live_landing(
    live_job: dg.UnresolvedAssetJobDefinition, update_job: dg.UnresolvedAssetJobDefinition
) -> dg.RunStatusSensorDefinition:
    """After a successful live landing of partition D, rebuild the marts of D-1 and D."""

    @dg.run_status_sensor(
        name="update_after_live_landing",
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitored_jobs=[live_job],
        request_job=update_job,
        default_status=dg.DefaultSensorStatus.STOPPED,  # with the live schedules: opt in
        description=f"Runs {update_job.name} for the days each {live_job.name} run landed.",
    )
    def _sensor(context: dg.RunStatusSensorContext):
        run = context.dagster_run
        day = date.fromisoformat(run.tags["dagster/partition"])
        # Partition D of the US quotes holds the US session of D-1 (see after_us_close).
        return dg.RunRequest(
            run_key=f"update_after_live_landing:{run.run_id}",
            tags=range_tags((day - timedelta(days=1)).isoformat(), day.isoformat()),
        )

    return _sensor
