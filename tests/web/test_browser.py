"""The 看板 in a real browser: Debian's chromium driven by chromedriver (selenium), against uvicorn serving the
app on a free port. scripts/test.sh installs chromium and chromium-driver when it can (root with apt-get);
without them these tests are skipped with the reason, and with CI=true they fail instead.

Screenshots of the overview and of a task's timeline are written to docs/img/ (the README shows them)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Document, Outbox, Report
from bot.core.settings import Settings
from bot.web.app import Web, create_app
from tests.conftest import DATA
from tests.support.browser import chromium, follow, login
from tests.web import conftest as c

pytestmark = pytest.mark.slow
IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    """uvicorn in a thread with its own event loop and its own engine on the test's SQLite file."""

    def __init__(self, url: str, settings: Settings) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.engine: AsyncEngine | None = None

        def engine() -> AsyncEngine:
            if self.engine is None:
                self.engine = db.make_engine(url)
            return self.engine

        app = create_app(Web(settings, engine, self.base, clock=lambda: c.NOW))
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)

    async def _serve(self) -> None:
        try:
            await self.server.serve()
        finally:
            if self.engine is not None:
                await self.engine.dispose()

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    with chromium(tmp_path) as driver:
        yield driver


def _login(driver: Any, base: str, token: str) -> None:
    login(driver, f"{base}/login/{token}")


async def test_a_lead_logs_in_drills_down_returns_a_report_and_downloads(
    store: c.Store, sqlite_url: str, browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    lead, other = await c.login_token(store, c.COORD), await c.login_token(store, c.LEAD)
    with Served(sqlite_url, store.web.settings) as served:
        await asyncio.to_thread(_login, driver, served.base, lead)
        lights = driver.find_elements(By.CSS_SELECTOR, "#unit-lights .light")
        assert lights and {e.get_attribute("class").split()[-1] for e in lights} >= {"light-red"}
        IMG.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(IMG / "web-overview.png"))
        follow(driver, driver.find_element(By.CSS_SELECTOR, "#document-lights a"))
        links = driver.find_elements(By.CSS_SELECTOR, "a.task-link")
        follow(driver, next(a for a in links if a.text.startswith("1.2")))
        report = driver.find_element(By.ID, f"r{store.report_id}")
        assert "财政小王" in report.text
        report.find_element(By.NAME, "reason").send_keys("数据与统计局口径不一致")
        follow(driver, report.find_element(By.CSS_SELECTOR, "button.danger"))
        assert "已退办" in driver.find_element(By.ID, f"r{store.report_id}").text
        driver.save_screenshot(str(IMG / "web-task-timeline.png"))
        driver.get(f"{served.base}/downloads")
        driver.find_element(By.ID, "ledger").click()
        deadline = time.monotonic() + 10
        while not list(tmp_path.glob("*.xlsx")) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert list(tmp_path.glob("*.xlsx")), "the 台账 was not downloaded"
        await asyncio.to_thread(_login, driver, served.base, other)
        driver.get(f"{served.base}/tasks/{store.task['9.1']}")
        assert "无权" in driver.find_element(By.TAG_NAME, "main").text
    async with db.session_scope(store.engine) as session:
        returned = await session.get(Report, store.report_id)
        notice = (
            await session.execute(select(Outbox).where(Outbox.key.startswith(f"return:{store.report_id}")))
        ).scalar()
    assert returned is not None and returned.returned_at is not None
    assert notice is not None and "数据与统计局口径不一致" in notice.text


async def test_pages_at_375_px_have_no_horizontal_scroll(store: c.Store, sqlite_url: str, browser: Any) -> None:
    driver = browser
    token = await c.login_token(store, c.COORD)
    driver.set_window_size(375, 812)
    with Served(sqlite_url, store.web.settings) as served:
        await asyncio.to_thread(_login, driver, served.base, token)
        pages = ("/", "/documents/demo-2023", f"/tasks/{store.task['1.2']}", "/units", "/targets", "/audit", "/extract")
        for path in pages:
            driver.get(served.base + path)
            width = driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert width[0] <= width[1], (path, width)


async def test_a_used_link_is_refused_in_the_browser(store: c.Store, sqlite_url: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    token = await c.login_token(store, c.COORD)
    with Served(sqlite_url, store.web.settings) as served:
        await asyncio.to_thread(_login, driver, served.base, token)
        driver.delete_all_cookies()
        await asyncio.to_thread(_login, driver, served.base, token)
        assert "无效" in driver.find_element(By.TAG_NAME, "main").text


async def test_a_coordinator_fixes_an_extracted_cell_and_imports_the_document(
    store: c.Store, sqlite_url: str, browser: Any
) -> None:
    """Upload a 工作方案, give a task a 牵头单位 the registry lacks: the import is refused with the problem under
    that cell and the store keeps its one document; fix the cell, import, and the task is on the 看板."""
    from selenium.webdriver.common.by import By

    driver = browser
    token = await c.login_token(store, c.COORD)
    settings = store.web.settings.model_copy(update={"tasks_file": DATA / "mini.yaml"})
    document, title = DATA / "review" / "review_html.html", "建设市级技术转移服务平台"
    with Served(sqlite_url, settings) as served:
        await asyncio.to_thread(_login, driver, served.base, token)
        driver.get(f"{served.base}/extract")
        driver.find_element(By.NAME, "document").send_keys(str(document))
        follow(driver, driver.find_element(By.CSS_SELECTOR, "#extract-form button"))
        row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "tr[id^=task-]") if _title(r) == title)
        index = row.get_attribute("id").split("-")[1]
        assert driver.find_element(By.NAME, f"t{index}.lead").get_attribute("value") == "市科技局"
        assert driver.find_elements(By.CSS_SELECTOR, f"#task-{index} .source .this")  # its source line

        _type(driver.find_element(By.NAME, f"t{index}.lead"), "市财正局")
        follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=import]"))
        cell = driver.find_element(By.CSS_SELECTOR, f"#task-{index} td.invalid")
        assert cell.get_attribute("data-key") == "lead" and "市财政局" in cell.find_element(By.CLASS_NAME, "error").text
        assert await _document_ids(store) == ["demo-2023"]  # refused: the store as it was

        _type(driver.find_element(By.NAME, f"t{index}.lead"), "市财政局")
        follow(driver, driver.find_element(By.CSS_SELECTOR, "button[value=import]"))
        assert "/documents/" in driver.current_url
        links = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "a.task-link")]
        assert any(title in text for text in links), links
    assert len(await _document_ids(store)) == 2


def _title(row: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(row.find_element(By.TAG_NAME, "textarea").get_attribute("value"))


def _type(field: Any, text: str) -> None:
    field.clear()
    field.send_keys(text)


async def _document_ids(store: c.Store) -> list[str]:
    async with db.session_scope(store.engine) as session:
        return sorted((await session.execute(select(Document.id))).scalars())
