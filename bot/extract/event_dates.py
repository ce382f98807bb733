"""A deadline tied to an event whose date the notice states (V11): "省运会开幕前" with "省运会将于2026年9月12日在我市
开幕", "秋季开学前" with "秋季学期于8月31日开学", "入汛前" with "入汛日期定为4月15日".

The deadline is the eve of that date, written as an ISO date (as 春节前 is, K11: the schema takes no event
phrase). The event is known by the two characters before 前 (开幕, 开学, 入汛); its date is the one dated clause
of the document that names them. Without such a clause the phrase is no date the clerk could write (Q5)."""

import datetime as dt
import functools
import re

from bot.extract.deadline_phrases import Due

_EVENT = re.compile(r"([\u4e00-\u9fff]{2})(?:前|以前|之前)")
_NOT_EVENT = re.compile(r"[年月日底末季度旬周节旦号天]")  # 月底前, 年底前, 春节前: read elsewhere
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_CLAUSE = re.compile(r"[^。;；,，\n]+")


@functools.lru_cache(maxsize=4)
def _dated_clauses(text: str) -> tuple[tuple[str, tuple[int | None, int, int]], ...]:
    """The clauses holding exactly one day date, with that date (year, month, day)."""
    found = []
    for clause in _CLAUSE.findall(text):
        dates = _DATE.findall(clause) if "日" in clause else []
        if len(dates) == 1:
            year, month, day = dates[0]
            found.append((clause, (int(year) if year else None, int(month), int(day))))
    return tuple(found)


@functools.lru_cache(maxsize=256)
def _event_dates(text: str, event: str, phrase: str) -> frozenset[tuple[int | None, int, int]]:
    """The dates of the clauses naming `event` (not as the deadline phrase itself): one pass over the clauses
    per event, not per item, so a long document of undated "…开幕前" items stays linear."""
    return frozenset(date for clause, date in _dated_clauses(text) if event in clause and phrase not in clause)


def event_due(phrase: str, text: str, issued: dt.date) -> Due | None:
    """The eve of the event "…X前" names in `phrase`, when one dated clause of `text` names X; else None."""
    m = _EVENT.search(phrase)
    if m is None or _NOT_EVENT.search(m.group(1)):
        return None
    dated = _event_dates(text, m.group(1), m.group())
    if len(dated) != 1:
        return None
    year, month, day = next(iter(dated))
    try:
        eve = dt.date(year or issued.year, month, day) - dt.timedelta(days=1)
    except ValueError:
        return None
    return Due(eve, eve, m.group())
