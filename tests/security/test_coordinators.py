"""Coordinators' powers — /broadcast, /promote, /units, the broadcast confirmation and the extension
decision buttons, and the all-units views — belong to coordinators (COORDINATOR_IDS and the promoted),
wherever they write from; everyone else is refused, in private chats and in groups, bound or not, and the
attempt is audited. A coordinator's button shown in a group is pressable by every member: it still only
works for a coordinator (and a draft only for the coordinator who wrote it)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Assignment, AuditLog, Coordinator, ExtensionRequest, Outbox
from bot.render import callback_data
from bot.render import messages as m
from tests.security.conftest import BOSS, FINANCE, GROUP, LOOSE_GROUP, MEMBER, SCIENCE, STRANGER, every_row
from tests.support.harness import Harness, buttons, texts
from tests.support.store import assignment_id, rows

# (chat, user): a unit's contact, a lead unit's contact, nobody, a member of a unit's group, of a loose group
OTHERS = [(FINANCE, FINANCE), (SCIENCE, SCIENCE), (STRANGER, STRANGER), (GROUP, MEMBER), (LOOSE_GROUP, MEMBER)]
COMMANDS = ["/broadcast 各单位请于今日下班前报送材料", "/promote 13", "/promote 301", "/units"]


async def _count(engine: AsyncEngine, model: type) -> int:
    async with db.session_scope(engine) as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def _refusals(engine: AsyncEngine) -> list[AuditLog]:
    return await rows(engine, select(AuditLog).where(AuditLog.action == "access.refused").order_by(AuditLog.id))


async def test_coordinator_commands_refuse_everyone_else(bound: Harness) -> None:
    bot = bound
    before = await every_row(bot.engine, skip=("audit_log",))
    expected = []
    for chat, user in OTHERS:
        for command in COMMANDS:
            assert texts(await bot.say(chat, command, user_id=user)) == [m.COORDINATORS_ONLY], (chat, user, command)
            expected.append((f"tg:{user}", command.split()[0][1:], chat))
    assert await every_row(bot.engine, skip=("audit_log",)) == before  # no draft, no coordinator, no outbox
    assert [(a.actor, a.entity_id, a.detail["chat_id"]) for a in await _refusals(bot.engine)] == expected
    # the control: the coordinator may, in private and in a unit's group
    assert texts(await bot.say(BOSS, "/promote 77")) == [m.PROMOTE_OK.format(user_id=77)]
    assert "市财政局：2个聊天" in texts(await bot.say(GROUP, "/units", user_id=BOSS))[0]
    assert await rows(bot.engine, select(Coordinator.user_id)) == [77]


async def test_a_group_member_cannot_send_a_coordinators_broadcast(bound: Harness) -> None:
    """The coordinator drafts in the unit's group; the confirmation's buttons are there for all to press."""
    bot = bound
    assert texts(await bot.say(BOSS, "/promote 77")) == [m.PROMOTE_OK.format(user_id=77)]
    (question,) = await bot.say(GROUP, "/broadcast 请于周五前报送三季度进展", user_id=BOSS)
    send, cancel = (data for _, data in buttons(question))
    assert send == callback_data.make(callback_data.BROADCAST, callback_data.parse(send)[1], callback_data.YES)
    presses = [(GROUP, MEMBER, send), (GROUP, MEMBER, cancel), (FINANCE, FINANCE, send), (SCIENCE, SCIENCE, cancel)]
    for chat, user, data in presses:
        assert texts(await bot.tap(chat, data, user_id=user, message=bot.bot_message(question))) == [
            m.COORDINATORS_ONLY
        ], (chat, user, data)
    # another coordinator did not write it: stale for them, and cancelling does nothing either
    assert texts(await bot.tap(77, send, user_id=77)) == [m.BUTTON_STALE]
    assert texts(await bot.tap(77, cancel, user_id=77)) == [m.BUTTON_STALE]
    assert await _count(bot.engine, Outbox) == 0
    refusals = [(a.actor, a.entity_id) for a in await _refusals(bot.engine)]
    assert refusals == [(f"tg:{user}", "broadcast") for _, user, _ in presses]
    # still the drafter's to send: once, to every bound chat
    assert texts(await bot.tap(GROUP, send, user_id=BOSS)) == [m.BROADCAST_QUEUED.format(n=3)]
    assert sorted(await rows(bot.engine, select(Outbox.chat_id))) == sorted([FINANCE, SCIENCE, GROUP])


async def test_only_a_coordinator_decides_an_extension(bound: Harness) -> None:
    bot = bound
    new = (dt.date.today() + dt.timedelta(days=120)).isoformat()
    (sent,) = texts(await bot.say(GROUP, f"/extend 1.2 {new} 资金尚未到位", user_id=MEMBER))
    assert sent.startswith("延期申请已提交")
    (notice,) = await rows(bot.engine, select(Outbox).where(Outbox.chat_id == BOSS))
    approve, refuse = (b["callback_data"] for b in notice.reply_markup["inline_keyboard"][0])
    for chat, user in OTHERS:
        for data in (approve, refuse):
            assert texts(await bot.tap(chat, data, user_id=user)) == [m.COORDINATORS_ONLY], (chat, user, data)
    (request,) = await rows(bot.engine, select(ExtensionRequest))
    assert request.status == "pending" and request.decided_by is None
    aid = await assignment_id(bot.engine, "市财政局", "1.2")
    assert (await rows(bot.engine, select(Assignment).where(Assignment.id == aid)))[0].deadline_override is None
    refused = [(a.actor, a.entity, a.detail["action"]) for a in await _refusals(bot.engine)]
    assert refused == [(f"tg:{user}", "extension", "decide") for _, user in OTHERS for _ in range(2)]
    # a forged decision for a request that does not exist is refused to a non-coordinator the same way
    assert texts(await bot.tap(FINANCE, callback_data.make(callback_data.EXTEND_DECIDE, 999, callback_data.YES))) == [
        m.COORDINATORS_ONLY
    ]
    assert texts(await bot.tap(BOSS, approve)) == [
        m.EXTEND_DECIDED.format(verdict="同意", unit="市财政局", task="示例 1.2", date=new)
    ]


@pytest.mark.parametrize(("chat", "user"), [(FINANCE, FINANCE), (GROUP, MEMBER)])
async def test_units_see_their_own_not_everyones(bound: Harness, chat: int, user: int) -> None:
    """/digest, /overdue and /status: the all-units view is a coordinator's; a unit sees its own tasks."""
    bot = bound
    (everyone,) = texts(await bot.say(BOSS, "/digest"))
    assert everyone.startswith(f"<b>{m.DIGEST_TITLE}")
    (own,) = texts(await bot.say(chat, "/digest", user_id=user))
    assert m.DIGEST_TITLE not in own and "市财政局" in own
    assert "市发展改革局" in everyone and "市发展改革局" not in own
    (late,) = texts(await bot.say(chat, "/overdue", user_id=user))
    assert "市财政局" in late and "市科技局：" not in late and "市发展改革局" not in late
    assert texts(await bot.say(chat, "/status 1.1", user_id=user)) == [m.STATUS_NOT_LEAD.format(ref="1.1")]
