"""The 督办通报 (supervision bulletin) of a week or a month: what it says, as a structure. Pure.

`build_bulletin` turns the rankings' facts (bot/reporting/rankings.py) into the parts of a 公文: the red
head (督办通报, the issue number 〔2026〕第X期 and the issuing office as placeholders to fill in by hand), the
title, the addressee, the four sections 一、总体情况 二、进展较好的单位 三、进展滞后的单位 四、下步工作, and an
annex with the ranking table. bot/reporting/bulletin_docx.py lays it out with python-docx.

- 一、总体情况: tasks and unit assignments (分工) with their status at the end of the period and the overdue
  count; the period's due items, on-time rate, prompts and reply rate; and the change from the whole
  previous week or month (done and overdue items, both rates in percentage points) when it had any.
- 二、进展较好的单位: ranked units with nothing overdue and at least GOOD_SCORE points, best first (the first
  GOOD_LIMIT named, the rest counted).
- 三、进展滞后的单位: ranked units with something overdue or under SLOW_SCORE points, worst first, each with
  its overdue tasks named as people name them (「成果转化 1.2」, longest overdue first) — the first SLOW_LIMIT
  units, the rest pointed to the annex.
- 四、下步工作: the standard text of the catalogue.
- The annex: every ranked unit in rank order — 单位, 按时完成率, 督办回复率, 逾期项数, 逾期天数, 得分, 排名 — and a
  note that states the scoring.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core.vocab import BulletinPeriod, Status
from bot.render import messages as m
from bot.reporting.rankings import History, Period, PeriodSummary, RankingInputs, Standing, period_ending, summarize

GOOD_SCORE = 90.0
SLOW_SCORE = 60.0
GOOD_LIMIT = 10
SLOW_LIMIT = 15
REFS_PER_UNIT = 5


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Bulletin:
    masthead: str
    number: str
    issuer: str
    date: str
    title: str
    addressee: str
    opening: str
    sections: tuple[Section, ...]
    annex_note: str
    annex_label: str
    annex_title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    table_note: str
    filename: str


def bulletin_period(kind: BulletinPeriod, as_of: dt.date) -> tuple[Period, Period]:
    """The period a bulletin as of `as_of` covers and the whole one before it (for the comparison)."""
    period = period_ending(kind, as_of)
    return period, period.previous()


def rate(value: float | None) -> str:
    """0.6667 → 66.7%, 1 → 100%; None (nothing to count) → —."""
    if value is None:
        return m.BULLETIN_NO_RATE
    return _number(value * 100) + "%"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def day_label(day: dt.date) -> str:
    """11月1日."""
    return m.BULLETIN_DAY.format(month=day.month, day=day.day)


def _date(day: dt.date) -> str:
    return m.BULLETIN_DATE.format(year=day.year, month=day.month, day=day.day)


def period_label(period: Period) -> str:
    """2026年第47周 / 2026年11月."""
    year, week, _ = period.start.isocalendar()
    if period.kind == BulletinPeriod.MONTH:
        year = period.start.year
    return m.BULLETIN_PERIOD_LABELS[period.kind].format(year=year, week=week, month=period.start.month)


def file_label(period: Period) -> str:
    """2026-W47 / 2026-11: the bulletin's file name."""
    if period.kind == BulletinPeriod.WEEK:
        year, week, _ = period.start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{period.start.year}-{period.start.month:02d}"


def build_bulletin(
    inputs: RankingInputs, kind: BulletinPeriod, as_of: dt.date, tz: dt.tzinfo, issued: dt.date | None = None
) -> Bulletin:
    """The bulletin of the week or month that holds `as_of`, cut at it; dated `issued` (default `as_of`)."""
    period, previous = bulletin_period(kind, as_of)
    history = History(inputs)
    now, before = summarize(history, period, tz), summarize(history, previous, tz)
    label = period_label(period)
    issued = issued or as_of
    return Bulletin(
        masthead=m.BULLETIN_MASTHEAD,
        number=m.BULLETIN_NUMBER.format(year=issued.year),
        issuer=m.BULLETIN_ISSUER,
        date=_date(issued),
        title=m.BULLETIN_TITLE.format(period=label),
        addressee=m.BULLETIN_ADDRESSEE,
        opening=m.BULLETIN_OPENING.format(period=label, start=day_label(period.start), end=day_label(period.end)),
        sections=(
            Section(m.BULLETIN_HEADINGS[0], _overall(now, before)),
            Section(m.BULLETIN_HEADINGS[1], _good(now.standings)),
            Section(m.BULLETIN_HEADINGS[2], _slow(now.standings)),
            Section(m.BULLETIN_HEADINGS[3], m.BULLETIN_NEXT_STEPS),
        ),
        annex_note=m.BULLETIN_ANNEX_NOTE,
        annex_label=m.BULLETIN_ANNEX,
        annex_title=m.BULLETIN_ANNEX_TITLE,
        headers=m.BULLETIN_TABLE_HEADERS,
        rows=tuple(table_row(u) for u in now.standings),
        table_note=m.BULLETIN_TABLE_NOTE if now.standings else m.BULLETIN_NO_UNITS,
        filename=m.BULLETIN_FILENAME.format(label=file_label(period)),
    )


def table_row(unit: Standing) -> tuple[str, ...]:
    return (
        unit.unit,
        rate(unit.on_time_rate),
        rate(unit.reply_rate),
        str(unit.overdue_count),
        str(unit.days_overdue),
        f"{unit.score:g}",
        str(unit.rank),
    )


def _overall(now: PeriodSummary, before: PeriodSummary) -> tuple[str, ...]:
    c = now.counts
    paragraphs = [
        m.BULLETIN_OVERALL.format(
            date=_date(now.period.end),
            tasks=now.tasks,
            assignments=now.assignments,
            done=c[Status.DONE],
            progress=c[Status.IN_PROGRESS],
            blocked=c[Status.BLOCKED],
            pending=c[Status.PENDING],
            overdue=now.overdue,
        ),
        m.BULLETIN_FIGURES.format(
            due=now.due,
            on_time=now.on_time,
            on_time_rate=rate(now.on_time_rate),
            prompted=now.prompted,
            answered=now.answered,
            reply_rate=rate(now.reply_rate),
        ),
    ]
    if before.assignments:
        paragraphs.append(
            m.BULLETIN_COMPARE.format(
                start=day_label(before.period.start),
                end=day_label(before.period.end),
                done=_count_change(c[Status.DONE] - before.counts[Status.DONE]),
                overdue=_count_change(now.overdue - before.overdue),
                on_time=_rate_change(now.on_time_rate, before.on_time_rate),
                reply=_rate_change(now.reply_rate, before.reply_rate),
            )
        )
    return tuple(paragraphs)


def _count_change(delta: int) -> str:
    if delta == 0:
        return m.BULLETIN_SAME
    return (m.BULLETIN_MORE if delta > 0 else m.BULLETIN_FEWER).format(n=abs(delta))


def _rate_change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return m.BULLETIN_NOT_COMPARABLE
    points = round((now - before) * 100, 1)
    if points == 0:
        return m.BULLETIN_SAME
    return (m.BULLETIN_UP if points > 0 else m.BULLETIN_DOWN).format(n=_number(abs(points)))


def _rates(unit: Standing) -> str:
    parts = []
    if unit.on_time_rate is not None:
        parts.append(m.BULLETIN_ON_TIME.format(rate=rate(unit.on_time_rate)))
    if unit.reply_rate is not None:
        parts.append(m.BULLETIN_REPLY.format(rate=rate(unit.reply_rate)))
    return m.BULLETIN_RATE_SEP.join(parts)


def good_units(standings: list[Standing]) -> list[Standing]:
    return [u for u in standings if not u.overdue and u.score >= GOOD_SCORE]


def slow_units(standings: list[Standing]) -> list[Standing]:
    """Worst first."""
    return [u for u in reversed(standings) if u.overdue or u.score < SLOW_SCORE]


def _good(standings: list[Standing]) -> tuple[str, ...]:
    good = good_units(standings)
    if not good:
        return (m.BULLETIN_GOOD_NONE.format(score=_number(GOOD_SCORE)),)
    names = m.BULLETIN_RATE_SEP.join(
        m.BULLETIN_GOOD_UNIT.format(unit=u.unit, rates=_rates(u)) for u in good[:GOOD_LIMIT]
    )
    more = m.BULLETIN_AND_MORE.format(n=len(good)) if len(good) > GOOD_LIMIT else ""
    return (m.BULLETIN_GOOD.format(names=names, more=more),)


def _slow(standings: list[Standing]) -> tuple[str, ...]:
    slow = slow_units(standings)
    if not slow:
        return (m.BULLETIN_SLOW_NONE,)
    paragraphs = [m.BULLETIN_SLOW_INTRO]
    for n, unit in enumerate(slow[:SLOW_LIMIT], 1):
        what = []
        if unit.overdue:
            refs = m.BULLETIN_RATE_SEP.join(o.ref for o in unit.overdue[:REFS_PER_UNIT])
            refs += m.BULLETIN_SLOW_MORE_REFS if unit.overdue_count > REFS_PER_UNIT else ""
            what.append(
                m.BULLETIN_SLOW_OVERDUE.format(count=unit.overdue_count, refs=refs, longest=unit.overdue[0].days)
            )
        rates = _rates(unit)
        if rates:
            what.append(rates)
        paragraphs.append(m.BULLETIN_SLOW_UNIT.format(n=n, unit=unit.unit, what=m.BULLETIN_PART_SEP.join(what)))
    if len(slow) > SLOW_LIMIT:
        paragraphs.append(m.BULLETIN_SLOW_MORE.format(n=len(slow) - SLOW_LIMIT))
    return tuple(paragraphs)
