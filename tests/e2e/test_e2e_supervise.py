"""A 督查单位 end to end against the Bot API emulator (tests/data/supervise.yaml): at the send moment on
which task 1.2 is overdue and the weekly digest is due, the supervising unit's chat gets the digest of the
tasks it supervises and nothing else, while the responsible unit gets its 督办单; /status then shows the
supervised task across its units."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import select

from bot.core.models import Outbox
from bot.core.vocab import MessageKind
from bot.render import messages as m
from scheduler.jobs import LAST_TICK, tick
from scheduler.snapshot import write_state
from tests.e2e.conftest import COORDINATOR, Person, Running, bot_polling, buttons_of, text_of

pytestmark = pytest.mark.e2e

OFFICE = Person(3001, 3001, "督查室联络员")  # 市委督查室: supervises 1.1 and 1.2
REFORM = Person(3002, 3002, "发改联络员")  # 市发展改革局: responsible for 1.2, due 2024-03-29
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2024, 4, 1, 9, 31, tzinfo=TZ)  # week 14's digest; 1.2's first overdue reminder


@pytest.fixture
async def running_supervise(emulator_url: str, tmp_path: Path) -> AsyncIterator[Running]:
    async with bot_polling(emulator_url, tmp_path, "supervise.yaml") as run:
        yield run


async def test_the_supervising_unit_gets_the_digest_and_no_reminder(running_supervise: Running) -> None:
    run = running_supervise
    await run.bind(OFFICE, "市委督查室")
    await run.bind(REFORM, "市发展改革局")
    async with run.session() as session:
        await write_state(session, LAST_TICK, (MONDAY - dt.timedelta(minutes=5)).isoformat())
    await tick(run.engine, MONDAY, TZ, (COORDINATOR,))
    assert await run.deliver() >= 2

    (digest,) = await run.emulator.replies(OFFICE)
    assert "督办工作周报" in text_of(digest) and "任务2项（3个单位分工）" in text_of(digest)
    assert buttons_of(digest) == [(m.BUTTON_CHART, "ch")]  # no report card: only its chart, on demand
    assert await run.emulator.quiet(OFFICE) == []  # the digest, and no reminder of any kind
    async with run.session() as session:
        kinds = (await session.execute(select(Outbox.kind).where(Outbox.chat_id == OFFICE.chat_id))).scalars().all()
    assert kinds == [MessageKind.DIGEST]

    (overdue,) = await run.emulator.replies(REFORM)  # the unit doing the task is chased
    assert "逾期" in text_of(overdue) and "督查示例 1.2" in text_of(overdue)
    assert any(label == "已完成" for label, _ in buttons_of(overdue))
    assert await run.emulator.quiet(REFORM) == []

    # the 📊 button under its digest: the chart of the tasks it supervises, as a photo
    await run.emulator.tap(OFFICE, digest, "ch")
    (queued,) = await run.emulator.replies(OFFICE)
    assert text_of(queued) == m.CHART_QUEUED
    assert await run.deliver() == 1
    (chart,) = await run.emulator.replies(OFFICE)
    assert chart["message"]["photo"]
    with Image.open(io.BytesIO(await run.emulator.file(chart))) as picture:
        assert picture.format == "PNG"

    await run.emulator.command(OFFICE, "/status 1.2")
    (status,) = await run.emulator.replies(OFFICE)
    assert "市发展改革局（责任）：未报告" in text_of(status) and "督查单位：市委督查室、市科技局" in text_of(status)
    assert buttons_of(status) == []  # 办结 is the lead's
