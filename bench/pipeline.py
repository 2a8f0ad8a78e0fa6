"""The pipeline users run, on the synthetic market: Dagster's `build_warehouse` over every
partition, then the `update_warehouse` run of the month holding the appended day, each with every
gate, the report and the BI publish (bench/dagster_job.py, one child process per job, measured
with every process below it).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from bench.project import WAREHOUSE_NAME, dbt_env, run_dbt, run_measured, step_log
from orchestration.settings import INSTANCE_CONFIG

# Run by name: importing it would load the Dagster definitions into the measuring process.
DAGSTER_JOB = "bench.dagster_job"


def measure_pipeline(bench_dir: Path, project: Path, day: str) -> dict:
    """Both jobs in child processes, into a warehouse of their own beside the dbt-only one:
    the build over every partition, then the update of `day`; their figures for the report."""
    root = bench_dir / "dagster"
    (root / "home").mkdir(parents=True, exist_ok=True)
    shutil.copy(INSTANCE_CONFIG, root / "home")  # the instance users run on: its event log storage
    env = {
        **dbt_env(bench_dir, root / WAREHOUSE_NAME),
        "DBT_PROJECT_DIR": str(project),
        "REPORTS_DIR": str(root / "reports"),
        "BI_PATH": str(root / "bi" / WAREHOUSE_NAME),
        "DAGSTER_HOME": str(root / "home"),
    }
    # As `make manifest` before a user's run: dbt keeps its partial parse only for the profile
    # it parsed with (the hash includes the warehouse path), else every dbt step parses anew.
    run_dbt(project, env, "parse-dagster", "parse")
    runs = {}
    for job_name, *args in (("build_warehouse",), ("update_warehouse", day)):
        report = root / f"{job_name}.json"
        command = [sys.executable, "-m", DAGSTER_JOB, job_name, str(report), *args]
        measured = run_measured(command, env, step_log(project, job_name), whole_tree=True)
        runs[job_name] = {"measured": measured, **json.loads(report.read_text())}
    return figures(runs["build_warehouse"], runs["update_warehouse"])


def figures(build: dict, update: dict) -> dict:
    steps = update["step_seconds"]
    update_s = update["measured"].seconds
    gates = sum(seconds for step, seconds in steps.items() if step.startswith("gx_"))
    [publish] = [seconds for step, seconds in steps.items() if step.endswith("trillion_club_bi")]
    return {
        "dagster_build_s": round(build["measured"].seconds, 2),
        "dagster_update_s": round(update_s, 2),
        "gates_update_s": round(gates, 2),
        "gates_share_of_update": round(gates / update_s, 3),
        "publish_update_s": round(publish, 2),
        "publish_share_of_update": round(publish / update_s, 3),
        "peak_rss_mb_pipeline": round(max(run["measured"].peak_rss_mb for run in (build, update))),
        "materialization_events_build": build["materialization_events"],
        "pipeline_steps_s": {"build": build["step_seconds"], "update": steps},
    }
