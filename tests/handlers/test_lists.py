"""Lists that fit a phone: /mytasks counts first and paged, /overdue per unit with details behind a button."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.render import messages as m
from tests.support.harness import BOSS, FINANCE, SCIENCE, Harness, buttons, seeded_harness, texts
from tests.support.store import bind


@pytest.fixture
async def many(sqlite_url: str) -> AsyncIterator[Harness]:
    """many.yaml: 20 tasks of 市财政局 (led by 市科技局), all overdue since 2024-06-30."""
    async with seeded_harness(sqlite_url, tasks="many.yaml") as harness:
        await bind(harness.engine, FINANCE, "市财政局")
        await bind(harness.engine, SCIENCE, "市科技局")
        yield harness


async def test_mytasks_counts_first_then_pages(many: Harness) -> None:
    (first,) = await many.say(FINANCE, "/mytasks")
    head = first["text"].splitlines()
    assert head[0] == "「市财政局」待办任务20项：逾期20 · 7天内到期0 · 未报告20" and head[1] == "（第1/2页）"
    assert head[2] == "〔创新驱动〕" and sum(1 for line in head if line.startswith("· ")) == 15
    assert buttons(first) == [(m.SHEET_NEXT, "mt:2")]
    await many.tap(FINANCE, "mt:2")
    method, params = many.api.script.other_calls[-1]
    assert method == "editMessageText" and "（第2/2页）" in params["text"] and "〔成果转化〕" in params["text"]
    assert params["text"].count("\n· ") == 5


async def test_overdue_per_unit_then_one_unit(many: Harness) -> None:
    (summary,) = await many.say(BOSS, "/overdue")
    lines = summary["text"].splitlines()
    assert lines[0] == "逾期任务40项，涉及2个单位（点单位名查看明细）："
    assert {line.split("：")[0] for line in lines[1:]} == {"· 市财政局", "· 市科技局"}
    finance = next(data for label, data in buttons(summary) if label == "市财政局")
    (details,) = await many.tap(BOSS, finance)
    assert details["text"].startswith("逾期任务（20项）") and "市科技局" not in details["text"]
    # the lead sees the units of the tasks it leads; a unit that leads nothing sees its own list
    (lead,) = await many.say(SCIENCE, "/overdue")
    assert lead["text"].startswith("逾期任务40项")
    assert texts(await many.tap(FINANCE, finance))[0].startswith("逾期任务（20项）")
    (own,) = await many.say(FINANCE, "/overdue")
    assert own["text"].startswith("逾期任务（20项）") and own["markup"] is None
