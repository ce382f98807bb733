"""/remind (一键催办) and /broadcast <target> through the real Application against the fake Bot API, and
`taskbot remind` on the same store: three units bound, one overdue, one silent for 40 days, one neither."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import chase
from bot.chat.chase import ChaseResult
from bot.chat.chase_targets import ChaseSpec, TargetProblem, parse
from bot.core import db
from bot.core.models import Assignment, AuditLog, Outbox, Sheet, Task
from bot.core.vocab import ChaseOutcome, ChaseTarget
from bot.render import messages as m
from tests.support.cli import run_cli
from tests.support.harness import BOSS, FINANCE, SCIENCE, Harness, buttons, seeded_harness, texts
from tests.support.store import assignment_id, bind, rows

PLANNING = 13  # 市发展改革局's contact: reported yesterday, nothing overdue
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def chased(sqlite_url: str) -> AsyncIterator[Harness]:
    """市财政局 overdue on 1.2 (reported 2 days ago), 市科技局 silent for 40 days, 市发展改革局 neither."""
    async with seeded_harness(sqlite_url) as bot:
        await bind(bot.engine, FINANCE, "市财政局")
        await bind(bot.engine, SCIENCE, "市科技局")
        await bind(bot.engine, PLANNING, "市发展改革局")
        today = dt.datetime.now(TZ).date()
        now = dt.datetime.now(dt.UTC)
        finance_12 = await assignment_id(bot.engine, "市财政局", "1.2")
        science = [await assignment_id(bot.engine, "市科技局", key) for key in ("1.1", "1.2")]
        planning = await assignment_id(bot.engine, "市发展改革局", "1.1")
        async with db.session_scope(bot.engine) as session:
            await session.execute(update(Task).values(deadline=today + dt.timedelta(days=60)))
            await session.execute(
                update(Assignment)
                .where(Assignment.id == finance_12)
                .values(deadline_override=today - dt.timedelta(days=5))
            )
            await session.execute(
                update(Assignment)
                .where(Assignment.unit_id.in_(select(Assignment.unit_id).where(Assignment.id == finance_12)))
                .values(last_report_at=now - dt.timedelta(days=2))
            )
            await session.execute(
                update(Assignment).where(Assignment.id.in_(science)).values(last_report_at=now - dt.timedelta(days=40))
            )
            await session.execute(
                update(Assignment).where(Assignment.id == planning).values(last_report_at=now - dt.timedelta(days=1))
            )
        yield bot


async def _chase_rows(bot: Harness) -> list[Outbox]:
    return await rows(bot.engine, select(Outbox).where(Outbox.key.like("chase:%")).order_by(Outbox.id))


def _confirm(sent: list[dict]) -> str:
    return next(data for _, data in buttons(sent[-1]) if data.endswith(":ok") or data.endswith(":re"))


async def test_remind_overdue_reaches_exactly_the_overdue_unit_once(chased: Harness) -> None:
    bot = chased
    preview = await bot.say(BOSS, "/remind overdue")
    assert "1个单位，1个聊天" in preview[0]["text"] and "市财政局（1项）" in preview[0]["text"]
    assert await _chase_rows(bot) == []  # nothing before the confirmation
    tap = _confirm(preview)
    assert texts(await bot.tap(BOSS, tap)) == [m.CHASE_QUEUED.format(units=1, chats=1)]
    assert texts(await bot.tap(BOSS, tap)) == [m.CHASE_ALREADY]  # a double tap sends once
    sent = await _chase_rows(bot)
    assert [(o.chat_id, o.kind) for o in sent] == [(FINANCE, "overdue")]
    assert sent[0].text.startswith(m.CHASE_HEADER) and "1.2" in sent[0].text and "2.1" not in sent[0].text
    assert sent[0].assignment_id == await assignment_id(bot.engine, "市财政局", "1.2")
    sheet = (await rows(bot.engine, select(Sheet).where(Sheet.id == sent[0].sheet_id)))[0]
    assert [i["assignment_id"] for i in sheet.items] == [sent[0].assignment_id]
    audit = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "chase.send"))
    assert len(audit) == 1 and audit[0].actor == f"tg:{BOSS}" and audit[0].detail["target"] == "overdue"
    assert audit[0].detail["units"] == ["市财政局"]


async def test_remind_silent_reaches_the_silent_unit_with_all_its_open_tasks(chased: Harness) -> None:
    bot = chased
    preview = await bot.say(BOSS, "/remind silent 30")
    assert "1个单位，1个聊天" in preview[0]["text"] and "市科技局（2项）" in preview[0]["text"]
    assert "另有3个单位未绑定聊天" in preview[0]["text"]  # the county governments never reported
    await bot.tap(BOSS, _confirm(preview))
    sent = await _chase_rows(bot)
    assert [(o.chat_id, o.kind) for o in sent] == [(SCIENCE, "sheet")]
    assert "1.1" in sent[0].text and "1.2" in sent[0].text
    assert texts(await bot.say(BOSS, "/remind silent 60")) == [
        m.CHASE_NOBODY.format(target=m.CHASE_TARGET_LABELS[ChaseTarget.SILENT].format(days=60))
    ]


async def test_a_unit_chased_today_needs_a_second_confirmation(chased: Harness) -> None:
    bot = chased
    await bot.tap(BOSS, _confirm(await bot.say(BOSS, "/remind unit 市财政局")))
    preview = await bot.say(BOSS, "/remind overdue")
    assert m.CHASE_WARN_TODAY.format(names="市财政局") in preview[0]["text"]
    warned = await bot.tap(BOSS, _confirm(preview))
    assert texts(warned) == [m.CHASE_CHASED_TODAY.format(names="市财政局")]
    assert len(await _chase_rows(bot)) == 1
    assert texts(await bot.tap(BOSS, _confirm(warned))) == [m.CHASE_QUEUED.format(units=1, chats=1)]
    assert len(await _chase_rows(bot)) == 2
    overview = texts(await bot.say(BOSS, "/units"))[0]
    assert "市财政局：1个聊天，待办2项" in overview and m.CHASE_WEEK.format(n=2) in overview
    assert overview.count("本周催办") == 1


async def test_cancel_at_chased_today_skips_only_that_unit(chased: Harness) -> None:
    """Issue 22: 取消 at 「市财政局今天已被催办过」 cancelled the whole 催办; the other units got nothing. Now it
    skips 市财政局 only: 市科技局 (silent, due in 90 days) still gets its 督办单."""
    bot = chased
    await bot.tap(BOSS, _confirm(await bot.say(BOSS, "/remind unit 市财政局")))
    preview = await bot.say(BOSS, "/remind due 90")
    assert "市财政局（" in preview[0]["text"] and "市科技局（" in preview[0]["text"]
    warned = await bot.tap(BOSS, _confirm(preview))
    assert texts(warned) == [m.CHASE_CHASED_TODAY.format(names="市财政局")]
    skip = next(data for label, data in buttons(warned[-1]) if label == m.BUTTON_CHASE_SKIP)
    (done,) = texts(await bot.tap(BOSS, skip))
    assert done == m.CHASE_QUEUED.format(units=2, chats=2)  # 市科技局 and 市发展改革局, not 市财政局
    sent = await _chase_rows(bot)
    assert sorted(o.chat_id for o in sent[1:]) == sorted([SCIENCE, PLANNING])
    assert texts(await bot.tap(BOSS, skip)) == [m.CHASE_ALREADY]
    # every unit of the target chased today: 取消 sends nothing and says so
    preview = await bot.say(BOSS, "/remind unit 市财政局")
    warned = await bot.tap(BOSS, _confirm(preview))
    skip = next(data for label, data in buttons(warned[-1]) if label == m.BUTTON_CHASE_SKIP)
    assert texts(await bot.tap(BOSS, skip)) == [m.CHASE_SKIPPED_ALL]
    assert len(await _chase_rows(bot)) == 3


async def test_a_targeted_broadcast_is_checked_again_at_confirm(chased: Harness) -> None:
    """Issue 22: /broadcast overdue drafted while 市财政局 was late still went to it after it reported done.
    The target is read again at confirm, as /remind does."""
    bot = chased
    preview = await bot.say(BOSS, "/broadcast overdue 请于周五前报送材料")
    assert "1个单位，1个聊天" in preview[0]["text"]
    finance_12 = await assignment_id(bot.engine, "市财政局", "1.2")
    async with db.session_scope(bot.engine) as session:
        await session.execute(update(Assignment).where(Assignment.id == finance_12).values(status="done"))
    assert texts(await bot.tap(BOSS, _confirm(preview))) == [m.BROADCAST_NOBODY_NOW]
    assert await rows(bot.engine, select(Outbox).where(Outbox.kind == "broadcast")) == []


async def test_targets_that_reach_nobody_or_nothing_known(chased: Harness) -> None:
    bot = chased
    assert texts(await bot.say(BOSS, "/remind")) == [m.CHASE_USAGE]
    assert texts(await bot.say(BOSS, "/remind silent")) == [m.CHASE_TARGET_USAGE[ChaseTarget.SILENT]]
    assert "没有简称或编号为「无此文件」的文件" in texts(await bot.say(BOSS, "/remind doc 无此文件"))[0]
    assert "市财政局" in texts(await bot.say(BOSS, "/remind unit 市财政"))[0]  # names the closest unit
    assert texts(await bot.say(FINANCE, "/remind overdue")) == [m.COORDINATORS_ONLY]
    assert "3个单位，3个聊天" in (await bot.say(BOSS, "/remind doc 示例"))[0]["text"]  # a prefix of 示例行动方案
    assert await _chase_rows(bot) == []


async def test_only_the_drafting_coordinator_can_send_and_cancel_works(chased: Harness) -> None:
    bot = chased
    preview = await bot.say(BOSS, "/remind due 90")
    tap = _confirm(preview)
    cancel = tap.rsplit(":", 1)[0] + ":no"
    assert texts(await bot.tap(BOSS, cancel)) == [m.CHASE_CANCELLED]
    assert texts(await bot.tap(BOSS, tap)) == [m.CHASE_ALREADY]
    assert await _chase_rows(bot) == []


async def test_broadcast_to_a_target_goes_to_its_chats_only(chased: Harness) -> None:
    bot = chased
    preview = await bot.say(BOSS, "/broadcast overdue 请于周五前报送材料")
    assert "1个单位，1个聊天" in preview[0]["text"] and "请于周五前报送材料" in preview[0]["text"]
    await bot.tap(BOSS, _confirm(preview))
    sent = await rows(bot.engine, select(Outbox).where(Outbox.kind == "broadcast"))
    assert [o.chat_id for o in sent] == [FINANCE]
    assert texts(await bot.say(BOSS, "/broadcast overdue")) == [m.BROADCAST_TARGET_USAGE]
    everyone = await bot.say(BOSS, "/broadcast 全体通知")  # without a target: as before
    assert everyone[0]["text"] == m.BROADCAST_CONFIRM.format(n=3, text="全体通知")
    nobody = m.CHASE_NOBODY.format(target=m.CHASE_TARGET_LABELS[ChaseTarget.SILENT].format(days=60))
    assert texts(await bot.say(BOSS, "/broadcast silent 60 请报送")) == [nobody]
    assert texts(await bot.say(BOSS, "/broadcast doc 没有这个文件 请报送")) == texts(
        await bot.say(BOSS, "/remind doc 没有这个文件")
    )  # the target's own refusal


async def test_a_broadcast_that_reaches_no_chat_says_so(sqlite_url: str) -> None:
    async with seeded_harness(sqlite_url) as bot:  # nothing bound
        assert texts(await bot.say(BOSS, "/broadcast 全体通知")) == [m.BROADCAST_NO_RECIPIENTS]


async def test_the_cli_dry_run_lists_the_units_the_chat_command_reaches(chased: Harness, sqlite_url: str) -> None:
    bot = chased
    env = {"DATABASE_URL": sqlite_url, "COORDINATOR_IDS": str(BOSS)}
    for target, unit in (("overdue", "市财政局"), ("silent 30", "市科技局")):
        dry = await asyncio.to_thread(run_cli, "remind", *target.split(), "--dry-run", env=env)
        assert dry.exit_code == 0, dry.stderr
        listed = [line.split(" — ")[0] for line in dry.stdout.splitlines() if " — " in line and " 0 chats" not in line]
        preview = (await bot.say(BOSS, f"/remind {target}"))[0]["text"]
        assert listed == [unit] and f"{unit}（" in preview
    assert await _chase_rows(bot) == []
    queued = await asyncio.to_thread(run_cli, "remind", "overdue", env=env)
    assert queued.exit_code == 0 and "queued: 1 units, 1 chats" in queued.stdout
    assert [o.chat_id for o in await _chase_rows(bot)] == [FINANCE]
    again = await asyncio.to_thread(run_cli, "remind", "overdue", env=env)
    assert again.exit_code == 1 and len(await _chase_rows(bot)) == 1
    assert (await asyncio.to_thread(run_cli, "remind", "sideways", env=env)).exit_code == 2


def test_the_target_words() -> None:
    assert parse("overdue 请于周五前报送") == (ChaseSpec(ChaseTarget.OVERDUE), "请于周五前报送")
    assert parse("silent 30天") == (ChaseSpec(ChaseTarget.SILENT, days=30), "")
    assert parse("逾期") == (ChaseSpec(ChaseTarget.OVERDUE), "")
    assert parse("doc 成果转化\n第二行") == (ChaseSpec(ChaseTarget.DOC, name="成果转化"), "第二行")
    assert parse("due x") == (TargetProblem(ChaseTarget.DUE), "")
    assert parse("请于周五前报送") == (None, "请于周五前报送")


async def test_two_processes_confirming_one_chase_at_once_write_one_send(chased: Harness, sqlite_url: str) -> None:
    """Issue 23 §4.6: two processes take the same confirm tap (two balancer targets, or a double tap); each
    reads "not sent yet" before the other commits. Before: two `chase.send` rows, and /units said 本周催办2次."""
    bot = chased
    draft = int(_confirm(await bot.say(BOSS, "/remind due 90")).split(":")[1])
    other = db.make_engine(sqlite_url)
    kwargs = {"draft_id": draft, "actor": f"tg:{BOSS}", "send": True, "again": False, "tz": TZ}

    async def confirm_in(engine: AsyncEngine) -> ChaseResult:
        async with db.session_scope(engine) as session:
            return await chase.confirm(session, now=dt.datetime.now(TZ), **kwargs)

    try:
        async with db.session_scope(bot.engine) as session:
            first = await chase.confirm(session, now=dt.datetime.now(TZ), **kwargs)
            racing = asyncio.create_task(confirm_in(other))
            await asyncio.sleep(0.5)  # the other has read "not settled" and waits for this one's write lock
        second = await racing
    finally:
        await other.dispose()
    assert {first.outcome, second.outcome} == {ChaseOutcome.QUEUED, ChaseOutcome.ALREADY}
    sends = await rows(bot.engine, select(AuditLog).where(AuditLog.action == chase.SEND))
    assert len(sends) == 1
    assert len({r.key for r in await _chase_rows(bot)}) == len(await _chase_rows(bot)) > 0
