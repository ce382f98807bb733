"""Restore drills (issue 14), with the real `taskbot run` and the fake Bot API: a backup is taken the way
README "Operations" says while the bot is busy — sending reminders to 60 chats and storing reports — then the
bot is stopped as if its store were lost, the backup is restored, and a bot is started on the copy.

- SQLite: `sqlite3 taskbot.db ".backup FILE"` (the online backup API) while the bot sends.
- PostgreSQL: `pg_dump -Fc` of the busy store, `pg_restore` into a new database.

Checked: the copy opens at the current schema; every report the bot acknowledged before the backup began is
in it, and its reports, audit log and sent outbox rows are the live store's rows, unchanged (a copy of one
moment, not a torn one); the bot resumes on it and delivers every message still pending there; nothing the
copy records as sent goes out again. What went out between the backup and the loss is sent once more
— a backup is a moment, the bot cannot know what Telegram got after it — and reports stored after the
backup are not in the copy: both are counted and printed (README "Operations", backups).
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.core import db
from bot.core.models import AuditLog, Outbox, Report
from bot.core.vocab import OutboxStatus
from bot.render import messages as m
from tests.conftest import PG_URL
from tests.reliability.conftest import FakeApi, wait_for
from tests.reliability.test_postgres_restart import (
    REMINDER,
    _enqueue_reminders,
    _report_update,
    _seed,
    _tasks_file,
)

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

ROUNDS = 3  # _enqueue_reminders queues this many reminders per chat
BACKUP_AT = 60  # the backup starts once this many reminders are out
REPORTS_BEFORE, REPORTS_AFTER = 30, 15
ACK = m.REPORT_SAVED.split("「", 1)[0]


@pytest.fixture
def answer_delay() -> float:
    return 0.01


async def _state(url: str) -> dict[str, Any]:
    """The rows a drill compares: reports and audit rows by id, outbox rows by key."""
    engine = db.make_engine(url)
    try:
        assert (await db.current_revision(engine))[0] == db.head_revision()
        async with db.session_scope(engine) as session:
            reports = {
                r.id: (int(r.chat_id), r.text, r.status) for r in (await session.execute(select(Report))).scalars()
            }
            audit = {
                a.id: (a.action, a.entity_id, repr(a.detail))
                for a in (await session.execute(select(AuditLog))).scalars()
            }
            outbox = {
                o.key: (o.status, o.message_id, o.text) for o in (await session.execute(select(Outbox))).scalars()
            }
        return {"reports": reports, "audit": audit, "outbox": outbox}
    finally:
        await engine.dispose()


def _reminders(api: FakeApi) -> list[dict[str, Any]]:
    return [d for d in api.deliveries() if d["text"].startswith(REMINDER)]


def _answers(api: FakeApi, chats: dict[int, str]) -> list[dict[str, Any]]:
    return [d for d in api.deliveries() if d["chat_id"] in chats and d["text"].startswith(ACK)]


def _drill(
    tmp_path: Path,
    url: str,
    api: FakeApi,
    bot_factory: Callable[..., Any],
    backup: Callable[[], None],
    restored_url: str,
    name: str,
) -> None:
    chats = asyncio.run(_seed(url, _tasks_file(tmp_path / "tasks.yaml")))
    order = sorted(chats)
    bot = bot_factory(url, name="live")
    bot.start()
    bot.wait_up()
    for n in range(REPORTS_BEFORE):
        chat = order[n % len(order)]
        api.push_updates([_report_update(chat, chats[chat], f"备份前第{n}次报告：推进中", 1000 + n)])
    wait_for(lambda: len(_answers(api, chats)) >= REPORTS_BEFORE, 30, "the reports before the backup to be stored")
    assert asyncio.run(_enqueue_reminders(url, order)) == len(order) * ROUNDS
    wait_for(lambda: len(_reminders(api)) >= BACKUP_AT, 30, "the sender to be busy", every=0.02)
    began = time.monotonic()
    backup()  # while the bot sends
    took = time.monotonic() - began
    out_at_backup = len(_reminders(api))
    for n in range(REPORTS_AFTER):
        chat = order[n % len(order)]
        api.push_updates([_report_update(chat, chats[chat], f"备份后第{n}次报告：推进中", 2000 + n)])
    wait_for(lambda: len(_answers(api, chats)) >= REPORTS_BEFORE + REPORTS_AFTER, 30, "the reports after it")
    bot.kill9()  # the machine and its store are lost here
    time.sleep(0.3)  # a request it had on the wire is recorded by now
    live = asyncio.run(_state(url))
    delivered_live = Counter((d["chat_id"], d["text"]) for d in _reminders(api))

    copy = asyncio.run(_state(restored_url))
    # a copy of one moment: its rows are the live rows, unchanged, and nothing acknowledged before it is missing
    assert all(live["reports"][i] == row for i, row in copy["reports"].items())
    assert all(live["audit"][i] == row for i, row in copy["audit"].items())
    assert sum(1 for r in copy["reports"].values() if "备份前" in r[1]) == REPORTS_BEFORE
    assert not any("备份后" in r[1] for r in copy["reports"].values())
    assert set(copy["outbox"]) <= set(live["outbox"])
    sent_in_copy = {k for k, row in copy["outbox"].items() if row[0] == OutboxStatus.SENT}
    assert all(live["outbox"][k] == copy["outbox"][k] for k in sent_in_copy)
    message_of = {
        k: (int(k.rsplit("@", 1)[1]), row[2]) for k, row in copy["outbox"].items() if k.startswith("pg-restart:")
    }
    assert len(message_of) == len(order) * ROUNDS

    restarted = time.time()
    resumed = bot_factory(restored_url, name="restored")
    resumed.start()
    resumed.wait_up()
    wait_for(
        lambda: all(row[0] == OutboxStatus.SENT for row in asyncio.run(_state(restored_url))["outbox"].values()),
        60,
        "the restored bot to send what the copy had pending",
        every=0.5,
    )
    time.sleep(0.5)
    assert resumed.stop() == 0
    after = Counter((d["chat_id"], d["text"]) for d in _reminders(api) if d["at"] >= restarted)
    pending_in_copy = {message_of[k] for k in message_of if k not in sent_in_copy}
    repeated = set(after) & set(delivered_live)
    print(
        f"\n[restore drill, {name}] backup took {took:.2f} s with {out_at_backup} of {len(order) * ROUNDS} reminders "
        f"out; the copy: {len(copy['reports'])} reports, {len(copy['audit'])} audit rows, {len(sent_in_copy)} "
        f"reminders sent; {sum(delivered_live.values())} out when the store was lost; the restored bot sent "
        f"{sum(after.values())}, all of them pending in the copy, {len(repeated)} of them went out after the backup "
        f"and were repeated; {REPORTS_AFTER} reports stored after the backup are not in the copy"
    )
    assert set(after) == pending_in_copy, "the restored bot sent what the copy records as sent, or left some out"
    assert max(after.values()) == 1 and max(delivered_live.values()) == 1
    assert set(after) | set(delivered_live) == set(message_of.values()), "a reminder was never delivered"
    assert repeated == pending_in_copy & set(delivered_live)  # only what went out after the backup


def test_sqlite_online_backup_while_sending_restores_and_resumes(tmp_path: Path, api: FakeApi, bot_factory) -> None:
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 command-line shell is not installed (apt install sqlite3)")
    live, copy = tmp_path / "taskbot.db", tmp_path / "backup.db"

    def backup() -> None:
        subprocess.run(["sqlite3", str(live), ".timeout 10000", f".backup {copy}"], check=True, timeout=60)
        check = subprocess.run(
            ["sqlite3", str(copy), "PRAGMA integrity_check;"], capture_output=True, text=True, check=True, timeout=60
        )
        assert check.stdout.strip() == "ok", check.stdout

    restored = tmp_path / "restored.db"

    def backup_and_place() -> None:
        backup()
        shutil.copyfile(copy, restored)  # restore: the backup file put in place of the lost one

    _drill(
        tmp_path,
        f"sqlite+aiosqlite:///{live}",
        api,
        bot_factory,
        backup_and_place,
        f"sqlite+aiosqlite:///{restored}",
        "sqlite",
    )


@pytest.mark.postgres
def test_pg_dump_of_a_busy_store_restores_and_resumes(
    tmp_path: Path, pg_schema_url: str, api: FakeApi, bot_factory
) -> None:
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt install postgresql-client)")
    url = make_url(pg_schema_url)
    schema = pg_schema_url.rsplit("search_path%3D", 1)[1]
    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    target = f"restore_{secrets.token_hex(4)}"
    conninfo = [f"--host={url.host or '127.0.0.1'}", f"--port={url.port or 5432}", f"--username={url.username}"]
    dump = tmp_path / "taskbot.dump"

    def backup() -> None:
        subprocess.run(
            ["pg_dump", *conninfo, "-Fc", "-n", schema, "-f", str(dump), url.database], check=True, timeout=120
        )
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{target}"')
        subprocess.run(["pg_restore", *conninfo, "--exit-on-error", "-d", target, str(dump)], check=True, timeout=120)

    restored_url = pg_schema_url.replace(f"/{url.database}?", f"/{target}?")
    try:
        _drill(tmp_path, pg_schema_url, api, bot_factory, backup, restored_url, "postgresql")
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
