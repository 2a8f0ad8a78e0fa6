"""Shared fixtures: one temporary warehouse per test session, built through the real Dagster job,
and private copies of it for the tests that write."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration import settings
from orchestration.assets.warehouse import PARTIAL_PARSE
from orchestration.cli.demo import run_build
from orchestration.definitions import build_definitions
from orchestration.lib import publication
from orchestration.lib.fingerprint import marts_fingerprint

# Headless Chromium and its fixtures (`chromium`, `browser`) for every browser test.
pytest_plugins = ["tests.browser"]

# The marts with a row per trade date: dbt rebuilds a run's days of them, nothing more.
DAILY_MARTS = {
    "fct_listing_market_cap_daily",
    "fct_company_market_cap_daily",
    "club_membership_daily",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first. xdist hands out tests in collection order (after the groups, largest
    first) as the workers ask for more: the long ones start early and the short ones even out
    where the workers end, instead of one worker running the last long test alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture
def warehouse_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point WAREHOUSE_PATH (and with it the raw zone) at an empty temporary directory."""
    warehouse = tmp_path / "warehouse" / "trillion_club.duckdb"
    point_env_at(monkeypatch, warehouse, tmp_path / "reports")
    return warehouse


@pytest.fixture
def snapshot_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the embedded snapshot that a test may damage."""
    copy = tmp_path / "snapshot"
    shutil.copytree(settings.snapshot_dir(), copy)
    monkeypatch.setenv("SNAPSHOT_DIR", str(copy))
    return copy


@dataclass(frozen=True)
class Build:
    warehouse: Path
    reports_dir: Path
    run_id: str
    events: list[dg.DagsterEvent]  # the run's, as its ExecuteInProcessResult.all_events
    warnings: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Build]:
    """One full materialisation of every asset on the snapshot, shared by every test of the
    session that only reads it: the warehouse, its raw zone, reports and BI copy, the run's
    events. One build for all xdist workers: the first to need it builds, the others wait for
    it and read its events from the file it leaves. A test that writes to any of it takes
    `build_copy`; a write here fails the session at teardown, as later readers would see it."""
    session_dir = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        session_dir = session_dir.parent  # above each worker's own directory
    root, recorded = session_dir / "built", session_dir / "built-run.json"
    with exclusive_lock(session_dir / "built.lock"):
        if not recorded.exists():
            recorded.write_text(dg.serialize_value(materialise_every_asset(root)))
    run = dg.deserialize_value(recorded.read_text())
    written = file_digests(root)
    yield Build(root / "trillion_club.duckdb", root / "reports", **run)
    now = file_digests(root)
    changed = sorted(
        path for path in written.keys() | now.keys() if written.get(path) != now.get(path)
    )
    assert not changed, f"a test wrote to the shared build (give it build_copy): {changed}"


def materialise_every_asset(root: Path) -> dict:
    """build_warehouse over every partition into root: the run's id, events and the warnings
    Dagster logged."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        point_env_at(monkeypatch, root / "trillion_club.duckdb", root / "reports")
        monkeypatch.delenv("SNAPSHOT_DIR", raising=False)
        with dagster_warnings() as warnings:
            result = run_build(dg.DagsterInstance.ephemeral())
        assert result.success, [e.step_key for e in result.get_step_failure_events()]
    return {"run_id": result.run_id, "events": result.all_events, "warnings": warnings}


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing) across processes, until the block
    ends or the process dies."""
    with path.open("a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def built_warehouse(build: Build) -> Path:
    return build.warehouse


@pytest.fixture
def build_copy(build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Build:
    """A private copy of the shared build's directory (warehouse, raw zone, reports, BI copy),
    for a test that writes to it, with the environment pointed at the copy. A copy takes about
    a second, a build minutes. Its staging views still read the shared raw zone (dbt wrote its
    absolute path into them) until dbt rebuilds them: the same files, never written."""
    root = tmp_path / "built"
    shutil.copytree(build.warehouse.parent, root)
    copy = replace(build, warehouse=root / build.warehouse.name, reports_dir=root / "reports")
    point_env_at(monkeypatch, copy.warehouse, copy.reports_dir)
    return copy


def point_env_at(monkeypatch: pytest.MonkeyPatch, warehouse: Path, reports_dir: Path) -> None:
    """Point the paths settings.py reads at a warehouse and the raw zone beside it (snapshot),
    and dbt's target directory at this worker's own (dbt steps leave their parse there)."""
    monkeypatch.setenv("WAREHOUSE_PATH", str(warehouse))
    monkeypatch.setenv("RAW_ZONE_DIR", str(warehouse.parent / "raw"))
    monkeypatch.setenv("REPORTS_DIR", str(reports_dir))
    monkeypatch.delenv("BI_PATH", raising=False)
    monkeypatch.setenv("SOURCE_MODE", "snapshot")
    monkeypatch.setenv("DBT_TARGET_PATH", str(worker_target_path()))


def file_digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file under root, by its relative path."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@contextmanager
def dagster_warnings() -> Iterator[list[str]]:
    """Warnings Dagster's engine logs through Python logging (not the run's event log), such as
    a blocking check that emitted no result."""
    messages: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: messages.append(record.getMessage())
    logger = logging.getLogger("dagster")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def materializations(build: Build) -> dict[str, dict]:
    """The metadata of each asset the build materialised, by asset key."""
    return {
        event.asset_key.to_user_string(): event.materialization.metadata
        for event in build.events
        if event.is_step_materialization
    }


def check_evaluations(events: list[dg.DagsterEvent]) -> list[dg.AssetCheckEvaluation]:
    """The checks a run evaluated (ExecuteInProcessResult.get_asset_check_evaluations)."""
    return [
        event.event_specific_data
        for event in events
        if event.event_type_value == "ASSET_CHECK_EVALUATION"
    ]


def checks_without_result(events: list[dg.DagsterEvent]) -> set[str]:
    """Checks declared on an asset a run materialised that did not report on it."""
    graph = build_definitions().resolve_asset_graph()
    materialised = {event.asset_key for event in events if event.is_step_materialization}
    declared = graph.get_check_keys_for_assets(materialised)
    evaluated = {
        dg.AssetCheckKey(evaluation.asset_key, evaluation.check_name)
        for evaluation in check_evaluations(events)
    }
    return {key.to_user_string() for key in declared - evaluated}


def published_marts(bi_path: Path) -> dict[str, tuple]:
    """The fingerprint of a published BI file's marts, without the publication's version table."""
    published = marts_fingerprint(bi_path)
    del published[publication.PUBLICATION_TABLE]
    return published


def seed_rows(seed: str) -> list[dict[str, str]]:
    """The rows of a dbt seed CSV, as text."""
    with (settings.DBT_PROJECT_DIR / "seeds" / f"{seed}.csv").open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def seed_listings() -> set[tuple[str, str]]:
    """(market, symbol) of every row of the listings seed."""
    return {(row["market"], row["symbol"]) for row in seed_rows("listings")}


def snapshot_a_share_quote_codes() -> set[tuple[str, str]]:
    """(market, symbol) of every code in the snapshot's whole-market A-share quote files."""
    codes = set()
    for path in (settings.snapshot_dir() / "a_share" / "stock_zh_a_spot_em").glob("*.csv"):
        with path.open(encoding="utf-8-sig") as file:
            codes |= {("a_share", row["代码"]) for row in csv.DictReader(file)}
    return codes


def query(warehouse: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def run_dbt(
    warehouse: Path, raw: Path, *args: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess:
    """A dbt command of the project on `warehouse` and the raw zone `raw`; output captured."""
    dbt_dir = str(settings.DBT_PROJECT_DIR)
    return subprocess.run(
        [settings.dbt_executable(), *args, "--project-dir", dbt_dir, "--profiles-dir", dbt_dir],
        env={
            **os.environ,
            "WAREHOUSE_PATH": str(warehouse),
            "RAW_ZONE_DIR": str(raw),
            "DBT_TARGET_PATH": str(worker_target_path()),
            **(env or {}),
        },
        check=check,
        capture_output=True,
        text=True,
        timeout=300,
    )


def worker_target_path() -> Path:
    """dbt's target directory for this pytest process: each xdist worker writes its own manifest
    and run results, where a shared `target/` would be rewritten under another worker reading
    it. Seeded with `make manifest`'s partial parse, so the first call does not parse anew."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    target = settings.DBT_PROJECT_DIR / "target" / f"pytest-{worker}"
    if not target.exists():
        target.mkdir(parents=True)
        parse = settings.DBT_PROJECT_DIR / "target" / PARTIAL_PARSE
        if parse.exists():
            shutil.copy2(parse, target / parse.name)
    return target
