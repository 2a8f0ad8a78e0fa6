"""Headless Chromium for the browser tests, shared by every test module (conftest registers it).

Chromium and chromedriver come from Debian (`apt-get install chromium chromium-driver`, done
here when missing and possible); a test is skipped, saying so, only when they cannot be had.
Screenshots go to reports/screenshots/ (path printed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

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


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors, for tests
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
