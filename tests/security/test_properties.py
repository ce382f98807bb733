"""Properties of the pure functions hostile text goes through: the reply parser (bot/parser.py) never
raises and keeps its outputs within their documented ranges, whatever the text and the message time;
what the assignment becomes after a report stays within the store's ranges; splitting an escaped text
for Telegram never cuts an entity. Hypothesis, about 300 examples each, a few seconds in all."""

from __future__ import annotations

import datetime as dt
import unicodedata
from html import escape
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.chat import reports
from bot.core.vocab import ReplyProblem, ReportedStatus, Status
from bot.render.telegram_text import split_message, visible_length
from bot.replies.dates import read_date, too_far
from bot.replies.parser import ParsedReply, parse_reply
from tests.security.conftest import html_problems

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ZONE = ZoneInfo("Asia/Shanghai")

# Pieces of real progress replies, so that examples reach the status, percent and date rules rather than
# stopping at "nothing understood"; mixed with anything Unicode has.
WORDS = [
    "已完成",
    "完成",
    "基本完成",
    "全部完成",
    "办结",
    "未完成",
    "推进中",
    "正在",
    "尚未启动",
    "受阻",
    "困难",
    "无困难",
    "需",
    "协调",
    "延期",
    "推迟",
    "预计",
    "计划",
    "前",
    "底",
    "年底前",
    "月底",
    "中旬",
    "下旬",
    "下月",
    "下周五",
    "三季度末",
    "明年",
    "一季度",
    "今年",
    "年内",
    "年中",
    "两周内",
    "3个月内",
    "天后",
    "%",
    "百分之",
    "六成",
    "十成",
    "过半",
    "一半",
    "三分之一",
    "九分之八",
    "同比增长",
    "已于",
    "截至",
    "2023年",
    "2025年6月30日",
    "12月",
    "31日",
    "2月29日",
    "13月",
    "0",
    "7",
    "60",
    "100",
    "120",
    "9999",
    "99999",
    ".5",
    "十二",
    "一百",
    "百",
    "二十",
    "，",
    "。",
    "；",
    "\n",
    " ",
    "\u200b",
    "\u202e",
    "\ufeff",
    "<b>",
    "&amp;",
    "'; DROP TABLE",
    "{0}",
]
replyish = st.lists(st.sampled_from(WORDS), max_size=25).map("".join)
texts_ = st.one_of(replyish, st.text(max_size=300), st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31), timezones=st.just(ZONE))


def _check(parsed: ParsedReply, now: dt.datetime) -> None:
    """The ranges bot/parser.py documents, and what bot/reports.py relies on."""
    assert parsed.status is None or parsed.status in tuple(ReportedStatus)
    assert set(parsed.problems) <= set(ReplyProblem)
    assert parsed.percent is None or isinstance(parsed.percent, int)
    if parsed.percent is not None:
        assert parsed.percent >= 0
        # over 100 only ever as a problem the caller refuses: stored percents are 0–100
        assert (parsed.percent > 100) == (ReplyProblem.PERCENT_OVER_100 in parsed.problems)
    else:
        assert ReplyProblem.PERCENT_OVER_100 not in parsed.problems
    today = now.date()
    assert parsed.expected_date is None or parsed.expected_date >= today
    # years ahead only ever as a question (issue 16): 9999-12-31 was stored as this year's 31 December
    if parsed.expected_date is not None and too_far(parsed.expected_date, today):
        assert ReplyProblem.DATE_TOO_FAR in parsed.problems
    if ReplyProblem.DATE_INVALID in parsed.problems:
        assert parsed.expected_date is None and parsed.past_date is None and parsed.written
    assert parsed.past_date is None or parsed.past_date < today
    only_past = parsed.past_date is not None and parsed.expected_date is None
    assert (ReplyProblem.DATE_IN_PAST in parsed.problems) == only_past
    if parsed.status == ReportedStatus.DONE:
        assert parsed.percent is not None and parsed.percent >= 100
        assert parsed.expected_date is None and parsed.past_date is None and not parsed.extension
    assert parsed.understood == (
        parsed.status is not None or parsed.percent is not None or parsed.expected_date is not None
    )


# Found by these properties (each raised ValueError or OverflowError out of the parser, so the report was
# lost to the error handler): periods and dates past the calendar's end.
PAST_THE_CALENDAR = [
    "预计601003个月内完成",
    "99999999天内",
    "9999999999周内",
    "99999年内",
    "9999年12月",
    "预计9999年12月底完成",
]
NOON = dt.datetime(2025, 3, 1, 12, tzinfo=ZONE)


@FAST
@given(texts_, moments)
@example(PAST_THE_CALENDAR[0], NOON)
@example(PAST_THE_CALENDAR[1], NOON)
@example(PAST_THE_CALENDAR[2], NOON)
@example(PAST_THE_CALENDAR[3], NOON)
@example(PAST_THE_CALENDAR[4], NOON)
@example(PAST_THE_CALENDAR[5], NOON)
@example("下个月月底前年内", dt.datetime(9999, 12, 30, 12, tzinfo=ZONE))
def test_the_parser_never_raises_and_stays_in_range(text: str, now: dt.datetime) -> None:
    parsed = parse_reply(text, now)
    _check(parsed, now)
    assert parse_reply(text, now) == parsed  # a pure function
    assert parse_reply(unicodedata.normalize("NFKC", text), now) == parsed  # it reads the NFKC form


@FAST
@given(texts_, moments)
@example(PAST_THE_CALENDAR[0], NOON)
@example(PAST_THE_CALENDAR[4], NOON)
def test_the_extension_date_reader_never_raises(text: str, now: dt.datetime) -> None:
    """/extend reads its date with bot.replydates.read_date: a date or None, never an exception."""
    day = read_date(text, now)
    assert day is None or isinstance(day, dt.date)


@FAST
@given(replyish, moments, st.sampled_from([None, *tuple(ReportedStatus)]))
def test_a_report_leaves_the_assignment_in_the_stores_ranges(text: str, now: dt.datetime, before: str | None) -> None:
    parsed = parse_reply(text, now)
    status = Status.PENDING if before is None else reports.ASSIGNMENT_STATUS[before]
    new_status, percent, expected = reports.next_state(status, 40, None, parsed)
    assert new_status in (Status.PENDING, Status.IN_PROGRESS, Status.BLOCKED, Status.DONE)
    if not parsed.problems:  # what submit_report stores
        assert percent is None or 0 <= percent <= 100
        assert expected is None or expected >= now.date()
        assert new_status != Status.DONE or (percent, expected) == (100, None)


@pytest.mark.parametrize(
    "text", ["下周五" * 1365, "12月底，" * 819, "3月" * 2048, "年底前" * 1365, ("下周五" * 20 + "。") * 67]
)
def test_no_report_text_keeps_the_parser_busy(text: str) -> None:
    """A text that is nothing but dates is parsed within the documented ranges. How long it takes (it cost
    jionlp a minute: ~0.1 s a date; bot.replydates.JIONLP_BUDGET) is bench/bench_replies.py's, against 3 s:
    a test asserts no wall-clock time (issue 23)."""
    now = dt.datetime(2025, 3, 1, 10, tzinfo=ZONE)
    _check(parse_reply(text[: reports.MAX_REPORT_CHARS], now), now)


@FAST
@given(st.text(max_size=600), st.integers(min_value=12, max_value=120))
def test_splitting_escaped_text_never_cuts_an_entity(text: str, limit: int) -> None:
    escaped = escape(text)
    parts = split_message(escaped, limit)
    assert all(visible_length(p) <= limit for p in parts)
    assert all(html_problems(p) == [] for p in parts), parts
    assert "".join(parts).replace("\n", "") == escaped.replace("\n", "")  # nothing lost but line breaks
