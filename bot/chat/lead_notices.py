"""What a lead unit (牵头单位) is told as its tasks' units report: the reports it may have to send back (退办).

Decision on volume (issue 15): a lead's chats get one notice, through the outbox (kind notice), for a
report that **moves** an assignment of a task it leads **to 已完成 or 受阻** — a claim to verify before the
task can be 办结, or a difficulty the lead has to coordinate — with the report's text and a 退回 button
(`rt:<report id>`). Nothing else is pushed: progress reports (进行中, a percent, a date), a second 已完成 or
受阻 on an assignment already so, and the lead's own reports are seen in `/status <task>` (the newest
report of every unit, each with its 退回 button) and in the weekly digest. So a lead of 40 tasks × 8
units gets about one notice per assignment over the life of the plan (plus one per 受阻 episode), not one
per report: the 300 progress replies such a lead's units send in a week stay in /status. The notice is
written in the report's transaction: it exists exactly when the report does, and goes out once.
"""

from __future__ import annotations

from html import escape

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import Assignment, Report
from bot.core.vocab import MessageKind, Role, Status
from bot.render import callback_data
from bot.render import messages as m
from bot.store.assignment_views import AssignmentView
from bot.store.outbox import Outgoing, enqueue

NOTIFIED = (Status.DONE, Status.BLOCKED)     # the statuses whose arrival a lead is told of
QUOTE_CHARS = 200                            # a report's text in a notice or a question, at most


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A report's text shortened for a notice (the whole text stays in the store), HTML-escaped."""
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[:limit] + "…")


def return_button(report_id: int, label: str = m.BUTTON_RETURN) -> dict:
    return callback_data.button(label, callback_data.make(callback_data.RETURN, report_id))


async def lead_units(session: AsyncSession, task_id: int) -> list[int]:
    """The units that lead a task (live lead assignments), by id."""
    stmt = (select(Assignment.unit_id).where(Assignment.task_id == task_id, Assignment.role == Role.LEAD,
                                             ~Assignment.archived).order_by(Assignment.unit_id))
    return list(dict.fromkeys((await session.execute(stmt)).scalars()))


async def notify_leads(session: AsyncSession, view: AssignmentView, report: Report, before: str) -> int:
    """After a stored report (`view` as it left the assignment; `before` its status until then): the notice
    to the task's other lead units when the report moved it to done or blocked. Returns the rows written."""
    if view.status == before or view.status not in NOTIFIED or report.id is None:
        return 0
    leads = [u for u in await lead_units(session, view.task_id) if u != view.unit_id]
    if not leads:
        return 0
    text = m.LEAD_REPORT_NOTICE.format(unit=escape(view.unit), task=escape(view.ref),
                                       task_title=escape(view.task_title), status=m.STATUS_LABELS[view.status],
                                       text=quote(report.text))
    markup = callback_data.keyboard([return_button(report.id)])
    return (await enqueue(session, [Outgoing(key=f"report:{report.id}:lead:{unit_id}", kind=MessageKind.NOTICE,
                                             text=text, send_at=report.created_at, unit_id=unit_id,
                                             reply_markup=markup) for unit_id in leads])).inserted
