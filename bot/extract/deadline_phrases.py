"""Deadline phrases in a task's text → the tasks.yaml `deadline:` and `recurrence:` values.

A phrase that `bot.tasksfile.deadlines` accepts (到2025年, 2025年底前, 2024年6月30日前, 2025年第三季度, 长期坚持) is
written as the document wrote it, so a reviewer sees its words. Phrases that only mean something against
the issue date (第三季度前, 本年度内, 年底前, 6月底前, 11月中旬 = the 20th, 明年6月底前, 上半年 / 年中 / 下半年 in a
时限 field; 上半年拨付到位, 年中前, 第三季度末完成 in a sentence) are resolved here and
written as an ISO date with the phrase in a comment. 每年1月底前 is a yearly recurrence (yearly:01-31) with no
single deadline; 每季度 and 每月 likewise. Open-ended words (长期坚持, 持续推进) count only in a deadline field
of a marker, never in running text, where 持续推进 is an ordinary verb. Some fields mean a date only through
the notice: 立行立改 takes the date the notice sets for such items, a row marked ★ the notice's date for
marked rows, 交办之日起3个月内 the 交办 day the notice names three months later. A date in Chinese numerals with
〇 (二〇二六年六月底前) is read in Arabic digits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import chinese_calendar

from bot.core.months import QUARTER_NUMBERS, add_months, month_end, quarter_end
from bot.core.numerals import CN_DIGITS, cn_number
from bot.tasksfile.deadlines import OPEN_ENDED, resolve_deadline

_DATED = re.compile(
    r"(?:力争|争取)?(?P<to>到|至|于)?(?P<y>\d{4})\s*年\s*(?:(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?)?"
    r"(?P<end>年?底|年?末)?(?P<q>第?[一二三四1-4]季度(?:末|底)?)?(?P<h>上半年|下半年)?(?P<before>前|以前|之前)?"
)
_RELATIVE = re.compile(
    r"(?<![\d年一二三四五六七八九十两多几])(?P<when>本年度内|本年内|今年内|年内|"
    r"今年底前|今年年底前|本年底前|年底前|明年底前|明年年底前|"
    r"(?:(?P<next>明年|次年)|本年|今年)?第?(?P<q>[一二三四1-4])季度(?:(?:末|底)(?:前|以前|(?=完成))|(?:前|以前))|"
    r"(?P<half>上半年|年中)(?:前|以前)?(?=完成|办结|拨付|到位)|(?:年中前)|"
    r"(?:(?P<next2>明年|次年)|本年|今年)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|底|末|下旬|(?P<part>上旬|中旬))?"
    r"(?:前|以前|之前))"
)
_RECURRING = re.compile(
    r"每年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|底|末)?(?:前|以前|之前)|每季度|每个季度|"
    r"每月(?P<md>\d{1,2})日?(?:前|以前)|每月(?:底|末)(?:前)?"
)
_RANGE = re.compile(r"(\d{4})\s*[-—–~至到]+\s*(\d{4})\s*年?")


@dataclass(frozen=True)
class Due:
    value: dt.date | str | None  # what `deadline:` says
    date: dt.date | None  # what it means
    phrase: str | None  # as written, for the YAML comment


def find_deadline(text: str, issued: dt.date) -> Due | None:
    """The latest dated deadline phrase in running text, or None (the document's period then applies)."""
    found: list[Due] = []
    for m in _DATED.finditer(text):
        has_to, has_before = m.group("to"), m.group("before") or m.group("end")
        if not (has_to or has_before or m.group("q") or m.group("h")):
            continue
        if has_to and not has_before and m.group("m") and m.group("d"):
            continue  # 于2023年5月1日 起施行: a date, not a deadline
        phrase = m.group().strip()
        due = _accepted(phrase)
        if due is not None:
            found.append(due)
    for m in _RELATIVE.finditer(text):
        due = _relative(m, issued)
        if due is not None:
            found.append(due)
    if re.search(r"[节旦庆一]前", text):  # 春节前 / 元旦前 / 国庆前 / 五一前 in a sentence
        found += [due] if (due := _holiday(text, issued)) else []
    found = [d for d in found if d.date is not None]
    return max(found, key=lambda d: d.date) if found else None  # type: ignore[arg-type, return-value]


def field_deadline(text: str, issued: dt.date) -> Due | None:
    """A marker's 完成时限 field: the whole value is the phrase (长期坚持 allowed here)."""
    phrase = _arabic_date(re.sub(r"\s+", "", text).strip("。;,"))
    if not phrase:
        return None
    phrase = _last_stage(phrase)
    if phrase in OPEN_ENDED or re.fullmatch(r"长期(?:坚持|推进)?|持续(?:推进|开展)?|常态化(?:推进|开展)?", phrase):
        return Due(phrase if phrase in OPEN_ENDED else "长期坚持", None, phrase)
    return (
        _accepted(phrase)
        or _span_end(phrase)
        or _quarter(phrase, issued)
        or _half(phrase, issued)
        or _short_date(phrase, issued)
        or find_deadline(phrase, issued)
        or _month_verb(phrase, issued)
        or _holiday(phrase, issued)
    )


_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")
_CN_PART = re.compile(r"(?<=[年月])([一二三四五六七八九十]{1,3})(?=[月日])")


def _arabic_date(phrase: str) -> str:
    """A date in Chinese numerals with 〇 (二〇二六年六月底前, a typeset 红头 file's) in Arabic digits, so it
    reads as written that way (2026年6月底前, S13); any other phrase unchanged."""
    if _CN_YEAR.match(phrase) is None:
        return phrase
    phrase = _CN_YEAR.sub(lambda m: "".join(str(CN_DIGITS[c]) for c in m.group(1)) + "年", phrase, count=1)
    return _CN_PART.sub(lambda m: str(cn_number(m.group(1)) or m.group(1)), phrase)


def _span_end(phrase: str) -> Due | None:
    """A year range as a 完成时限 (2026—2027年, a cross-year project): due at the end of its last year, an ISO
    date (N13)."""
    m = re.fullmatch(r"(\d{4})\s*年?\s*[-—–~至到]+\s*(\d{4})\s*年?(?:底|末)?(?:前)?(?:完成)?", phrase)
    if m is None or not int(m.group(1)) < int(m.group(2)) <= int(m.group(1)) + 10:
        return None
    date = dt.date(int(m.group(2)), 12, 31)
    return Due(date, date, phrase)


def _quarter(phrase: str, issued: dt.date) -> Due | None:
    """A year-less quarter as a 完成时限 (第三季度, 三季度末): that quarter's last day in the issue year (N17)."""
    m = re.fullmatch(r"第?([一二三四1-4])季度(?:末|底)?(?:前|以前)?(?:完成)?", phrase)
    if m is None:
        return None
    date = quarter_end(issued.year, QUARTER_NUMBERS[m.group(1)])
    return Due(date, date, phrase)


def _half(phrase: str, issued: dt.date) -> Due | None:
    """A year-less half as a 完成时限 (上半年, 年中, 年中前 → 06-30; 下半年 → 12-31 of the issue year, S5)."""
    m = re.fullmatch(r"(上半年|年中|下半年)(?:前|以前|之前)?(?:完成)?", phrase)
    if m is None:
        return None
    date = dt.date(issued.year, 12, 31) if m.group(1) == "下半年" else dt.date(issued.year, 6, 30)
    return Due(date, date, phrase)


# 2026.10.31, and an OA system's 2026/9/30 (U9)
_DOTTED = re.compile(r"(?:(?P<y>\d{4})[.．/])?(?P<m>\d{1,2})(?:[.．/](?P<d>\d{1,2}))?(?:前|以前|之前|底前)?")
_THIS = re.compile(r"(?P<which>本|下)(?P<unit>月|周)(?P<when>底|末|[一二三四五六日天])(?:前|以前|之前)?")
_WEEKDAYS = "一二三四五六日"


def _short_date(phrase: str, issued: dt.date) -> Due | None:
    """A 时限 field written the short way, resolved against the issue date (the schema takes none of them,
    so an ISO date): 4.10前 (month.day of the issue year, L1), 2026.6 (that month's end) and 2026.09.30
    (L17), 本月底前 / 本周五前 / 下月底前 (L2), 全年 (the year's end, like 年内)."""
    if phrase in ("全年", "全年推进", "全年完成"):
        date = dt.date(issued.year, 12, 31)
        return Due(date, date, phrase)
    dotted = _DOTTED.fullmatch(phrase)
    if dotted and (dotted.group("y") or dotted.group("d")):
        year = int(dotted.group("y") or issued.year)
        month, day = int(dotted.group("m")), dotted.group("d")
        try:
            date = dt.date(year, month, int(day)) if day else month_end(year, month)
        except ValueError:
            return None
        return Due(date, date, phrase)
    this = _THIS.fullmatch(phrase)
    if this is None:
        return None
    if this.group("unit") == "月":
        month = issued.month + (this.group("which") == "下")
        year, month = issued.year + (month > 12), (month - 1) % 12 + 1
        date = month_end(year, month)
    else:
        monday = issued - dt.timedelta(days=issued.weekday()) + dt.timedelta(weeks=this.group("which") == "下")
        when = this.group("when").replace("天", "日")
        date = monday + dt.timedelta(days=_WEEKDAYS.index(when) if when in _WEEKDAYS else 6)
    return Due(date, date, phrase)


# 春节 (the lunar new year) by year: a deadline "春节前" is the day before it (K11).
SPRING_FESTIVAL = {
    2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17),
    2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23), 2032: (2, 11), 2033: (1, 31),
    2034: (2, 19), 2035: (2, 8),
}  # fmt: skip
_HOLIDAY = re.compile(r"(?:(?P<y>\d{4})年)?(?P<day>元旦|春节|国庆节?|五一|劳动节)(?:前|以前|之前)")
_FIXED_HOLIDAY = {"元旦": (1, 1), "国庆": (10, 1), "国庆节": (10, 1), "五一": (5, 1), "劳动节": (5, 1)}


def _holiday(text: str, issued: dt.date) -> Due | None:
    """元旦前 / 春节前 / 2026年春节前: the eve of that holiday, the next one after the issue date when no
    year is written (the schema takes no holiday phrase, so it is written as an ISO date)."""
    m = _HOLIDAY.search(text)
    if m is None:
        return None
    years = [int(m.group("y"))] if m.group("y") else [issued.year, issued.year + 1]
    for year in years:
        if m.group("day") in _FIXED_HOLIDAY:
            day = dt.date(year, *_FIXED_HOLIDAY[m.group("day")])
        elif year in SPRING_FESTIVAL:
            day = dt.date(year, *SPRING_FESTIVAL[year])
        else:
            return None
        if m.group("y") or day > issued:
            eve = day - dt.timedelta(days=1)
            return Due(eve, eve, m.group())
    return None


def _month_verb(phrase: str, issued: dt.date) -> Due | None:
    """A 完成时限 cell "9月投入使用" / "(2025年)10月建成" / "4月": the month named, its last day, the verb dropped
    (K15); "11月中旬" the 20th."""
    part = re.fullmatch(r"(?:(\d{4})年)?(\d{1,2})月(上旬|中旬)(?:前|以前)?[\u4e00-\u9fff]{0,8}", phrase)
    if part:  # 11月中旬 as a cell: 中旬 ends on the 20th (上旬 the 10th), an ISO date (Q4)
        try:
            date = dt.date(int(part.group(1) or issued.year), int(part.group(2)), 20 if part.group(3) == "中旬" else 10)
        except ValueError:
            return None
        return Due(date, date, phrase)
    m = re.fullmatch(r"((?:\d{4}年)?\d{1,2})月(?:份|中旬|下旬|底|末)?(?:前)?[\u4e00-\u9fff]{0,8}", phrase)
    return find_deadline(f"{m.group(1)}月底前", issued) if m else None


# A dated completion followed by upkeep (2026年6月底前完成，长期坚持): the dated part is the deadline.
_DONE_THEN_UPKEEP = re.compile(r"((?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|底|末)?(?:前|以前))(?:全面)?完成")


def _last_stage(phrase: str) -> str:
    """A staged 完成时限 (2024年12月底前完成40公里;2025年6月底前全面完成) is due at its last stage, a span
    (6月1日至9月30日) at its end, and 立行立改,长期坚持 is open-ended: the last clause, when it is a time of
    its own."""
    span = re.fullmatch(r"(?:\d{4}年)?\d{1,2}月\d{0,2}日?(?:至|到|—|~)(.+)", phrase)
    if span:  # 6月1日至9月30日: due at the span's end
        return span.group(1) if span.group(1).endswith("前") else span.group(1) + "前"
    parts = [p for p in re.split(r"[;,]", phrase) if p]
    if len(parts) < 2:
        return phrase
    last = parts[-1]
    done = _DONE_THEN_UPKEEP.fullmatch(parts[-2])
    if done and re.fullmatch(r"长期(?:坚持|保持)?|持续(?:推进|巩固)?|常态化", last):
        return done.group(1)  # 6月底前完成,长期坚持: due when done; the upkeep after it is not recorded (N6)
    timed = re.match(r"\d{4}年|长期|持续|常态化", last)
    return last if timed else phrase


def _accepted(phrase: str) -> Due | None:
    """The phrase as written when bot.tasksfile.deadlines reads it; with 力争/争取 and 完成 stripped if needed."""
    for candidate in (re.sub(r"^(?:力争|争取)?(?:于|至)?", "", phrase), phrase, re.sub(r"^(?:力争|争取)", "", phrase)):
        try:
            resolved = resolve_deadline(candidate)
        except ValueError:
            continue
        return Due(candidate, resolved.date, phrase)
    return None


def _relative(m: re.Match[str], issued: dt.date) -> Due | None:
    year = issued.year + (1 if (m.group("next") or m.group("next2") or m.group("when").startswith("明年")) else 0)
    phrase = m.group()
    try:
        if m.group("half") or m.group("when") == "年中前":
            date = dt.date(year, 6, 30)  # 上半年拨付到位 / 年中前完成 (S5)
        elif m.group("q"):
            date = quarter_end(year, QUARTER_NUMBERS[m.group("q")])
        elif m.group("m"):
            month = int(m.group("m"))
            day = int(m.group("d")) if m.group("d") else {"上旬": 10, "中旬": 20}.get(m.group("part") or "")
            date = dt.date(year, month, day) if day else month_end(year, month)  # 中旬前: by the 20th
        else:
            date = dt.date(year, 12, 31)
    except ValueError:
        return None
    return Due(date, date, phrase)


def find_recurrence(text: str) -> tuple[str, str] | None:
    """(recurrence, phrase): 每年1月底前 → yearly:01-31, 每季度 → quarterly, 每月10日前 → monthly:10."""
    m = _RECURRING.search(text)
    if not m:
        return None
    if m.group("m"):
        month = int(m.group("m"))
        day = int(m.group("d")) if m.group("d") else month_end(2001, month).day
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
        return f"yearly:{month:02d}-{day:02d}", m.group()
    if m.group("md"):
        return f"monthly:{int(m.group('md'))}", m.group()
    if m.group().startswith("每月"):
        return "monthly:last", m.group()
    return "quarterly", m.group()


# The notice's date for the items marked "立行立改" (整改时限为“立行立改”的任务，须于2026年5月31日前整改到位).
_IMMEDIATE = re.compile(r"立行立改")


def immediate_due(notice: str, issued: dt.date) -> Due | None:
    """The date the notice (or a workbook's 说明) sets for 立行立改 items: the deadline of a 时限 cell that says
    only 立行立改 (N2); None when no sentence about 立行立改 carries a date."""
    for sentence in re.split(r"[。\n]", notice):
        if _IMMEDIATE.search(sentence) and (due := find_deadline(sentence, issued)) is not None:
            return due
    return None


# A 交办 notice's time for answering every item (提案须于2026年6月30日前办结), and a later one for the items marked
# with a sign in the table (表中标注“★”的重点提案…可于2026年8月31日前办结答复).
_CLOSE_BY = re.compile(r"(?:须|应|要|均|可)(?:于|在)[^。;]{0,20}(?:前|以前)办结")
_SIGN = re.compile(r"[★☆▲△※◆]")


def closing_dues(notice: str, issued: dt.date) -> tuple[Due | None, dict[str, Due]]:
    """(the notice's 办结 date for every item, the dates for items marked with a sign): clauses of the notice
    that set a date for 办结; one that names a sign (★) holds for the rows carrying it (N4)."""
    general: Due | None = None
    signs: dict[str, Due] = {}
    for clause in re.split(r"[。;；\n]", notice):
        if not _CLOSE_BY.search(clause) or (due := find_deadline(clause, issued)) is None:
            continue
        sign = _SIGN.search(clause)
        if sign:
            signs[sign.group()] = due
        elif general is None:
            general = due
    return general, signs


def field_recurrence(text: str) -> tuple[str, str] | None:
    """A 完成时限 field that is only a frequency (每月, 按季度): the task recurs, with no day named."""
    phrase = re.sub(r"\s+", "", text).strip("。;,")
    if re.fullmatch(r"(?:每|按)(?:个)?月(?:开展|推进|调度)?", phrase):
        return "monthly", phrase
    if re.fullmatch(r"(?:每|按)(?:个)?季度?(?:开展|推进|调度)?", phrase):
        return "quarterly", phrase
    return None


def year_range(text: str) -> tuple[int, int] | None:
    """(2023, 2025) from 行动方案(2023—2025年); a copy that lost its dash (20232025年) counts too."""
    m = _RANGE.search(text) or re.search(r"\((20\d{2})(20\d{2})年?\)", text)
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2))
    return (first, last) if 1949 < first <= last <= first + 20 else None


_WORKING_DAYS = re.compile(r"(?P<n>\d{1,3})个工作日(?:内)?(?:办结|完成|答复)?")
# The day a work order was handed over (派单时间：2026年11月5日): N working days count from the day after.
_HANDED = re.compile(r"(?:派单|交办|转办|派发|受理|签收)(?:时间|日期)\s*:?\s*(\d{4})年(\d{1,2})月(\d{1,2})日")


def working_days(field: str, text: str, issued: dt.date) -> Due | None:
    """办理时限：5个工作日 (M5): the ISO date N working days after the hand-over day named in the item (or the
    notice's date), counted on the official calendar (`is_working_day`); the phrase stays in the comment for the
    reviewer."""
    m = _WORKING_DAYS.fullmatch(re.sub(r"\s+", "", field).strip("。;,"))
    if m is None:
        return None
    handed = _HANDED.search(text)
    try:
        day = dt.date(*(int(g) for g in handed.groups())) if handed else issued
    except ValueError:
        day = issued
    left = int(m.group("n"))
    while left > 0:
        day += dt.timedelta(days=1)
        left -= is_working_day(day)
    return Due(day, day, m.group())


def is_working_day(day: dt.date) -> bool:
    """chinese_calendar's answer — 国庆 and 春节 are no working days, their 调休 Saturdays are (5个工作日 from
    2026-09-29 is 10-12, not 10-06) — and Monday to Friday for a year it does not know yet. The scheduler's
    own calendar (a tasks file's `calendar:` section) is not the extractor's to read: the file is being made."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


# The day the notice says the items were handed over (已于2026年3月18日召开的建议交办会上交办 / 交办日期：…), and a
# 办结时限 counted from it (交办之日起3个月内, R8): that day N months later, as an ISO date.
_HANDED_ON = re.compile(
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日[^。;\n]{0,16}?交办|"
    r"交办(?:日期|时间)为?\s*:?\s*(?P<y2>\d{4})年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日"
)
_COUNTED = re.compile(r"(?:自|从)?交办之?日起(?P<n>\d{1,2}|十?[一二三四五六七八九十两]|十)个月内(?:办结|完成|答复)?")


def handed_on(notice: str) -> dt.date | None:
    """The 交办 day the notice names, or None."""
    m = _HANDED_ON.search(notice)
    if m is None:
        return None
    y, mo, d = (m.group(k) or m.group(k + "2") for k in ("y", "m", "d"))
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


def counted_from_handing(field: str, handed: dt.date | None) -> Due | None:
    """交办之日起3个月内 → the 交办 day three months later (the same day of that month); None without the day."""
    m = _COUNTED.fullmatch(re.sub(r"\s+", "", field).strip("。;,"))
    if m is None or handed is None:
        return None
    months = cn_number(m.group("n"))
    if months is None:
        return None
    day = add_months(handed, months)
    return Due(day, day, m.group())


# A schedule of labelled milestones (进度安排：3月：…；6月：…；12月：通过验收, T12): a label opens a clause and
# names a month, a month range (5—9月) or a quarter (三季度), with or without 底前.
_MILESTONE = re.compile(
    r"(?:^|(?<=[:;。\s]))(?:(?:\d{1,2}\s*[-—–~至到]\s*)?(?P<m>\d{1,2})\s*月|第?(?P<q>[一二三四])季度)"
    r"(?:底|末)?(?:前|以前)?(?:份)?\s*:"
)


def milestone_due(text: str, issued: dt.date) -> Due | None:
    """The last of two or more labelled milestones (P8, F1): a month label is that month's end, a quarter's
    its last day (S5), a range "5—9月" its last month's end, all in the issue year; one label alone is no
    schedule."""
    found = list(_MILESTONE.finditer(text))
    if len(found) < 2:
        return None
    last = found[-1]
    try:
        if last.group("m"):
            date = month_end(issued.year, int(last.group("m")))
        else:
            date = quarter_end(issued.year, QUARTER_NUMBERS[last.group("q")])
    except (ValueError, KeyError):
        return None
    return Due(date, date, last.group().rstrip(":").strip())
