"""Lists that fit a phone: /mytasks counts first and paged, /overdue per unit with details behind a button, the
ranking in /units cut to its first and last five."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.vocab import BulletinPeriod
from bot.presenters import answers
from bot.render import callback_data
from bot.render import messages as m
from bot.reporting.rankings import Standing, period_ending, rank
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


async def test_units_shows_the_month_s_ranking(many: Harness) -> None:
    """Both units sit on 20 overdue tasks (the deduction for overdue work stops at 50): a tie at rank 1."""
    (units,) = await many.say(BOSS, "/units")
    lines = units["text"].splitlines()
    header = next(n for n, line in enumerate(lines) if line.startswith("<b>本月排名</b>"))
    assert "2个单位参与" in lines[header]
    assert lines[header + 1 : header + 3] == [
        "1. 市科技局：50分（按时—，回复—，逾期20项）",
        "1. 市财政局：50分（按时—，回复—，逾期20项）",
    ]


def test_a_long_ranking_shows_its_first_and_last_five() -> None:
    june = period_ending(BulletinPeriod.MONTH, dt.date(2024, 6, 30))
    ranked = rank([Standing(f"单位{n:02d}", due=1, on_time=1, score=100.0 - n) for n in range(12)])
    lines = answers.ranking_lines(june, ranked)
    assert lines[0] == m.UNITS_RANK_HEADER.format(start="6月1日", end="6月30日", n=12)
    assert lines[1] == m.UNITS_RANK_TOP.format(n=5) and lines[7] == m.UNITS_RANK_BOTTOM.format(n=5)
    assert [line.split("：")[0] for line in lines[2:7] + lines[8:]] == [
        "1. 单位00",
        "2. 单位01",
        "3. 单位02",
        "4. 单位03",
        "5. 单位04",
        "8. 单位07",
        "9. 单位08",
        "10. 单位09",
        "11. 单位10",
        "12. 单位11",
    ]
    assert answers.ranking_lines(june, []) == [m.UNITS_RANK_NONE]
    assert len(answers.ranking_lines(june, ranked[:10])) == 11


def test_a_cut_list_of_unbound_units_ends_with_deng() -> None:
    """Issue 22: 「另有52个单位未绑定聊天：五邑大学、…」 named five with no 「等」."""
    names = [f"单位{n}" for n in range(7)]
    assert answers.names_cut(names) == "单位0、单位1、单位2、单位3、单位4等"
    assert answers.names_cut(names[:5]) == "单位0、单位1、单位2、单位3、单位4"


def _keyboard_buttons(markup: dict | str | None) -> list[tuple[str, str]]:
    markup = json.loads(markup) if isinstance(markup, str) else markup or {}
    return [(b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row]


async def test_the_which_task_picker_pages_through_every_open_task(many: Harness) -> None:
    """Issue 22: the picker showed 30 of 43 tasks with no next page. 市财政局 has 20: 15 on the first page with
    下一页 ▶, the other 5 on the second; every task has its button on some page."""
    (which,) = await many.say(FINANCE, "今天开了推进会")
    first = buttons(which)
    assert len([d for _, d in first if d.startswith("pk:")]) == answers.PICK_PAGE_SIZE
    assert first[-1] == (m.SHEET_NEXT, "pg:2")
    await many.tap(FINANCE, "pg:2")
    method, params = many.api.script.other_calls[-1]
    assert method == "editMessageReplyMarkup"
    second = _keyboard_buttons(params["reply_markup"])
    assert second[-1] == (m.SHEET_PREVIOUS, "pg:1")
    picked = {d for _, d in first + second if d.startswith("pk:")}
    assert len(picked) == 20


@pytest.fixture
async def crowded(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    """53 units, each responsible for one task overdue since 2024-06-30."""
    units = [f"第{n:02d}单位" for n in range(53)]
    tasks = "".join(
        f'      - {{id: "{n + 1}", title: 任务{n + 1}, responsible: [{unit}], deadline: 2024-06-30}}\n'
        for n, unit in enumerate(units)
    )
    path = tmp_path / "crowded.yaml"
    path.write_text(
        "version: 1\ntimezone: Asia/Shanghai\nunits:\n"
        + "".join(f"  - name: {u}\n" for u in units)
        + "documents:\n  - id: crowd-2024\n    short: 拥挤\n    title: 拥挤方案\n    issuer: 第00单位\n"
        + "    issued: 2024-01-01\n    tasks:\n"
        + tasks,
        encoding="utf-8",
    )
    async with seeded_harness(sqlite_url, tasks=str(path)) as harness:
        yield harness


async def test_overdue_pages_its_unit_buttons(crowded: Harness) -> None:
    """Issue 22: /overdue showed 30 buttons for 53 units. Now 20 a page with ◀ ▶, each unit on some page."""
    (summary,) = await crowded.say(BOSS, "/overdue")
    assert summary["text"].startswith("逾期任务53项，涉及53个单位")
    seen = {d for _, d in buttons(summary) if d.startswith("od:")}
    assert len(seen) == answers.OVERDUE_PAGE_UNITS and buttons(summary)[-1] == (m.SHEET_NEXT, "op:2")
    for page in (2, 3):
        await crowded.tap(BOSS, f"op:{page}")
        method, params = crowded.api.script.other_calls[-1]
        assert method == "editMessageReplyMarkup"
        seen |= {d for _, d in _keyboard_buttons(params["reply_markup"]) if d.startswith("od:")}
    assert len(seen) == 53
    assert _keyboard_buttons(params["reply_markup"])[-1] == (m.SHEET_PREVIOUS, "op:2")


def test_no_keyboard_has_more_than_a_hundred_buttons() -> None:
    """Telegram refuses a message with a keyboard of more than 100 buttons: the last guard cuts it."""
    rows = [[callback_data.button(str(n), f"fx:{n}"), callback_data.button(str(n), f"fx:{n}")] for n in range(1, 101)]
    markup = callback_data.keyboard(*rows)
    assert sum(len(row) for row in markup["inline_keyboard"]) == callback_data.MAX_BUTTONS
