"""The bot end to end against the Bot API emulator: binding, prompts, taps, replies, commands, broadcast.

What the emulator cannot do is covered elsewhere and named here: it has no chat-member updates, no
group→supergroup migration and no 429s (tests/test_handlers.py drives those handlers
through PTB against the local fake Bot API; the sender's 429/403/migration handling is in
tests/scheduler/test_sender.py). setMyCommands and callback queries work through launch.js's patches.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import func, select
from telegram import BotCommandScopeAllPrivateChats, BotCommandScopeChat

from bot.chat import binding
from bot.core.models import Assignment, AuditLog, Chat, Outbox, Report, Task, Unit
from bot.core.vocab import MessageKind
from bot.render import callback_data, prompts
from bot.render import messages as m
from bot.store.outbox import Outgoing, enqueue
from tests.e2e.conftest import COORDINATOR, Person, Running, buttons_of, text_of
from tests.support.cli import snapshot

pytestmark = pytest.mark.e2e

CONTACT = Person(1001, 1001, "财政联络员")  # 市财政局's contact
OTHER = Person(1002, 1002, "科技联络员")  # 市科技局's contact
GROUP = Person(1003, -100300, "发改联络员", "group", "市发展改革局工作群")
STRANGER = Person(1004, 1004, "路人")
BOSS = Person(COORDINATOR, COORDINATOR, "督办员")


async def _invite(run: Running, unit: str, *, group: bool = False) -> str:
    async with run.session() as session:
        _, code, _ = await binding.invite_unit(session, unit, for_group=group, expires=dt.timedelta(days=7))
    return code


async def _assignment(run: Running, unit: str, key: str) -> Assignment:
    async with run.session() as session:
        return (
            await session.execute(
                select(Assignment)
                .join(Unit, Unit.id == Assignment.unit_id)
                .join(Task, Task.id == Assignment.task_id)
                .where(Unit.name == unit, Task.key == key)
            )
        ).scalar_one()


async def _bind(run: Running, person: Person, unit: str) -> None:
    code = await _invite(run, unit, group=person.chat_type != "private")
    await run.emulator.command(person, f"/start {code}")
    (reply,) = await run.emulator.replies(person)
    assert unit in text_of(reply) and "绑定成功" in text_of(reply)


async def _prompt(run: Running, person: Person, assignment: Assignment) -> dict:
    """A progress prompt for the assignment, through the outbox and the real sender, as the bot sends it."""
    async with run.session() as session:
        task = await session.get(Task, assignment.task_id)
        unit = await session.get(Unit, assignment.unit_id)
        text, markup = prompts.render_prompt(
            prompts.PromptContext(
                kind=MessageKind.PROMPT,
                document="示例行动方案",
                ref=f"示例 {task.key}",
                task_title=task.title,
                unit=unit.name,
                role=assignment.role,
                deadline=task.deadline,
                today=dt.date.today(),
                assignment_id=assignment.id,
            )
        )
        await enqueue(
            session,
            [
                Outgoing(
                    key=f"prompt:{assignment.id}:e2e",
                    kind="prompt",
                    text=text,
                    send_at=dt.datetime.now(dt.UTC),
                    unit_id=unit.id,
                    assignment_id=assignment.id,
                    reply_markup=markup,
                )
            ],
        )
    assert await run.deliver() >= 1
    (prompt,) = await run.emulator.replies(person)
    return prompt


async def test_bind_prompt_tap_reply_digest(
    running: Running, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    run, emu = running, running.emulator
    await _bind(run, CONTACT, "市财政局")

    # a used code is refused, in another chat
    code = await _invite(run, "市科技局")
    await emu.command(OTHER, f"/start {code}")
    await emu.replies(OTHER)
    await emu.command(STRANGER, f"/start {code}")
    (used,) = await emu.replies(STRANGER)
    assert text_of(used) == m.BIND_REFUSED["used"]

    # a prompt arrives with its four buttons
    assignment = await _assignment(run, "市财政局", "1.2")
    prompt = await _prompt(run, CONTACT, assignment)
    assert "【进展询问】" in text_of(prompt) and "完善技术合同登记机制" in text_of(prompt)
    assert [label for label, _ in buttons_of(prompt)] == list(m.BUTTONS.values())

    # a tap on 进行中 is stored, then acknowledged
    await emu.tap(CONTACT, prompt, callback_data.make(callback_data.REPORT, assignment.id, "progress"))
    (ack,) = await emu.replies(CONTACT)
    assert "状态：进行中" in text_of(ack) and buttons_of(ack)[0][0] == m.BUTTON_CORRECT

    # a reply to the prompt is parsed, stored and confirmed with what was understood
    await emu.say(CONTACT, "进展60%，预计12月底完成", reply_to=prompt)
    (ack,) = await emu.replies(CONTACT)
    year = dt.date.today().year
    assert "进度：60%" in text_of(ack) and f"预计完成：{year}-12-31" in text_of(ack)
    async with run.session() as session:
        reports = (
            (await session.execute(select(Report).where(Report.assignment_id == assignment.id).order_by(Report.id)))
            .scalars()
            .all()
        )
        stored = await session.get(Assignment, assignment.id)
    assert [(r.source, r.status, r.percent) for r in reports] == [
        ("button", "in_progress", None),
        ("reply", "in_progress", 60),
    ]
    assert reports[1].user_id == CONTACT.user_id and reports[1].text == "进展60%，预计12月底完成"
    assert (stored.status, stored.percent, stored.expected_date) == ("in_progress", 60, dt.date(year, 12, 31))

    # the coordinator's /digest shows it
    await emu.command(BOSS, "/digest")
    (digest,) = await emu.replies(BOSS)
    assert m.DIGEST_TITLE in text_of(digest) and "进行中1" in text_of(digest)

    # commands are published per scope (through the emulator patch)
    private = await run.app.bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())
    boss = await run.app.bot.get_my_commands(scope=BotCommandScopeChat(COORDINATOR))
    assert {c.command for c in private} == set(m.COMMANDS_UNIT)
    assert {c.command for c in boss} == set(m.COMMANDS_COORDINATOR)

    # the token is in no log line, captured record, console output or stored row
    out, err = capfd.readouterr()
    token = run.settings.telegram_bot_token.get_secret_value()
    assert caplog.records and token not in caplog.text and token not in out + err
    assert token.split(":")[1] not in repr(await snapshot(run.engine))


async def test_other_units_and_unbound_chats_are_refused(running: Running) -> None:
    run, emu = running, running.emulator
    await _bind(run, CONTACT, "市财政局")
    await emu.say(STRANGER, "已完成")
    (reply,) = await emu.replies(STRANGER)
    assert text_of(reply) == m.NOT_BOUND

    # a forged button for another unit's assignment: refused, audited, nothing stored
    theirs = await _assignment(run, "市科技局", "1.1")
    prompt = await _prompt(run, CONTACT, await _assignment(run, "市财政局", "1.2"))
    await emu.tap(CONTACT, prompt, callback_data.make(callback_data.REPORT, theirs.id, "done"))
    (reply,) = await emu.replies(CONTACT)
    assert text_of(reply) == m.REPORT_REFUSED["not_yours"]
    async with run.session() as session:
        refused = (await session.execute(select(AuditLog).where(AuditLog.action == "access.refused"))).scalars().all()
        reports = (await session.execute(select(func.count()).select_from(Report))).scalar()
    assert [(a.entity_id, a.detail["chat_id"]) for a in refused] == [(str(theirs.id), CONTACT.chat_id)]
    assert reports == 0


async def test_broadcast_is_confirmed_then_reaches_every_bound_chat_once(running: Running) -> None:
    run, emu = running, running.emulator
    await _bind(run, CONTACT, "市财政局")
    await _bind(run, GROUP, "市发展改革局")

    await emu.command(CONTACT, "/broadcast 大家好")  # not a coordinator
    (refused,) = await emu.replies(CONTACT)
    assert text_of(refused) == m.COORDINATORS_ONLY

    await emu.command(BOSS, "/broadcast 请于本周五前报送<三季度>进展")
    (question,) = await emu.replies(BOSS)
    assert "将向 2 个已绑定的聊天" in text_of(question) and "&lt;三季度&gt;" in text_of(question)
    send = dict(buttons_of(question))[m.BUTTON_SEND]
    await emu.tap(BOSS, question, send)
    (queued,) = await emu.replies(BOSS)
    assert text_of(queued) == m.BROADCAST_QUEUED.format(n=2)
    await emu.tap(BOSS, question, send)  # a second tap sends nothing more
    (again,) = await emu.replies(BOSS)
    assert text_of(again) == m.BROADCAST_ALREADY

    assert await run.deliver() == 2
    for person in (CONTACT, GROUP):
        (notice,) = await emu.replies(person)
        assert text_of(notice).startswith("【督办通知】") and "&lt;三季度&gt;" in text_of(notice)
        assert await emu.quiet(person) == []
    async with run.session() as session:
        rows = (await session.execute(select(Outbox.chat_id).where(Outbox.kind == "broadcast"))).scalars().all()
        chats = (await session.execute(select(Chat.chat_id))).scalars().all()
    assert sorted(rows) == sorted(chats) == sorted([CONTACT.chat_id, GROUP.chat_id])


async def test_plain_text_asks_which_task_and_the_choice_stores_it(running: Running) -> None:
    run, emu = running, running.emulator
    await _bind(run, CONTACT, "市财政局")  # 市财政局 has tasks 1.2 and 2.1
    await emu.say(CONTACT, "正在推进，完成三分之一")
    (question,) = await emu.replies(CONTACT)
    assert "有2项待办任务" in text_of(question)
    labels = buttons_of(question)
    assert [label.split()[1] for label, _ in labels] == ["1.2", "2.1"]
    sent = {
        "message_id": 1,
        "date": 0,
        "chat": CONTACT.chat(),
        "from": CONTACT.user(),
        "text": "正在推进，完成三分之一",
    }
    await emu.tap(CONTACT, question, labels[1][1], quoted=sent)
    (ack,) = await emu.replies(CONTACT)
    assert "2.1" in text_of(ack) and "进度：33%" in text_of(ack)
