"""Issue 22 end to end against the Bot API emulator: commands take the references the bot prints (1), a
bare number takes the document of the part before it or is offered as buttons (2), and every part of a
reply gets its own line (3)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.chat import binding
from bot.core.models import Assignment, ExtensionRequest, Report, Task
from tests.e2e.conftest import COORDINATOR, Person, Running, buttons_of, text_of

pytestmark = pytest.mark.e2e

CONTACT = Person(2001, 2001, "财政联络员")
BOSS = Person(COORDINATOR, COORDINATOR, "督办员")


async def _bound(run: Running) -> None:
    async with run.session() as session:
        _, code, _ = await binding.invite_unit(session, "市财政局", for_group=False, expires=dt.timedelta(days=7))
    await run.emulator.command(CONTACT, f"/start {code}")
    await run.emulator.replies(CONTACT)


async def _reports(run: Running) -> list[tuple[str, str, str]]:
    async with run.session() as session:
        stmt = (
            select(Task.document_id, Task.key, Report.status)
            .join(Assignment, Assignment.id == Report.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .order_by(Report.id)
        )
        return [tuple(r) for r in (await session.execute(stmt)).all()]


async def test_commands_take_the_references_the_bot_prints(running_many: Running) -> None:
    run = running_many
    await _bound(run)
    for ref in ("成果转化 1.2", "成果转化1.2"):
        await run.emulator.command(BOSS, f"/status {ref}")
        (status,) = await run.emulator.replies(BOSS)
        assert "成果转化 1.2" in text_of(status) and "没有找到" not in text_of(status)
    await run.emulator.command(CONTACT, "/extend")
    (usage,) = await run.emulator.replies(CONTACT)
    example = text_of(usage).split("例如：", 1)[1]
    await run.emulator.command(CONTACT, example)  # the bot's own example, as printed
    (sent,) = await run.emulator.replies(CONTACT)
    assert text_of(sent).startswith("延期申请已提交督办员审批")
    await run.emulator.command(CONTACT, f"/extend 成果转化 1.5 {dt.date.today().year + 1}-06-30 理由")
    (sent,) = await run.emulator.replies(CONTACT)
    assert text_of(sent).startswith("延期申请已提交督办员审批：任务 成果转化 1.5")
    async with run.session() as session:
        assert len((await session.execute(select(ExtensionRequest))).scalars().all()) == 2


async def test_a_bare_number_takes_the_previous_document_or_is_offered_as_buttons(running_many: Running) -> None:
    run = running_many
    await _bound(run)
    await run.emulator.say(CONTACT, "成果转化 1.2 已完成；1.3 进行中60%")
    (answer,) = await run.emulator.replies(CONTACT)
    assert "成果转化 1.3：进行中 60%" in text_of(answer)
    assert await _reports(run) == [("cgzh-2023", "1.2", "done"), ("cgzh-2023", "1.3", "in_progress")]
    text = "1.4 进展30%；创新驱动 1.6 已完成"
    await run.emulator.say(CONTACT, text)
    (asked,) = await run.emulator.replies(CONTACT)
    pick = next(data for label, data in buttons_of(asked) if label == "「1.4」→ 创新驱动 1.4")
    quoted = {"message_id": 1, "date": 0, "chat": CONTACT.chat(), "from": CONTACT.user(), "text": text}
    await run.emulator.tap(CONTACT, asked, pick, quoted=quoted)
    (ack,) = await run.emulator.replies(CONTACT)
    assert "创新驱动 1.4" in text_of(ack)
    assert (await _reports(run))[2:] == [("cxqd-2023", "1.6", "done"), ("cxqd-2023", "1.4", "in_progress")]


async def test_every_part_of_a_reply_gets_its_own_line(running_many: Running) -> None:
    run = running_many
    await _bound(run)
    await run.emulator.say(CONTACT, "成果 1.8 已完成；转化 1.8 受阻")
    (answer,) = await run.emulator.replies(CONTACT)
    assert "成果转化 1.8：已完成" in text_of(answer) and "「转化1.8」：本单位没有这项任务" in text_of(answer)
    await run.emulator.say(CONTACT, "成果转化 1.2 已完成；成果转化 1.2 受阻")
    (asked,) = await run.emulator.replies(CONTACT)
    assert "状态不一（已完成、受阻）" in text_of(asked)
    assert await _reports(run) == [("cgzh-2023", "1.8", "done")]
    await run.emulator.say(CONTACT, "\n".join(f"成果转化 1.3 进展{n % 90 + 1}%" for n in range(200)))
    (merged,) = await run.emulator.replies(CONTACT)
    assert "（200处合并为一条）" in text_of(merged) and len(buttons_of(merged)) == 1
    assert len(await _reports(run)) == 2
