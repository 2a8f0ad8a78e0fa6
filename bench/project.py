"""The real dbt project, pointed at the bench seeds and raw zone without touching either.

dbt reads the tracked universe from its seeds directory, so the bench runs a copy of the project
taken at run time (the same dbt_project.yml, profiles.yml, models and macros) whose seeds/ holds
the generated listings, companies and sector supplement beside the real clubs and sector
groups. Its target/ and logs/ stay in the bench directory too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.dbt_steps import DBT_GLOBAL_FLAGS
from orchestration.settings import DBT_PROJECT_DIR, dbt_executable

GENERATED_SEEDS = (
    "listings.csv",
    "companies.csv",
    "company_domiciles.csv",
    "company_sector_supplement.csv",
    "market_value_corrections.csv",
    "tech_seven_candidates.csv",
)
RUN_ONLY = ("target", "logs", "dbt_packages", "seeds")
WAREHOUSE_NAME = "bench.duckdb"
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
# How Dagster's DbtCliResource runs dbt: structured logs (it sets DBT_LOG_FORMAT=json) and the
# steps' flags. The timed calls use them; their events are what slowest_nodes reads.
AS_DAGSTER = ("--log-format", "json", *DBT_GLOBAL_FLAGS)


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mb: float


def prepare_project(bench_dir: Path) -> Path:
    """Copy the dbt project into bench_dir/dbt_project with the generated seeds; return it."""
    project = bench_dir / "dbt_project"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns(*RUN_ONLY))
    (project / "seeds").mkdir()
    for seed in (DBT_PROJECT_DIR / "seeds").iterdir():
        if seed.name not in GENERATED_SEEDS:
            shutil.copy2(seed, project / "seeds" / seed.name)
    for name in GENERATED_SEEDS:
        shutil.copy2(bench_dir / "seeds" / name, project / "seeds" / name)
    return project


def dbt_env(bench_dir: Path, warehouse: Path) -> dict[str, str]:
    """The environment profiles.yml and the sources read, for the bench warehouse."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "WAREHOUSE_PATH": str(warehouse),
        "RAW_ZONE_DIR": str(bench_dir / "raw"),
        # No internet here: dbt must not try to send usage statistics.
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def run_dbt(project: Path, env: dict[str, str], step: str, *args: str) -> Measured:
    """Run one dbt command on the bench project, its output in logs/bench-<step>.out."""
    command = [dbt_executable(), "--no-use-colors", *args]
    command += ["--project-dir", str(project), "--profiles-dir", str(project)]
    return run_measured(command, env, step_log(project, step))


def step_log(project: Path, step: str) -> Path:
    """Where a timed step's output goes (for dbt, the JSON events slowest_nodes reads)."""
    return project / "logs" / f"bench-{step}.out"


def run_measured(
    command: list[str], env: dict[str, str], log: Path, whole_tree: bool = False
) -> Measured:
    """Wall time and peak resident memory of a child process (and the children it waited for).

    os.wait4 gives the rusage of that one child, so each step is measured on its own: the peak
    of its largest process. With whole_tree, the peak is of the sum over the child and every
    process below it at the same moment (Dagster and the dbt it runs), sampled every 0.2 s.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        tree_peak_kib, status, usage = 0, None, None
        while status is None:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG if whole_tree else 0)
            if pid == 0:
                tree_peak_kib, status = max(tree_peak_kib, tree_rss_kib(process.pid)), None
                time.sleep(0.2)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = "\n".join(log.read_text().splitlines()[-30:])
        raise RuntimeError(f"{' '.join(command[:3])} failed ({process.returncode}):\n{tail}")
    peak_kib = max(tree_peak_kib, usage.ru_maxrss)  # ru_maxrss is in KiB on Linux
    return Measured(seconds, peak_kib / 1024)


def tree_rss_kib(root: int) -> int:
    """Resident memory of `root` and every process below it, from /proc (Linux)."""
    parents, rss = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            statm = (stat.parent / "statm").read_text().split()
        except OSError:  # the process ended between the listing and the read
            continue
        pid = int(stat.parent.name)
        parents[pid], rss[pid] = int(fields[1]), int(statm[1]) * PAGE_KIB
    tree, frontier = {root}, [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        tree.update(children)
        frontier = children
    return sum(rss.get(pid, 0) for pid in tree)
