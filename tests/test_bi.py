"""BI tools read the published marts while the pipeline rebuilds: no lock errors, no half states."""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.lib import publication as bi
from orchestration.lib.fingerprint import marts_fingerprint
from tests.conftest import DAILY_MARTS, published_marts, run_dbt

OLD_DUCKDB = "1.1.3"  # bundled by BI drivers of 2024; reads storage format v1.0.0 at most
REBUILDS = 10
DBT_EVERY = 5  # dbt takes ~5 s; two runs show a reader never blocks the writer


JUNE_2025 = (date(2025, 6, 1), date(2025, 6, 30))
LISTING_VALUES = "marts.fct_listing_market_cap_daily"


def publish(warehouse, days=None):
    return bi.publish_marts(warehouse, warehouse.parent / "published", bi_path(warehouse), days)


def bi_path(warehouse) -> Path:
    return warehouse.parent / "bi" / "trillion_club_bi.duckdb"


def change(warehouse, sql: str) -> None:
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(sql)


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
    stop_file = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.bi_reader", str(bi_path(warehouse)), str(stop_file)],
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
    with duckdb.connect(str(bi_path(warehouse)), read_only=True) as connection:
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


def test_a_run_over_some_days_replaces_only_those_days_of_the_daily_marts(warehouse):
    publish(warehouse)
    # dbt rebuilt June 2025 with other values, as after a corrected month re-landed.
    change(
        warehouse,
        f"update {LISTING_VALUES} set market_cap_cny = market_cap_cny + 1"
        " where trade_date between '2025-06-01' and '2025-06-30'",
    )
    publication = publish(warehouse, days=JUNE_2025)
    assert set(publication.windowed) == DAILY_MARTS
    assert published_marts(bi_path(warehouse)) == marts_fingerprint(warehouse)


@pytest.mark.parametrize(
    ("earlier_change", "windowed"),
    [
        pytest.param(
            f"update {LISTING_VALUES} set market_cap_cny = market_cap_cny + 1"
            " where trade_date between '2024-01-01' and '2024-01-31'",
            DAILY_MARTS - {"fct_listing_market_cap_daily"},
            id="a month whose publish was missed",
        ),
        pytest.param(
            f"alter table {LISTING_VALUES} add column note varchar default 'new'",
            DAILY_MARTS - {"fct_listing_market_cap_daily"},
            id="a new column",
        ),
        pytest.param("drop table marts.top_movers", DAILY_MARTS, id="a mart dropped"),
    ],
)
def test_a_publication_over_some_days_catches_up_with_what_changed_outside_them(
    warehouse, earlier_change, windowed
):
    publish(warehouse)
    change(warehouse, earlier_change)
    publication = publish(warehouse, days=JUNE_2025)
    assert set(publication.windowed) == windowed
    assert published_marts(bi_path(warehouse)) == marts_fingerprint(warehouse)


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
    publish(warehouse)
    # The days of a run written into a copy of the last publication keep its storage format.
    publication = publish(warehouse, days=JUNE_2025)
    assert publication.windowed
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
            str(bi_path(warehouse)),
        ],
        env={**os.environ, "PYTHONPATH": old_duckdb},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [OLD_DUCKDB, str(publication.row_counts["club_events"])]
