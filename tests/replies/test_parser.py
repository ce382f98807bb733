"""The reply parser over a table of real-style progress replies, as 联络员 write them.

Each row is what a coordinator reading the sentence would record: status, percent, expected date.
Unless a row says otherwise the message was sent on Tuesday 2024-10-15 10:00 in Asia/Shanghai, so
"下周五" is 2024-10-25 and "三季度末" (already past this year) means 2025-09-30.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core.numerals import cn_number
from bot.core.vocab import ReplyProblem, ReportedStatus
from bot.replies.dates import read_date
from bot.replies.parser import ParsedReply, parse_reply

TZ = ZoneInfo("Asia/Shanghai")
OCT = dt.datetime(2024, 10, 15, 10, 0, tzinfo=TZ)
DEC = dt.datetime(2024, 12, 20, 16, 30, tzinfo=TZ)
D = dt.date.fromisoformat

# text, status, percent, expected date, message time
TABLE: list[tuple[str, str | None, int | None, str | None, dt.datetime]] = [
    # the example and plain status words
    ("进展60%，预计12月底完成", ReportedStatus.IN_PROGRESS, 60, "2024-12-31", OCT),
    ("已完成", ReportedStatus.DONE, 100, None, OCT),
    ("已完成项目库建设，入库项目32个", ReportedStatus.DONE, 100, None, OCT),
    ("该项工作已办结", ReportedStatus.DONE, 100, None, OCT),
    ("办结", ReportedStatus.DONE, 100, None, OCT),
    ("已经完成了", ReportedStatus.DONE, 100, None, OCT),
    ("全部完成", ReportedStatus.DONE, 100, None, OCT),
    ("均已完成", ReportedStatus.DONE, 100, None, OCT),
    ("工作已全面完成，形成总结报告", ReportedStatus.DONE, 100, None, OCT),
    ("已全部完成，共培训企业126家", ReportedStatus.DONE, 100, None, OCT),
    ("实施办法已出台", ReportedStatus.DONE, 100, None, OCT),
    ("已印发实施", ReportedStatus.DONE, 100, None, OCT),
    ("三季度末已完成", ReportedStatus.DONE, 100, None, OCT),
    ("完成100%", ReportedStatus.DONE, 100, None, OCT),
    ("百分之百完成", ReportedStatus.DONE, 100, None, OCT),
    ("基本完成，正在收尾", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("已基本完成，预计下周五前全部完成", ReportedStatus.IN_PROGRESS, None, "2024-10-25", OCT),
    ("推进中", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("进展顺利", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("正在推进，预计下月中旬完成初稿", ReportedStatus.IN_PROGRESS, None, "2024-11-20", OCT),
    ("尚未完成，正在加紧推进", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("未完成", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("暂无困难，正常推进", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("帮扶困难群众工作正常推进", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("已于10月10日召开推进会，正在组织实施", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("方案已起草，正在征求意见，预计月底前印发", ReportedStatus.IN_PROGRESS, None, "2024-10-31", OCT),
    ("已完成初稿，预计12月底完成", ReportedStatus.IN_PROGRESS, None, "2024-12-31", OCT),
    ("预计12月底全部完成", ReportedStatus.IN_PROGRESS, None, "2024-12-31", OCT),
    ("部分完成，剩余工作下月中旬完成", ReportedStatus.IN_PROGRESS, None, "2024-11-20", OCT),
    ("正在起草，11月底前报市政府", ReportedStatus.IN_PROGRESS, None, "2024-11-30", OCT),
    # not started
    ("尚未启动", ReportedStatus.NOT_STARTED, None, None, OCT),
    ("尚未开展", ReportedStatus.NOT_STARTED, None, None, OCT),
    ("尚未启动，计划明年一季度启动", ReportedStatus.NOT_STARTED, None, "2025-03-31", OCT),
    ("计划于明年3月启动", ReportedStatus.NOT_STARTED, None, "2025-03-31", OCT),
    # blocked
    ("受阻，需市财政局协调资金", ReportedStatus.BLOCKED, None, None, OCT),
    ("土地指标紧张，推进困难", ReportedStatus.BLOCKED, None, None, OCT),
    ("需协调省厅解决用地问题", ReportedStatus.BLOCKED, None, None, OCT),
    ("项目建设受阻，征地拆迁难度大", ReportedStatus.BLOCKED, None, None, OCT),
    ("存在资金缺口，请市财政局协调解决", ReportedStatus.BLOCKED, None, None, OCT),
    ("已完成80%，剩余部分因资金困难暂停", ReportedStatus.BLOCKED, 80, None, OCT),
    ("受阻，需市财政局协调资金，争取年底前完成", ReportedStatus.BLOCKED, None, "2024-12-31", OCT),
    # 延期
    ("因资金未到位，需延期至明年3月底", ReportedStatus.IN_PROGRESS, None, "2025-03-31", OCT),
    ("申请延期到2025年6月30日", ReportedStatus.IN_PROGRESS, None, "2025-06-30", OCT),
    ("因疫情影响推迟", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("不需要延期，按计划推进", ReportedStatus.IN_PROGRESS, None, None, OCT),
    # percentages
    ("已完成六成", ReportedStatus.IN_PROGRESS, 60, None, OCT),
    ("项目正在推进，完成百分之六十", ReportedStatus.IN_PROGRESS, 60, None, OCT),
    ("工程进度过半", ReportedStatus.IN_PROGRESS, 50, None, OCT),
    ("已完成三分之一，力争11月底前全部完成", ReportedStatus.IN_PROGRESS, 33, "2024-11-30", OCT),
    ("完成年度目标的三分之二", ReportedStatus.IN_PROGRESS, 67, None, OCT),
    ("完成率85%，年底前可全部完成", ReportedStatus.IN_PROGRESS, 85, "2024-12-31", OCT),
    ("目前完成百分之七十五，预计12月中旬完成", ReportedStatus.IN_PROGRESS, 75, "2024-12-20", OCT),
    ("完成投资3.2亿元，占年度计划的80%", ReportedStatus.IN_PROGRESS, 80, None, OCT),
    ("同比增长15%，工作正常推进", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("已启动，完成约30%", ReportedStatus.IN_PROGRESS, 30, None, OCT),
    ("九成以上已完成", ReportedStatus.IN_PROGRESS, 90, None, OCT),
    ("完成进度60％", ReportedStatus.IN_PROGRESS, 60, None, OCT),
    # expected dates
    ("预计三季度末完成", ReportedStatus.IN_PROGRESS, None, "2025-09-30", OCT),
    ("计划于2025年6月30日前完成验收", ReportedStatus.IN_PROGRESS, None, "2025-06-30", OCT),
    ("明年一季度出台实施办法", ReportedStatus.IN_PROGRESS, None, "2025-03-31", OCT),
    ("下周五前报送材料", ReportedStatus.IN_PROGRESS, None, "2024-10-25", OCT),
    ("下周三前提交", ReportedStatus.IN_PROGRESS, None, "2024-10-23", OCT),
    ("年底前完成", ReportedStatus.IN_PROGRESS, None, "2024-12-31", OCT),
    ("争取春节前完成", ReportedStatus.IN_PROGRESS, None, "2025-01-29", OCT),
    ("本月底完成", ReportedStatus.IN_PROGRESS, None, "2024-10-31", OCT),
    ("两周内完成", ReportedStatus.IN_PROGRESS, None, "2024-10-29", OCT),
    ("3个月内完成", ReportedStatus.IN_PROGRESS, None, "2025-01-15", OCT),
    ("年内完成", ReportedStatus.IN_PROGRESS, None, "2024-12-31", OCT),
    ("12月份完成", ReportedStatus.IN_PROGRESS, None, "2024-12-31", OCT),
    ("预计11月完成", ReportedStatus.IN_PROGRESS, None, "2024-11-30", OCT),
    ("预计2025年底完成", ReportedStatus.IN_PROGRESS, None, "2025-12-31", OCT),
    ("力争明年年中建成", ReportedStatus.IN_PROGRESS, None, "2025-06-30", OCT),
    ("六月底前完成", ReportedStatus.IN_PROGRESS, None, "2025-06-30", OCT),
    ("9月底前完成", ReportedStatus.IN_PROGRESS, None, "2025-09-30", OCT),
    ("2025年第一季度完成", ReportedStatus.IN_PROGRESS, None, "2025-03-31", OCT),
    ("下个月底前完成", ReportedStatus.IN_PROGRESS, None, "2024-11-30", OCT),
    ("拟于下个月召开专题会研究", ReportedStatus.IN_PROGRESS, None, "2024-11-30", OCT),
    # sent in late December: year ends and next months roll over
    ("年底前完成", ReportedStatus.IN_PROGRESS, None, "2024-12-31", DEC),
    ("下月中旬完成", ReportedStatus.IN_PROGRESS, None, "2025-01-20", DEC),
    ("下个月完成", ReportedStatus.IN_PROGRESS, None, "2025-01-31", DEC),
    ("正在推进，12月底完成", ReportedStatus.IN_PROGRESS, None, "2024-12-31", DEC),
    ("预计明年一季度完成", ReportedStatus.IN_PROGRESS, None, "2025-03-31", DEC),
    # a held-out set, written after the rows above and scored before any change for it: 23 of 25 right
    # (已按要求完成 was missed and 全年任务 was read as a date); both fixed since
    ("我单位已按要求完成相关工作", ReportedStatus.DONE, 100, None, OCT),
    ("目前已完成可研报告编制，正在开展环评", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("项目一期已竣工，二期预计明年6月底完成", ReportedStatus.IN_PROGRESS, None, "2025-06-30", OCT),
    ("已完成招标，施工单位已进场，整体进度约40%", ReportedStatus.IN_PROGRESS, 40, None, OCT),
    ("受用地审批影响，进度滞后，需自然资源局协调", ReportedStatus.BLOCKED, None, None, OCT),
    ("资金缺口较大，推进存在困难", ReportedStatus.BLOCKED, None, None, OCT),
    ("还没开始", ReportedStatus.NOT_STARTED, None, None, OCT),
    ("暂未启动，待上级文件下发后开展", ReportedStatus.NOT_STARTED, None, None, OCT),
    ("初稿已形成，拟于11月中旬提请市政府常务会审议", ReportedStatus.IN_PROGRESS, None, "2024-11-20", OCT),
    ("按计划推进，年底前可完成", ReportedStatus.IN_PROGRESS, None, "2024-12-31", OCT),
    ("完成全年任务的百分之八十", ReportedStatus.IN_PROGRESS, 80, None, OCT),
    ("累计完成七成", ReportedStatus.IN_PROGRESS, 70, None, OCT),
    ("已完成过半", ReportedStatus.IN_PROGRESS, 50, None, OCT),
    ("已完成四分之三", ReportedStatus.IN_PROGRESS, 75, None, OCT),
    ("本项任务已按期完成", ReportedStatus.DONE, 100, None, OCT),
    ("该任务已落实到位", ReportedStatus.DONE, 100, None, OCT),
    ("预计下周一完成", ReportedStatus.IN_PROGRESS, None, "2024-10-21", OCT),
    ("争取在12月15日前完成", ReportedStatus.IN_PROGRESS, None, "2024-12-15", OCT),
    ("计划2025年上半年完成", ReportedStatus.IN_PROGRESS, None, "2025-06-30", OCT),
    ("力争明年底前完成", ReportedStatus.IN_PROGRESS, None, "2025-12-31", OCT),
    ("因机构改革，需延期至2025年3月31日", ReportedStatus.IN_PROGRESS, None, "2025-03-31", OCT),
    ("正在抓紧办理，近期完成", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("已上报，等待批复", None, None, None, OCT),
    ("已完成90%，剩余工作预计11月10日前完成", ReportedStatus.IN_PROGRESS, 90, "2024-11-10", OCT),
    ("本季度末完成", ReportedStatus.IN_PROGRESS, None, "2024-12-31", OCT),
    ("截至10月底，已完成60%", ReportedStatus.IN_PROGRESS, 60, None, OCT),
    # nothing to understand
    ("好的", None, None, None, OCT),
    ("收到", None, None, None, OCT),
    ("", None, None, None, OCT),
]


@pytest.mark.parametrize(("text", "status", "percent", "expected", "now"), TABLE,
                         ids=[f"{i:02d}-{row[0][:12]}" for i, row in enumerate(TABLE)])
def test_table(text: str, status: str | None, percent: int | None, expected: str | None, now: dt.datetime) -> None:
    got = parse_reply(text, now)
    assert (got.status, got.percent, got.expected_date) == (status, percent, D(expected) if expected else None)
    assert got.problems == ()


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 60


@pytest.mark.parametrize(("text", "extension"), [
    ("因资金未到位，需延期至明年3月底", True),
    ("因疫情影响推迟", True),
    ("不需要延期，按计划推进", False),
    ("已完成，无需延期", False),
])
def test_extension_is_flagged(text: str, extension: bool) -> None:
    assert parse_reply(text, OCT).extension is extension


def test_percent_over_100_is_a_problem() -> None:
    got = parse_reply("已完成120%", OCT)
    assert got.percent == 120 and got.problems == (ReplyProblem.PERCENT_OVER_100,)


def test_expected_date_in_the_past_is_a_problem() -> None:
    got = parse_reply("预计2023年6月完成", OCT)
    assert got.expected_date is None and got.past_date == D("2023-06-30")
    assert got.problems == (ReplyProblem.DATE_IN_PAST,)


def test_a_dated_past_fact_is_no_problem() -> None:
    assert parse_reply("2024年3月已印发通知，正在推进", OCT).problems == ()


def test_full_width_and_spaces_are_read() -> None:
    expected = ParsedReply(ReportedStatus.IN_PROGRESS, 60, D("2024-12-31"))
    assert parse_reply("  进展６０％ ，预计１２月底完成 ", OCT) == expected


def test_long_text_is_fast_enough() -> None:
    import time

    text = "正在推进，预计12月底完成。" * 300
    started = time.perf_counter()
    assert parse_reply(text, OCT).status == ReportedStatus.IN_PROGRESS
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(("text", "value"), [("六十", 60), ("七十五", 75), ("一百", 100), ("百", 100), ("十二", 12),
                                             ("两", 2), ("12", 12), ("", None), ("六x", None)])
def test_cn_number(text: str, value: int | None) -> None:
    assert cn_number(text) == value


@pytest.mark.parametrize(("text", "day"), [("2025-03-31 资金尚未到位", "2025-03-31"), ("明年3月底", "2025-03-31"),
                                           ("3月31日", "2025-03-31"), ("12月底", "2024-12-31"),
                                           ("延期至2025年6月30日，因资金未到位", "2025-06-30"), ("看情况", None)])
def test_read_date_for_extend(text: str, day: str | None) -> None:
    assert read_date(text, OCT) == (D(day) if day else None)
