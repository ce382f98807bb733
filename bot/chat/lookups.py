"""What handlers/ read around the use cases: a unit's open or live tasks (/mytasks, the 哪项任务 picker, a task
reference), the overdue, the tasks a unit oversees (/status), the roles that scope its /digest, the task a quoted
prompt was about and the documents' short names (a reply read part by part), and /units.

handlers/ import bot/chat/, never bot/store/ (README "Layout"): these are the store's reads under the names
handlers call, re-exported rather than wrapped (a wrapper would copy each signature and add nothing), and
`units_overview`, which puts /units together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat.chase import chased_this_week
from bot.core.vocab import BulletinPeriod
from bot.reporting.rankings import Period, Standing, period_ending
from bot.store.assignment_views import (
    AssignmentView,
    UnitRow,
    assignment_for_message,
    document_shorts,
    open_assignments,
    overdue,
    overseen_tasks,
    overseer_roles,
    unit_live_assignments,
    unit_overview,
)
from bot.store.ranking_inputs import standings

__all__ = [
    "AssignmentView",
    "UnitsOverview",
    "assignment_for_message",
    "document_shorts",
    "open_assignments",
    "overdue",
    "overseen_tasks",
    "overseer_roles",
    "unit_live_assignments",
    "units_overview",
]


@dataclass(frozen=True)
class UnitsOverview:
    """/units: every unit's chats, open tasks and last report; the 催办 of this week per unit; the month so far
    and its ranking."""

    rows: list[UnitRow]
    chased: dict[str, int]
    month: Period
    ranked: list[Standing]


async def units_overview(session: AsyncSession, now: dt.datetime, tz: ZoneInfo) -> UnitsOverview:
    month = period_ending(BulletinPeriod.MONTH, now.astimezone(tz).date())
    return UnitsOverview(
        await unit_overview(session),
        await chased_this_week(session, now, tz),
        month,
        await standings(session, month, tz),
    )
