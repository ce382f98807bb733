"""Two real `taskbot run` processes on one PostgreSQL (README "Using PostgreSQL": several processes behind
a load balancer in webhook mode), each on its own port with the scheduler's jobs running in both, against the
fake Bot API; the test is Telegram and the balancer, posting the updates to one process or the other.

At once: a weekly send moment both processes' first ticks plan (the scheduler's mark is set just before the
last first-workday-of-the-week 09:30, so the prompts and the weekly digest fall due), a broadcast to 260 chats,
and reports posted alternately to both. Midway one process is killed with SIGKILL. Then: every message is
delivered, each once but at most the one the dead process had in flight; every report is stored and
answered; the outbox is all sent; digest_run holds one row per audience of that week.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select

from bot.chat.broadcast import confirm_broadcast, draft_broadcast
from bot.core import db
from bot.core.models import DigestRun, Outbox, Report
from bot.core.vocab import OutboxStatus
from scheduler.jobs import LAST_TICK
from scheduler.snapshot import write_state
from scheduler.workdays import WorkCalendar
from tests.reliability.conftest import COORDINATOR, FakeApi, bind_chats, free_port, wait_for
from tests.reliability.test_postgres_restart import _report_update, _seed, _tasks_file

pytestmark = [pytest.mark.reliability, pytest.mark.slow, pytest.mark.postgres]

TZ = ZoneInfo("Asia/Shanghai")
SECRET = "shared-webhook-secret-of-both-processes"
BROADCAST_CHATS = 200
MARK = "双进程广播"
KILL_AT = 90  # broadcast messages delivered when process A is killed
REPORTS = 40
ACK = "已记录"


@pytest.fixture
def answer_delay() -> float:
    return 0.02


def _last_send_moment(now: dt.datetime) -> dt.datetime:
    """The latest first-workday-of-an-ISO-week 09:30 (the weekly prompts and digest) at least 3 minutes ago."""
    calendar = WorkCalendar()
    local = now.astimezone(TZ)
    for back in (0, 7, 14):
        day = calendar.first_workday_of_week(local.date() - dt.timedelta(days=back))
        if day is None:
            continue
        moment = dt.datetime.combine(day, dt.time(9, 30), tzinfo=TZ)
        if moment <= local - dt.timedelta(minutes=3):
            return moment
    raise AssertionError("no send moment in the last three weeks")


def _weekly(path: Path) -> Path:
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "timezone: Asia/Shanghai\n",
            'timezone: Asia/Shanghai\ndefaults: {prompt_every: weekly, send_at: "09:30"}\n',
            1,
        ),
        encoding="utf-8",
    )
    return path


async def _prepare(url: str, tasks: Path, moment: dt.datetime) -> tuple[dict[int, str], list[int]]:
    chats = await _seed(url, tasks)
    engine = db.make_engine(url)
    try:
        broadcast = await bind_chats(engine, BROADCAST_CHATS, first_chat=50_000)
        async with db.session_scope(engine) as session:  # the last tick, a minute before that send moment
            await write_state(session, LAST_TICK, (moment - dt.timedelta(minutes=1)).isoformat())
        async with db.session_scope(engine) as session:
            draft, recipients = await draft_broadcast(session, user_id=COORDINATOR, text=f"{MARK}：请于周五前报送。")
        async with db.session_scope(engine) as session:
            await confirm_broadcast(
                session, draft_id=draft, user_id=COORDINATOR, send=True, now=dt.datetime.now(dt.UTC)
            )
        assert recipients == BROADCAST_CHATS + len(chats)
        return chats, broadcast
    finally:
        await engine.dispose()


async def _store(url: str) -> dict[str, Any]:
    engine = db.make_engine(url)
    try:
        async with db.session_scope(engine) as session:
            outbox = await session.execute(select(Outbox.status, Outbox.chat_id, Outbox.message_id, Outbox.kind))
            outbox = [tuple(r) for r in outbox.all()]
            reports = [r for (r,) in (await session.execute(select(Report.text))).all()]
            digests = (
                await session.execute(
                    select(DigestRun.period, DigestRun.audience, func.count()).group_by(
                        DigestRun.period, DigestRun.audience
                    )
                )
            ).all()
        return {"outbox": outbox, "reports": reports, "digests": [tuple(d) for d in digests]}
    finally:
        await engine.dispose()


def _post(port: int, update: dict[str, Any]) -> int:
    return httpx.post(
        f"http://127.0.0.1:{port}/tg/hook", json=update, timeout=10, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    ).status_code


def test_two_processes_on_one_postgresql_deliver_once_and_answer_every_report(
    tmp_path: Path, pg_schema_url: str, api: FakeApi, bot_factory
) -> None:
    moment = _last_send_moment(dt.datetime.now(dt.UTC))
    chats, broadcast = asyncio.run(_prepare(pg_schema_url, _weekly(_tasks_file(tmp_path / "tasks.yaml")), moment))
    order = sorted(chats)
    ports = {"a": free_port(), "b": free_port()}
    bots = {
        name: bot_factory(
            pg_schema_url,
            name=name,
            env={"TELEGRAM_WEBHOOK_SECRET": SECRET},
            args=("--webhook", "https://bot.example.org/tg/hook", "--listen", f"127.0.0.1:{port}"),
        )
        for name, port in ports.items()
    }
    for bot in bots.values():
        bot.start()
    for bot in bots.values():
        bot.wait_up()

    def delivered(mark: str = MARK) -> list[dict[str, Any]]:
        return [d for d in api.deliveries() if mark in d["text"]]

    posted: dict[str, list[str]] = {"a": [], "b": []}
    refused: list[tuple[str, int]] = []
    a_done = threading.Event()

    def feed() -> None:
        for n in range(REPORTS):
            to = "b" if a_done.is_set() or n % 2 else "a"
            chat = order[n % len(order)]
            text = f"第{n}次报告：推进中"
            update = {**_report_update(chat, chats[chat], text, 10_000 + n), "update_id": 10_000 + n}
            try:
                status = _post(ports[to], update)
            except httpx.TransportError:  # A was killed with this request open: Telegram, unanswered, sends it again
                to = "b"  # — to the process still up; the same update_id, so it is handled once whoever had it
                status = _post(ports[to], update)
            if status != 200:
                refused.append((to, status))
                return
            posted[to].append(text)
            time.sleep(0.1)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    wait_for(lambda: len(delivered()) >= KILL_AT, 60, f"{KILL_AT} broadcast messages", every=0.02)
    a_done.set()  # the balancer stops sending to A; what A took is answered before it is killed
    wait_for(
        lambda: sum(1 for d in api.deliveries() if d["text"].startswith(ACK)) >= len(posted["a"]) + len(posted["b"]),
        30,
        "A's reports to be answered",
        every=0.05,
    )
    bots["a"].kill9()
    feeder.join(timeout=60)
    assert not refused, refused
    total = len(posted["a"]) + len(posted["b"])
    wait_for(
        lambda: all(
            s == OutboxStatus.SENT
            for s, *_ in asyncio.run(_store(pg_schema_url))["outbox"]
            if s != OutboxStatus.SKIPPED
        ),
        120,
        "every outbox row to be sent",
        every=0.5,
    )
    wait_for(
        lambda: sum(1 for d in api.deliveries() if d["text"].startswith(ACK)) >= total,
        30,
        "every report to be answered",
    )
    time.sleep(1.0)
    assert bots["b"].alive(), bots["b"].log_text()[-3000:]
    assert bots["b"].stop() == 0

    store = asyncio.run(_store(pg_schema_url))
    by_id = {d["message_id"]: d for d in api.deliveries()}
    rows = [r for r in store["outbox"] if r[0] == OutboxStatus.SENT]
    out = Counter((d["chat_id"], d["text"]) for d in api.deliveries() if not d["text"].startswith(ACK))
    duplicates = {k: n for k, n in out.items() if n > 1}
    kinds = Counter(r[3] for r in rows)
    print(
        f"\n[two processes] send moment {moment:%Y-%m-%d %H:%M}: {kinds.get('prompt', 0)} prompts, "
        f"{kinds.get('digest', 0)} digests; broadcast to {BROADCAST_CHATS + len(chats)} chats; A killed at "
        f"{KILL_AT} broadcast deliveries; {len(rows)} outbox rows sent, {sum(out.values())} deliveries, "
        f"{sum(n - 1 for n in duplicates.values())} duplicate(s) {sorted(duplicates)[:3]}; reports: {total} posted "
        f"({len(posted['a'])} to A, {len(posted['b'])} to B), {len(store['reports'])} stored, "
        f"{sum(1 for d in api.deliveries() if d['text'].startswith(ACK))} answered; digest_run {store['digests']}"
    )
    assert kinds.get("prompt", 0) > 0 and kinds.get("digest", 0) > 0, "the send moment planned nothing"
    assert all(r[2] in by_id and by_id[r[2]]["chat_id"] == r[1] for r in rows)  # each row is a real delivery
    assert {c for c, text in out if MARK in text and c >= 50_000} == set(broadcast), "a broadcast message was lost"
    assert sum(n - 1 for n in duplicates.values()) <= 1  # at most the one A had in flight
    assert sorted(store["reports"]) == sorted(posted["a"] + posted["b"])
    assert all(n == 1 for *_, n in store["digests"]), "a digest was built twice for the same week and audience"
