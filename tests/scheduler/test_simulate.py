"""The offline simulation: the real loop on a virtual clock, checked through the store it leaves behind."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.simulate import persona_of, scripted_reply, simulate
from tests.conftest import DATA, ROOT
from tests.support.cli import run_cli

TZ = ZoneInfo("Asia/Shanghai")


def test_personas_are_stable_and_replies_follow_them() -> None:
    assert persona_of("市科技局") == persona_of("市科技局")
    today = dt.date(2025, 12, 26)
    assert scripted_reply("silent", dt.date(2025, 12, 31), today, 7) is None
    assert scripted_reply("prompt", dt.date(2025, 12, 31), today, 7) == "已完成，相关材料已报送"
    assert "受阻" in scripted_reply("blocked", dt.date(2025, 12, 31), today, 7)
    assert scripted_reply("late", dt.date(2025, 12, 1), today, 7) == "已办结"
    assert "预计12月底完成" in scripted_reply("late", dt.date(2025, 12, 31), dt.date(2025, 11, 1), 7)


async def test_simulation_sends_each_message_once_and_stores_the_replies(tmp_path: Path) -> None:
    store = tmp_path / "sim.db"
    result = await simulate(DATA / "mini.yaml", store, dt.date(2024, 5, 27), 40, TZ)
    assert result.sent, "a 40-day run over a task due 2024-06-30 sends reminders"
    with sqlite3.connect(store) as conn:
        sent_rows = conn.execute("SELECT count(*), count(DISTINCT key) FROM outbox WHERE status='sent'").fetchone()
        reports = conn.execute("SELECT count(*) FROM report").fetchone()[0]
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE action='report.add'").fetchone()[0]
    assert sent_rows[0] == sent_rows[1] == len(result.sent)
    assert reports == audited == result.replies
    answering = {unit for unit in result.recipients.values() if persona_of(unit) != "silent"}
    assert result.replies > 0 if answering else result.replies == 0
    assert all(m.at.astimezone(TZ).time() >= dt.time(8) for m in result.sent)
    assert "督办工作周报" in result.digest


def test_cli_simulate_prints_messages_and_the_final_digest(tmp_path: Path) -> None:
    result = run_cli("simulate", "--from", "2024-05-27", "--days", "10", str(DATA / "mini.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "messages sent" in result.stdout and "督办工作周报" in result.stdout
    assert "【到期提醒】" in result.stdout  # 2024-05-31: 30 days before task 1.2's deadline


def test_cli_simulate_bad_input_is_one_line(tmp_path: Path) -> None:
    bad = run_cli("simulate", "--from", "2024-13-01", str(ROOT / "data" / "tasks.yaml"))
    assert bad.exit_code == 2 and "--from" in bad.stderr
    existing = tmp_path / "exists.db"
    existing.write_bytes(b"")
    again = run_cli("simulate", "--db", str(existing), str(DATA / "mini.yaml"))
    assert again.exit_code == 2 and "exists" in again.stderr
