"""Debian's chromium driven by chromedriver (selenium) for the web 看板's browser tests: found on the PATH or
skipped with the reason (failed when CI=true); scripts/test.sh installs both when it can."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


def require_browser() -> tuple[str, str]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    reason = "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


@contextmanager
def chromium(downloads: Path) -> Iterator[Any]:
    """A headless chromium at 1920×1080 that saves downloads into `downloads`."""
    binary, driver_path = require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_window_size(1920, 1080)
    try:
        yield driver
    finally:
        driver.quit()


def follow(driver: Any, element: Any, timeout: float = 60) -> None:
    """Click a link or a button and wait until the next page has replaced this one (a busy machine may take
    seconds to answer; selenium's click does not wait for a form's answer)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def replaced(_: Any) -> bool:
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            # chromium answers this while the old document is being torn down: ask again on the next poll
            if "does not belong to the document" not in str(error):
                raise
        return False

    element.click()
    WebDriverWait(driver, timeout).until(replaced)


def login(driver: Any, url: str) -> None:
    """Open a login link and press its one button (blocking: call it in a thread while the server runs)."""
    from selenium.webdriver.common.by import By

    driver.get(url)
    follow(driver, driver.find_element(By.ID, "login"))
