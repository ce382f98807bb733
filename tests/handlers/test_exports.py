"""/export, /chart and /bulletin in chat: the 台账, the chart and the 通报 as a file through the outbox, for a lead
unit (its tasks) and a coordinator (all; the 通报 for coordinators only); refused for anyone else; a retried update
sends nothing twice."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import docx
import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from bot.core.models import Outbox, OutboxFile
from bot.core.vocab import MessageKind
from bot.render import messages as m
from tests.support.harness import BOSS, FINANCE, SCIENCE, STRANGER, Harness, seeded_harness
from tests.support.store import bind, rows

# mini.yaml: 市科技局 leads 1.1 (with 市发展改革局 and the three district governments) and 1.2 (with 市财政局);
# 2.1 has no lead (市财政局 alone).
LED_BY_SCIENCE = [
    ("1.1 建立科技成果转化项目库", unit)
    for unit in ("市科技局", "市发展改革局", "蓬江区人民政府", "江海区人民政府", "新会区人民政府")
] + [("1.2 完善技术合同登记机制", unit) for unit in ("市科技局", "市财政局")]


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    async with seeded_harness(sqlite_url) as harness:
        await bind(harness.engine, FINANCE, "市财政局")
        await bind(harness.engine, SCIENCE, "市科技局")
        yield harness


def ledger_rows_of(content: bytes) -> list[tuple[str, str]]:
    """(任务, 承办单位) of every data row of the workbook's 台账 sheet."""
    sheet = load_workbook(io.BytesIO(content))[m.LEDGER_SHEET]
    header = [c.value for c in sheet[1]]
    task, unit = header.index("任务"), header.index("承办单位")
    return [(row[task], row[unit]) for row in sheet.iter_rows(min_row=2, values_only=True)]


async def test_a_lead_unit_gets_the_ledger_of_the_tasks_it_leads_as_a_document(bot: Harness) -> None:
    (ack,) = await bot.say(SCIENCE, "/export")
    assert ack["text"] == m.EXPORT_QUEUED.format(rows=7)
    (document,) = await bot.deliver()
    assert document["chat"] == SCIENCE and document["file"]["filename"].startswith("督办任务台账_市科技局_")
    assert document["text"].startswith("「市科技局」牵头任务台账") and "7行" in document["text"]
    assert sorted(ledger_rows_of(document["file"]["content"])) == sorted(LED_BY_SCIENCE)
    method = bot.api.script.received[-1]
    assert "document" in method and method["parse_mode"] == "HTML"


async def test_a_coordinator_gets_every_task(bot: Harness) -> None:
    (ack,) = await bot.say(BOSS, "/export")
    assert ack["text"] == m.EXPORT_QUEUED.format(rows=8)
    (document,) = await bot.deliver()
    assert document["chat"] == BOSS and document["text"].startswith("督办任务台账")
    got = ledger_rows_of(document["file"]["content"])
    assert sorted(got) == sorted([*LED_BY_SCIENCE, ("2.1 打造成果转化活动品牌", "市财政局")])


async def test_a_unit_that_leads_nothing_and_a_stranger_are_refused_and_nothing_is_queued(bot: Harness) -> None:
    (refused,) = await bot.say(FINANCE, "/export")
    assert refused["text"] == m.EXPORT_REFUSED["not_lead"]
    (unbound,) = await bot.say(STRANGER, "/export")
    assert unbound["text"] == m.NOT_BOUND
    (no_chart,) = await bot.say(FINANCE, "/chart")
    assert no_chart["text"] == m.CHART_REFUSED["not_lead"]
    assert await rows(bot.engine, select(Outbox)) == [] and await bot.deliver() == []


async def test_an_update_delivered_twice_sends_one_document(bot: Harness) -> None:
    message = bot.message(SCIENCE, "/export")
    await bot.push({"message": message})
    await bot.push({"message": message})  # Telegram delivers the same update again (a restart)
    assert len(await bot.deliver()) == 1
    # a new /export is a new request: a second document; its bytes are a file row of their own
    await bot.say(SCIENCE, "/export")
    assert len(await bot.deliver()) == 1
    assert len(await rows(bot.engine, select(Outbox).where(Outbox.kind == MessageKind.DOCUMENT))) == 2


async def test_a_lead_unit_gets_its_chart_as_a_photo(bot: Harness) -> None:
    (ack,) = await bot.say(SCIENCE, "/chart")
    assert ack["text"] == m.CHART_QUEUED
    (photo,) = await bot.deliver()
    assert photo["chat"] == SCIENCE and photo["text"].startswith("「市科技局」牵头任务进展图")
    assert "photo" in bot.api.script.received[-1]
    with Image.open(io.BytesIO(photo["file"]["content"])) as picture:
        assert picture.format == "PNG" and picture.width > 500
    (stored,) = await rows(bot.engine, select(OutboxFile))
    assert stored.content == photo["file"]["content"]


async def test_a_coordinator_gets_the_bulletin_as_a_word_document_with_the_ranking(bot: Harness) -> None:
    """/bulletin 周: the week's 督办通报 (.docx) through the outbox; python-docx opens it and finds the four
    headings and the ranking table; no argument means the month; a unit's chat and a bad period are refused."""
    (ack,) = await bot.say(BOSS, "/bulletin 周")
    assert ack["text"] == m.BULLETIN_QUEUED
    (document,) = await bot.deliver()
    assert document["chat"] == BOSS and document["file"]["filename"].endswith(".docx")
    assert document["text"].startswith("督办通报（本周")
    opened = docx.Document(io.BytesIO(document["file"]["content"]))
    text = "\n".join(p.text for p in opened.paragraphs)
    assert all(heading in text for heading in m.BULLETIN_HEADINGS)
    assert opened.tables and "排名" in [c.text for c in opened.tables[-1].rows[0].cells]
    await bot.say(BOSS, "/bulletin")
    (monthly,) = await bot.deliver()
    assert "本月" in monthly["text"]
    (refused,) = await bot.say(SCIENCE, "/bulletin")
    assert refused["text"] == m.BULLETIN_REFUSED["not_coordinator"]
    (usage,) = await bot.say(BOSS, "/bulletin 年")
    assert usage["text"] == m.BULLETIN_USAGE
    assert await bot.deliver() == []


async def test_the_chart_button_under_a_units_weekly_digest_sends_its_chart_once(bot: Harness) -> None:
    """A lead unit's weekly digest has no photo but a 📊 button: a tap sends the unit's chart as /chart does;
    a second tap on the same digest sends nothing more (the request's key is that message's)."""
    digest = {
        "message_id": 77,
        "date": 1_717_000_000,
        "chat": {"id": SCIENCE, "type": "private"},
        "from": {"id": 1, "is_bot": True, "first_name": "taskbot"},
        "text": "督办工作周报",
    }
    await bot.tap(SCIENCE, "ch", message=digest)
    (photo,) = await bot.deliver()
    assert photo["chat"] == SCIENCE and photo["file"]["filename"].endswith(".png")
    assert photo["text"].startswith("「市科技局」")
    await bot.tap(SCIENCE, "ch", message=digest)
    assert await bot.deliver() == []


async def test_a_coordinator_s_files_and_units_asked_in_a_group_go_to_their_private_chat(bot: Harness) -> None:
    """Issue 22: /export, /bulletin and /units sent by a coordinator in 市财政局's group put every unit's 台账
    into that group. They go to the coordinator's private chat; the group is told so."""
    group = -80
    await bind(bot.engine, group, "市财政局", "group")
    (ack,) = await bot.say(group, "/export", user_id=BOSS)
    assert ack["chat"] == group and ack["text"] == m.FILE_SENT_PRIVATELY.format(what=m.EXPORT_QUEUED.format(rows=8))
    (ack,) = await bot.say(group, "/bulletin", user_id=BOSS)
    assert ack["text"] == m.FILE_SENT_PRIVATELY.format(what=m.BULLETIN_QUEUED)
    files = await bot.deliver()
    assert [(f["chat"], f["file"]["filename"].split("_")[0].split("-")[0]) for f in files] == [
        (BOSS, "督办任务台账"),
        (BOSS, "督办通报"),
    ]
    units = await bot.say(group, "/units", user_id=BOSS)
    assert [(u["chat"], u["text"].splitlines()[0]) for u in units] == [
        (BOSS, m.UNITS_HEADER.format(n=6)),
        (group, m.UNITS_SENT_PRIVATELY),
    ]
    # a unit's own /export in its group stays in the group (its own tasks only)
    await bind(bot.engine, -81, "市科技局", "group")
    (ack,) = await bot.say(-81, "/export", user_id=SCIENCE)
    assert ack["text"] == m.EXPORT_QUEUED.format(rows=7)
    assert [f["chat"] for f in await bot.deliver()] == [-81]
