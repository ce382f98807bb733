"""`taskbot web-link` and the web options of `taskbot run`: a link for a coordinator or a bound contact (its
hash alone stored, and it opens a session once), one clear line and exit 2 for anyone else."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from bot.core import db
from bot.core.models import WebLogin
from bot.core.settings import Settings
from bot.web.app import Web, create_app
from tests.support.cli import run_cli
from tests.support.store import bind, seed


def _env(url: str) -> dict[str, str]:
    return {"DATABASE_URL": url, "COORDINATOR_IDS": "4242", "WEB_BASE_URL": "https://kanban.example.gov.cn"}


async def test_web_link_prints_a_one_time_link_for_a_coordinator_and_a_contact(sqlite_url: str) -> None:
    engine = db.make_engine(sqlite_url)
    await db.ensure_schema(engine)
    await seed(engine)
    await bind(engine, 5151, "市财政局")
    coordinator = await asyncio.to_thread(run_cli, "web-link", "4242", env=_env(sqlite_url))
    contact = await asyncio.to_thread(run_cli, "web-link", "5151", env=_env(sqlite_url))
    assert coordinator.exit_code == 0 and contact.exit_code == 0, coordinator.stderr + contact.stderr
    link = coordinator.stdout.strip()
    assert link.startswith("https://kanban.example.gov.cn/login/")
    token = link.rsplit("/", 1)[1]
    async with db.session_scope(engine) as session:
        hashes = list((await session.execute(select(WebLogin.token_hash))).scalars())
    assert len(hashes) == 2 and token not in hashes
    web = Web(Settings(coordinator_ids=[4242]), lambda: engine, "https://kanban.example.gov.cn")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(web)), base_url="https://t") as http:
        assert (await http.post(f"/login/{token}")).status_code == 303
        assert (await http.post(f"/login/{token}")).status_code == 403
    await engine.dispose()


def test_web_link_refuses_a_stranger_in_one_line(sqlite_url: str) -> None:
    result = run_cli("web-link", "777", env=_env(sqlite_url))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "777" in result.stderr


def test_run_with_web_and_webhook_is_refused_in_one_line(sqlite_url: str) -> None:
    env = {**_env(sqlite_url), "TELEGRAM_BOT_TOKEN": "1:x"}
    result = run_cli("run", "--web", "127.0.0.1:8080", "--webhook", "https://x.example/hook", env=env)
    assert result.exit_code == 2 and "--web" in result.stderr


def test_a_bad_web_base_url_is_one_line(sqlite_url: str) -> None:
    result = run_cli("web-link", "4242", env={**_env(sqlite_url), "WEB_BASE_URL": "javascript:alert(1)"})
    assert result.exit_code == 2 and "WEB_BASE_URL" in result.stderr
