"""BI tools read the published marts while the pipeline rebuilds: no lock errors, no half states."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.lib import publication as bi
from tests.conftest import run_dbt

OLD_DUCKDB = "1.1.3"  # bundled by BI drivers of 2024; reads storage format v1.0.0 at most
REBUILDS = 10
DBT_EVERY = 5  # dbt takes ~5 s; two runs show a reader never blocks the writer


def publish(warehouse):
    root = warehouse.parent
    return bi.publish_marts(warehouse, root / "published", root / "bi" / "trillion_club_bi.duckdb")


def rebuild_marts(warehouse) -> None:
    """dbt rewrites the marts in the warehouse (the writer BI tools must not block)."""
    run_dbt(warehouse, warehouse.parent / "raw", "run", "--select", "marts")


@pytest.fixture
def warehouse(build_copy) -> Path:
    """A private copy of the shared build: each test publishes beside it, one rebuilds its marts."""
    return build_copy.warehouse


@pytest.mark.slow
def test_readers_see_whole_versions_while_ten_rebuilds_publish(warehouse, tmp_path):
    first = publish(warehouse)
    bi_path = warehouse.parent / "bi" / "trillion_club_bi.duckdb"
    stop_file = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.bi_reader", str(bi_path), str(stop_file)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=settings.PROJECT_ROOT,
    )
    try:
        versions = [first.version]
        for rebuild in range(REBUILDS):
            if rebuild % DBT_EVERY == 0:
                rebuild_marts(warehouse)
            versions.append(publish(warehouse).version)
    finally:
        stop_file.touch()
        output, _ = reader.communicate(timeout=60)
    report = json.loads(output)
    print(f"reader: {report['reads']} reads, {len(report['versions'])} versions seen")
    assert report["errors"] == []
    assert report["reads"] > REBUILDS
    assert set(report["versions"]) <= set(versions)
    assert len(report["versions"]) > 1  # the reader saw swaps happen
    assert (
        len(list((warehouse.parent / "published").glob("marts_*.duckdb"))) == bi.KEEP_PUBLICATIONS
    )


def test_the_published_copy_holds_every_mart_and_its_version(warehouse):
    publication = publish(warehouse)
    bi_path = warehouse.parent / "bi" / "trillion_club_bi.duckdb"
    with duckdb.connect(str(bi_path), read_only=True) as connection:
        [(version,)] = connection.execute(
            "select distinct version from marts._publication"
        ).fetchall()
        tables = {
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    assert version == publication.version
    assert tables == {*publication.row_counts, "_publication"}
    assert {"club_membership_daily", "club_events", "club_composition"} <= tables


@pytest.fixture(scope="session")
def old_duckdb(request) -> str:
    """A DuckDB wheel of the kind BI drivers bundle, in a private directory (PyPI, cached)."""
    target = request.config.cache.mkdir(f"duckdb-{OLD_DUCKDB}")
    if not (target / "duckdb").exists():
        install = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--target",
                str(target),
                f"duckdb=={OLD_DUCKDB}",
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        if install.returncode != 0:
            pytest.skip(f"cannot install duckdb=={OLD_DUCKDB}: {install.stderr[-300:]}")
    return str(target)


def test_a_bi_driver_with_an_older_duckdb_can_read_the_published_file(warehouse, old_duckdb):
    publication = publish(warehouse)
    read = (
        "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
        "count = c.execute('select count(*) from marts.club_events').fetchone()[0]; "
        "print(duckdb.__version__, count)"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            read,
            str(warehouse.parent / "bi" / "trillion_club_bi.duckdb"),
        ],
        env={**os.environ, "PYTHONPATH": old_duckdb},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [OLD_DUCKDB, str(publication.row_counts["club_events"])]
