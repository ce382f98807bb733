"""The offline simulation: the real loop on a virtual clock, checked through the store it leaves behind."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.tasksfile.loader import load_catalog
from scheduler.simulate import deadlines_in, default_window, in_force_only, persona_of, scripted_reply, simulate
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


def test_the_default_window_is_chosen_from_the_deadlines() -> None:
    """Issue 22: the default window was 2023-09-01 + 120 days, where no seed task falls due. It is chosen from
    the data: the busiest deadline three quarters in, and only the documents in force over it."""
    catalog = load_catalog(ROOT / "data" / "tasks.yaml")
    assert deadlines_in(catalog, dt.date(2023, 9, 1), 120) == 0  # the old default
    start = default_window(catalog, 120)
    assert start is not None and deadlines_in(catalog, start, 120) >= 10
    simulated = in_force_only(catalog, start, 120)
    assert 0 < len(simulated.documents) < len(catalog.documents)  # the 2015 document is not in force in 2025
    assert all(d.issued <= start + dt.timedelta(days=120) for d in simulated.documents)


def test_cli_simulate_default_window_tells_a_changing_story(tmp_path: Path) -> None:
    """The default run: deadlines inside the window, some units done, some late, blocked and silent, and the
    coordinator's weekly digest changes from week to week."""
    result = run_cli("simulate", str(DATA / "mini.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "chosen from the deadlines" in result.stdout
    weekly = [
        line.split("督办工作周报（", 1)[1] for line in result.stdout.splitlines() if "督办员  督办工作周报（" in line
    ]
    heads = [line.split("）", 1)[1] for line in weekly]
    assert len(heads) >= 10 and len(set(heads)) >= 3
    final = result.stdout.split("\n督办工作周报（", 1)[1]
    assert "已完成0，" not in final and "逾期0个" not in final and "未报告0" not in final
    assert "personas: 拖延 1, 按时 2, 沉默 3" in result.stdout
