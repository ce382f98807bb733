"""Files end to end against the Bot API emulator (launch.js's sendPhoto / sendDocument): the coordinators'
weekly digest arrives with its chart as a photo, and /export from a lead unit's chat returns a workbook with
exactly the rows of the tasks it leads."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PIL import Image

from bot.render import messages as m
from scheduler.jobs import LAST_TICK, tick
from scheduler.snapshot import write_state
from tests.e2e.conftest import COORDINATOR, Person, Running, text_of

pytestmark = pytest.mark.e2e

TZ = ZoneInfo("Asia/Shanghai")
BOSS = Person(COORDINATOR, COORDINATOR, "督办员")
LEAD = Person(3001, 3001, "科技联络员")  # 市科技局 leads 1.1 and 1.2 of mini.yaml
FINANCE = Person(3002, 3002, "财政联络员")  # 市财政局 leads nothing
MONDAY = dt.datetime(2024, 6, 3, 9, 31, tzinfo=TZ)


async def test_the_weekly_digest_arrives_with_its_chart(running: Running) -> None:
    run = running
    async with run.session() as session:
        await write_state(session, LAST_TICK, (MONDAY - dt.timedelta(minutes=5)).isoformat())
    result = await tick(run.engine, MONDAY, TZ, (COORDINATOR,))
    assert result.digests >= 1
    await run.deliver()
    digest, chart = await run.emulator.replies(BOSS, 2)
    assert text_of(digest).startswith(f"<b>{m.DIGEST_TITLE}</b>") and "photo" not in digest["message"]
    assert chart["message"]["photo"] and chart["message"]["caption"] == m.CHART_CAPTION.format(date="2024-06-03")
    png = await run.emulator.file(chart)
    with Image.open(io.BytesIO(png)) as picture:
        assert picture.format == "PNG" and picture.size[0] > 500
    # a second tick at the same moment (a restart) sends neither again
    async with run.session() as session:
        await write_state(session, LAST_TICK, (MONDAY - dt.timedelta(minutes=5)).isoformat())
    await tick(run.engine, MONDAY, TZ, (COORDINATOR,))
    assert await run.deliver() == 0 and await run.emulator.quiet(BOSS) == []


async def test_export_from_a_lead_units_chat_returns_its_tasks_workbook(running: Running) -> None:
    run = running
    await run.bind(LEAD, "市科技局")
    await run.bind(FINANCE, "市财政局")
    await run.emulator.command(LEAD, "/export")
    (ack,) = await run.emulator.replies(LEAD)
    assert text_of(ack) == m.EXPORT_QUEUED.format(rows=7)
    assert await run.deliver() == 1
    (sent,) = await run.emulator.replies(LEAD)
    document = sent["message"]["document"]
    assert document["file_name"].startswith("督办任务台账_市科技局_") and document["file_name"].endswith(".xlsx")
    assert sent["message"]["caption"].startswith("「市科技局」牵头任务台账")
    sheet = load_workbook(io.BytesIO(await run.emulator.file(sent)))[m.LEDGER_SHEET]
    header = [c.value for c in sheet[1]]
    rows = sorted(
        (r[header.index("任务")], r[header.index("承办单位")]) for r in sheet.iter_rows(min_row=2, values_only=True)
    )
    assert rows == sorted(
        [
            ("1.1 建立科技成果转化项目库", unit)
            for unit in ("市科技局", "市发展改革局", "蓬江区人民政府", "江海区人民政府", "新会区人民政府")
        ]
        + [("1.2 完善技术合同登记机制", unit) for unit in ("市科技局", "市财政局")]
    )
    # a unit that leads nothing is refused, and nothing is queued for it
    await run.emulator.command(FINANCE, "/export")
    (refused,) = await run.emulator.replies(FINANCE)
    assert text_of(refused) == m.EXPORT_REFUSED["not_lead"]
    assert await run.deliver() == 0 and await run.emulator.quiet(FINANCE) == []
