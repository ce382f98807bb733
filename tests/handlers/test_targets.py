"""Target values in chat: the 更正 under an answer that recorded one, and /target for leads and coordinators."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.core import db
from bot.core.models import AuditLog, Document, Target, TargetValue
from bot.render import messages as m
from bot.store.overview import target_rows
from tests.support.harness import BOSS, FINANCE, SCIENCE, STRANGER, Harness, buttons, seeded_harness, texts
from tests.support.store import bind, rows

REFORM = 31  # 市发展改革局's contact: responsible for 1.1, which has the target 实施"揭榜挂帅"项目20项
SHOWN = "实施&quot;揭榜挂帅&quot;项目20项"  # the target's text as the HTML answers show it


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    async with seeded_harness(sqlite_url) as harness:
        await bind(harness.engine, FINANCE, "市财政局")
        await bind(harness.engine, SCIENCE, "市科技局")
        await bind(harness.engine, REFORM, "市发展改革局")
        yield harness


async def _short(bot: Harness) -> str:
    async with db.session_scope(bot.engine) as session:
        return (await session.execute(select(Document.short))).scalar_one()


async def _latest(bot: Harness) -> list[tuple[str, float | None]]:
    async with db.session_scope(bot.engine) as session:
        return [(t.text, t.latest) for t in await target_rows(session)]


async def _reported(bot: Harness) -> tuple[dict, str]:
    """市科技局, the lead of 1.1, reports 12 of the 20 项: the answer and its 更正指标 button's data. (These
    tests had 市发展改革局, a responsible unit, report: its figure is now its contribution, issue 22.)"""
    (ack,) = await bot.say(SCIENCE, "/report 1.1 已实施揭榜挂帅项目12项，正在推进")
    assert "记为12项（目标20项）" in ack["text"]
    [(label, data)] = [b for b in buttons(ack) if b[1].startswith("tv:")]
    assert label == "更正指标：12项"
    return ack, data


async def test_the_reporting_unit_corrects_a_value_and_the_old_one_is_kept(bot: Harness) -> None:
    _, data = await _reported(bot)
    (question,) = await bot.tap(SCIENCE, data)
    assert "记为12项（目标20项）" in question["text"] and "回复本消息" in question["text"]
    assert buttons(question) == [(m.BUTTON_TARGET_VOID, f"{data}:no")]
    (done,) = await bot.say(SCIENCE, "15项", reply_to_message=bot.bot_message(question))
    assert "由12项改为15项（目标20项）" in done["text"]
    assert buttons(done)[0][0] == "更正指标：15项"  # the new value can be corrected in turn
    old, new = await rows(bot.engine, select(TargetValue).order_by(TargetValue.id))
    assert (old.value, old.voided_at is not None, old.source) == (12, True, "report")
    assert (new.value, new.voided_at, new.source, new.replaces_id, new.report_id) == (
        15,
        None,
        "correction",
        old.id,
        old.report_id,
    )
    assert await _latest(bot) == [('实施"揭榜挂帅"项目20项', 15)]
    [audit] = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "target.correct"))
    assert (audit.detail["old"], audit.detail["new"]) == (12, 15)
    # the question answered: a second reply finds the value void and changes nothing
    assert texts(await bot.say(SCIENCE, "16项", reply_to_message=bot.bot_message(question))) == [
        m.TARGET_REFUSED["already"]
    ]
    assert len(await rows(bot.engine, select(TargetValue))) == 2


async def test_a_bare_number_is_in_the_targets_measure_and_another_kind_is_refused(bot: Harness) -> None:
    _, data = await _reported(bot)
    (question,) = await bot.tap(SCIENCE, data)
    (wrong,) = await bot.say(SCIENCE, "3.2亿元", reply_to_message=bot.bot_message(question))
    assert wrong["text"] == f"「3.2亿元」是金额，指标「{SHOWN}」以项计，未记录。"
    (none,) = await bot.say(SCIENCE, "还在统计", reply_to_message=bot.bot_message(question))
    assert none["text"].startswith("没有读到数值")
    assert len(await rows(bot.engine, select(TargetValue))) == 1
    (done,) = await bot.say(SCIENCE, "十四", reply_to_message=bot.bot_message(question))
    assert "由12项改为14项" in done["text"]


async def test_not_this_target_withdraws_the_value(bot: Harness) -> None:
    _, data = await _reported(bot)
    (done,) = await bot.tap(SCIENCE, f"{data}:no")
    assert done["text"].startswith("✅ 已撤销") and "12项不再计入" in done["text"]
    assert await _latest(bot) == [('实施"揭榜挂帅"项目20项', None)]
    [value] = await rows(bot.engine, select(TargetValue))
    assert value.voided_at is not None  # kept (留痕), no longer counted
    assert texts(await bot.tap(SCIENCE, f"{data}:no")) == [m.TARGET_REFUSED["already"]]
    assert texts(await bot.tap(SCIENCE, data)) == [m.TARGET_REFUSED["already"]]


async def test_only_the_reporting_unit_or_a_coordinator_may_correct(bot: Harness) -> None:
    _, data = await _reported(bot)
    assert texts(await bot.tap(FINANCE, data)) == [m.TARGET_REFUSED["not_allowed"]]
    assert texts(await bot.tap(FINANCE, f"{data}:no")) == [m.TARGET_REFUSED["not_allowed"]]
    assert texts(await bot.tap(STRANGER, data)) == [m.NOT_BOUND]
    refused = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "access.refused"))
    assert [(a.entity, a.detail["action"]) for a in refused] == [("target_value", "correct")] * 2
    (question,) = await bot.tap(BOSS, data)
    # a forged question (another chat's reply quoting it) is refused too; the coordinator's reply counts
    assert texts(await bot.say(FINANCE, "1项", reply_to_message=bot.bot_message(question))) == [
        m.TARGET_REFUSED["not_allowed"]
    ]
    assert "改为13项" in texts(await bot.say(BOSS, "13项", reply_to_message=bot.bot_message(question)))[0]
    assert texts(await bot.tap(SCIENCE, "tv:999999")) == [m.TARGET_REFUSED["missing"]]
    assert await _latest(bot) == [('实施"揭榜挂帅"项目20项', 13)]


async def test_a_reply_to_the_report_answer_is_still_a_report(bot: Harness) -> None:
    ack, _ = await _reported(bot)
    (again,) = await bot.say(SCIENCE, "已实施揭榜挂帅项目14项", reply_to_message=bot.bot_message(ack))
    assert "记为14项（目标20项）" in again["text"]
    assert await _latest(bot) == [('实施"揭榜挂帅"项目20项', 14)]


async def test_a_responsible_unit_s_figure_is_its_contribution_beside_the_lead_s_value(bot: Harness) -> None:
    """Issue 22: 五邑大学's 「已发布揭榜挂帅项目8项」 became the city's 8/20. A responsible unit's count is its
    contribution: recorded, shown beside the value that counts, never replacing it; the lead's value counts."""
    (ack,) = await bot.say(REFORM, "/report 1.1 已实施揭榜挂帅项目8项，正在推进")
    assert "记录本单位完成8项" in ack["text"] and "记为8项" not in ack["text"]
    assert await _latest(bot) == [('实施"揭榜挂帅"项目20项', None)]
    (listing,) = await bot.say(SCIENCE, "/target")
    assert "未报/20项" in listing["text"] and "各单位填报：市发展改革局8项" in listing["text"]
    (lead,) = await bot.say(SCIENCE, "/report 1.1 已实施揭榜挂帅项目15项")
    assert "记为15项（目标20项）" in lead["text"]
    (after,) = await bot.say(REFORM, "/report 1.1 已实施揭榜挂帅项目9项")  # newer, and still not the city's
    assert "记录本单位完成9项" in after["text"]
    assert await _latest(bot) == [('实施"揭榜挂帅"项目20项', 15)]
    (digest,) = await bot.say(BOSS, "/digest")
    assert "15/20项" in digest["text"] and "各单位填报：市发展改革局9项" in digest["text"]


async def test_target_lists_what_the_unit_leads_and_records_a_value(bot: Harness) -> None:
    short = await _short(bot)
    (listing,) = await bot.say(SCIENCE, "/target")
    lines = listing["text"].splitlines()
    assert lines[0].startswith("<b>市科技局负责的指标</b>") and lines[0].endswith("：1项，落后于进度1项 ⚠️")
    assert f"<b>《{short}》</b>" in lines
    assert any(line.startswith(f"[1] {short} 1.1 {SHOWN}：未报/20项") for line in lines)
    (ok,) = await bot.say(SCIENCE, f"/target {short} 1 15项")
    assert ok["text"].startswith(f"📈 已记录指标「{SHOWN}」（{short} 1.1）：15项（目标20项）")
    assert buttons(ok)[0][0] == "更正指标：15项"
    assert await _latest(bot) == [('实施"揭榜挂帅"项目20项', 15)]
    # by key and by task number, a bare number, a prefix of the short name
    assert "：16项" in texts(await bot.say(SCIENCE, f"/target {short[:2]} jbgs 16"))[0]
    assert "：17项" in texts(await bot.say(SCIENCE, f"/target {short} 1.1 17项"))[0]
    [value] = await rows(bot.engine, select(TargetValue).where(TargetValue.value == 17))
    assert value.source == "command"
    assert any("17/20项" in line for line in texts(await bot.say(SCIENCE, "/target"))[0].splitlines())


async def test_target_refusals(bot: Harness) -> None:
    short = await _short(bot)
    assert texts(await bot.say(FINANCE, f"/target {short} 1 15项")) == [m.TARGET_NOT_LEAD.format(ref=f"{short} 1.1")]
    assert (await rows(bot.engine, select(AuditLog).where(AuditLog.action == "access.refused")))[0].entity == "target"
    assert texts(await bot.say(FINANCE, "/target"))[0].startswith("市财政局负责的指标没有")
    assert texts(await bot.say(STRANGER, "/target")) == [m.NOT_BOUND]
    assert texts(await bot.say(STRANGER, f"/target {short} 1 15")) == [m.NOT_BOUND]
    assert "是金额" in texts(await bot.say(SCIENCE, f"/target {short} 1 3200万元"))[0]
    assert texts(await bot.say(SCIENCE, "/target 没有的文件 1 15"))[0].startswith("没有找到文件「没有的文件」")
    assert f"《{short}》没有指标「9」" in texts(await bot.say(SCIENCE, f"/target {short} 9 15"))[0]
    assert texts(await bot.say(SCIENCE, f"/target {short}"))[0].startswith("用法：/target 文件简称 编号 数值")
    assert await rows(bot.engine, select(TargetValue)) == []


async def _document_goals(bot: Harness, n: int) -> None:
    """`n` targets of the whole document (no task): only /target moves them."""
    async with db.session_scope(bot.engine) as session:
        for i in range(n):
            session.add(
                Target(
                    document_id="demo-2023",
                    key=f"g{i}",
                    text=f"培育技术经纪人{100 + i}名",
                    value=100 + i,
                    measure="名",
                    task_key=None,
                )
            )


async def test_a_target_of_no_task_is_listed_and_moved_by_the_issuer_or_a_coordinator_only(bot: Harness) -> None:
    short = await _short(bot)
    await _document_goals(bot, 1)
    (listing,) = await bot.say(SCIENCE, "/target")  # 市科技局 issued the document
    assert f"[2] {short} 培育技术经纪人100名：未报/100名" in listing["text"]
    assert "：40名" in texts(await bot.say(SCIENCE, f"/target {short} 2 40名"))[0]
    assert texts(await bot.say(REFORM, f"/target {short} 2 50")) == [
        m.TARGET_NOT_ISSUER.format(text="培育技术经纪人100名", document=short)
    ]
    assert "：60名" in texts(await bot.say(BOSS, f"/target {short} g0 60"))[0]
    assert ("培育技术经纪人100名", 60) in await _latest(bot)
    # a report cannot name it: the report is stored, the document's goal does not move
    (ack,) = await bot.say(FINANCE, "/report 1.2 已培育技术经纪人70名")
    assert "指标" not in ack["text"]
    assert ("培育技术经纪人100名", 60) in await _latest(bot)


async def test_the_coordinators_list_is_paged(bot: Harness) -> None:
    await _document_goals(bot, 14)
    (first,) = await bot.say(BOSS, "/target")
    assert first["text"].startswith("<b>全部指标</b>") and "15项" in first["text"] and "（第1/2页）" in first["text"]
    assert first["text"].count("\n[") == 10
    assert buttons(first) == [(m.SHEET_NEXT, "tl:2")]
    await bot.tap(BOSS, "tl:2")
    method, params = bot.api.script.other_calls[-1]
    assert method == "editMessageText" and "（第2/2页）" in params["text"] and params["text"].count("\n[") == 5
    assert "[15] " in params["text"]


async def test_a_several_task_reply_has_a_correct_button_per_value(bot: Harness) -> None:
    (summary,) = await bot.say(SCIENCE, "/report 1.1 已实施揭榜挂帅项目12项\n1.2 进展60%")
    assert summary["text"].startswith("已记录「市科技局」2项进展") and "指标12/20项" in summary["text"]
    [data] = [d for label, d in buttons(summary) if label == "更正指标：12项"]
    (question,) = await bot.tap(SCIENCE, data)
    assert "改为9项" in texts(await bot.say(SCIENCE, "9", reply_to_message=bot.bot_message(question)))[0]
