"""The web 看板 end to end, in the bot's own event loop: the bot polls the Bot API emulator, uvicorn serves the
看板 beside it on the same engine (as `taskbot run --web` does), a lead asks for a link with /web in chat,
opens it in chromium, finds the unit's report and sends it back (退办) in the browser; the sender delivers
the notice and the unit's chat receives the reason."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from bot.web.app import Web
from bot.web.server import server
from tests.e2e.conftest import Person, Running, text_of
from tests.support.browser import chromium, follow, login

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CONTACT = Person(3101, 3101, "财政联络员")  # 市财政局: responsible for 1.2
LEAD = Person(3102, 3102, "科技联络员")  # 市科技局: leads 1.2


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _return_in_browser(driver: object, link: str, reason: str) -> str:
    """Log in, go from the overview to 1.2's timeline, send the report back; the report's text after it."""
    login(driver, link)
    follow(driver, driver.find_element(By.CSS_SELECTOR, "#document-lights a"))  # type: ignore[attr-defined]
    tasks = driver.find_elements(By.CSS_SELECTOR, "a.task-link")  # type: ignore[attr-defined]
    follow(driver, next(a for a in tasks if a.text.startswith("1.2")))
    report = driver.find_element(By.CSS_SELECTOR, "li.report")  # type: ignore[attr-defined]
    report.find_element(By.NAME, "reason").send_keys(reason)
    follow(driver, report.find_element(By.CSS_SELECTOR, "button.danger"))
    return driver.find_element(By.CSS_SELECTOR, "li.report").text  # type: ignore[attr-defined]


async def test_a_lead_returns_a_report_in_the_browser_and_the_unit_reads_it_in_chat(
    running: Running, tmp_path: Path
) -> None:
    run = running
    port = _free_port()
    web = Web(run.settings, lambda: run.engine, f"http://127.0.0.1:{port}")
    run.app.bot_data.web_base_url = web.base_url
    served = server(web, "127.0.0.1", port)
    serving = asyncio.create_task(served.serve())
    try:
        await run.bind(CONTACT, "市财政局")
        await run.bind(LEAD, "市科技局")
        await run.emulator.command(CONTACT, "/report 1.2 已完成60%")
        await run.emulator.replies(CONTACT, timeout=30)
        await run.emulator.command(LEAD, "/web")
        (answer,) = await run.emulator.replies(LEAD)
        link = re.search(r"http://127\.0\.0\.1:\d+/login/[A-Za-z0-9_-]+", text_of(answer))
        assert link, text_of(answer)
        while not served.started:
            await asyncio.sleep(0.05)
        with chromium(tmp_path) as driver:
            after = await asyncio.to_thread(_return_in_browser, driver, link[0], "请补充佐证材料")
        assert "已退办" in after
        assert await run.deliver() >= 1
        notices = await run.emulator.replies(CONTACT)
        assert any("请补充佐证材料" in text_of(n) for n in notices), notices
    finally:
        served.should_exit = True
        await serving
