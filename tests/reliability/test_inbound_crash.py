"""A report is never lost to a crash (issue 23 §1): `taskbot run` killed with SIGKILL while 50 reports from 50
chats are arriving, then started again — every report is stored once and every contact gets an answer.

- Polling: the fake Bot API keeps each update until a getUpdates offset above it confirms it, as Telegram
  does. Before the inbox, PTB's Updater confirmed a whole answer with its next call and held the updates in
  memory: a kill lost every one not yet handled.
- Webhook: the test is Telegram — it posts each update until it gets a 200 (the process away: it tries again).
  Before, the 200 came before the update was stored.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.core import db
from bot.core.models import Chat, Inbox, Report, Unit
from bot.render import messages as m
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from tests.reliability.conftest import FakeApi, free_port, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

CHATS = 50
FIRST_CHAT = 70_000
SECRET = "inbound-crash-secret"
ACK = "已记录"
KILL_AFTER = 8  # answers delivered when the bot is killed


@pytest.fixture
def answer_delay() -> float:
    """Each answer takes 50 ms to confirm, so the 50 are handled over a few seconds and the kill lands among them."""
    return 0.05


def _tasks_file(path: Path) -> Path:
    lines = ["version: 1", "timezone: Asia/Shanghai", "units:", *(f"  - name: 单位{u:02d}" for u in range(CHATS))]
    lines += [
        "documents:",
        "  - id: inbound",
        "    title: 收件测试工作方案",
        "    issuer: 单位00",
        "    issued: 2025-01-15",
    ]
    lines.append("    tasks:")
    for u in range(CHATS):
        lines += [f'      - id: "{u + 1}"', f"        title: 第{u + 1}项任务", f"        responsible: [单位{u:02d}]"]
        lines.append("        deadline: 2030年底前")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def _seed(url: str, tasks: Path) -> dict[int, str]:
    """One chat per unit; chat id → the key of the task its unit reports on."""
    engine = db.make_engine(url)
    try:
        await db.ensure_schema(engine)
        async with db.session_scope(engine) as session:
            await import_catalog(session, load_catalog(tasks), actor="test")
        async with db.session_scope(engine) as session:
            units = {name: uid for uid, name in (await session.execute(select(Unit.id, Unit.name))).all()}
            chats = {FIRST_CHAT + u: str(u + 1) for u in range(CHATS)}
            session.add_all(Chat(chat_id=c, unit_id=units[f"单位{c - FIRST_CHAT:02d}"], kind="private") for c in chats)
        return chats
    finally:
        await engine.dispose()


def _report(chat: int, task: str, message_id: int) -> dict[str, Any]:
    text = f"/report {task} 推进中，已完成{message_id % 90 + 5}%"
    return {
        "message": {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": f"联络员{chat}"},
            "from": {"id": chat, "is_bot": False, "first_name": f"联络员{chat}"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len("/report")}],
        }
    }


def _store(url: str) -> tuple[list[int | None], list[tuple[int, bool]]]:
    async def read() -> tuple[list[int | None], list[tuple[int, bool]]]:
        engine = db.make_engine(url)
        try:
            async with db.session_scope(engine) as session:
                reports = list((await session.execute(select(Report.chat_id))).scalars().all())
                inbox = [
                    (i, h is not None) for i, h in (await session.execute(select(Inbox.update_id, Inbox.handled_at)))
                ]
            return reports, inbox
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _answered(api: FakeApi) -> set[int]:
    return {d["chat_id"] for d in api.deliveries() if d["text"].startswith((ACK, m.REPORT_DUPLICATE))}


def _check(url: str, api: FakeApi, chats: dict[int, str], answered_at_kill: int) -> None:
    wait_for(lambda: len(_answered(api)) == CHATS, 90, "every contact's answer", every=0.2)
    wait_for(lambda: all(handled for _, handled in _store(url)[1]), 30, "every update to be marked handled")
    reports, inbox = _store(url)
    print(f"\n[inbound crash] killed with {answered_at_kill} of {CHATS} answered; {len(reports)} reports stored")
    assert answered_at_kill < CHATS, "the kill came after every report was handled: it tested nothing"
    assert Counter(reports) == Counter(chats.keys()), "a report was lost or stored twice"
    assert len(inbox) == CHATS and all(handled for _, handled in inbox)


def test_kill_9_while_50_reports_arrive_by_polling_loses_none(tmp_path: Path, api: FakeApi, bot_factory) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'taskbot.db'}"
    chats = asyncio.run(_seed(url, _tasks_file(tmp_path / "tasks.yaml")))
    bot = bot_factory(url)
    bot.start()
    bot.wait_up()
    api.push_updates([_report(chat, task, 100 + n) for n, (chat, task) in enumerate(sorted(chats.items()))])
    wait_for(lambda: len(_answered(api)) >= KILL_AFTER, 60, f"{KILL_AFTER} answers", every=0.01)
    bot.kill9()
    answered_at_kill = len(_answered(api))
    bot.start()
    bot.wait_up()
    _check(url, api, chats, answered_at_kill)
    assert bot.stop() == 0


def _post_until_accepted(port: int, update: dict[str, Any], stop: threading.Event) -> None:
    """As Telegram does: the update again until a 200, the process down or not."""
    while not stop.is_set():
        try:
            response = httpx.post(
                f"http://127.0.0.1:{port}/tg/hook",
                json=update,
                timeout=10,
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)


def test_kill_9_while_50_reports_arrive_by_webhook_loses_none(tmp_path: Path, api: FakeApi, bot_factory) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'taskbot.db'}"
    chats = asyncio.run(_seed(url, _tasks_file(tmp_path / "tasks.yaml")))
    port = free_port()
    bot = bot_factory(
        url,
        args=("--webhook", "https://bot.example.org/tg/hook", "--listen", f"127.0.0.1:{port}"),
        env={"TELEGRAM_WEBHOOK_SECRET": SECRET},
    )
    bot.start()
    bot.wait_up()
    stop = threading.Event()
    updates = [{**_report(c, t, 100 + n), "update_id": 5_000 + n} for n, (c, t) in enumerate(sorted(chats.items()))]
    senders = [threading.Thread(target=_post_until_accepted, args=(port, u, stop), daemon=True) for u in updates]
    for sender in senders:
        sender.start()
    try:
        wait_for(lambda: len(_answered(api)) >= KILL_AFTER, 60, f"{KILL_AFTER} answers", every=0.01)
        bot.kill9()
        answered_at_kill = len(_answered(api))
        bot.start()
        bot.wait_up()
        _check(url, api, chats, answered_at_kill)
    finally:
        stop.set()
    assert bot.stop() == 0
