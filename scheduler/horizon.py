"""The calendar horizon: tell the coordinators, in chat, before the workday calendar runs out.

The chinese_calendar package knows the years up to its release (1.11: 2026), and the State Council
publishes next year's holidays and 调休 in November or December. A year neither the package nor the tasks
file's `calendar:` knows falls back to Monday–Friday (scheduler/workdays.py) with one log line that nobody
reads. So, where the design is silent:

- From 1 November, while next year is not known — and all through a year that is not known — every
  coordinator gets a notice (MessageKind.NOTICE) saying which year to add and how, with an example block.
- Once a week: the outbox key names the year and the ISO week, so however many ticks and processes offer it
  that week, it exists once per coordinator.
- In working hours: offered by the first tick at or after DIGEST_SEND_AT on a workday, not by the tick
  at 00:01 on Monday.
- `taskbot validate` warns about the same years (`missing_years`), against the file it checks.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from bot.core.vocab import MessageKind
from bot.render import messages as m
from bot.store.outbox import Outgoing
from scheduler.workdays import WorkCalendar

NOTICE_FROM = (11, 1)  # (month, day) from which next year must be known
LATEST_HOUR = 20  # nothing after 20:00 local, as for every message (scheduler/planner.py)


def missing_years(today: dt.date, calendar: WorkCalendar) -> list[int]:
    """Pure: this year if it is not known, and next year from 1 November if it is not."""
    years = [today.year] if not calendar.covers(today.year) else []
    if (today.month, today.day) >= NOTICE_FROM and not calendar.covers(today.year + 1):
        years.append(today.year + 1)
    return years


def horizon_notice(now_local: dt.datetime, calendar: WorkCalendar, send_at: str) -> Outgoing | None:
    """Pure: this week's notice for the coordinators (unit None: one copy each, made by the tick), or None when
    the calendar is known far enough or it is not yet the time of day to say so."""
    years = missing_years(now_local.date(), calendar)
    hour, minute = (int(part) for part in send_at.split(":"))
    if (
        not years
        or not calendar.is_workday(now_local.date())
        or not dt.time(hour, minute) <= now_local.time() < dt.time(LATEST_HOUR)
    ):
        return None
    iso = now_local.isocalendar()
    text = "\n\n".join(m.CALENDAR_HORIZON.format(year=escape(str(year))) for year in years)
    return Outgoing(
        key=f"calendar-horizon:{'+'.join(map(str, years))}:{iso.year}-W{iso.week:02d}",
        kind=MessageKind.NOTICE,
        text=text,
        send_at=now_local,
    )
