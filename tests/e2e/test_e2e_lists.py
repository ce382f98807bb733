"""Lists and 催办 end to end against the Bot API emulator (issue 22, items 7 and 11): the 哪项任务 picker and
/overdue page with ◀ ▶ and every item is reachable (the emulator refuses a keyboard of more than 100
buttons, as Telegram does); 取消 at 「今天已被催办过」 skips only that unit; a targeted /broadcast is checked
again at confirm."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from bot.core.models import Assignment, Outbox, Report, Task, Unit
from bot.presenters import answers
from bot.render import messages as m
from tests.e2e.conftest import COORDINATOR, Person, Running, bot_polling, buttons_of, text_of

pytestmark = pytest.mark.e2e

BOSS = Person(COORDINATOR, COORDINATOR, "督办员")
FINANCE = Person(3101, 3101, "财政联络员")
SCIENCE = Person(3102, 3102, "科技联络员")
PLANNING = Person(3103, 3103, "发改联络员")
TZ = ZoneInfo("Asia/Shanghai")


async def _edited(run: Running, stored: dict[str, Any]) -> list[tuple[str, str]]:
    """The buttons now under one of the bot's messages (after an edit), from the emulator's history."""
    history = await run.emulator._post("/getUpdatesHistory", {"token": run.emulator.token})
    (now,) = [h for h in history["result"] if h.get("messageId") == stored["messageId"] and "botToken" in h]
    return buttons_of(now)


async def test_the_which_task_picker_pages_and_a_task_on_page_two_is_stored(running_many: Running) -> None:
    run = running_many
    await run.bind(FINANCE, "市财政局")
    await run.emulator.say(FINANCE, "今天开了推进会")
    (picker,) = await run.emulator.replies(FINANCE)
    first = buttons_of(picker)
    assert len([d for _, d in first if d.startswith("pk:")]) == answers.PICK_PAGE_SIZE
    assert first[-1] == (m.SHEET_NEXT, "pg:2")
    await run.emulator.tap(FINANCE, picker, "pg:2")
    assert await run.emulator.quiet(FINANCE) == []  # edited in place, no new message
    second = await _edited(run, picker)
    assert second[-1] == (m.SHEET_PREVIOUS, "pg:1")
    tasks = {d for _, d in first + second if d.startswith("pk:")}
    assert len(tasks) == 20
    label, pick = next((label, d) for label, d in second if d.startswith("pk:"))
    picker["message"]["reply_markup"] = {"inline_keyboard": [[{"text": label, "callback_data": pick}]]}
    written = {"message_id": 1, "date": 0, "chat": FINANCE.chat(), "from": FINANCE.user(), "text": "今天开了推进会"}
    await run.emulator.tap(FINANCE, picker, pick, quoted=written)
    (ack,) = await run.emulator.replies(FINANCE)
    assert label.split()[1] in text_of(ack)
    async with run.session() as session:
        assert (await session.execute(select(func.count()).select_from(Report))).scalar_one() == 1


@pytest.fixture
async def crowded(emulator_url: str, tmp_path: Path) -> AsyncIterator[Running]:
    """53 units, each responsible for one task overdue since 2024-06-30."""
    units = [f"第{n:02d}单位" for n in range(53)]
    path = tmp_path / "crowded.yaml"
    path.write_text(
        "version: 1\ntimezone: Asia/Shanghai\nunits:\n"
        + "".join(f"  - name: {u}\n" for u in units)
        + "documents:\n  - id: crowd-2024\n    short: 拥挤\n    title: 拥挤方案\n    issuer: 第00单位\n"
        + "    issued: 2024-01-01\n    tasks:\n"
        + "".join(
            f'      - {{id: "{n + 1}", title: 任务{n + 1}, responsible: [{u}], deadline: 2024-06-30}}\n'
            for n, u in enumerate(units)
        ),
        encoding="utf-8",
    )
    async with bot_polling(emulator_url, tmp_path, str(path)) as run:
        yield run


async def test_overdue_pages_its_53_unit_buttons(crowded: Running) -> None:
    run = crowded
    await run.emulator.command(BOSS, "/overdue")
    (summary,) = await run.emulator.replies(BOSS)
    assert text_of(summary).startswith("逾期任务53项，涉及53个单位")
    seen = {d for _, d in buttons_of(summary) if d.startswith("od:")}
    assert len(seen) == answers.OVERDUE_PAGE_UNITS
    for page in (2, 3):
        await run.emulator.tap(BOSS, summary, f"op:{page}")
        await run.emulator.quiet(BOSS)
        seen |= {d for _, d in await _edited(run, summary) if d.startswith("od:")}
    assert len(seen) == 53
    last = next(iter(sorted(seen)))
    await run.emulator.tap(BOSS, summary, last)
    (details,) = await run.emulator.replies(BOSS)
    assert text_of(details).startswith("逾期任务（1项）")


async def _chase_state(run: Running) -> None:
    """All tasks due in 60 days; 市财政局 late on 1.2; everyone reported yesterday."""
    today, now = dt.datetime.now(TZ).date(), dt.datetime.now(dt.UTC)
    finance = select(Unit.id).where(Unit.name == "市财政局").scalar_subquery()
    async with run.session() as session:
        await session.execute(update(Task).values(deadline=today + dt.timedelta(days=60)))
        await session.execute(update(Assignment).values(last_report_at=now - dt.timedelta(days=1)))
        await session.execute(
            update(Assignment)
            .where(Assignment.unit_id == finance, Assignment.task_id.in_(select(Task.id).where(Task.key == "1.2")))
            .values(deadline_override=today - dt.timedelta(days=5))
        )


async def _tap_and_read(run: Running, message: dict, data: str) -> dict:
    await run.emulator.tap(BOSS, message, data)
    (answer,) = await run.emulator.replies(BOSS)
    return answer


async def test_cancel_at_chased_today_skips_only_that_unit_and_broadcast_is_rechecked(running: Running) -> None:
    run = running
    for person, unit in ((FINANCE, "市财政局"), (SCIENCE, "市科技局"), (PLANNING, "市发展改革局")):
        await run.bind(person, unit)
    await _chase_state(run)
    await run.emulator.command(BOSS, "/remind unit 市财政局")
    (preview,) = await run.emulator.replies(BOSS)
    ok = next(d for _, d in buttons_of(preview) if d.endswith(":ok"))
    assert text_of(await _tap_and_read(run, preview, ok)) == m.CHASE_QUEUED.format(units=1, chats=1)
    assert await run.deliver() == 1
    await run.emulator.replies(FINANCE)

    await run.emulator.command(BOSS, "/remind due 90")
    (preview,) = await run.emulator.replies(BOSS)
    ok = next(d for _, d in buttons_of(preview) if d.endswith(":ok"))
    warned = await _tap_and_read(run, preview, ok)
    assert text_of(warned) == m.CHASE_CHASED_TODAY.format(names="市财政局")
    skip = next(d for label, d in buttons_of(warned) if label == m.BUTTON_CHASE_SKIP)
    assert text_of(await _tap_and_read(run, warned, skip)) == m.CHASE_QUEUED.format(units=2, chats=2)
    assert await run.deliver() == 2
    for person in (SCIENCE, PLANNING):
        (chased,) = await run.emulator.replies(person)
        assert text_of(chased).startswith(m.CHASE_HEADER)
    assert await run.emulator.quiet(FINANCE) == []

    await run.emulator.command(BOSS, "/broadcast overdue 请于周五前报送材料")
    (draft,) = await run.emulator.replies(BOSS)
    assert "1个单位，1个聊天" in text_of(draft)
    async with run.session() as session:  # 市财政局 reports 1.2 done before the coordinator confirms
        await session.execute(update(Assignment).where(Assignment.deadline_override.is_not(None)).values(status="done"))
    ok = next(d for _, d in buttons_of(draft) if d.endswith(":ok"))
    assert text_of(await _tap_and_read(run, draft, ok)) == m.BROADCAST_NOBODY_NOW
    async with run.session() as session:
        assert (await session.execute(select(Outbox).where(Outbox.kind == "broadcast"))).first() is None
    assert await run.emulator.quiet(FINANCE) == []
