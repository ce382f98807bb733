"""Chinese workdays (with 调休) as the planner sees them: a pure, cached calendar.

Decisions:

- Sources, strongest first: the tasks.yaml `calendar:` section (`holidays`, `workdays`), then the
  `chinese_calendar` package, then Monday–Friday. The section wins because it is how a coordinator adds
  the State Council's schedule for a year the installed package does not know yet (release 1.11 covers
  2004–2026 and raises NotImplementedError beyond), and how a local extra day off is declared.
- A year the package does not know and the section does not mention falls back to Monday–Friday with
  ONE warning per year (logger "taskbot.calendar"), not an error: a wrong reminder day is better than no
  reminder, and the warning tells the coordinator what to add. A year that the section mentions counts as
  covered (the section is then the official schedule for it) and is not warned about.
- The calendar is computed a year at a time into a sorted list of workday ordinals, so every question
  (is it a workday, the previous/next one, n workdays later, how many in between) is a set lookup or a
  bisection. The planner asks these questions for tens of thousands of assignments per tick, and a
  catch-up window may span years; nothing here walks day by day more than once per year.
- One instance per loaded tasks file: it caches the year tables, and the warning is once per instance.
  All methods take and return `datetime.date`; none reads the clock.
"""

from __future__ import annotations

import datetime as dt
import logging
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable

import chinese_calendar

log = logging.getLogger(__name__)

DaySource = Callable[[dt.date], bool]
_MAX_EMPTY_YEARS = 3  # a search that finds no workday in this many years gives up (a broken calendar)


def package_is_workday(day: dt.date) -> bool:
    """chinese_calendar's answer; raises NotImplementedError for a year it does not cover."""
    return bool(chinese_calendar.is_workday(day))


class WorkCalendar:
    """Workdays from the calendar section, chinese_calendar, and Monday–Friday as the last resort."""

    def __init__(
        self,
        holidays: Iterable[dt.date] = (),
        workdays: Iterable[dt.date] = (),
        *,
        source: DaySource = package_is_workday,
    ) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"calendar: {min(both).isoformat()} is listed both as a holiday and as a workday")
        self._source = source
        self._section_years = {day.year for day in self.holidays | self.workdays}
        self._tables: dict[int, list[int]] = {}
        self._sets: dict[int, frozenset[int]] = {}
        self.fallback_years: set[int] = set()

    # -- public questions ---------------------------------------------------------------------------

    def is_workday(self, day: dt.date) -> bool:
        self._table(day.year)
        return day.toordinal() in self._sets[day.year]

    def previous_workday(self, day: dt.date) -> dt.date:
        """`day` itself if it is a workday, else the closest workday before it."""
        return dt.date.fromordinal(self.previous_ordinal(day.toordinal()))

    def next_workday(self, day: dt.date) -> dt.date:
        """`day` itself if it is a workday, else the closest workday after it."""
        return dt.date.fromordinal(self.next_ordinal(day.toordinal()))

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """The n-th workday after `day` (before it when n < 0); `day` itself is not counted.

        n == 0 returns `day` unchanged, so `add_workdays(first, k * step)` walks a cadence from `first`.
        """
        return dt.date.fromordinal(self.add_ordinal(day.toordinal(), n))

    def first_workday_of_week(self, day: dt.date) -> dt.date | None:
        """The first workday of the ISO week (Monday–Sunday) holding `day`; None for a week of holidays."""
        monday = day.toordinal() - day.weekday()
        found = self.next_ordinal(monday)
        return dt.date.fromordinal(found) if found <= monday + 6 else None

    def first_workday_of_month(self, year: int, month: int) -> dt.date | None:
        """The first workday of a month (2024-10 → Oct 8, after 国庆); None if the month has none."""
        found = dt.date.fromordinal(self.next_ordinal(dt.date(year, month, 1).toordinal()))
        return found if (found.year, found.month) == (year, month) else None

    def count_workdays(self, start: dt.date, end: dt.date) -> int:
        """How many workdays lie in [start, end); 0 when end <= start."""
        return self.count_ordinals(start.toordinal(), end.toordinal())

    def workdays_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Every workday in [first, last], in order."""
        return [dt.date.fromordinal(o) for o in self.ordinals_between(first.toordinal(), last.toordinal())]

    def covers(self, year: int) -> bool:
        """Whether `year`'s holidays and 调休 are known: the calendar section mentions the year, or the package
        knows it. Otherwise the year falls back to Monday–Friday."""
        if year in self._section_years:
            return True
        try:
            self._source(dt.date(year, 1, 1))
        except NotImplementedError:
            return False
        return True

    def uncovered_years(self, first: dt.date, last: dt.date) -> list[int]:
        """The years in [first, last] that `covers` says are not known."""
        return [year for year in range(first.year, last.year + 1) if not self.covers(year)]

    # -- ordinal forms (the planner's hot path) -------------------------------------------------------

    def previous_ordinal(self, ordinal: int) -> int:
        year = dt.date.fromordinal(ordinal).year
        table = self._table(year)
        i = bisect_right(table, ordinal) - 1
        for _ in range(_MAX_EMPTY_YEARS):
            if i >= 0:
                return table[i]
            year -= 1
            table = self._table(year)
            i = len(table) - 1
        raise ValueError(f"no workday in the {_MAX_EMPTY_YEARS} years before {dt.date.fromordinal(ordinal)}")

    def next_ordinal(self, ordinal: int) -> int:
        year = dt.date.fromordinal(ordinal).year
        table = self._table(year)
        i = bisect_left(table, ordinal)
        for _ in range(_MAX_EMPTY_YEARS):
            if i < len(table):
                return table[i]
            year += 1
            table = self._table(year)
            i = 0
        raise ValueError(f"no workday in the {_MAX_EMPTY_YEARS} years after {dt.date.fromordinal(ordinal)}")

    def add_ordinal(self, ordinal: int, n: int) -> int:
        if n == 0:
            return ordinal
        year = dt.date.fromordinal(ordinal).year
        table = self._table(year)
        if n > 0:
            target = bisect_right(table, ordinal) + n - 1
            while target >= len(table):
                target -= len(table)
                year += 1
                table = self._table(year)
            return table[target]
        target = bisect_left(table, ordinal) + n
        while target < 0:
            year -= 1
            table = self._table(year)
            target += len(table)
        return table[target]

    def count_ordinals(self, start: int, end: int) -> int:
        """How many workdays lie in [start, end), as ordinals; only the years in between are built."""
        if end <= start:
            return 0
        first, last = dt.date.fromordinal(start).year, dt.date.fromordinal(end).year
        total = -bisect_left(self._table(first), start) + bisect_left(self._table(last), end)
        return total + sum(len(self._table(year)) for year in range(first, last))

    def ordinals_between(self, first: int, last: int) -> list[int]:
        found: list[int] = []
        for year in range(dt.date.fromordinal(first).year, dt.date.fromordinal(last).year + 1):
            table = self._table(year)
            found.extend(table[bisect_left(table, first) : bisect_right(table, last)])
        return found

    # -- year tables ----------------------------------------------------------------------------------

    def _table(self, year: int) -> list[int]:
        table = self._tables.get(year)
        if table is None:
            table = self._build(year)
            self._tables[year] = table
            self._sets[year] = frozenset(table)
        return table

    def _build(self, year: int) -> list[int]:
        start = dt.date(year, 1, 1).toordinal()
        end = dt.date(year, 12, 31).toordinal()
        return [o for o in range(start, end + 1) if self._decide(dt.date.fromordinal(o))]

    def _decide(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        try:
            return self._source(day)
        except NotImplementedError:
            self._fell_back(day.year)
            return day.weekday() < 5

    def _fell_back(self, year: int) -> None:
        if year in self.fallback_years:
            return
        self.fallback_years.add(year)
        if year not in self._section_years:
            log.warning(
                "the workday calendar does not know %d (chinese_calendar %s covers fewer years, and tasks.yaml "
                "`calendar:` lists no day of it): using Monday–Friday, without holidays or 调休, for %d; add the "
                "official schedule to `calendar:` or upgrade chinesecalendar",
                year,
                getattr(chinese_calendar, "__version__", "?"),
                year,
            )
