"""A 督查单位 in chat (tests/data/supervise.yaml): it sees the tasks it supervises — /status, /overdue,
/digest — and cannot report on them, close them, or find them among its own tasks."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.core.models import Outbox, Report, Task
from bot.render import callback_data
from bot.render import messages as m
from tests.support.harness import BOSS, FINANCE, SCIENCE, Harness, buttons, seeded_harness, texts
from tests.support.store import assignment_id, bind, rows

OFFICE = 21  # 市委督查室: supervises 1.1 and 1.2
REFORM = 22  # 市发展改革局: responsible for 1.2


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    async with seeded_harness(sqlite_url, tasks="supervise.yaml") as harness:
        for chat, unit in (
            (OFFICE, "市委督查室"),
            (REFORM, "市发展改革局"),
            (SCIENCE, "市科技局"),
            (FINANCE, "市财政局"),
        ):
            await bind(harness.engine, chat, unit)
        yield harness


async def test_status_shows_a_supervised_task_across_its_units_without_the_close_button(bot: Harness) -> None:
    (usage,) = await bot.say(OFFICE, "/status")
    assert usage["text"] == m.STATUS_USAGE.format(keys="1.2、1.1")  # soonest deadline first
    (status,) = await bot.say(OFFICE, "/status 1.2")
    lines = status["text"].splitlines()
    assert lines[0] == "<b>督查示例 1.2 开展技术合同登记</b>"
    assert m.STATUS_SUPERVISORS.format(units="市委督查室、市科技局") in lines
    assert [line.split("：")[0] for line in lines if line.startswith("· ")] == ["· 市发展改革局（责任）"]
    assert buttons(status) == []  # only a lead closes
    assert texts(await bot.say(OFFICE, "/status 2.1")) == [m.STATUS_NOT_LEAD.format(ref="2.1")]
    (lead,) = await bot.say(SCIENCE, "/status 1.1")  # the lead still may close
    assert [label for label, _ in buttons(lead)] == [m.BUTTON_CLOSE]


async def test_a_supervising_unit_cannot_close_or_reopen(bot: Harness) -> None:
    task = (await rows(bot.engine, select(Task.id).where(Task.key == "1.2")))[0]
    assert texts(await bot.tap(OFFICE, f"cl:{task}")) == [m.CLOSE_NOT_LEAD]


async def test_a_supervising_unit_has_no_tasks_of_its_own_and_cannot_report(bot: Harness) -> None:
    assert texts(await bot.say(OFFICE, "/mytasks")) == [m.MYTASKS_NONE.format(unit="市委督查室")]
    watched = await assignment_id(bot.engine, "市委督查室", "1.2")
    (refused,) = await bot.tap(OFFICE, callback_data.make(callback_data.REPORT, watched, "done"))
    assert refused["text"] == m.REPORT_REFUSED["supervising"].format(task="督查示例 1.2")
    await bot.say(OFFICE, "/report 1.2 已完成")
    await bot.say(OFFICE, "1.2 已完成")
    assert await rows(bot.engine, select(func.count()).select_from(Report)) == [0]


async def test_overdue_and_digest_cover_the_supervised_tasks(bot: Harness) -> None:
    (overdue,) = await bot.say(OFFICE, "/overdue")  # every deadline of the file is past by now
    assert {label for label, _ in buttons(overdue)} == {"市发展改革局", "市科技局", "市财政局"}  # not 2.1's
    (digest,) = await bot.say(OFFICE, "/digest")
    assert digest["text"].startswith("<b>" + m.DIGEST_FOR_SUPERVISOR.format(unit="市委督查室"))
    assert "任务2项（3个单位分工）" in digest["text"]
    (both,) = await bot.say(SCIENCE, "/digest")  # leads 1.1, supervises 1.2
    assert both["text"].startswith("<b>" + m.DIGEST_FOR_OVERSEER.format(unit="市科技局"))
    assert "任务2项（3个单位分工）" in both["text"]
    (lead,) = await bot.say(FINANCE, "/digest")  # leads 2.1 only
    assert lead["text"].startswith("<b>" + m.DIGEST_FOR_LEAD.format(unit="市财政局"))
    (own,) = await bot.say(REFORM, "/digest")
    assert own["text"].startswith("<b>" + m.DIGEST_FOR_UNIT.format(unit="市发展改革局"))
    (everything,) = await bot.say(BOSS, "/digest")
    assert "任务3项（6个单位分工）" in everything["text"]  # the supervising rows are in no count


async def test_closing_a_supervised_task_tells_its_supervising_unit(bot: Harness) -> None:
    task = (await rows(bot.engine, select(Task.id).where(Task.key == "1.1")))[0]
    await bot.tap(SCIENCE, f"cl:{task}")
    await bot.tap(SCIENCE, f"cl:{task}:ok")
    told = await rows(bot.engine, select(Outbox.chat_id).where(Outbox.kind == "notice"))
    assert set(told) == {OFFICE, FINANCE, BOSS}
