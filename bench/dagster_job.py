"""One Dagster job run on the synthetic market, in the child process bench/pipeline.py starts:
`python -m bench.dagster_job <job> <report.json> [day]`.

The environment points everything into the bench directory (DBT_PROJECT_DIR, WAREHOUSE_PATH,
RAW_ZONE_DIR, REPORTS_DIR, BI_PATH, DAGSTER_HOME). The raw landing assets are left out: the
synthetic raw zone stands in for what they would land (landing the snapshot would overwrite it).
The report has the run's step times and materialisation count, from the run's own event log.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.assets.warehouse import all_partitions_tags
from orchestration.definitions import build_definitions
from orchestration.partitions import month_of, range_tags

RAW = dg.AssetSelection.key_prefixes(["raw"])


def run_job(
    instance: dg.DagsterInstance, job_name: str, tags: dict[str, str]
) -> dg.ExecuteInProcessResult:
    defs = build_definitions()
    job = defs.resolve_job_def(job_name)
    selection = (dg.AssetSelection.all() - RAW).resolve(defs.resolve_asset_graph())
    return job.execute_in_process(
        instance=instance,
        tags=tags,
        asset_selection=sorted(selection & job.asset_layer.selected_asset_keys),
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        raise_on_error=False,
    )


def step_seconds(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """Wall time of each step, from its start to its success or failure in the run's log."""
    started, seconds = {}, defaultdict(float)
    for entry in instance.all_logs(run_id):
        kind = entry.dagster_event_type
        if kind == dg.DagsterEventType.STEP_START:
            started[entry.step_key] = entry.timestamp
        elif kind in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            seconds[entry.step_key] += entry.timestamp - started.pop(entry.step_key)
    return {step: round(value, 2) for step, value in seconds.items()}


def summary(instance: dg.DagsterInstance, result: dg.ExecuteInProcessResult) -> dict:
    materializations = [e for e in result.all_events if e.is_step_materialization]
    return {
        "success": result.success,
        "step_seconds": step_seconds(instance, result.run_id),
        "materialization_events": len(materializations),
        "failures": [e.step_key for e in result.get_step_failure_events()],
    }


def main(job_name: str, report: Path, day: str | None = None) -> int:
    # A day's update is a run of the month partition that holds it (orchestration/partitions.py).
    month = None if day is None else month_of(date.fromisoformat(day))
    tags = all_partitions_tags() if month is None else range_tags(month, month)
    instance = dg.DagsterInstance.get()
    result = run_job(instance, job_name, tags)
    report.write_text(json.dumps(summary(instance, result), indent=2) + "\n")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:]))
