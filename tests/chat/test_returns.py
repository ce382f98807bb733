"""退办 against a real store (SQLite and PostgreSQL): a lead of the task or a coordinator sends a report back
with a reason — the assignment's state before it, both audit rows, the unit's notice, the refusals, the
lead's notice of a done or blocked report, and the tick that asks the unit again."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import closing, returns
from bot.chat.reports import submit_report
from bot.core import db
from bot.core.models import Assignment, AuditLog, Outbox, Report, SheetItem
from bot.core.vocab import MessageKind, ReportOutcome, ReturnOutcome, Status
from bot.render import callback_data
from bot.render import messages as m
from bot.replies.parser import parse_reply
from bot.store.overview import ledger_rows, target_rows
from scheduler.jobs import LAST_TICK, tick
from scheduler.snapshot import write_state
from tests.support.store import assignment_id, audit_actions, bind, get, rows, seed, unit_id

TZ = ZoneInfo("Asia/Shanghai")
FINANCE, SCIENCE, REFORM, BOSS = 11, 12, 14, 900  # 市财政局 (responsible for 1.2), 市科技局 (leads 1.1, 1.2)
MORNING = dt.datetime(2024, 3, 12, 10, 0, tzinfo=TZ)  # a Tuesday: nothing of 1.2 falls due that week


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
async def store(engine: AsyncEngine) -> AsyncEngine:
    await seed(engine)
    await bind(engine, FINANCE, "市财政局")
    await bind(engine, SCIENCE, "市科技局")
    await bind(engine, REFORM, "市发展改革局")
    return engine


async def _report(engine: AsyncEngine, chat_id: int, unit: str, key: str, text: str, at: dt.datetime) -> int:
    async with db.session_scope(engine) as session:
        result = await submit_report(
            session,
            chat_id=chat_id,
            assignment_id=await assignment_id(engine, unit, key),
            text=text,
            parsed=parse_reply(text, at),
            source="text",
            user_id=chat_id,
            user_name=unit,
            at=at,
        )
    assert result.outcome == ReportOutcome.STORED and result.report_id is not None
    return result.report_id


async def _return(
    engine: AsyncEngine,
    report_id: int,
    reason: str = "未附验收材料",
    *,
    chat_id: int = SCIENCE,
    coordinator: bool = False,
    now: dt.datetime | None = None,
) -> returns.ReturnResult:
    now = now or local(2024, 3, 12, 15)
    async with db.session_scope(engine) as session:
        return await returns.return_report(
            session, report_id, reason, chat_id=chat_id, user_id=chat_id, coordinator=coordinator, now=now
        )


async def test_a_return_restores_the_state_before_the_report_and_tells_the_unit(store: AsyncEngine) -> None:
    first = await _report(store, FINANCE, "市财政局", "1.2", "进展60%，预计5月底完成", MORNING)
    done = await _report(store, FINANCE, "市财政局", "1.2", "已全部完成", MORNING + dt.timedelta(hours=1))
    aid = await assignment_id(store, "市财政局", "1.2")
    assert (await get(store, Assignment, aid)).status == Status.DONE

    result = await _return(store, done)
    assert result.outcome == ReturnOutcome.RETURNED and result.notified == 1
    assignment = await get(store, Assignment, aid)
    assert (assignment.status, assignment.percent, assignment.expected_date) == (
        Status.IN_PROGRESS,
        60,
        dt.date(2024, 5, 31),
    )
    assert assignment.last_report_at == MORNING
    returned = await get(store, Report, done)
    assert returned.returned_at == local(2024, 3, 12, 15) and returned.returned_by == f"tg:{SCIENCE}"
    assert returned.return_reason == "未附验收材料" and (await get(store, Report, first)).returned_at is None
    # the audit log keeps both: the report and its return
    assert await audit_actions(store) == ["report.add", "report.add", "report.return"]
    (audit,) = await rows(store, select(AuditLog).where(AuditLog.action == "report.return"))
    assert audit.entity_id == str(done) and audit.detail["previous_status"] == Status.DONE
    assert audit.detail["status"] == Status.IN_PROGRESS and audit.detail["reason"] == "未附验收材料"
    # the unit is told why, with the report card's buttons, and a reply to the notice is a report on the task
    (notice,) = await rows(store, select(Outbox).where(Outbox.key.like("return:%")))
    assert (notice.chat_id, notice.kind, notice.assignment_id) == (FINANCE, MessageKind.NOTICE, aid)
    assert "【报告退回】市科技局" in notice.text and "已全部完成" in notice.text and "未附验收材料" in notice.text
    assert "示例 1.2" in notice.text
    assert [b["callback_data"] for row in notice.reply_markup["inline_keyboard"] for b in row] == [
        f"rp:{aid}:done",
        f"rp:{aid}:progress",
        f"rp:{aid}:blocked",
        f"rp:{aid}:extend",
    ]


async def test_a_return_without_an_earlier_report_goes_back_to_pending(store: AsyncEngine) -> None:
    done = await _report(store, FINANCE, "市财政局", "1.2", "已完成", MORNING)
    assert (await _return(store, done, chat_id=BOSS, coordinator=True)).outcome == ReturnOutcome.RETURNED
    assignment = await get(store, Assignment, await assignment_id(store, "市财政局", "1.2"))
    assert (assignment.status, assignment.percent, assignment.expected_date, assignment.last_report_at) == (
        Status.PENDING,
        None,
        None,
        None,
    )
    (notice,) = await rows(store, select(Outbox).where(Outbox.key.like("return:%")))
    assert notice.text.startswith(f"【报告退回】{m.RETURN_BY_COORDINATOR}退回")
    # the same words again are a new report, not "already recorded"
    assert await _report(store, FINANCE, "市财政局", "1.2", "已完成", MORNING + dt.timedelta(days=1))


async def test_refusals_change_nothing(store: AsyncEngine) -> None:
    older = await _report(store, FINANCE, "市财政局", "1.2", "进展30%", MORNING)
    newer = await _report(store, FINANCE, "市财政局", "1.2", "已完成", MORNING + dt.timedelta(hours=1))
    assert (await _return(store, newer, chat_id=REFORM)).outcome == ReturnOutcome.NOT_ALLOWED  # not a lead of 1.2
    assert (await _return(store, newer, chat_id=FINANCE)).outcome == ReturnOutcome.NOT_ALLOWED  # the unit itself
    assert (await _return(store, newer, chat_id=99)).outcome == ReturnOutcome.UNBOUND
    assert (await _return(store, older)).outcome == ReturnOutcome.SUPERSEDED
    assert (await _return(store, newer, " \u200b ")).outcome == ReturnOutcome.NO_REASON
    assert (await _return(store, newer, "理" * 501)).outcome == ReturnOutcome.TOO_LONG
    assert (await _return(store, 10**6)).outcome == ReturnOutcome.MISSING
    refused = await rows(store, select(AuditLog).where(AuditLog.action == "access.refused"))
    assert [(a.entity, a.detail["action"], a.detail["chat_id"]) for a in refused] == [
        ("report", "return", REFORM),
        ("report", "return", FINANCE),
    ]
    assert (await get(store, Assignment, await assignment_id(store, "市财政局", "1.2"))).status == Status.DONE
    assert await rows(store, select(Report).where(Report.returned_at.is_not(None))) == []

    assert (await _return(store, newer)).outcome == ReturnOutcome.RETURNED
    again = await _return(store, newer, "再次退回")
    assert again.outcome == ReturnOutcome.ALREADY and again.report.return_reason == "未附验收材料"
    assert (await _return(store, older, chat_id=BOSS, coordinator=True)).outcome == ReturnOutcome.RETURNED
    assert len(await rows(store, select(Outbox).where(Outbox.key.like("return:%")))) == 2


async def test_a_lead_s_own_report_and_a_closed_task(store: AsyncEngine) -> None:
    own = await _report(store, SCIENCE, "市科技局", "1.2", "已完成", MORNING)
    assert (await _return(store, own)).outcome == ReturnOutcome.OWN
    done = await _report(store, FINANCE, "市财政局", "1.2", "已完成", MORNING)
    async with db.session_scope(store) as session:
        task_id = (await get(store, Assignment, await assignment_id(store, "市财政局", "1.2"))).task_id
        assert (
            await closing.close_task(session, chat_id=SCIENCE, task_id=task_id, user_id=SCIENCE, now=MORNING)
        ).outcome == "closed"
    assert (await _return(store, done)).outcome == ReturnOutcome.CLOSED
    assert (await _return(store, done, chat_id=BOSS, coordinator=True)).outcome == ReturnOutcome.CLOSED


async def test_may_return_is_a_lead_of_the_task_or_a_coordinator(store: AsyncEngine) -> None:
    task_id = (await get(store, Assignment, await assignment_id(store, "市财政局", "1.2"))).task_id
    science = (await get(store, Assignment, await assignment_id(store, "市科技局", "1.2"))).unit_id
    finance = (await get(store, Assignment, await assignment_id(store, "市财政局", "1.2"))).unit_id
    async with db.session_scope(store) as session:
        assert await returns.may_return(session, unit_id=science, task_id=task_id, coordinator=False)
        assert not await returns.may_return(session, unit_id=finance, task_id=task_id, coordinator=False)
        assert not await returns.may_return(session, unit_id=None, task_id=task_id, coordinator=False)
        assert await returns.may_return(session, unit_id=None, task_id=task_id, coordinator=True)


async def test_a_lead_is_told_once_a_workday_of_the_done_and_blocked_reports(store: AsyncEngine) -> None:
    """The tick at 2024-03-13 09:30 tells 市科技局 (it leads 1.1 and 1.2) of the day's reports that say 已完成
    or 受阻 — one notice, a 退回 button per line — and nothing of progress reports or of its own."""
    async with db.session_scope(store) as session:
        await write_state(session, LAST_TICK, local(2024, 3, 12, 18, 0).isoformat())
    await _report(store, FINANCE, "市财政局", "1.2", "进展30%", MORNING)
    blocked = await _report(store, FINANCE, "市财政局", "1.2", "资金未到位，受阻", MORNING + dt.timedelta(hours=1))
    await _report(store, REFORM, "市发展改革局", "1.1", "项目库已建成", local(2024, 3, 13, 8, 0))
    done = await _report(store, REFORM, "市发展改革局", "1.1", "已全部完成", local(2024, 3, 13, 8, 30))
    await _report(store, SCIENCE, "市科技局", "1.2", "已完成", MORNING)  # the lead's own
    late = await _report(store, FINANCE, "市财政局", "1.2", "已完成", local(2024, 3, 13, 10, 0))  # tomorrow's
    await _tick(store, local(2024, 3, 13, 9, 31))
    science = await unit_id(store, "市科技局")
    (notice,) = await rows(store, select(Outbox).where(Outbox.key.like("leadreports:%")))
    assert (notice.key, notice.chat_id, notice.kind) == (
        f"leadreports:{science}:2024-03-13@{SCIENCE}",
        SCIENCE,
        MessageKind.NOTICE,
    )
    assert notice.text.splitlines()[1:3] == [
        "1. 市发展改革局 · 示例 1.1：已完成。「已全部完成」",
        "2. 市财政局 · 示例 1.2：受阻。「资金未到位，受阻」",
    ]
    assert notice.reply_markup == callback_data.keyboard(
        [
            callback_data.button(m.BUTTON_RETURN_NUMBER.format(i=1), f"rt:{done}"),
            callback_data.button(m.BUTTON_RETURN_NUMBER.format(i=2), f"rt:{blocked}"),
        ]
    )
    # a replayed tick adds nothing; the next workday's notice has the report that came after the moment
    async with db.session_scope(store) as session:
        await write_state(session, LAST_TICK, local(2024, 3, 13, 9, 0).isoformat())
    await _tick(store, local(2024, 3, 13, 9, 31))
    assert len(await rows(store, select(Outbox).where(Outbox.key.like("leadreports:%")))) == 1
    await _tick(store, local(2024, 3, 14, 9, 31))
    newer = await rows(store, select(Outbox).where(Outbox.key.like(f"leadreports:{science}:2024-03-14%")))
    assert [b["callback_data"] for row in newer[0].reply_markup["inline_keyboard"] for b in row] == [f"rt:{late}"]


async def test_a_returned_report_counts_for_nothing(store: AsyncEngine) -> None:
    """The 台账's 最新进展 and a target's value leave a returned report out; the rest read the assignment. The
    figure is the lead's (市科技局 leads 1.1: a responsible unit's figure would be only its contribution), and a
    coordinator sends it back (a lead cannot return its own unit's report)."""
    await _report(store, SCIENCE, "市科技局", "1.1", "已启动项目库建设", MORNING)
    claim = await _report(store, SCIENCE, "市科技局", "1.1", "已实施揭榜挂帅项目12项", MORNING + dt.timedelta(hours=1))
    async with db.session_scope(store) as session:
        assert [t.latest for t in await target_rows(session)] == [12]
    returned = await _return(store, claim, "项目清单与实际不符", chat_id=999, coordinator=True)
    assert returned.outcome == ReturnOutcome.RETURNED
    async with db.session_scope(store) as session:
        assert [t.latest for t in await target_rows(session)] == [None]
        (row,) = [r for r in await ledger_rows(session) if r.row.unit == "市科技局" and r.row.task_key == "1.1"]
    assert row.latest_text == "已启动项目库建设" and row.row.last_report_at == MORNING
    async with db.session_scope(store) as session:
        newest = await returns.newest_reports(session, [await assignment_id(store, "市科技局", "1.1")])
    assert [r.text for r in newest.values()] == ["已启动项目库建设"]


async def _tick(engine: AsyncEngine, at: dt.datetime) -> list[Outbox]:
    """A tick at `at`; the rows it queued."""
    before = {o.id for o in await rows(engine, select(Outbox))}
    await tick(engine, at, TZ, (BOSS,))
    return [o for o in await rows(engine, select(Outbox).order_by(Outbox.id)) if o.id not in before]


async def _asked(engine: AsyncEngine, aid: int) -> list[str]:
    """The items the ticks planned for the assignment so far (sheet_item keys)."""
    return await rows(engine, select(SheetItem.key).where(SheetItem.key.like(f"{aid}:%")).order_by(SheetItem.id))


async def test_the_tick_asks_a_returned_assignment_again_at_the_next_send_moment(store: AsyncEngine) -> None:
    aid = await assignment_id(store, "市财政局", "1.2")
    async with db.session_scope(store) as session:
        await write_state(session, LAST_TICK, local(2024, 3, 12, 9, 0).isoformat())
    done = await _report(store, FINANCE, "市财政局", "1.2", "已完成", MORNING)
    await _tick(store, local(2024, 3, 12, 9, 31))
    assert await _asked(store, aid) == []
    assert (await _return(store, done)).outcome == ReturnOutcome.RETURNED  # 15:00: today's moment has passed
    assert await _tick(store, local(2024, 3, 12, 18, 0)) == []
    queued = [o for o in await _tick(store, local(2024, 3, 13, 9, 31)) if o.chat_id == FINANCE]
    assert [(o.kind, o.assignment_id) for o in queued] == [(MessageKind.PROMPT, aid)]
    assert "示例 1.2" in queued[0].text
    assert await _asked(store, aid) == [f"{aid}:prompt:2024-06-30:2024-03-13"]
    # asked once: the next days ask nothing more of it
    await _tick(store, local(2024, 3, 14, 9, 31))
    assert await _asked(store, aid) == [f"{aid}:prompt:2024-06-30:2024-03-13"]


async def test_a_return_before_the_send_moment_asks_the_same_day_and_a_new_report_stops_it(store: AsyncEngine) -> None:
    aid = await assignment_id(store, "市财政局", "1.2")
    async with db.session_scope(store) as session:
        await write_state(session, LAST_TICK, local(2024, 3, 12, 18, 0).isoformat())
    done = await _report(store, FINANCE, "市财政局", "1.2", "已完成", MORNING)
    assert (await _return(store, done, now=local(2024, 3, 13, 8, 0))).outcome == ReturnOutcome.RETURNED
    progress = await _report(store, FINANCE, "市财政局", "1.2", "进展80%，验收材料正在补充", local(2024, 3, 13, 9, 0))
    await _tick(store, local(2024, 3, 13, 9, 31))
    assert await _asked(store, aid) == []  # it reported again before the moment came
    assert (await _return(store, progress, now=local(2024, 3, 13, 9, 40))).outcome == ReturnOutcome.RETURNED
    assert (await get(store, Assignment, aid)).status == Status.PENDING
    await _tick(store, local(2024, 3, 14, 9, 31))
    assert await _asked(store, aid) == [f"{aid}:prompt:2024-06-30:2024-03-14"]


async def test_a_report_made_in_the_last_minutes_before_the_moment_is_told_the_next_workday(store: AsyncEngine) -> None:
    """A report created at 09:29 may commit after the 09:30 tick has read the store: it belongs to the next
    window (they end two minutes before their moment), so the next workday's notice has it — never neither."""
    async with db.session_scope(store) as session:
        await write_state(session, LAST_TICK, local(2024, 3, 12, 18, 0).isoformat())
    early = await _report(store, REFORM, "市发展改革局", "1.1", "已全部完成", local(2024, 3, 13, 9, 27))
    close = await _report(store, FINANCE, "市财政局", "1.2", "资金未到位，受阻", local(2024, 3, 13, 9, 29))
    await _tick(store, local(2024, 3, 13, 9, 31))
    await _tick(store, local(2024, 3, 14, 9, 31))
    science = await unit_id(store, "市科技局")
    told = {}
    for day in ("2024-03-13", "2024-03-14"):
        (notice,) = await rows(store, select(Outbox).where(Outbox.key.like(f"leadreports:{science}:{day}%")))
        told[day] = [b["callback_data"] for row in notice.reply_markup["inline_keyboard"] for b in row]
    assert told == {"2024-03-13": [f"rt:{early}"], "2024-03-14": [f"rt:{close}"]}
