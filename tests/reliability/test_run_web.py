"""`taskbot run --web HOST:PORT` as a process: the bot polls and answers, the 看板 answers beside it in the
same process (a login page, a refused link), and SIGTERM stops both cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.reliability.conftest import TASKBOT, FakeApi, free_port, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def _get(url: str) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=5)
    except httpx.TransportError:
        return None


def test_run_with_web_serves_the_board_beside_the_bot(tmp_path: Path, api: FakeApi, bot_factory) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    bot = bot_factory(f"sqlite+aiosqlite:///{tmp_path / 'run.db'}", args=("--web", f"127.0.0.1:{port}"))
    bot.start()
    bot.wait_up(60)
    page = wait_for(lambda: _get(f"http://127.0.0.1:{port}/login/some-token"), 30, "the 看板 to answer")
    assert page.status_code == 200 and "登录" in page.text
    refused = httpx.post(f"http://127.0.0.1:{port}/login/some-token", timeout=10)
    assert refused.status_code == 403
    assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 401
    start = time.monotonic()
    assert bot.stop() == 0, bot.log_text()[-2000:]
    assert time.monotonic() - start < 15
    assert "Traceback" not in bot.log_text()


def test_web_alone_serves_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'web.db'}", "COORDINATOR_IDS": "1"}
    log = tmp_path / "web.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(TASKBOT), "web", "--listen", f"127.0.0.1:{port}"], cwd=tmp_path, env=env, stdout=out, stderr=out
        )
    try:
        page = wait_for(lambda: _get(f"http://127.0.0.1:{port}/"), 90, "the 看板 to answer")
        assert page.status_code == 401
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0, log.read_text(encoding="utf-8", errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
