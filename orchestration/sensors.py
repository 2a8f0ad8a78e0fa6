"""What reacts to events between runs: the warehouse update after each live landing, and the
raw assets' freshness checks evaluated between runs. Both are stopped until someone turns them
on (live mode needs the internet)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import date, timedelta

import dagster as dg

from orchestration.assets.live.landing_rules import LANDED_DAY
from orchestration.partitions import month_of, range_tags


def freshness_sensor(checks: Sequence[dg.AssetChecksDefinition]) -> dg.SensorDefinition:
    """Evaluates the checks between runs; stopped until someone turns it on."""
    with warnings.catch_warnings(category=dg.SupersessionWarning, action="ignore"):
        return dg.build_sensor_for_freshness_checks(freshness_checks=checks)


def update_after_live_landing(
    live_job: dg.UnresolvedAssetJobDefinition, update_job: dg.UnresolvedAssetJobDefinition
) -> dg.RunStatusSensorDefinition:
    """After a successful live landing of day D, rebuild the marts of the month(s) holding D-1
    and D: the day's quotes and parity, and the US session of D-1 that the file of D holds."""

    @dg.run_status_sensor(
        name="update_after_live_landing",
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitored_jobs=[live_job],
        request_job=update_job,
        default_status=dg.DefaultSensorStatus.STOPPED,  # with the live schedules: opt in
        description=(
            f"Runs {update_job.name} for the months of the day each {live_job.name} run landed "
            f"and the day before."
        ),
    )
    def _sensor(context: dg.RunStatusSensorContext):
        run = context.dagster_run
        days = landed_days(context.instance, run.run_id)
        if not days:
            return dg.SkipReason(f"run {run.run_id} names no landed day ({LANDED_DAY})")
        # The run's partition is a month; the day it landed is in its materialisations' metadata.
        # The file of day D of the US quotes holds the US session of D-1 (see after_us_close).
        return dg.RunRequest(
            run_key=f"update_after_live_landing:{run.run_id}",
            tags=range_tags(month_of(min(days) - timedelta(days=1)), month_of(max(days))),
        )

    return _sensor


def landed_days(instance: dg.DagsterInstance, run_id: str) -> list[date]:
    """The days a live run landed, from the metadata of its materialisations."""
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records
    metadata = [record.event_log_entry.asset_materialization.metadata for record in records]
    return sorted({date.fromisoformat(m[LANDED_DAY].value) for m in metadata if LANDED_DAY in m})
