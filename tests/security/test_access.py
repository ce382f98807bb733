"""Only a bound chat reports, and only on its own unit's assignments.

Button data carries ids, never a permission (bot/render/callback_data.py): anyone can send any
callback_data, so every button kind is forged here for another unit's assignment, task or report, from a
unit's private chat and from a unit's group, and must be refused with an answer, leave the store as it
was, and leave an `access.refused` row naming the chat. An unbound chat gets nothing by any route. The
decision itself (bot.reports.authorize) is checked for every chat × assignment on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import reports
from bot.core import db
from bot.core.models import Assignment, AuditLog, Chat, Report, Task, Unit
from bot.core.vocab import ReportOutcome
from bot.render import callback_data, prompts
from bot.render import messages as m
from tests.security.conftest import FINANCE, GROUP, LOOSE_GROUP, MEMBER, SCIENCE, STRANGER, every_row
from tests.support.harness import Harness, texts
from tests.support.store import assignment_id, bind, rows, seed

NEXT_YEAR = dt.date.today().year + 1


async def _state(engine: AsyncEngine) -> dict[str, Any]:
    """Every row of every table but the audit log (a refusal may add to that, and only to that)."""
    return await every_row(engine, skip=("audit_log",))


async def _refusals(engine: AsyncEngine) -> list[AuditLog]:
    return await rows(engine, select(AuditLog).where(AuditLog.action == "access.refused").order_by(AuditLog.id))


async def _task_id(engine: AsyncEngine, key: str) -> int:
    async with db.session_scope(engine) as session:
        return (await session.execute(select(Task.id).where(Task.key == key))).scalar_one()


async def _science_report_with_extension(bot: Harness) -> int:
    """市科技局 reports on 1.2 asking for more time: the answer carries er:<report>."""
    (ack,) = await bot.say(SCIENCE, f"/report 1.2 因资金未到位需延期至{NEXT_YEAR}年3月31日")
    assert any(
        b["callback_data"].startswith(f"{callback_data.EXTEND_REPORT}:")
        for row in ack["markup"]["inline_keyboard"]
        for b in row
    )
    (report,) = await rows(bot.engine, select(Report))
    return int(report.id)


def _quoted(bot: Harness, chat_id: int, text: str, user_id: int) -> dict[str, Any]:
    """The bot's 'which task?' question quoting the user's text (what a pk: button reads the report from)."""
    question = {
        "message_id": 1,
        "date": 0,
        "chat": bot._chat(chat_id),
        "text": "请选择",
        "from": {"id": 42, "is_bot": True, "first_name": "taskbot"},
    }
    return {**question, "reply_to_message": bot.message(chat_id, text, user_id=user_id)}


FORGERIES = ["rp-done", "rp-progress", "rp-blocked", "rp-extend", "fx", "pk", "er", "cl", "reply-markup"]


@pytest.mark.parametrize("where", ["private", "group"])
async def test_forged_data_for_another_units_assignment_is_refused_and_audited(bound: Harness, where: str) -> None:
    """Each button kind, forged in turn (one harness: a store per forgery would take seconds)."""
    bot = bound
    chat, user = (FINANCE, FINANCE) if where == "private" else (GROUP, MEMBER)  # both 市财政局
    theirs = await assignment_id(bot.engine, "市科技局", "1.1")  # 市科技局's
    report_id = await _science_report_with_extension(bot)  # on 市科技局's 1.2
    task = await _task_id(bot.engine, "1.1")
    shown = {
        "message_id": 77,
        "date": 0,
        "chat": bot._chat(chat),
        "text": "【进展询问】",
        "from": {"id": 42, "is_bot": True, "first_name": "taskbot"},
        "reply_markup": prompts.report_buttons(theirs),
    }
    for forgery in FORGERIES:
        before, refusals = await _state(bot.engine), len(await _refusals(bot.engine))
        if forgery.startswith("rp-"):
            sent = await bot.tap(chat, callback_data.make(callback_data.REPORT, theirs, forgery[3:]), user_id=user)
        elif forgery == "fx":
            sent = await bot.tap(chat, callback_data.make(callback_data.CORRECT, theirs), user_id=user)
        elif forgery == "pk":
            sent = await bot.tap(
                chat,
                callback_data.make(callback_data.PICK, theirs),
                user_id=user,
                message=_quoted(bot, chat, "已完成全部工作", user),
            )
        elif forgery == "er":
            sent = await bot.tap(chat, callback_data.make(callback_data.EXTEND_REPORT, report_id), user_id=user)
        elif forgery == "cl":
            sent = await bot.tap(chat, callback_data.make(callback_data.CLOSE, task), user_id=user)
        else:  # a reply to a bot message whose buttons name the other unit's assignment
            sent = await bot.say(chat, "已完成", user_id=user, reply_to_message=shown)

        expected = m.CLOSE_NOT_LEAD if forgery == "cl" else m.REPORT_REFUSED["not_yours"]
        assert texts(sent) == [expected], forgery
        assert await _state(bot.engine) == before, forgery  # nothing stored, moved or queued
        new = (await _refusals(bot.engine))[refusals:]
        assert len(new) == 1, (forgery, [(a.entity, a.entity_id, a.detail) for a in new])
        row = new[0]
        assert row.actor == f"tg:{user}" and row.detail["chat_id"] == chat, forgery
        entity = (
            ("task", str(task))
            if forgery == "cl"
            else ("assignment", str(await assignment_id(bot.engine, "市科技局", "1.2")))
            if forgery == "er"
            else ("assignment", str(theirs))
        )
        assert (row.entity, row.entity_id) == entity, forgery


async def test_a_reply_to_another_chats_prompt_never_reaches_its_assignment(bound: Harness) -> None:
    """The outbox maps (chat, message id) to an assignment: the same message id in another chat is not it."""
    bot = bound
    theirs = await assignment_id(bot.engine, "市科技局", "1.1")
    prompt = await bot.sent_prompt(SCIENCE, theirs, 555, quoted_in=FINANCE)
    (question,) = await bot.say(FINANCE, "已完成", reply_to_message=prompt)
    assert question["text"] == m.REPORT_WHICH.format(unit="市财政局", n=2)  # its own tasks, asked
    assert await rows(bot.engine, select(Report)) == []
    assert (await rows(bot.engine, select(Assignment).where(Assignment.id == theirs)))[0].status == "pending"


async def test_own_assignment_is_accepted(bound: Harness) -> None:
    """The control: the same taps on the chat's own assignment work, from the contact and from the group."""
    bot = bound
    mine = await assignment_id(bot.engine, "市财政局", "1.2")
    assert (
        "状态：进行中" in texts(await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, mine, "progress")))[0]
    )
    assert (
        "状态：受阻"
        in texts(await bot.tap(GROUP, callback_data.make(callback_data.REPORT, mine, "blocked"), user_id=MEMBER))[0]
    )
    stored = await rows(bot.engine, select(Report).order_by(Report.id))
    assert [(r.chat_id, r.user_id, r.status) for r in stored] == [
        (FINANCE, FINANCE, "in_progress"),
        (GROUP, MEMBER, "blocked"),
    ]
    assert await _refusals(bot.engine) == []


async def test_an_unbound_chat_gets_nothing(bound: Harness) -> None:
    """Every route a report, an extension or a closing can take, from a private chat and a group bound to
    nothing (with real ids of 市财政局's and 市科技局's assignments, task and report)."""
    bot = bound
    aid = await assignment_id(bot.engine, "市财政局", "1.2")
    report_id = await _science_report_with_extension(bot)
    task = await _task_id(bot.engine, "1.2")
    shown = {
        "message_id": 77,
        "date": 0,
        "from": {"id": 42, "is_bot": True, "first_name": "taskbot"},
        "text": "【进展询问】",
        "reply_markup": prompts.report_buttons(aid),
    }
    routes = {
        "text": lambda: bot.say(STRANGER, "已完成"),
        "report": lambda: bot.say(STRANGER, "/report 1.2 已完成"),
        "extend": lambda: bot.say(STRANGER, f"/extend 1.2 {NEXT_YEAR}-06-30 资金未到位"),
        "rp": lambda: bot.tap(STRANGER, callback_data.make(callback_data.REPORT, aid, "done")),
        "rp-extend": lambda: bot.tap(STRANGER, callback_data.make(callback_data.REPORT, aid, "extend")),
        "fx": lambda: bot.tap(STRANGER, callback_data.make(callback_data.CORRECT, aid)),
        "pk": lambda: bot.tap(
            STRANGER, callback_data.make(callback_data.PICK, aid), message=_quoted(bot, STRANGER, "已完成", STRANGER)
        ),
        "er": lambda: bot.tap(STRANGER, callback_data.make(callback_data.EXTEND_REPORT, report_id)),
        "cl": lambda: bot.tap(STRANGER, callback_data.make(callback_data.CLOSE, task)),
        "reply": lambda: bot.say(STRANGER, "已完成", reply_to_message={**shown, "chat": bot._chat(STRANGER)}),
        "group-reply": lambda: bot.say(
            LOOSE_GROUP, "已完成", user_id=MEMBER, reply_to_message={**shown, "chat": bot._chat(LOOSE_GROUP)}
        ),
        "group-rp": lambda: bot.tap(LOOSE_GROUP, callback_data.make(callback_data.REPORT, aid, "done"), user_id=MEMBER),
        "mytasks": lambda: bot.say(STRANGER, "/mytasks"),
        "overdue": lambda: bot.say(STRANGER, "/overdue"),
        "digest": lambda: bot.say(STRANGER, "/digest"),
        "status": lambda: bot.say(STRANGER, "/status 1.2"),
    }
    before = await _state(bot.engine)
    for route, send in routes.items():
        assert texts(await send()) == [m.NOT_BOUND], route
        assert await _state(bot.engine) == before, route


async def test_group_chatter_and_edits_store_nothing(bound: Harness) -> None:
    """In a group only replies to the bot count; an edited message is not a second report."""
    bot = bound
    assert texts(await bot.say(GROUP, "已完成", user_id=MEMBER)) == []
    edited = bot.message(FINANCE, "/report 1.2 已完成")
    assert texts(await bot.push({"edited_message": {**edited, "edit_date": edited["date"] + 5}})) == []
    assert await rows(bot.engine, select(Report)) == []


@pytest.fixture
async def store(engine: AsyncEngine) -> AsyncEngine:
    await seed(engine)
    await bind(engine, 21, "市财政局")
    await bind(engine, 22, "市科技局")
    await bind(engine, -23, "市发展改革局", "group")
    await bind(engine, 24, "蓬江区人民政府")
    return engine


async def test_authorize_every_chat_against_every_assignment(store: AsyncEngine) -> None:
    """On SQLite and PostgreSQL: allowed exactly when the assignment is the chat's unit's; every other
    pair refused as not_yours and audited once; an unbound chat refused as unbound."""
    async with db.session_scope(store) as session:
        chats = {c.chat_id: c.unit_id for c in (await session.execute(select(Chat))).scalars()}
        assignments = {a.id: a.unit_id for a in (await session.execute(select(Assignment))).scalars()}
        units = {u.id: u.name for u in (await session.execute(select(Unit))).scalars()}
    assert len(assignments) >= 8
    expected_refusals = []
    for chat_id, unit in [*chats.items(), (99, None)]:
        for aid, owner in assignments.items():
            async with db.session_scope(store) as session:
                access = await reports.authorize(session, chat_id, aid, user_id=chat_id)
            if unit is None:
                assert access.refused == "unbound"
            elif owner == unit:
                assert access.refused is None and access.view is not None and access.view.unit == units[unit]
            else:
                assert access.refused == "not_yours", (chat_id, aid)
                expected_refusals.append((str(aid), chat_id, unit, owner))
    refused = await rows(store, select(AuditLog).where(AuditLog.action == "access.refused").order_by(AuditLog.id))
    assert [
        (a.entity_id, a.detail["chat_id"], a.detail["chat_unit_id"], a.detail["assignment_unit_id"]) for a in refused
    ] == expected_refusals


async def test_a_supergroup_and_a_new_user_id_can_report(store: AsyncEngine) -> None:
    """Telegram's ids: a supergroup is −100…, beyond 32 bits, and user ids passed 2^31 years ago. A bound
    supergroup (every group that ever had an admin change becomes one) must be able to report: report.chat_id
    and report.user_id are BIGINT (revision 0002) on PostgreSQL too."""
    supergroup, user = -1001234567890, 6_123_456_789
    await bind(store, supergroup, "市科技局", "supergroup")
    aid = await assignment_id(store, "市科技局", "1.1")
    async with db.session_scope(store) as session:
        result = await reports.submit_report(
            session,
            chat_id=supergroup,
            assignment_id=aid,
            text="已完成",
            parsed=reports.button_report("done"),
            source="button",
            user_id=user,
            user_name="联络员",
            at=dt.datetime.now(dt.UTC),
        )
    assert result.outcome == ReportOutcome.STORED
    (report,) = await rows(store, select(Report))
    assert (report.chat_id, report.user_id) == (supergroup, user)
