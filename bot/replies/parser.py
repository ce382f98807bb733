"""The reply parser: a unit's free Chinese progress text → status, percent and expected date.

A pure function of (text, message time): no store, no clock, no Telegram, so the table in
tests/replies/test_parser.py pins its behaviour. How it reads a sentence:

- **Status** comes from words, strongest first: 受阻/困难/需…协调 (blocked, unless negated: 无困难) →
  尚未启动 (not started) → 全部完成/办结 (done) → 未完成 (in progress) → 已完成 (done, unless the same
  text also says 正在… or gives a future date: "已完成初稿，预计12月底完成" is still in progress) →
  推进中/正在/基本完成 (in progress). A percentage below 100 turns "done" into in progress; 100% alone
  means done; a bare percentage means in progress.
- **Percent**: 60%, 百分之六十, 六成, 过半/一半 (50), 三分之一 (33). Growth figures (同比增长15%) are not
  progress and are skipped; the first remaining one counts.
- **Expected date**, relative to the message time in the configured zone (bot/replies/dates.py: jionlp
  for most Chinese forms, own rules for the few it misses). dateparser is not used: every form it reads
  here (2025年6月30日, 明天, 3天后) jionlp reads too. Of several expected dates the latest counts.
- **Problems** the caller must refuse rather than store: a percent outside 0-100 in any notation (-50%,
  负50%, 百分之一千, 100.5% rounds up, 十一成), a written date that does not exist (13月, 2月30日:
  jionlp would read a neighbour), an expected date that has passed (an explicit year: "预计2023年6月完成"
  written in 2024), or one more than MAX_YEARS_AHEAD years ahead (9999-12-31; bot.chat.reports lets it
  through when the task's own deadline is that far). `written` quotes what the problem is about.
- **Negation**: a negated 已完成 (不是已完成, 并非, 没完成, 不能说已完成) is 未完成, i.e. in progress, as
  the table has always read 未完成; a negated progress word (没有推进) says nothing.
- **Questions**: a clause that asks (ends in ？, or in 吗/么) states nothing: 「完成了吗？」 is no report
  of done. When the rest states no status either (「已完成？不，还没有」), the problem is QUESTION: the
  bot asks what is meant and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bot.core.numerals import CN_NUM, cn_number
from bot.core.vocab import ReplyProblem, ReportedStatus
from bot.replies.dates import DateProblem, date_problem, expected_date, mask, too_far


@dataclass(frozen=True)
class ParsedReply:
    """What a reply says. `problems` non-empty means: tell the user, store nothing."""

    status: ReportedStatus | None = None
    percent: int | None = None
    expected_date: dt.date | None = None
    extension: bool = False  # the text asks for more time (延期, 推迟…)
    past_date: dt.date | None = None  # an expected date that has already passed
    problems: tuple[str, ...] = field(default=())
    written: str | None = None  # what a problem is about, as written (2月30日, -50%)

    @property
    def understood(self) -> bool:
        return self.status is not None or self.percent is not None or self.expected_date is not None


# --- percent -------------------------------------------------------------------------------------------

_SIGN = r"(?:(?<![\d.%])([-−负]|负百分之)\s*)?"
_PERCENT_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], float | None]], ...] = (
    (re.compile(rf"{_SIGN}(\d{{1,7}}(?:\.\d+)?)\s*%"), lambda m: _signed(m, float(m[2]))),
    (
        re.compile(rf"(?:(负)\s*)?百分之\s*(负)?((?:\d+(?:\.\d+)?)|[{CN_NUM}千]+)"),
        lambda m: _value(float(m[3]) if m[3][0].isdigit() else cn_number(m[3]), negative=bool(m[1] or m[2])),
    ),
    (
        re.compile(r"([二两三四五六七八九十])分之([一二三四五六七八九十]+)"),
        lambda m: _value(100 * (cn_number(m[2]) or 0) / (cn_number(m[1]) or 1)),
    ),
    (
        re.compile(
            rf"(?<![{CN_NUM}\d])(十[一二三四五六七八九]|[一二两三四五六七八九十])成(?!本|果|员|立|绩|熟|效|交|为|型|都)"
        ),
        lambda m: _value(10 * (cn_number(m[1]) or 0)),
    ),
    (re.compile(r"过半|一半|完成近半"), lambda m: 50.0),
)


def _value(number: float | int | None, *, negative: bool = False) -> float | None:
    return None if number is None else -float(number) if negative else float(number)


def _signed(match: re.Match[str], number: float) -> float:
    return -number if match[1] else number


_GROWTH = re.compile(r"(?:增长|下降|提高|增加|降低|减少|增幅|降幅|上涨|同比|环比|增速)[^，。；,;]{0,4}$")


def _percents(text: str) -> Iterator[tuple[int, int, float | None]]:
    """(start, end, value) of every progress percentage, as written (negative, over 100, a fraction);
    growth figures yield value None."""
    for pattern, value in _PERCENT_FORMS:
        for match in pattern.finditer(text):
            growth = _GROWTH.search(text[max(0, match.start() - 8) : match.start()])
            yield match.start(), match.end(), None if growth else value(match)


# --- status --------------------------------------------------------------------------------------------

_CLAUSE_END = "，。；！？,.;!?\n"
_NEGATION = re.compile(
    r"(?:无|没有|没|暂无|尚无|并无|未遇到|未发现|不存在|不|不需要?|无需|无须|不用|不会|不必|未|并非"
    r"|不是)$"
)
_BLOCKED = re.compile(
    r"受阻|阻碍|阻力|困难(?!群众|家庭|户|职工|企业|学生|人员|群体|对象)|难以|无法推进|无法实施|停滞|暂停|搁置|卡在|瓶颈"
    r"|需(?:要)?[^，。；,;]{0,12}?协调|(?:请求|提请|恳请|请)[^，。；,;]{0,12}?协调|协调难|存在问题|问题较多"
)
_NOT_STARTED = re.compile(r"(?:尚未|还未|还没有?|暂未|没有|未)(?:正式)?(?:启动|开展|开始|动工|实施)")
_NOT_DONE = re.compile(
    r"(?:尚未|还未|还没有?|暂未|没有|没|未能|未|无法|不能|不是|并非|并未|并没有?|不算|算不上)"
    r"(?:说|算|叫|讲)?(?:已经?)?(?:全部|全面|按期|如期)?(?:完成|办结|落实)"
)
_STRONG_DONE = re.compile(
    r"已?(?:全部|全面|圆满|顺利|按期|如期|提前)完成|均已完成|已经全部完成|已完成全部|已?办结"
    r"|任务已完成|已全部落实|已落实到位"
)
_WEAK_DONE = re.compile(
    r"已(?:经)?(?:按要求|按时|如期)?完成|完成了|已落实|已出台|已印发|已建成|已竣工|已上线"
    r"|已投入使用|已通过验收"
)
_IN_PROGRESS = re.compile(
    r"推进中|正在|进行中|在推进|推进|已启动|已开展|开展中|实施中|建设中|办理中|跟进中|落实中|起草中|修改中|完善中"
    r"|按计划|序时|基本完成|大部分|部分完成|初步完成|稳步实施|有序实施|进展顺利|有序开展|持续开展|在建|在办"
)
_FUTURE = re.compile(r"预计|计划|争取|力争|确保|将|拟|有望|可望|能|可|待|需|要|前|底|内|月|日|年|季度|旬")
_FUTURE_START = re.compile(r"启动|开工|开始|开展")
_EXTENSION = re.compile(r"延期|推迟|延后|顺延|延迟|延长(?:时限|期限|时间)|宽限")


def _clause_before(text: str, start: int) -> str:
    cut = max(text.rfind(ch, 0, start) for ch in _CLAUSE_END)
    return text[cut + 1 : start]


def _unnegated(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    return [m for m in pattern.finditer(text) if not _NEGATION.search(text[max(0, m.start() - 4) : m.start()])]


def _status_words(text: str) -> tuple[ReportedStatus | None, bool]:
    """(status, strong): the status the words say, and whether it is an unconditional 'done'."""
    if _unnegated(_BLOCKED, text):
        return ReportedStatus.BLOCKED, False
    if _NOT_STARTED.search(text):
        return ReportedStatus.NOT_STARTED, False
    not_done = list(_NOT_DONE.finditer(text))
    rest = mask(text, [m.span() for m in not_done])
    for match in _STRONG_DONE.finditer(rest):
        if "已" in match[0] or not _FUTURE.search(_clause_before(rest, match.start())):
            return ReportedStatus.DONE, True
    if not_done:
        return ReportedStatus.IN_PROGRESS, False
    weak = [m for m in _WEAK_DONE.finditer(rest)]
    progress = _unnegated(_IN_PROGRESS, mask(rest, [m.span() for m in weak]))  # 没有推进 says nothing
    if weak and not progress:
        return ReportedStatus.DONE, False
    if progress or weak:
        return ReportedStatus.IN_PROGRESS, False
    return None, False


# --- questions ---------------------------------------------------------------------------------------

# a clause that asks: it ends in ？ or with 吗/么 (「完成了吗」, 「是否已完成？」); 呢 is left out (「还在推进呢」)
# (anchored at a clause's start, so a long text without punctuation is scanned once, not once per character)
_QUESTION = re.compile(r"(?:^|(?<=[，。；！？,.;!?\n]))[^，。；！？,.;!?\n]*(?:[?？]|[吗么](?=[，。；！,.;!\n]|$))")


def _questions(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses that ask rather than state: their status words are no report."""
    return [m.span() for m in _QUESTION.finditer(text) if m.group().strip("?？ ")]


# --- the parser: a reading, then named rules in order ----------------------------------------------------


@dataclass
class _Reading:
    """What the parser has read so far; each rule below looks at it and may change it."""

    text: str
    now: dt.datetime
    words: str  # the text with percentages and questions masked
    raw: float | None  # the first progress percentage as written (negative, over 100)
    first: tuple[int, int, float | None] | None
    percent: int | None
    status: ReportedStatus | None
    strong: bool
    expected: dt.date | None
    past: dt.date | None
    extension: bool
    bad_date: DateProblem | None
    asked: bool  # some clause is a question


def _read(text: str, now: dt.datetime) -> _Reading:
    percents = sorted(_percents(text))
    first = next(((start, end, value) for start, end, value in percents if value is not None), None)
    raw = first[2] if first is not None else None
    # over 100 rounds up, so that 100.5% is not read as 100; a negative one is no percent at all
    percent = None if raw is None or raw < 0 else math.ceil(raw) if raw > 100 else round(raw)
    questions = _questions(text)
    words = mask(text, [(start, end) for start, end, _ in percents] + questions)
    status, strong = _status_words(words)
    expected, past = expected_date(words, now)
    bad_date = date_problem(words, now.date())
    extension = bool(_unnegated(_EXTENSION, words))
    return _Reading(
        text, now, words, raw, first, percent, status, strong, expected, past, extension, bad_date, bool(questions)
    )


def _bad_date_wins(r: _Reading) -> None:
    """What jionlp made of a date that does not exist is a neighbour of it (2月30日 → 2月28日), not it."""
    if r.bad_date is not None:
        r.expected, r.past = r.bad_date.day, None


def _partial_is_not_done(r: _Reading) -> None:
    """「已完成60%」, 「已完成初稿，预计12月底完成」: done words with a percent below 100 or a future date."""
    partial = r.percent is not None and r.percent < 100
    future = not r.strong and r.expected is not None and r.expected > r.now.date()
    if r.status == ReportedStatus.DONE and (partial or future):
        r.status = ReportedStatus.IN_PROGRESS


def _status_from_the_rest(r: _Reading) -> None:
    """No status word: 100% is done, a percent is progress, 「预计下月启动」 not started, a date or 延期 progress."""
    if r.status is not None:
        return
    if r.percent is not None:
        r.status = ReportedStatus.DONE if r.percent >= 100 else ReportedStatus.IN_PROGRESS
    elif r.expected is not None and _FUTURE_START.search(r.words):
        r.status = ReportedStatus.NOT_STARTED
    elif r.extension or r.expected is not None:
        r.status = ReportedStatus.IN_PROGRESS


def _done_is_whole(r: _Reading) -> None:
    """Done means 100 % and no date still expected."""
    if r.status == ReportedStatus.DONE:
        r.percent = 100 if r.percent is None else r.percent
        r.expected = r.past = None
        r.extension = False


_RULES: tuple[Callable[[_Reading], None], ...] = (
    _bad_date_wins,
    _partial_is_not_done,
    _status_from_the_rest,
    _done_is_whole,
)


def _problems(r: _Reading) -> tuple[tuple[str, ...], str | None]:
    """(problems, what was written) — each one a reason to ask rather than store."""
    problems: list[str] = []
    written = None
    if r.asked and r.status is None:  # 「完成了吗？」, 「已完成？不，还没有」: asked, not said
        problems.append(ReplyProblem.QUESTION)
        written = r.text[:40]
    if r.raw is not None and r.raw < 0 and r.first is not None:
        problems.append(ReplyProblem.PERCENT_NEGATIVE)
        written = r.text[r.first[0] : r.first[1]]
    if r.percent is not None and r.percent > 100:
        problems.append(ReplyProblem.PERCENT_OVER_100)
    if r.bad_date is not None:
        problems.append(ReplyProblem.DATE_TOO_FAR if r.bad_date.far else ReplyProblem.DATE_INVALID)
        written = written or r.bad_date.written
    elif r.expected is not None and too_far(r.expected, r.now.date()):
        problems.append(ReplyProblem.DATE_TOO_FAR)
        written = written or r.expected.isoformat()
    if r.past is not None and r.expected is None:
        problems.append(ReplyProblem.DATE_IN_PAST)
    return tuple(problems), written


def parse_reply(text: str, now: dt.datetime) -> ParsedReply:
    """Read a progress reply written at `now` (an aware datetime in the configured time zone): a reading,
    then each of `_RULES` in order, then the problems."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return ParsedReply()
    reading = _read(text, now)
    for rule in _RULES:
        rule(reading)
    problems, written = _problems(reading)
    return ParsedReply(
        reading.status, reading.percent, reading.expected, reading.extension, reading.past, problems, written
    )
