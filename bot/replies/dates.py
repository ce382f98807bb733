"""Dates in a progress reply, relative to the message time: "12月底", "下月中旬", "明年一季度", "两周内".

Part of the reply parser (bot/replies/parser.py), pure as it is. jionlp's `extract_time` reads most Chinese
forms; the own rules here cover only what jionlp 1.5.31 misses or misreads (月底前 and 年内 alone,
下个月, 11月 / 12月份, 年中, "N周内 / N个月内" — it reads 两周内 as two days), and run first so that
what they matched is hidden from jionlp. A date without a year that has already passed means next
year's when the wording makes it an expectation ("预计9月底完成" written in October); a dated past fact
("已于10月10日召开") is ignored; of several expected dates the latest counts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from bot.core.months import add_months, month_end
from bot.core.numerals import CN_DIGITS, CN_NUM, cn_number

# --- numbers -------------------------------------------------------------------------------------------

NUM = rf"(?:\d+|[{CN_NUM}]+)"


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans blanked out (same length, so offsets stay valid): what one reading has
    used up (a percentage, a date) is not read again by the next."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "，" * (end - start)
    return "".join(chars)


# --- dates ---------------------------------------------------------------------------------------------


@cache
def _jionlp() -> ModuleType | None:
    """jionlp, imported on first use (0.3 s) with its import banner silenced; None if it is missing."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            import jionlp
        except ImportError:  # pragma: no cover - it is a dependency; the own rules still work
            return None
    module: ModuleType = jionlp  # untyped (an Any): named as the module it is
    return module


@dataclass(frozen=True)
class _Date:
    start: int
    end: int
    date: dt.date
    text: str
    explicit_year: bool  # 2025年…, 明年…: never moved to next year
    relative: bool  # 下周五, 两周内: already relative to the message time


_YEAR = re.compile(r"\d{4}\s*年|[今明后去前本]年|[零〇一二三四五六七八九]{4}年|\d{4}[-/.]")
_RELATIVE = re.compile(r"[下本这上]个?(?:周|星期|礼拜|月)|[明后今昨]天|\d+天|[天周月]后|周[一二三四五六日末]")
_MONTH = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_YEAR_PREFIX = r"(?:(\d{4})\s*年|([今明后本])年)?"


def _nextmonth_end(today: dt.date) -> dt.date:
    return month_end(today.year + 1, 1) if today.month == 12 else month_end(today.year, today.month + 1)


def _prefixed_year(match: re.Match[str], today: dt.date) -> tuple[int, bool]:
    """The year a 2025年 / 明年 prefix names (groups 1 and 2), else this year; and whether one was given."""
    if match[1]:
        return int(match[1]), True
    if match[2]:
        return today.year + {"今": 0, "本": 0, "明": 1, "后": 2}[match[2]], True
    return today.year, False


def _within(unit: str) -> Callable[[re.Match[str], dt.date], tuple[dt.date, bool, bool] | None]:
    def rule(match: re.Match[str], today: dt.date) -> tuple[dt.date, bool, bool] | None:
        n = cn_number(match[1])
        if not n:
            return None
        if unit == "day":
            return today + dt.timedelta(days=n), False, True
        if unit == "week":
            return today + dt.timedelta(weeks=n), False, True
        if unit == "month":
            return add_months(today, n), False, True
        return add_months(today, 12 * n), False, True

    return rule


def _month_rule(match: re.Match[str], today: dt.date) -> tuple[dt.date, bool, bool] | None:
    month = cn_number(match[3])
    if not month or month > 12:
        return None
    year, explicit = _prefixed_year(match, today)
    return month_end(year, month), explicit, False


def _year_end(match: re.Match[str], today: dt.date) -> tuple[dt.date, bool, bool]:
    year, explicit = _prefixed_year(match, today)
    return dt.date(year, 12, 31), explicit, False


def _mid_year(match: re.Match[str], today: dt.date) -> tuple[dt.date, bool, bool]:
    year, explicit = _prefixed_year(match, today)
    return dt.date(year, 6, 30), explicit, False


# Forms jionlp 1.5.31 misses or misreads; tried first, and what they match is hidden from jionlp.
_OWN_RULES: tuple[
    tuple[re.Pattern[str], Callable[[re.Match[str], dt.date], tuple[dt.date, bool, bool] | None]], ...
] = (
    (re.compile(rf"({NUM})个?(?:周|星期|礼拜)(?:之内|以内|内)"), _within("week")),
    (re.compile(rf"({NUM})个月(?:之内|以内|内)"), _within("month")),
    (re.compile(rf"({NUM})(?:天|日)(?:之内|以内|内)"), _within("day")),
    (re.compile(rf"({NUM})年(?:之内|以内|内)"), _within("year")),
    (
        re.compile(rf"(?<![{CN_NUM}\d本下上个这])月(?:底|末)(?:之前|以前|前)?"),
        lambda m, today: (month_end(today.year, today.month), False, True),
    ),
    (
        re.compile(r"下个?月份?(?![初中底末上下旬\d一二三四五六七八九十])"),
        lambda m, today: (_nextmonth_end(today), False, True),
    ),
    (re.compile(rf"{_YEAR_PREFIX}年(?:内|度内)"), _year_end),
    (re.compile(r"(?:(\d{4})\s*年?|([今明后本])年)?年中"), _mid_year),
    (re.compile(rf"{_YEAR_PREFIX}{_MONTH}月份?(?![\d日号初中底末上下旬])"), _month_rule),
)


def _own_dates(text: str, today: dt.date) -> list[_Date]:
    found: list[_Date] = []
    for pattern, rule in _OWN_RULES:
        for match in pattern.finditer(text):
            if any(d.start < match.end() and match.start() < d.end for d in found):
                continue
            try:
                result = rule(match, today)
            except (ValueError, OverflowError):  # 601003个月内, 9999年12月: past the calendar's end, no date
                result = None
            if result is not None:
                found.append(_Date(match.start(), match.end(), result[0], match[0], result[1], result[2]))
    return found


# jionlp finds a date by trying every substring (up to 35 characters) of the run of "time characters" around
# it, again for each date in the run: text that is one long run of dates ("3月3月3月…", "下周五，下周五，…")
# costs it about 0.1 s a date, one to two minutes for a single 4,096-character report — and the bot handles
# updates one at a time, so every chat would wait. It is given only the prefix of the text whose runs fit
# JIONLP_BUDGET, an upper bound of its attempts (about a second's worth); dates after that are not read by it
# (the own rules above still read the whole text). Real text is far inside: every 4,096 characters of the
# five seed documents cost at most 7,700, the longest sentence of tests/replies/test_parser.py 600.
JIONLP_BUDGET = 20_000
_JIONLP_WINDOW = 35  # jionlp's grid search: the longest substring it tries


@cache
def _time_runs() -> re.Pattern[str] | None:
    """jionlp's own pattern for a run of time characters (what it grid-searches), None without jionlp."""
    if _jionlp() is None:
        return None
    from jionlp.rule.rule_pattern import TIME_CHAR_STRING

    return re.compile(TIME_CHAR_STRING)


def affordable(text: str) -> str:
    """The longest prefix of `text` that jionlp reads within JIONLP_BUDGET attempts."""
    runs = _time_runs()
    spent = 0
    for run in runs.finditer(text) if runs is not None else ():
        n = len(run[0])
        spent += (n // 2 + 1) * min(n, _JIONLP_WINDOW) ** 2 // 2  # ≤ n/2 dates (2+ characters each) + a miss
        if spent > JIONLP_BUDGET:
            return text[: run.start()]
    return text


def _jionlp_dates(text: str, now: dt.datetime) -> list[_Date]:
    jio = _jionlp()
    text = affordable(text)
    if jio is None or not text.strip("，"):
        return []
    try:
        entities = jio.ner.extract_time(text, time_base=now.replace(tzinfo=None), with_parsing=True)
    except Exception:  # a third-party parser's failure must never lose a report
        return []
    found = []
    for entity in entities:
        day = _entity_date(entity)
        if day is not None:
            start, end = entity["offset"]
            found.append(
                _Date(
                    start,
                    end,
                    day,
                    entity["text"],
                    bool(_YEAR.search(entity["text"])),
                    bool(_RELATIVE.search(entity["text"])),
                )
            )
    return found


def _entity_date(entity: dict[str, Any]) -> dt.date | None:
    detail = entity.get("detail") or {}
    if detail.get("type") not in ("time_point", "time_span"):
        return None
    times = detail.get("time") or []
    if len(times) != 2:
        return None
    pick = times[0] if entity["text"].endswith("后") and times[0] != "-inf" else times[1]
    if "inf" in pick:
        pick = times[0] if "inf" in times[1] else times[1]
    try:
        return dt.datetime.strptime(pick, "%Y-%m-%d %H:%M:%S").date()
    except ValueError:
        return None


def _next_year(found: _Date, now: dt.datetime) -> dt.date:
    """The same expression a year on (春节前 written in October means next year's Spring Festival)."""
    jio = _jionlp()
    if jio is not None:
        with contextlib.suppress(Exception):  # a third-party parser's failure: fall back to the same day
            result = jio.parse_time("明年" + found.text, time_base=now.replace(tzinfo=None))
            day = _entity_date({"text": found.text, "detail": result})
            if day is not None and day > found.date:
                return day
    if found.date.year >= dt.MAXYEAR:
        return found.date
    try:
        return found.date.replace(year=found.date.year + 1)
    except ValueError:  # 29 February
        return found.date.replace(year=found.date.year + 1, day=28)


_EXPECT_BEFORE = re.compile(r"(?:预计|计划|争取|力争|确保|将于|将在|将|拟于|拟在|拟|有望|可望|预期|于|在|到|至)$")
_EXPECT_AFTER = re.compile(
    r"^(?:之前|以前|前|全部|全面|基本|底前)?"
    r"(?:完成|办结|出台|印发|建成|上线|到位|交付|竣工|验收|实现|启动|报送|提交|落地|投用|投产|开工)"
)


def _is_expectation(text: str, found: _Date) -> bool:
    after = text[found.end : found.end + 8]
    if after.startswith(("已", "，已", "已经")):
        return False
    before = text[max(0, found.start - 4) : found.start]
    if re.search(r"已(?:经)?[于在]?$|截[至止]到?$", before):
        return False
    return bool(_EXPECT_BEFORE.search(before) or _EXPECT_AFTER.search(after) or found.text.endswith("前"))


def expected_date(text: str, now: dt.datetime) -> tuple[dt.date | None, dt.date | None]:
    """(expected date, an expected date already past)."""
    today = now.date()
    own = _own_dates(text, today)
    candidates = own + _jionlp_dates(mask(text, [(d.start, d.end) for d in own]), now)
    future: list[tuple[bool, dt.date]] = []
    past: list[dt.date] = []
    for found in candidates:
        expected = _is_expectation(text, found)
        day = found.date
        if day < today and expected and not found.explicit_year and not found.relative:
            day = _next_year(found, now)
        if day >= today:
            future.append((expected, day))
        elif expected:
            past.append(day)
    marked = [day for is_expected, day in future if is_expected]
    return (max(marked) if marked else None), (max(past) if past and not future else None)


# --- dates that do not exist, or lie too far ahead -------------------------------------------------------
# jionlp and the own rules turn a date that does not exist into a neighbour (2099年13月45日 → 2099-12-31,
# 2028-02-30 → 2028-02-29, 2027年0月0日 → 2027-12-31) and drop a year past its range (9999-12-31 → this
# year's 12-31). A date is therefore checked as written first: month 1-12, a day its month has (29 February
# in some year, when no year is given), a year of four digits. Checked on the NFKC text the parser reads.

MAX_YEARS_AHEAD = 5  # an expected date further ahead than this is questioned, not stored
_CN_DIGIT = "零〇一二三四五六七八九"
_Y = rf"(\d{{4,}}|[{_CN_DIGIT}]{{4}})"
_MD = r"(\d{1,3}|[零〇一二两三四五六七八九十]{1,3})"
_WRITTEN_DATES = (  # (pattern, and the groups of its year, month and day; 0 for none)
    (re.compile(rf"(?<!\d){_Y}\s*年\s*{_MD}\s*月\s*{_MD}\s*[日号]"), 1, 2, 3),
    (re.compile(r"(?<![\d.])(\d{4,})([-/.])(\d{1,3})\2(\d{1,3})(?![\d.])"), 1, 3, 4),
    (re.compile(rf"(?<!\d){_Y}\s*年\s*{_MD}\s*月"), 1, 2, 0),
    (re.compile(rf"(?<![\d年{_CN_DIGIT}十两])(?<![\d年][-/.]){_MD}\s*月\s*{_MD}\s*[日号]"), 0, 1, 2),
    (re.compile(rf"(?<![\d年{_CN_DIGIT}十两个第]){_MD}\s*月(?!\s*[\d{_CN_DIGIT}十])"), 0, 1, 0),
)


def _year(text: str) -> int:
    """2025, or 二〇二五 digit by digit."""
    return int(text) if text.isdigit() else int("".join(str(CN_DIGITS[ch]) for ch in text))


@dataclass(frozen=True)
class DateProblem:
    far: bool  # a real date, too far ahead; else one that does not exist
    written: str  # as written: 2月30日, 9999-12-31
    day: dt.date | None = None  # the date, when it exists (the last day of the month when no day is given)


def date_problem(text: str, today: dt.date) -> DateProblem | None:
    """The first written date that does not exist, or that lies in a year more than MAX_YEARS_AHEAD years
    ahead (jionlp misreads those past about 2200: 9999-12-31 became this year's 31 December); None when
    every written date is a real one within reach."""
    taken: list[tuple[int, int]] = []
    for pattern, year_group, month_group, day_group in _WRITTEN_DATES:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            year = _year(match[year_group]) if year_group else None
            month = cn_number(match[month_group])
            day = cn_number(match[day_group]) if day_group else None
            has_day = bool(day_group)
            written = match[0].strip()
            if year is not None and not 1 <= year <= 9999:
                return DateProblem(False, written)
            if (
                month is None
                or not 1 <= month <= 12
                or (has_day and (day is None or day < 1 or day > month_end(year or 2024, month).day))
            ):
                return DateProblem(False, written)
            if year is not None and year > today.year + MAX_YEARS_AHEAD:
                last = month_end(year, month)
                return DateProblem(True, written, last.replace(day=day) if day else last)
    return None


def too_far(day: dt.date, today: dt.date) -> bool:
    """An expected date more than MAX_YEARS_AHEAD years after `today`."""
    if today.year + MAX_YEARS_AHEAD > dt.MAXYEAR:  # a clock in the year 9999: nothing is that far ahead
        return False
    return day > add_months(today, 12 * MAX_YEARS_AHEAD)


def read_date(text: str, now: dt.datetime) -> dt.date | None:
    """The first date written in `text`, as meant at `now` (for /extend: 2025-03-31, 明年3月底, 12月底).

    Unlike a report's expected date no wording around it is needed; a date without a year that has
    passed means next year's."""
    text = unicodedata.normalize("NFKC", text or "")
    today = now.date()
    own = _own_dates(text, today)
    found = sorted(own + _jionlp_dates(mask(text, [(d.start, d.end) for d in own]), now), key=lambda d: d.start)
    if not found:
        return None
    first = found[0]
    if first.date < today and not first.explicit_year and not first.relative:
        return _next_year(first, now)
    return first.date


def read_checked_date(text: str, now: dt.datetime) -> dt.date | DateProblem | None:
    """`read_date` for /extend, refusing what it would misread: a written date that does not exist (2028-02-30
    is not 2028-02-29) or one more than MAX_YEARS_AHEAD years ahead comes back as the DateProblem."""
    problem = date_problem(unicodedata.normalize("NFKC", text or ""), now.date())
    if problem is not None:
        return problem
    day = read_date(text, now)
    if day is not None and too_far(day, now.date()):
        return DateProblem(True, day.isoformat(), day)
    return day
