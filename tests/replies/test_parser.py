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
from bot.replies.dates import DateProblem, read_checked_date, read_date
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
    # negated words (issue 16): a negated 已完成 is 未完成, a negated 推进 says nothing; a range is no sign
    ("不是已完成", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("并非已完成", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("不是已经完成了，还在收尾", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("没有完成", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("没完成", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("还没有完成", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("不算完成", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("并未全部完成", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("没有推进", None, None, None, OCT),
    ("未推进", None, None, None, OCT),
    ("不在推进", None, None, None, OCT),
    ("未延期，已完成", ReportedStatus.DONE, 100, None, OCT),
    ("进度40-50%", ReportedStatus.IN_PROGRESS, 50, None, OCT),
    ("完成进度0%", ReportedStatus.IN_PROGRESS, 0, None, OCT),
    ("预计2028-02-29完成", ReportedStatus.IN_PROGRESS, None, "2028-02-29", OCT),
    ("预计2029年6月完成", ReportedStatus.IN_PROGRESS, None, "2029-06-30", OCT),
    # issue 22: 「不能说已完成」 negates; a question states no status (its problem: QUESTION, see below)
    ("不能说已完成", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("不能说已经全部完成，还在收尾", ReportedStatus.IN_PROGRESS, None, None, OCT),
    ("是否需要延期？目前已完成80%", ReportedStatus.IN_PROGRESS, 80, None, OCT),
    ("已完成，还有什么要报的吗？", ReportedStatus.DONE, 100, None, OCT),
    ("还在推进呢", ReportedStatus.IN_PROGRESS, None, None, OCT),
    # nothing to understand
    ("好的", None, None, None, OCT),
    ("收到", None, None, None, OCT),
    ("", None, None, None, OCT),
]


@pytest.mark.parametrize(
    ("text", "status", "percent", "expected", "now"),
    TABLE,
    ids=[f"{i:02d}-{row[0][:12]}" for i, row in enumerate(TABLE)],
)
def test_table(text: str, status: str | None, percent: int | None, expected: str | None, now: dt.datetime) -> None:
    got = parse_reply(text, now)
    assert (got.status, got.percent, got.expected_date) == (status, percent, D(expected) if expected else None)
    assert got.problems == ()


# Misread before issue 16, each stored as a fact: a date that does not exist, a percent outside 0-100 in any
# notation, and an expected date years ahead are refused with what was written, never turned into a neighbour.
# text, the problem, what the answer quotes, the percent read (over 100 is kept to be quoted)
MISREAD: list[tuple[str, str, str | None, int | None]] = [
    ("预计2099年13月45日完成", ReplyProblem.DATE_INVALID, "2099年13月45日", None),
    ("预计2025年2月30日完成", ReplyProblem.DATE_INVALID, "2025年2月30日", None),
    ("预计2月30日完成", ReplyProblem.DATE_INVALID, "2月30日", None),
    ("预计12月45日完成", ReplyProblem.DATE_INVALID, "12月45日", None),
    ("预计13月完成", ReplyProblem.DATE_INVALID, "13月", None),
    ("预计2027年0月0日完成", ReplyProblem.DATE_INVALID, "2027年0月0日", None),
    ("预计2025-02-29前完成", ReplyProblem.DATE_INVALID, "2025-02-29", None),
    ("预计2024/13/01完成", ReplyProblem.DATE_INVALID, "2024/13/01", None),
    ("预计2025.02.30完成", ReplyProblem.DATE_INVALID, "2025.02.30", None),
    ("预计二〇二五年二月三十日完成", ReplyProblem.DATE_INVALID, "二〇二五年二月三十日", None),
    ("预计10000-01-01完成", ReplyProblem.DATE_INVALID, "10000-01-01", None),
    ("已于2月30日完成", ReplyProblem.DATE_INVALID, "2月30日", None),
    ("预计9999-12-31完成", ReplyProblem.DATE_TOO_FAR, "9999-12-31", None),
    ("预计2099年底完成", ReplyProblem.DATE_TOO_FAR, "2099-12-31", None),
    ("力争2030年6月完成", ReplyProblem.DATE_TOO_FAR, "2030年6月", None),
    ("预计二〇三五年六月完成", ReplyProblem.DATE_TOO_FAR, "二〇三五年六月", None),
    ("预计10年内完成", ReplyProblem.DATE_TOO_FAR, "2034-10-15", None),
    ("进度百分之一千", ReplyProblem.PERCENT_OVER_100, None, 1000),
    ("进度百分之一百零一", ReplyProblem.PERCENT_OVER_100, None, 101),
    ("进度 100.5%", ReplyProblem.PERCENT_OVER_100, None, 101),
    ("进度十一成", ReplyProblem.PERCENT_OVER_100, None, 110),
    ("完成五分之六", ReplyProblem.PERCENT_OVER_100, None, 120),
    ("进度1000%", ReplyProblem.PERCENT_OVER_100, None, 1000),
    ("进展-50%", ReplyProblem.PERCENT_NEGATIVE, "-50%", None),
    ("进展 − 50%", ReplyProblem.PERCENT_NEGATIVE, "− 50%", None),
    ("进展－50％", ReplyProblem.PERCENT_NEGATIVE, "-50%", None),
    ("进展负50%", ReplyProblem.PERCENT_NEGATIVE, "负50%", None),
    ("进度百分之负五十", ReplyProblem.PERCENT_NEGATIVE, "百分之负五十", None),
    ("进度负百分之五十", ReplyProblem.PERCENT_NEGATIVE, "负百分之五十", None),
]


@pytest.mark.parametrize(("text", "problem", "written", "percent"), MISREAD, ids=[row[0] for row in MISREAD])
def test_misread_replies_are_refused_with_what_was_written(
    text: str, problem: str, written: str | None, percent: int | None
) -> None:
    got = parse_reply(text, OCT)
    assert got.problems[:1] == (problem,)
    assert got.written == written
    assert got.percent == percent
    if problem == ReplyProblem.DATE_INVALID:
        assert got.expected_date is None and got.past_date is None


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 60


@pytest.mark.parametrize("text", ["完成了吗？", "已完成？不，还没有", "完成了吗", "是否已完成？"])
def test_a_question_is_asked_back_not_stored_as_done(text: str) -> None:
    got = parse_reply(text, OCT)
    assert got.problems == (ReplyProblem.QUESTION,) and got.status is None and got.percent is None


def test_a_statement_beside_a_question_is_no_question() -> None:
    assert parse_reply("是否需要延期？目前已完成80%", OCT).problems == ()


@pytest.mark.parametrize(
    ("text", "extension"),
    [
        ("因资金未到位，需延期至明年3月底", True),
        ("因疫情影响推迟", True),
        ("不需要延期，按计划推进", False),
        ("已完成，无需延期", False),
    ],
)
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


def test_a_long_text_is_read() -> None:
    """Its time is bench/bench_replies.py's (2 s budget): a test asserts no wall-clock time (issue 23)."""
    text = "正在推进，预计12月底完成。" * 300
    assert parse_reply(text, OCT).status == ReportedStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("六十", 60),
        ("七十五", 75),
        ("一百", 100),
        ("百", 100),
        ("十二", 12),
        ("两", 2),
        ("12", 12),
        ("", None),
        ("六x", None),
    ],
)
def test_cn_number(text: str, value: int | None) -> None:
    assert cn_number(text) == value


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-03-31 资金尚未到位", "2025-03-31"),
        ("明年3月底", "2025-03-31"),
        ("3月31日", "2025-03-31"),
        ("12月底", "2024-12-31"),
        ("延期至2025年6月30日，因资金未到位", "2025-06-30"),
        ("看情况", None),
    ],
)
def test_read_date_for_extend(text: str, day: str | None) -> None:
    assert read_date(text, OCT) == (D(day) if day else None)


@pytest.mark.parametrize(
    ("text", "far", "written"),
    [
        ("2027年0月0日", False, "2027年0月0日"),
        ("2028-02-30 资金未到位", False, "2028-02-30"),
        ("2025-13-01", False, "2025-13-01"),
        ("2025年2月30日", False, "2025年2月30日"),
        ("9999-12-31", True, "9999-12-31"),
        ("2099年12月31日", True, "2099年12月31日"),
        ("2099年底", True, "2099-12-31"),
    ],
)
def test_extend_refuses_what_read_date_would_misread(text: str, far: bool, written: str) -> None:
    got = read_checked_date(text, OCT)
    assert isinstance(got, DateProblem) and (got.far, got.written) == (far, written)


def test_extend_reads_real_dates_as_before() -> None:
    assert read_checked_date("2028-02-29", OCT) == D("2028-02-29")
    assert read_checked_date("明年3月底", OCT) == D("2025-03-31")
    assert read_checked_date("看情况", OCT) is None
