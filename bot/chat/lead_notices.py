"""What a lead unit (牵头单位) is told of its tasks' reports: the ones it may have to send back (退办).

Decision on volume (issue 15): **one notice a workday at most per lead unit**, at the daily send moment
(the digest's send time, 09:30), through the outbox (kind notice, key `leadreports:<unit>:<day>`): the
reports of the previous day (since the previous workday's moment) that say **已完成 or 受阻** on tasks it
leads — a claim to verify before the task can be 办结, or a difficulty to coordinate — one numbered line
each (unit, task, the text shortened) with a 退回 button per line (`rt:<report id>`). Per assignment only
its newest report of that day counts, and only while it still counts (not sent back); the lead's own
reports and those of closed or archived tasks are left out. Progress reports (进行中, a percent, a date)
are never pushed: `/status <task>` shows every unit's newest report with its 退回 button, and the weekly
digest sums up the rest.

A notice covers the reports *created* in its window, and the windows tile time, so each report is in one
notice — if it is in the store when that notice is written. A report is created (its `created_at`) a moment
before its transaction commits; one created at 09:29:59.9 and committed at 09:30:00.5 would be invisible to
a tick at 09:30:00.2 and outside tomorrow's window: never told. So each window ends `SETTLE` (two minutes)
before its moment: the windows still tile, and by the time a tick reaches the moment, every report of the
window has long been committed (a report's transaction takes milliseconds; the store's busy timeout is
seconds).

Why batched and not one notice per report: measured with `taskbot simulate` (120 days, the five seed
documents), a notice per report that moved an assignment to done or blocked sent one lead 66 messages on
the day its units first answered their 督办单 (one reply of a line per task); batched, a lead gets at most
one a day — a lead of 40 tasks × 8 units gets no more than 5 a week, however its units answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.core.models import Assignment, Report
from bot.core.vocab import MessageKind, ReportedStatus, Role
from bot.render import callback_data
from bot.render import messages as m
from bot.store.assignment_views import AssignmentView, views_of
from bot.store.outbox import Outgoing

NOTIFIED = (ReportedStatus.DONE, ReportedStatus.BLOCKED)  # what a report says for a lead to be told of it
QUOTE_CHARS = 200  # a report's text in a question or a notice, at most
LINE_QUOTE_CHARS = 80  # in a notice's line
MAX_LINES = 30  # a notice's lines (and 退回 buttons); the rest are counted and left to /status
SETTLE = dt.timedelta(minutes=2)  # a window ends this long before its moment (see the docstring)


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A report's text shortened for a notice (the whole text stays in the store), HTML-escaped."""
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[:limit] + "…")


def return_button(report_id: int, label: str = m.BUTTON_RETURN) -> dict:
    return callback_data.button(label, callback_data.make(callback_data.RETURN, report_id))


async def _leads(session: AsyncSession, task_ids: Sequence[int]) -> dict[int, list[int]]:
    """task id → the units that lead it (live lead assignments)."""
    rows = (
        await session.execute(
            select(col(Assignment.task_id), col(Assignment.unit_id))
            .where(
                col(Assignment.task_id).in_(sorted(set(task_ids))),
                col(Assignment.role) == Role.LEAD,
                ~col(Assignment.archived),
            )
            .order_by(col(Assignment.task_id), col(Assignment.unit_id))
        )
    ).all()
    found: dict[int, list[int]] = {}
    for task_id, unit_id in rows:
        found.setdefault(task_id, []).append(unit_id)
    return found


async def reports_to_tell(
    session: AsyncSession, since: dt.datetime, until: dt.datetime
) -> dict[int, list[tuple[AssignmentView, Report]]]:
    """lead unit id → the (assignment, report) pairs of [since, until) its notice lists (see the docstring)."""
    reports = (
        await session.execute(
            select(Report)
            .where(col(Report.created_at) >= since, col(Report.created_at) < until, col(Report.returned_at).is_(None))
            .order_by(col(Report.created_at), col(Report.id))
        )
    ).scalars()
    newest = {r.assignment_id: r for r in reports}  # the day's last report of each assignment
    wanted = {a: r for a, r in newest.items() if r.status in NOTIFIED}
    if not wanted:
        return {}
    views = [v for v in await views_of(session, sorted(wanted)) if not (v.closed or v.archived)]
    leads = await _leads(session, [v.task_id for v in views])
    told: dict[int, list[tuple[AssignmentView, Report]]] = {}
    for view in sorted(views, key=lambda v: (v.document_short, v.task_key, v.unit)):
        for lead in leads.get(view.task_id, []):
            if lead != view.unit_id:
                told.setdefault(lead, []).append((view, wanted[view.id]))
    return told


def render_notice(items: Sequence[tuple[AssignmentView, Report]]) -> tuple[str, dict]:
    """The notice's text (numbered lines) and its 退回 buttons (退回 1, 退回 2 …, three a row)."""
    shown = items[:MAX_LINES]
    lines = [m.LEAD_REPORTS_HEADER.format(n=len(items))]
    lines += [
        m.LEAD_REPORTS_LINE.format(
            i=i,
            unit=escape(view.unit),
            task=escape(view.ref),
            status=m.PARSED_STATUS_LABELS[report.status] if report.status else "",
            text=quote(report.text, LINE_QUOTE_CHARS),
        )
        for i, (view, report) in enumerate(shown, 1)
    ]
    if len(items) > MAX_LINES:
        lines.append(m.LEAD_REPORTS_MORE.format(n=len(items) - MAX_LINES))
    lines.append(m.LEAD_REPORTS_HINT)
    buttons = [
        return_button(report.id or 0, m.BUTTON_RETURN_NUMBER.format(i=i)) for i, (_, report) in enumerate(shown, 1)
    ]
    return "\n".join(lines), callback_data.keyboard(*[buttons[i : i + 3] for i in range(0, len(buttons), 3)])


async def lead_notices(session: AsyncSession, moments: Sequence[tuple[dt.datetime, dt.datetime]]) -> list[Outgoing]:
    """The notices of the daily moments a tick reached ((since, until) each): one per lead unit with reports
    to tell, keyed by the unit and the day, so a replayed tick offers the same message."""
    out: list[Outgoing] = []
    for since, until in moments:
        for unit_id, items in (await reports_to_tell(session, since - SETTLE, until - SETTLE)).items():
            text, markup = render_notice(items)
            out.append(
                Outgoing(
                    key=f"leadreports:{unit_id}:{until.date().isoformat()}",
                    kind=MessageKind.NOTICE,
                    text=text,
                    send_at=until,
                    unit_id=unit_id,
                    reply_markup=markup,
                )
            )
    return out
