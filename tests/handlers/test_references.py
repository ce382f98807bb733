"""Issue 22 in chat: every command takes the references the bot prints, every part of a reply is answered,
questions and negations are no 已完成, signs and absurd values are kept out of the figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.core import db
from bot.core.models import Assignment, ExtensionRequest, Report, Target, TargetValue, Task
from bot.render import messages as m
from tests.support.harness import BOSS, FINANCE, SCIENCE, Harness, buttons, seeded_harness, texts
from tests.support.store import bind, rows


@pytest.fixture
async def many(sqlite_url: str) -> AsyncIterator[Harness]:
    """many.yaml (20 tasks of 市财政局 in 成果转化 and 创新驱动, numbered alike), 市财政局 bound to FINANCE."""
    async with seeded_harness(sqlite_url, tasks="many.yaml") as harness:
        await bind(harness.engine, FINANCE, "市财政局")
        yield harness


async def _reports(bot: Harness) -> list[tuple[str, str, str, str | None]]:
    async with db.session_scope(bot.engine) as session:
        stmt = (
            select(Task.document_id, Task.key, Report.text, Report.status)
            .join(Assignment, Assignment.id == Report.assignment_id)
            .join(Task, Task.id == Assignment.task_id)
            .order_by(Report.id)
        )
        return [tuple(r) for r in (await session.execute(stmt)).all()]


# --- 1. every command reads the reference as the bot prints it -----------------------------------------------


@pytest.mark.parametrize("ref", ["成果转化 1.2", "成果转化1.2", "成果1.2", "cgzh-2023/1.2"])
async def test_status_takes_the_reference_as_printed(many: Harness, ref: str) -> None:
    (answer,) = texts(await many.say(BOSS, f"/status {ref}"))
    assert "成果转化 1.2" in answer and "没有找到" not in answer


async def test_extend_takes_the_reference_and_its_own_example_works_as_printed(many: Harness) -> None:
    next_year = dt.date.today().year + 1
    (sent,) = texts(await many.say(FINANCE, f"/extend 成果转化 1.5 {next_year}-06-30 资金未到位"))
    assert sent == m.EXTEND_SENT.format(task="成果转化 1.5", date=f"{next_year}-06-30")
    (usage,) = texts(await many.say(FINANCE, "/extend"))
    example = usage.split("例如：", 1)[1]  # the line the bot prints, sent back as it is
    ref = " ".join(example.split()[1:3])
    assert ref in ("成果转化 1.1", "创新驱动 1.1")
    (sent,) = texts(await many.say(FINANCE, example))
    assert sent.startswith(f"延期申请已提交督办员审批：任务 {ref}")
    assert len(await rows(many.engine, select(ExtensionRequest))) == 2
    (asked,) = texts(await many.say(FINANCE, f"/extend 1.3 {next_year}-06-30 理由"))
    assert "成果转化 1.3" in asked and "创新驱动 1.3" in asked  # 1.3 is in both: named, nothing sent


async def test_reopen_and_report_take_the_reference_as_printed(many: Harness) -> None:
    assert texts(await many.say(BOSS, "/reopen 成果转化 1.2")) == [m.REOPEN_NOT_CLOSED.format(task="成果转化 1.2")]
    (ack,) = texts(await many.say(FINANCE, "/report 成果转化 1.2 正在推进"))
    assert ack.startswith("已记录「市财政局」任务 成果转化 1.2")
    (ack,) = texts(await many.say(FINANCE, "/report cgzh-2023/1.3 正在推进"))
    assert ack.startswith("已记录「市财政局」任务 成果转化 1.3")


# --- 2. a bare number: the document of the part before, else buttons -----------------------------------------


async def test_a_bare_number_takes_the_document_of_the_part_before(many: Harness) -> None:
    (answer,) = texts(await many.say(FINANCE, "成果转化 1.2 已完成；1.3 进行中60%"))
    assert [(doc, key, status) for doc, key, _, status in await _reports(many)] == [
        ("cgzh-2023", "1.2", "done"),
        ("cgzh-2023", "1.3", "in_progress"),
    ]
    assert "成果转化 1.3：进行中 60%" in answer


async def test_a_bare_number_that_fits_several_is_offered_as_buttons_and_a_tap_stores_that_part(
    many: Harness,
) -> None:
    (answer,) = await many.say(FINANCE, "1.4 进展30%；创新驱动 1.6 已完成")
    assert "「1.4」：对应多项任务" in answer["text"] and "请点击下方按钮" in answer["text"]
    picks = [(label, data) for label, data in buttons(answer) if data.startswith("pp:")]
    assert [label for label, _ in picks] == ["「1.4」→ 成果转化 1.4", "「1.4」→ 创新驱动 1.4"]
    original = {
        "message_id": 55,
        "date": 0,
        "text": "1.4 进展30%；创新驱动 1.6 已完成",
        "chat": {"id": FINANCE, "type": "private", "first_name": "f"},
        "from": {"id": FINANCE, "is_bot": False, "first_name": "f"},
    }
    quoted = {
        "message_id": 56,
        "date": 0,
        "text": answer["text"],
        "reply_markup": answer["markup"],
        "reply_to_message": original,
        "chat": original["chat"],
        "from": {"id": 42, "is_bot": True, "first_name": "taskbot"},
    }
    (ack,) = texts(await many.tap(FINANCE, picks[0][1], message=quoted))
    assert ack.startswith("已记录「市财政局」任务 成果转化 1.4")
    assert [(doc, key, text) for doc, key, text, _ in await _reports(many)] == [
        ("cxqd-2023", "1.6", "已完成"),
        ("cgzh-2023", "1.4", "进展30%"),
    ]


# --- 3. every part gets a line; one task twice; 200 lines -----------------------------------------------------


async def test_every_part_gets_its_own_line(many: Harness) -> None:
    (answer,) = texts(await many.say(FINANCE, "成果 1.8 已完成；转化 1.8 受阻"))
    assert [(key, status) for _, key, _, status in await _reports(many)] == [("1.8", "done")]
    assert "成果转化 1.8：已完成" in answer and "「转化1.8」：" + m.PART_PROBLEMS["unknown"] in answer
    (answer,) = texts(await many.say(FINANCE, "其他 1.2 已完成；成果转化 1.9 进展30%"))
    assert "「其他 1.2 已完成」：" in answer and "成果转化 1.9：进行中 30%" in answer


async def test_one_task_twice_is_asked_with_two_statuses_and_one_report_with_one(many: Harness) -> None:
    (answer,) = texts(await many.say(FINANCE, "成果转化 1.2 已完成；成果转化 1.2 受阻"))
    assert await _reports(many) == []
    assert "「成果转化1.2」：同一任务写了2处、状态不一（已完成、受阻）" in answer
    await many.say(FINANCE, "成果转化 1.3 已完成；成果1.3 已完成，材料已报送")
    assert [(key, text) for _, key, text, _ in await _reports(many)] == [("1.3", "已完成；已完成，材料已报送")]


async def test_two_hundred_lines_on_one_task_are_one_report_with_one_button(many: Harness) -> None:
    text = "\n".join(f"成果转化 1.2 进展{n % 90 + 1}%" for n in range(200))
    (answer,) = await many.say(FINANCE, text)
    assert len(await _reports(many)) == 1
    assert "（200处合并为一条）" in answer["text"]
    assert len(buttons(answer)) == 1


# --- 4. after a report, a bare number that is not unique is asked about ------------------------------------


async def test_a_bare_number_after_a_report_does_not_jump_to_another_document(many: Harness) -> None:
    await many.say(FINANCE, "/report 成果转化 1.2 已完成")
    (asked,) = await many.say(FINANCE, "1.2 受阻")
    assert asked["text"] == m.REPORT_AMBIGUOUS_TASK.format(ref="1.2")
    assert sorted(label.split()[0] for label, _ in buttons(asked)) == ["创新驱动", "成果转化"]
    assert len(await _reports(many)) == 1


# --- 5. questions and negations are no 已完成 --------------------------------------------------------------


@pytest.mark.parametrize("text", ["完成了吗？", "已完成？不，还没有"])
async def test_a_question_is_asked_back_and_nothing_is_stored(many: Harness, text: str) -> None:
    (answer,) = texts(await many.say(FINANCE, text))
    assert answer.startswith(f"「{text.replace('？', '?').replace('，', ',')}」读来是一个问题，未记录。")
    assert await _reports(many) == []
    (answer,) = texts(await many.say(FINANCE, f"/report 成果转化 1.2 {text}"))
    assert "读来是一个问题" in answer and await _reports(many) == []


async def test_a_negated_done_is_no_done(many: Harness) -> None:
    await many.say(FINANCE, "/report 成果转化 1.2 不能说已完成")
    assert [status for *_, status in await _reports(many)] == ["in_progress"]


@pytest.fixture
async def mini(store_url: str) -> AsyncIterator[Harness]:
    """mini.yaml on SQLite and PostgreSQL: 市科技局 leads 示例 1.1, whose target is 揭榜挂帅项目20项."""
    async with seeded_harness(store_url) as harness:
        await bind(harness.engine, SCIENCE, "市科技局")
        await bind(harness.engine, 31, "市发展改革局")
        yield harness


@pytest.mark.parametrize("value", ["-5项", "负5项", "减少5项"])
async def test_target_keeps_the_sign_and_refuses_a_negative_value(mini: Harness, value: str) -> None:
    (answer,) = texts(await mini.say(BOSS, f"/target 示例 1 {value}"))
    assert answer.startswith(f"「{value}」是负数，未记录")
    (again,) = texts(await mini.say(BOSS, f"/target 示例1 {value}"))  # the short name and number together
    assert again == answer
    assert await rows(mini.engine, select(TargetValue)) == []


async def test_an_absurd_value_is_refused_and_a_report_stating_one_is_stored(mini: Harness) -> None:
    nines = "9" * 320
    (answer,) = texts(await mini.say(BOSS, f"/target 示例 1 {nines}项"))
    assert "数值过大" in answer and await rows(mini.engine, select(TargetValue)) == []
    (ack,) = texts(await mini.say(31, f"/report 1.1 已实施揭榜挂帅项目{nines}项，正在推进"))
    assert ack.startswith("已记录「市发展改革局」任务 示例 1.1") and "inf" not in ack
    assert m.REPORT_VALUE_TOO_LARGE in ack
    assert len(await rows(mini.engine, select(Report))) == 1
    assert await rows(mini.engine, select(TargetValue)) == []
    assert len(await rows(mini.engine, select(Target))) == 1
