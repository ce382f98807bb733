"""Answering a 督办单: several tasks in one reply, numbers and references, the card and page buttons."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.chat.multi_report import MultiReport, PartOutcome, Resolution
from bot.chat.reports import ReportResult
from bot.core import db
from bot.core.models import Assignment, Outbox, Report, Sheet, Task, Unit
from bot.core.vocab import OutboxStatus, ReportOutcome, Status
from bot.presenters import answers
from bot.render import messages as m
from bot.render.sheet import item_mark
from bot.replies.multipart import ReplyPart
from scheduler.jobs import LAST_TICK, tick
from scheduler.snapshot import write_state
from tests.support.harness import BOSS, FINANCE, Harness, buttons, seeded_harness, texts
from tests.support.store import bind, rows

TZ = ZoneInfo("Asia/Shanghai")
REMINDER_DAY = dt.datetime(2024, 6, 21, 9, 31, tzinfo=TZ)
SHEET_MESSAGE = 7001


@pytest.fixture
async def many(sqlite_url: str) -> AsyncIterator[Harness]:
    """many.yaml (20 tasks of 市财政局 in 成果转化 and 创新驱动, numbered alike), 市财政局 bound to FINANCE."""
    async with seeded_harness(sqlite_url, tasks="many.yaml") as harness:
        await bind(harness.engine, FINANCE, "市财政局")
        yield harness


async def _sent_sheet(bot: Harness) -> tuple[Sheet, dict]:
    """The tick's 督办单 for 市财政局, marked sent as Telegram message SHEET_MESSAGE, as Telegram quotes it."""
    async with db.session_scope(bot.engine) as session:
        await write_state(session, LAST_TICK, (REMINDER_DAY - dt.timedelta(minutes=5)).isoformat())
    await tick(bot.engine, REMINDER_DAY, TZ, (BOSS,))
    async with db.session_scope(bot.engine) as session:
        row = (await session.execute(select(Outbox).where(Outbox.chat_id == FINANCE))).scalar_one()
        row.status, row.message_id = OutboxStatus.SENT, SHEET_MESSAGE
        sheet = await session.get(Sheet, row.sheet_id)
        quoted = {
            "message_id": SHEET_MESSAGE,
            "date": 0,
            "text": row.text,
            "reply_markup": row.reply_markup,
            "chat": {"id": FINANCE, "type": "private", "first_name": "f"},
            "from": {"id": 42, "is_bot": True, "first_name": "taskbot"},
        }
    return sheet, quoted


async def _reports(bot: Harness) -> list[tuple[str, str, str, str | None, int | None]]:
    async with db.session_scope(bot.engine) as session:
        return [
            tuple(r)
            for r in (
                await session.execute(
                    select(Task.document_id, Task.key, Report.text, Report.status, Report.percent)
                    .join(Assignment, Assignment.id == Report.assignment_id)
                    .join(Task, Task.id == Assignment.task_id)
                    .order_by(Report.id)
                )
            ).all()
        ]


async def test_a_three_line_reply_stores_three_reports_and_answers_once(many: Harness) -> None:
    sheet, quoted = await _sent_sheet(many)
    first, second = sheet.items[0], sheet.items[1]
    sent = await many.say(
        FINANCE, "1. 已完成\n成果转化1.4 进展60%，12月底前完成\n③受阻，资金未到位", reply_to_message=quoted
    )
    assert len(sent) == 1
    stored = await _reports(many)
    assert [(doc, key, status) for doc, key, _text, status, _pct in stored] == [
        ("cxqd-2023", "1.1", "done"),
        ("cgzh-2023", "1.4", "in_progress"),
        ("cxqd-2023", "1.3", "blocked"),
    ]
    assert stored[1][2:] == ("进展60%，12月底前完成", "in_progress", 60)
    assert first["ref"] == "创新驱动 1.1" and second["ref"] == "创新驱动 1.2"
    text = sent[0]["text"]
    assert text.startswith("已记录「市财政局」3项进展：") and "创新驱动 1.1：已完成" in text
    assert [label for label, _ in buttons(sent[0])] == ["更正 创新驱动 1.1", "更正 成果转化 1.4", "更正 创新驱动 1.3"]


async def test_a_part_naming_no_task_is_named_and_the_others_stored(many: Harness) -> None:
    _sheet, quoted = await _sent_sheet(many)
    sent = await many.say(FINANCE, "2、推进中\n9.9 已完成\n1.5 已完成\n第30项 已完成", reply_to_message=quoted)
    (answer,) = texts(sent)
    # 1.5 fits 成果转化 and 创新驱动: it takes the document of the part before it (item 2: 创新驱动 1.2)
    assert [(doc, key) for doc, key, *_ in await _reports(many)] == [("cxqd-2023", "1.2"), ("cxqd-2023", "1.5")]
    assert "「9.9」：" + m.PART_PROBLEMS["unknown"] in answer
    assert "「30」" in answer


async def test_a_numbered_part_with_nothing_after_it_gets_its_own_reason(many: Harness) -> None:
    """「1.」 alone on a line names item 1 and says nothing: that line says so, not that a button went stale."""
    _sheet, quoted = await _sent_sheet(many)
    (answer,) = texts(await many.say(FINANCE, "1.\n2. 已完成", reply_to_message=quoted))
    assert [(doc, key) for doc, key, *_ in await _reports(many)] == [("cxqd-2023", "1.2")]
    assert "「1」：" + m.PART_REPORT_PROBLEMS[ReportOutcome.EMPTY] in answer
    assert m.BUTTON_STALE not in answer


def test_a_part_too_long_to_store_gets_its_own_reason() -> None:
    """A part the store refuses as too long (parts merged on one task) is named with its length."""
    part = ReplyPart("进展" * 2100, item=3)
    resolution = Resolution(part, "3", assignment_id=1)
    refused = PartOutcome(resolution, ReportResult(ReportOutcome.TOO_LONG))
    text, _ = answers.multi_ack("市财政局", MultiReport([refused]))
    assert "「3」：" + m.PART_REPORT_PROBLEMS[ReportOutcome.TOO_LONG].format(n=4200) in text
    assert m.BUTTON_STALE not in text


async def test_a_bare_number_shared_by_two_documents_asks_with_exactly_those(many: Harness) -> None:
    sent = await many.say(FINANCE, "/report 1.2 已完成，报告已报市政府")
    (answer,) = sent
    assert answer["text"] == m.REPORT_AMBIGUOUS_TASK.format(ref="1.2")
    labels = sorted(label for label, _ in buttons(answer))
    assert len(labels) == 2 and labels[0].startswith("创新驱动 1.2") and labels[1].startswith("成果转化 1.2")
    assert await _reports(many) == []
    sent = await many.say(FINANCE, "/report 成果1.2 已完成，报告已报市政府")
    assert texts(sent)[0].startswith("已记录「市财政局」任务 成果转化 1.2")


async def test_plain_text_with_references_in_a_private_chat(many: Harness) -> None:
    sent = await many.say(FINANCE, "成果转化1.1 已完成；创新驱动1.1 进展30%")
    assert len(sent) == 1 and len(await _reports(many)) == 2


async def test_the_card_button_and_the_pages(many: Harness) -> None:
    sheet, quoted = await _sent_sheet(many)
    first = sheet.items[0]
    (card,) = await many.tap(FINANCE, f"sc:{first['assignment_id']}")
    assert "创新驱动 1.1" in card["text"]
    assert buttons(card)[0][1] == f"rp:{first['assignment_id']}:done"
    await many.tap(FINANCE, f"sp:{sheet.id}:1", message=quoted)
    method, params = many.api.script.other_calls[-1]
    assert method == "editMessageReplyMarkup" and int(params["message_id"]) == SHEET_MESSAGE
    edited = json.loads(params["reply_markup"])
    labels = [b["text"] for row in edited["inline_keyboard"] for b in row]
    assert labels == [f"{item_mark(n)} {i['ref']}" for n, i in enumerate(sheet.items[12:], 13)] + ["◀ 上一页", "2/2"]
    # another chat cannot page (or open cards of) this 督办单
    assert texts(await many.tap(12345, f"sc:{first['assignment_id']}")) == [m.NOT_BOUND]


async def test_a_reply_naming_nothing_asks_which_of_the_sheets_tasks(many: Harness) -> None:
    _sheet, quoted = await _sent_sheet(many)
    async with db.session_scope(many.engine) as session:
        finance = (await session.execute(select(Unit.id).where(Unit.name == "市财政局"))).scalar_one()
        done = select(Task.id).where(Task.key.in_(["1.1", "1.2", "1.3", "1.4", "1.5"]))
        await session.execute(
            update(Assignment)
            .where(Assignment.unit_id == finance, Assignment.task_id.in_(done))
            .values(status=Status.DONE)
        )
    (asked,) = await many.say(FINANCE, "都在推进", reply_to_message=quoted)
    assert asked["text"].startswith("「市财政局」有10项待办任务")
    assert len(await rows(many.engine, select(Report))) == 0
