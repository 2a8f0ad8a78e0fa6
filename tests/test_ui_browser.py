"""The Dagster UI in headless Chromium: `dagster dev` serves the asset graph and the checks.

Chromium and chromedriver come from Debian (`apt-get install chromium chromium-driver`, done
here when missing and possible); the test is skipped, saying so, only when they cannot be had.
Screenshots go to reports/screenshots/ (path printed).
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

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1600,1200",
]
SCREENSHOTS = settings.PROJECT_ROOT / "reports" / "screenshots"
STARTUP_TIMEOUT_S = 180


@pytest.fixture(scope="module")
def chromium() -> None:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        install_chromium()
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("Chromium could not be installed (apt-get install chromium chromium-driver)")


def install_chromium() -> None:
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "chromium", "chromium-driver"],
    ):
        subprocess.run(command, env=env, capture_output=True, timeout=600, check=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def dagster_ui(chromium, tmp_path_factory) -> str:
    """`dagster dev` on 127.0.0.1 and a free port, stopped (the whole process group) afterwards."""
    root = tmp_path_factory.mktemp("ui")
    (root / "home").mkdir()
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


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def show(browser, url: str, expected: list[str], screenshot: str, timeout_s: float = 60) -> str:
    """Open `url`, wait until every expected text shows, save a screenshot, return the text."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    browser.get(url)
    deadline, text = time.monotonic() + timeout_s, ""
    while time.monotonic() < deadline:
        for skip in browser.find_elements(By.XPATH, "//button[normalize-space()='Skip']"):
            skip.click()  # the first-visit newsletter dialog covers the graph
        try:
            text = browser.find_element(By.TAG_NAME, "body").text
        except WebDriverException:
            text = ""
        if all(item in text for item in expected):
            break
        time.sleep(1)
    time.sleep(2)  # let the graph finish its layout before the picture
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / screenshot
    browser.save_screenshot(str(path))
    print(f"screenshot: {path}")
    missing = [item for item in expected if item not in text]
    assert missing == [], f"not on {url} (see {path})"
    return text


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
