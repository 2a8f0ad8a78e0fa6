"""Where things live. Every path is absolute and comes from one environment variable with a
default inside the repo, so Dagster, dbt (through profiles.yml) and the tests agree."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The dbt project Dagster runs (the same variable dbt reads for --project-dir); the benchmark
# points it at its copy with the synthetic market's seeds.
DBT_PROJECT_DIR = Path(os.environ.get("DBT_PROJECT_DIR", PROJECT_ROOT / "dbt_project")).resolve()
SOURCE_MODES = ("snapshot", "live")
# The Dagster instance `make demo` and `make ui` run on (DAGSTER_HOME=.dagster_home): its storage
# (orchestration/storage.py) and run queue. The benchmark and the tests run on copies of it.
INSTANCE_CONFIG = PROJECT_ROOT / ".dagster_home" / "dagster.yaml"
# DuckDB's settings for every connection the Dagster process opens (the warehouse's readers: table
# metadata, gates, report; the BI publish). DuckDB's default memory limit is 80 % of RAM: at
# full-market scale the report's queries grew the process to 6.7 GB (1.3 GB under 1GB, with 2GB no
# faster). Past the limit DuckDB spills to disk. dbt's DuckDB (3 GB, dbt_project/profiles.yml)
# runs in its own process, never at the same time.
DUCKDB_CONFIG = {"memory_limit": "1GB"}


def warehouse_path() -> Path:
    """The DuckDB file the marts land in (schema `marts`)."""
    default = PROJECT_ROOT / "data" / "warehouse" / "trillion_club.duckdb"
    return Path(os.environ.get("WAREHOUSE_PATH", default)).resolve()


def raw_zone_dir() -> Path:
    """The immutable raw zone: one Parquet file per akshare function and day (or `all`)."""
    default = warehouse_path().parent / "raw"
    return Path(os.environ.get("RAW_ZONE_DIR", default)).resolve()


def published_dir() -> Path:
    """Immutable copies of the marts, one file per publication (`marts_<timestamp>.duckdb`)."""
    return warehouse_path().parent / "published"


def bi_path() -> Path:
    """The stable file BI tools open read-only; each publication swaps it atomically."""
    default = warehouse_path().parent / "bi" / "trillion_club_bi.duckdb"
    return Path(os.environ.get("BI_PATH", default)).resolve()


def reports_dir() -> Path:
    """Charts of the club assets (PNG), written on every build."""
    default = PROJECT_ROOT / "reports"
    return Path(os.environ.get("REPORTS_DIR", default)).resolve()


def snapshot_dir() -> Path:
    """The embedded real-data snapshot, in akshare's raw shapes."""
    default = PROJECT_ROOT / "data" / "snapshot"
    return Path(os.environ.get("SNAPSHOT_DIR", default)).resolve()


def source_mode() -> str:
    mode = os.environ.get("SOURCE_MODE", "snapshot")
    if mode not in SOURCE_MODES:
        raise ValueError(f"SOURCE_MODE must be one of {SOURCE_MODES}, got {mode!r}")
    return mode


def run_date() -> date:
    """The day a run is for: RUN_DATE (YYYY-MM-DD), else today in Shanghai. The exchange
    calendar's horizon is computed from it; tests set it to stand on a chosen day."""
    if "RUN_DATE" in os.environ:
        return date.fromisoformat(os.environ["RUN_DATE"])
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def dbt_executable() -> str:
    """The dbt installed beside this interpreter, so nothing depends on an activated venv."""
    return str(Path(sys.executable).parent / "dbt")


def export_dbt_env() -> None:
    """dbt's profiles.yml and sources read these; make them absolute before dbt is started."""
    # dagster-dbt's own helpers (prepare_if_dev under `dagster dev`) look for `dbt` on PATH, which
    # has no venv on it when `make ui` starts the webserver.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    os.environ["WAREHOUSE_PATH"] = str(warehouse_path())
    os.environ["RAW_ZONE_DIR"] = str(raw_zone_dir())


def display_path(path: Path) -> str:
    """A path as a person in the repo would type it (relative when inside the project)."""
    path = Path(path).resolve()
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)
