"""The calendar horizon (issue 14): from 1 November, while next year's holidays are unknown, the coordinators
get a notice in chat once a week, in working hours, saying what to add; `taskbot validate` warns too.

chinesecalendar 1.11 knows the years up to 2026, so 2027 is the year these tests find missing; a workday
source that knows every year up to 2026 stands in for it in the pure tests, so they hold whatever the
installed release is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Outbox
from bot.core.vocab import MessageKind
from bot.tasksfile.importer import FILE_CALENDAR
from scheduler.horizon import horizon_notice, missing_years
from scheduler.jobs import tick
from scheduler.snapshot import write_state
from scheduler.workdays import WorkCalendar
from tests.support.cli import run_cli

TZ = ZoneInfo("Asia/Shanghai")
COORDINATORS = (901, 902)


def until_2026(day: dt.date) -> bool:
    if day.year > 2026:
        raise NotImplementedError(day.year)
    return day.weekday() < 5


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(
    ("today", "section", "missing"),
    [
        (dt.date(2026, 10, 31), (), []),
        (dt.date(2026, 11, 1), (), [2027]),
        (dt.date(2026, 12, 31), (), [2027]),
        (dt.date(2026, 11, 20), (dt.date(2027, 10, 1),), []),  # `calendar:` names 2027: it is known
        (dt.date(2027, 3, 1), (), [2027]),  # all through a year nobody added
        (dt.date(2027, 11, 2), (), [2027, 2028]),
    ],
)
def test_which_years_are_missing(today: dt.date, section: tuple[dt.date, ...], missing: list[int]) -> None:
    assert missing_years(today, WorkCalendar(holidays=section, source=until_2026)) == missing


def test_the_notice_says_what_to_add_in_working_hours_on_workdays() -> None:
    calendar = WorkCalendar(source=until_2026)
    notice = horizon_notice(local(2026, 11, 2, 9, 30), calendar, "09:30")
    assert notice is not None and notice.kind == MessageKind.NOTICE and notice.key == "calendar-horizon:2027:2026-W45"
    assert "2027年节假日安排尚未录入" in notice.text and "<pre>calendar:" in notice.text
    assert "holidays: [2027-01-01" in notice.text and "taskbot import" in notice.text
    assert horizon_notice(local(2026, 11, 2, 9, 29), calendar, "09:30") is None  # before the send time
    assert horizon_notice(local(2026, 11, 2, 20, 0), calendar, "09:30") is None  # after 20:00
    assert horizon_notice(local(2026, 11, 7, 10, 0), calendar, "09:30") is None  # a Saturday
    assert horizon_notice(local(2026, 10, 30, 10, 0), calendar, "09:30") is None  # before 1 November
    later = horizon_notice(local(2026, 11, 6, 15, 0), calendar, "09:30")
    assert later is not None and later.key == notice.key  # the same week: one row


async def _notices(engine: AsyncEngine) -> list[tuple[str, int]]:
    async with db.session_scope(engine) as session:
        return sorted(
            (r.key, int(r.chat_id))
            for r in (await session.execute(select(Outbox).where(Outbox.key.like("calendar-horizon:%")))).scalars()
        )


async def test_the_tick_offers_it_to_each_coordinator_once_a_week(engine: AsyncEngine) -> None:
    for when in (local(2026, 10, 30, 10, 0), local(2026, 11, 2, 8, 0)):  # October; too early on Monday
        await tick(engine, when.astimezone(dt.UTC), TZ, COORDINATORS)
    assert await _notices(engine) == []
    for when in (local(2026, 11, 2, 9, 31), local(2026, 11, 2, 9, 32), local(2026, 11, 4, 11, 0)):
        await tick(engine, when.astimezone(dt.UTC), TZ, COORDINATORS)
    week45 = [("calendar-horizon:2027:2026-W45@901", 901), ("calendar-horizon:2027:2026-W45@902", 902)]
    assert await _notices(engine) == week45
    await tick(engine, local(2026, 11, 9, 9, 31).astimezone(dt.UTC), TZ, COORDINATORS)
    assert len(await _notices(engine)) == 4  # a week later: again
    async with db.session_scope(engine) as session:  # the coordinator added 2027 to `calendar:` and imported
        await write_state(session, FILE_CALENDAR, json.dumps({"holidays": ["2027-01-01"], "workdays": []}))
    await tick(engine, local(2026, 11, 16, 9, 31).astimezone(dt.UTC), TZ, COORDINATORS)
    assert len(await _notices(engine)) == 4  # and it stopped


MINI = Path(__file__).resolve().parent.parent / "data" / "mini.yaml"


def test_validate_warns_about_the_missing_year(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    assert "calendar:" not in text
    today = dt.datetime.now(TZ).date()
    years = missing_years(today, WorkCalendar())
    result = run_cli("validate", str(MINI))
    assert result.exit_code == 0
    warned = [line for line in result.stderr.splitlines() if "calendar:" in line]
    assert [int(line.split("调休 of ")[1][:4]) for line in warned] == years
    # chinesecalendar 1.11 ends with 2026: from 1 November 2026 on, a file without `calendar:` is warned about
    assert bool(years) == (today >= dt.date(2026, 11, 1))
    covered = tmp_path / "covered.yaml"
    every = ", ".join(f"{y}-10-01" for y in range(today.year, today.year + 2))
    covered.write_text(text.replace("units:", f"calendar: {{holidays: [{every}]}}\nunits:", 1), encoding="utf-8")
    quiet = run_cli("validate", str(covered))
    assert quiet.exit_code == 0 and "calendar:" not in quiet.stderr
