"""The Dagster UI in headless Chromium: `dagster dev` serves the asset graph and the checks.

The browser and its fixtures are in tests/browser.py.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from orchestration import settings
from tests.browser import show

# Its tests share a module-scoped fixture: one xdist worker runs them all, building it once.
pytestmark = pytest.mark.xdist_group("dagster_ui")

STARTUP_TIMEOUT_S = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def dagster_ui(chromium, tmp_path_factory) -> str:
    """`dagster dev` on 127.0.0.1 and a free port, stopped (the whole process group) afterwards."""
    root = tmp_path_factory.mktemp("ui")
    (root / "home").mkdir()
    # The instance `make ui` runs: the project's storage and run queue settings.
    shutil.copy(settings.INSTANCE_CONFIG, root / "home")
    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(root / "home"),
        "WAREHOUSE_PATH": str(root / "warehouse" / "trillion_club.duckdb"),
        "REPORTS_DIR": str(root / "reports"),
        "PYTHONPATH": str(settings.PROJECT_ROOT),
    }
    env.pop("RAW_ZONE_DIR", None)
    dagster = str(Path(settings.dbt_executable()).parent / "dagster")
    command = [dagster, "dev", "-w", "workspace.yaml", "--host", "127.0.0.1", "--port", str(port)]
    log = (root / "dagster_dev.log").open("w")
    server = subprocess.Popen(
        command,
        cwd=settings.PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the webserver, daemon and code server
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, server)
        yield url
    finally:
        stop(server)
        log.close()


LOCATIONS_QUERY = json.dumps(
    {"query": "{ workspaceOrError { ... on Workspace { locationEntries { loadStatus } } } }"}
).encode()


def wait_until_serving(url: str, server: subprocess.Popen) -> None:
    """Wait until the code location has loaded, not just the webserver: under `dagster dev` the
    location re-parses the dbt project first, and a page opened before that shows no assets."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"dagster dev exited with {server.returncode}")
        if locations_loaded(url):
            return
        time.sleep(1)
    raise TimeoutError(f"dagster dev did not load the code location within {STARTUP_TIMEOUT_S} s")


def locations_loaded(url: str) -> bool:
    request = urllib.request.Request(
        f"{url}/graphql", data=LOCATIONS_QUERY, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            entries = json.load(response)["data"]["workspaceOrError"]["locationEntries"]
    except (OSError, KeyError, TypeError, ValueError):
        return False
    return bool(entries) and all(entry["loadStatus"] == "LOADED" for entry in entries)


def stop(server: subprocess.Popen) -> None:
    """SIGINT as Ctrl-C would; SIGKILL the group if it has not stopped in 20 s."""
    for sig, grace in ((signal.SIGINT, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def test_the_asset_graph_lists_every_group(dagster_ui, browser):
    groups = ["raw_a_share", "raw_hong_kong", "raw_fx", "live_a_share", "staging", "marts", "bi"]
    show(
        browser, f"{dagster_ui}/asset-groups", ["Global asset lineage", *groups], "asset_graph.png"
    )


def test_the_marts_graph_shows_the_club_assets(dagster_ui, browser):
    # The graph renders only what is in view; these are, at this window size.
    marts = ["dim_company", "club_events", "sector_performance", "trillion_club_bi"]
    url = f"{dagster_ui}/locations/trillion_club/asset-groups/marts"
    show(browser, url, marts, "marts_graph.png")


def test_a_club_mart_is_partitioned_and_lists_its_threshold_gates(dagster_ui, browser):
    url = f"{dagster_ui}/assets/marts/club_membership_daily?view=checks"
    # Long check names are cut short in the list; these two fit. 8 = 3 GX gates + 5 dbt tests.
    expected = [
        "Partitions",
        "Checks (8)",
        "currency_matches_clubs_seed",
        "threshold_matches_clubs_seed",
    ]
    show(browser, url, expected, "club_membership_checks.png")


def test_a_raw_asset_lists_its_freshness_check_and_dbt_source_tests(dagster_ui, browser):
    url = f"{dagster_ui}/assets/raw/currency_boc_safe?view=checks"
    text = show(browser, url, ["freshness_check", "source_not_nul"], "raw_asset_checks.png")
    assert "Checks (3)" in text
