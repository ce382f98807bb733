"""The reply parser: a unit's free Chinese progress text → status, percent and expected date.

A pure function of (text, message time): no store, no clock, no Telegram, so the table in
tests/test_replies.py pins its behaviour. How it reads a sentence:

- **Status** comes from words, strongest first: 受阻/困难/需…协调 (blocked, unless negated: 无困难) →
  尚未启动 (not started) → 全部完成/办结 (done) → 未完成 (in progress) → 已完成 (done, unless the same
  text also says 正在… or gives a future date: "已完成初稿，预计12月底完成" is still in progress) →
  推进中/正在/基本完成 (in progress). A percentage below 100 turns "done" into in progress; 100% alone
  means done; a bare percentage means in progress.
- **Percent**: 60%, 百分之六十, 六成, 过半/一半 (50), 三分之一 (33). Growth figures (同比增长15%) are not
  progress and are skipped; the first remaining one counts.
- **Expected date**, relative to the message time in the configured zone (bot/replydates.py: jionlp
  for most Chinese forms, own rules for the few it misses). dateparser is not used: every form it reads
  here (2025年6月30日, 明天, 3天后) jionlp reads too. Of several expected dates the latest counts.
- **Problems** the caller must refuse rather than store: a percent over 100, or an expected date
  that has passed (an explicit year: "预计2023年6月完成" written in 2024).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bot.core.numerals import CN_DIGITS, CN_NUM, cn_number
from bot.core.vocab import ReplyProblem, ReportedStatus
from bot.replies.dates import NUM, expected_date, mask


@dataclass(frozen=True)
class ParsedReply:
    """What a reply says. `problems` non-empty means: tell the user, store nothing."""

    status: str | None = None
    percent: int | None = None
    expected_date: dt.date | None = None
    extension: bool = False                 # the text asks for more time (延期, 推迟…)
    past_date: dt.date | None = None        # an expected date that has already passed
    problems: tuple[str, ...] = field(default=())

    @property
    def understood(self) -> bool:
        return self.status is not None or self.percent is not None or self.expected_date is not None


# --- percent -------------------------------------------------------------------------------------------

_PERCENT_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], int | None]], ...] = (
    (re.compile(r"(\d{1,4}(?:\.\d+)?)\s*%"), lambda m: round(float(m[1]))),
    (re.compile(rf"百分之({NUM}(?:\.\d+)?)"),
     lambda m: round(float(m[1])) if m[1][0].isdigit() else cn_number(m[1])),
    (re.compile(r"([二两三四五六七八九十])分之([一二三四五六七八九])"),
     lambda m: round(100 * CN_DIGITS[m[2]] / (cn_number(m[1]) or 1))),
    (re.compile(rf"(?<![{CN_NUM}\d])([一二两三四五六七八九十])成(?!本|果|员|立|绩|熟|效|交|为|型|都)"),
     lambda m: 10 * (cn_number(m[1]) or 0)),
    (re.compile(r"过半|一半|完成近半"), lambda m: 50),
)
_GROWTH = re.compile(r"(?:增长|下降|提高|增加|降低|减少|增幅|降幅|上涨|同比|环比|增速)[^，。；,;]{0,4}$")


def _percents(text: str) -> Iterator[tuple[int, int, int | None]]:
    """(start, end, value) of every progress percentage; growth figures yield value None."""
    for pattern, value in _PERCENT_FORMS:
        for match in pattern.finditer(text):
            growth = _GROWTH.search(text[max(0, match.start() - 8):match.start()])
            yield match.start(), match.end(), None if growth else value(match)


# --- status --------------------------------------------------------------------------------------------

_CLAUSE_END = "，。；！？,.;!?\n"
_NEGATION = re.compile(r"(?:无|没有|没|暂无|尚无|并无|未遇到|未发现|不存在|不|不需要?|无需|无须|不用|不会|不必)$")
_BLOCKED = re.compile(
    r"受阻|阻碍|阻力|困难(?!群众|家庭|户|职工|企业|学生|人员|群体|对象)|难以|无法推进|无法实施|停滞|暂停|搁置|卡在|瓶颈"
    r"|需(?:要)?[^，。；,;]{0,12}?协调|(?:请求|提请|恳请|请)[^，。；,;]{0,12}?协调|协调难|存在问题|问题较多")
_NOT_STARTED = re.compile(r"(?:尚未|还未|还没有?|暂未|没有|未)(?:正式)?(?:启动|开展|开始|动工|实施)")
_NOT_DONE = re.compile(r"(?:尚未|还未|还没有?|暂未|没有|未能|未|无法|不能)(?:全部|全面|按期|如期)?(?:完成|办结)")
_STRONG_DONE = re.compile(r"已?(?:全部|全面|圆满|顺利|按期|如期|提前)完成|均已完成|已经全部完成|已完成全部|已?办结"
                          r"|任务已完成|已全部落实|已落实到位")
_WEAK_DONE = re.compile(r"已(?:经)?(?:按要求|按时|如期)?完成|完成了|已落实|已出台|已印发|已建成|已竣工|已上线"
                        r"|已投入使用|已通过验收")
_IN_PROGRESS = re.compile(
    r"推进中|正在|进行中|在推进|推进|已启动|已开展|开展中|实施中|建设中|办理中|跟进中|落实中|起草中|修改中|完善中"
    r"|按计划|序时|基本完成|大部分|部分完成|初步完成|稳步实施|有序实施|进展顺利|有序开展|持续开展|在建|在办")
_FUTURE = re.compile(r"预计|计划|争取|力争|确保|将|拟|有望|可望|能|可|待|需|要|前|底|内|月|日|年|季度|旬")
_FUTURE_START = re.compile(r"启动|开工|开始|开展")
_EXTENSION = re.compile(r"延期|推迟|延后|顺延|延迟|延长(?:时限|期限|时间)|宽限")


def _clause_before(text: str, start: int) -> str:
    cut = max(text.rfind(ch, 0, start) for ch in _CLAUSE_END)
    return text[cut + 1:start]


def _unnegated(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    return [m for m in pattern.finditer(text) if not _NEGATION.search(text[max(0, m.start() - 4):m.start()])]


def _status_words(text: str) -> tuple[str | None, bool]:
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
    progress = _IN_PROGRESS.search(mask(rest, [m.span() for m in weak]))
    if weak and not progress:
        return ReportedStatus.DONE, False
    if progress or weak:
        return ReportedStatus.IN_PROGRESS, False
    return None, False


# --- the parser ----------------------------------------------------------------------------------------

def parse_reply(text: str, now: dt.datetime) -> ParsedReply:
    """Read a progress reply written at `now` (an aware datetime in the configured time zone)."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return ParsedReply()
    percents = sorted(_percents(text))
    progress = [value for _, _, value in percents if value is not None]
    percent = progress[0] if progress else None
    words = mask(text, [(start, end) for start, end, _ in percents])
    status, strong = _status_words(words)
    expected, past = expected_date(words, now)
    extension = bool(_unnegated(_EXTENSION, words))

    partial = percent is not None and percent < 100
    if status == ReportedStatus.DONE and (partial or (not strong and expected is not None and expected > now.date())):
        status = ReportedStatus.IN_PROGRESS
    elif status is None and percent is not None:
        status = ReportedStatus.DONE if percent >= 100 else ReportedStatus.IN_PROGRESS
    elif status is None and expected is not None and _FUTURE_START.search(words):
        status = ReportedStatus.NOT_STARTED
    elif status is None and (extension or expected is not None):
        status = ReportedStatus.IN_PROGRESS
    if status == ReportedStatus.DONE:
        percent = 100 if percent is None else percent
        expected = past = None
        extension = False
    problems = []
    if percent is not None and percent > 100:
        problems.append(ReplyProblem.PERCENT_OVER_100)
    if past is not None and expected is None:
        problems.append(ReplyProblem.DATE_IN_PAST)
    return ParsedReply(status, percent, expected, extension, past, tuple(problems))

