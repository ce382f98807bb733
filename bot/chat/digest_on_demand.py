"""/digest and /chart on demand: the weekly digest's builder (bot/reporting/digest.py) over what the asker may see.

A coordinator sees all tasks; a lead unit or a 督查单位 the tasks it leads or supervises (as the weekly
digest sends it); any other unit its own assignments. Nothing is stored: the weekly DigestRun history belongs to the
scheduler, and an on-demand digest must not change what next week's "changes since" compares with.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat.chase import chase_counts
from bot.core.memory import collector_paused
from bot.core.vocab import DigestScope, Role
from bot.render import messages as m
from bot.reporting.digest import DigestRow, render_digest
from bot.store.overview import digest_history, digest_now, digest_rows

OVERSEER_SCOPES = (DigestScope.LEAD, DigestScope.SUPERVISED, DigestScope.OVERSEEN)


def unit_scope(roles: set[Role]) -> DigestScope:
    """A unit's /digest from the overseeing roles it holds (`assignment_views.overseer_roles`): what it leads,
    supervises or both; a unit that does neither sees its own assignments."""
    if Role.LEAD in roles:
        return DigestScope.OVERSEEN if Role.SUPERVISE in roles else DigestScope.LEAD
    return DigestScope.SUPERVISED if Role.SUPERVISE in roles else DigestScope.OWN


async def digest_text(
    session: AsyncSession,
    *,
    scope: DigestScope,
    today: dt.date,
    tz: ZoneInfo,
    unit_id: int | None = None,
    unit_name: str = "",
) -> str:
    """The digest as the scope sees it today. Built by `digest_now` from the database's tally and the rows it
    lists, not from every assignment: an on-demand digest compares with nothing, so it needs no row's state
    (a coordinator's over 50,000 assignments: issue 23's 300 ms)."""
    overseer = unit_id if scope in OVERSEER_SCOPES else None
    own = unit_id if scope == DigestScope.OWN else None
    with collector_paused():  # 13,000 listed rows for a coordinator: no cycles, see bot/core/memory.py
        chases = await chase_counts(session, dt.datetime.combine(today, dt.time(12), tzinfo=tz), tz)
        digest = await digest_now(session, today, overseer, own, chases)
        if digest is None:
            return m.DIGEST_EMPTY
        return render_digest(digest, title=m.DIGEST_TITLES[scope].format(unit=escape(unit_name)))


async def digest_chart(session: AsyncSession, *, today: dt.date, unit_id: int | None = None) -> bytes | None:
    """The weekly digest's chart (all tasks, or those one unit leads or supervises) as PNG bytes; None when
    there is nothing. Drawn in a worker thread: the bot's event loop goes on answering meanwhile."""
    rows = await digest_rows(session, overseer_id=unit_id)
    if not rows:
        return None
    audience = "coordinators" if unit_id is None else f"unit:{unit_id}"
    return await asyncio.to_thread(draw_chart, rows, today, await digest_history(session, audience, today))


def draw_chart(rows: Sequence[DigestRow], as_of: dt.date, history: Sequence[tuple[str, Mapping[str, int]]]) -> bytes:
    """The chart's PNG. Imports matplotlib at the first call (1–2 s), in the calling thread: call it in a worker
    thread (`asyncio.to_thread`), so that neither the import nor the drawing stops the event loop."""
    from bot.reporting.chart import chart_data, render_chart

    return render_chart(chart_data(rows, as_of, history))
