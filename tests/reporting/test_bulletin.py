"""The 督办通报: its content from facts (pure), and the .docx that /bulletin sends (bulletin_docx)."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import docx
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.exports import bulletin_docx
from bot.core import db
from bot.core.vocab import BulletinPeriod, Status
from bot.render import messages as m
from bot.reporting.bulletin import GOOD_LIMIT, SLOW_LIMIT, build_bulletin, rate
from bot.reporting.rankings import AssignmentFact, PromptFact, RankingInputs, ReportFact
from tests.support.store import cst, seed_rankings

TZ = ZoneInfo("Asia/Shanghai")


def done_on_time(aid: int, unit: str, deadline: str = "2024-06-20") -> tuple[AssignmentFact, ReportFact]:
    return (
        AssignmentFact(
            aid,
            unit,
            "responsible",
            dt.date.fromisoformat(deadline),
            Status.DONE,
            None,
            cst("2024-06-19"),
            task_id=aid,
            ref=f"示例 {aid}",
        ),
        ReportFact(aid, cst("2024-06-19"), "done"),
    )


def overdue(aid: int, unit: str, deadline: str) -> AssignmentFact:
    return AssignmentFact(
        aid, unit, "lead", dt.date.fromisoformat(deadline), Status.PENDING, None, None, task_id=aid, ref=f"示例 {aid}"
    )


def test_rates_read_as_percentages() -> None:
    assert [rate(None), rate(1.0), rate(0.5), rate(2 / 3), rate(0.0)] == ["—", "100%", "50%", "66.7%", "0%"]


def test_the_overall_section_compares_with_the_previous_month() -> None:
    """May: 1 due (05-20), done late, and 1 prompt unanswered. June: 2 due, done on time, 1 prompt answered."""
    may_late = AssignmentFact(
        1, "甲", "lead", dt.date(2024, 5, 20), Status.DONE, None, cst("2024-05-25"), task_id=1, ref="示例 1"
    )
    june = [done_on_time(2, "甲"), done_on_time(3, "乙")]
    inputs = RankingInputs(
        [may_late, *(f for f, _ in june)],
        [ReportFact(1, cst("2024-05-25"), "done"), *(r for _, r in june)],
        [PromptFact(1, cst("2024-05-06")), PromptFact(2, cst("2024-06-17"))],
    )
    bulletin = build_bulletin(inputs, BulletinPeriod.MONTH, dt.date(2024, 6, 30), TZ)
    overall = bulletin.sections[0]
    assert overall.heading == "一、总体情况"
    assert overall.paragraphs[0].startswith("截至2024年6月30日，纳入督办的任务3项、单位分工3项。其中已完成3项")
    assert "按时完成率100%" in overall.paragraphs[1] and "督办回复率100%" in overall.paragraphs[1]
    assert overall.paragraphs[2] == m.BULLETIN_COMPARE.format(
        start="5月1日",
        end="5月31日",
        done="增加2项",
        overdue="持平",
        on_time="上升100个百分点",
        reply="上升100个百分点",
    )
    assert bulletin.filename == "督办通报-2024-06.docx" and bulletin.date == "2024年6月30日"
    assert [(row[0], row[-1]) for row in bulletin.rows] == [("乙", "1"), ("甲", "1")]  # a tie: by name


def test_the_table_shows_the_score_and_equal_scores_share_a_rank() -> None:
    """Issue 22: the annex's table had no 得分, and 甲 (10 overdue) and 乙 (12 overdue), both at the overdue cap
    (20 points), ranked 3 and 4. Now the score is a column and equal scores share a rank (1, 1, 3)."""
    facts = [overdue(n, "甲", "2024-06-01") for n in range(10)]
    facts += [overdue(100 + n, "乙", "2024-06-01") for n in range(12)]
    facts.append(overdue(200, "丙", "2024-06-25"))
    good, report = done_on_time(300, "丁")
    bulletin = build_bulletin(
        RankingInputs([*facts, good], [report], []), BulletinPeriod.MONTH, dt.date(2024, 6, 30), TZ
    )
    assert bulletin.headers[-2:] == ("得分", "排名")
    assert [(row[0], row[-2], row[-1]) for row in bulletin.rows] == [
        ("丁", "100", "1"),
        ("丙", "64", "2"),
        ("甲", "20", "3"),
        ("乙", "20", "3"),
    ]


def test_long_lists_are_cut_and_pointed_to_the_annex() -> None:
    """Twelve good units (GOOD_LIMIT named), seventeen units overdue (SLOW_LIMIT listed), one with seven
    overdue tasks (five named, then 等)."""
    facts, reports = [], []
    for n in range(GOOD_LIMIT + 2):
        f, r = done_on_time(n + 1, f"好{n:02d}")
        facts.append(f)
        reports.append(r)
    facts += [overdue(100 + n, f"慢{n:02d}", "2024-06-01") for n in range(SLOW_LIMIT + 2)]
    facts += [overdue(200 + n, "最慢", "2024-05-01") for n in range(7)]
    bulletin = build_bulletin(RankingInputs(facts, reports, []), BulletinPeriod.MONTH, dt.date(2024, 6, 30), TZ)
    good, slow = bulletin.sections[1].paragraphs, bulletin.sections[2].paragraphs
    assert len(good) == 1 and good[0].count("（按时完成率100%）") == GOOD_LIMIT and "等12个单位" in good[0]
    assert slow[0] == m.BULLETIN_SLOW_INTRO and len(slow) == 1 + SLOW_LIMIT + 1
    assert slow[1].startswith(
        "1. 最慢：逾期未完成7项（示例 200、示例 201、示例 202、示例 203、示例 204等），最长逾期60天"
    )
    assert slow[-1] == m.BULLETIN_SLOW_MORE.format(n=3)
    assert len(bulletin.rows) == GOOD_LIMIT + 2 + SLOW_LIMIT + 2 + 1
    assert bulletin.rows[-1][0] == "最慢" and bulletin.rows[0][-1] == "1"


def test_a_quiet_period_says_so() -> None:
    bulletin = build_bulletin(RankingInputs([], [], []), BulletinPeriod.WEEK, dt.date(2024, 6, 5), TZ)
    assert bulletin.sections[1].paragraphs == (m.BULLETIN_GOOD_NONE.format(score="90"),)
    assert bulletin.sections[2].paragraphs == (m.BULLETIN_SLOW_NONE,)
    assert bulletin.sections[3].paragraphs == m.BULLETIN_NEXT_STEPS
    assert bulletin.rows == () and bulletin.table_note == m.BULLETIN_NO_UNITS
    assert len(bulletin.sections[0].paragraphs) == 2  # no previous week to compare with
    assert bulletin.filename == "督办通报-2024-W23.docx"


async def test_bulletin_docx_gives_the_file_for_chat(engine: AsyncEngine) -> None:
    await seed_rankings(engine)
    name, data = await bulletin_docx(engine, "month", dt.date(2024, 6, 30), tz=TZ)
    async with db.session_scope(engine) as session:
        again = await bulletin_docx(session, BulletinPeriod.MONTH, dt.date(2024, 6, 30), tz=TZ)
    assert name == again[0] == "督办通报-2024-06.docx"
    document = docx.Document(io.BytesIO(data))
    assert [row.cells[0].text for row in document.tables[0].rows] == [
        "单位",
        "市科技局",
        "市财政局",
        "蓬江区人民政府",
        "江海区人民政府",
    ]
    assert {h for h in m.BULLETIN_HEADINGS} <= {p.text for p in document.paragraphs}
