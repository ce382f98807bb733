"""What the bot answers, rendered from plain values: HTML text (escaped) and button JSON. Pure.

Handlers fetch views (bot/queries.py), call these, and send the result (split at 4,096 characters
by bot.text.split_message). Keeping rendering pure lets the tests check every answer without Telegram.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.vocab import ReplyProblem
from bot.render import callback_data
from bot.render import messages as m
from bot.render.prompts import days_phrase, report_buttons
from bot.replies.dates import MAX_YEARS_AHEAD
from bot.replies.parser import ParsedReply
from bot.store.assignment_views import AssignmentView, UnitRow

TASK_BUTTON_TITLE = 16
MAX_TASK_BUTTONS = 30


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else m.NO_DEADLINE


def local_day(at: dt.datetime | None, tz: ZoneInfo) -> str:
    if at is None:
        return m.NEVER
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(tz).date().isoformat()


def _percent(value: int | None) -> str:
    return f"{value}%" if value is not None else m.NOT_STATED


def ack(view: AssignmentView, parsed: ParsedReply, report_id: int | None) -> tuple[str, dict[str, Any]]:
    """The answer to a stored report: what was understood, with 更正 (and 申请延期 when it was asked)."""
    status = (m.PARSED_STATUS_LABELS[parsed.status] if parsed.status
              else m.STATUS_KEPT.format(status=m.STATUS_LABELS[view.status]))
    expected = parsed.expected_date.isoformat() if parsed.expected_date else m.NOT_STATED
    lines = [m.REPORT_SAVED.format(unit=escape(view.unit), task_key=escape(view.task_key),
                                   task_title=escape(view.task_title), status=status,
                                   percent=_percent(parsed.percent), expected=expected)]
    if not parsed.understood:
        lines.append(m.REPORT_NOT_UNDERSTOOD)
    row = [callback_data.button(m.BUTTON_CORRECT, callback_data.make(callback_data.CORRECT, view.id))]
    if parsed.extension and report_id is not None:
        lines.append(m.REPORT_EXTENSION_HINT)
        row.append(callback_data.button(m.BUTTON_EXTEND, callback_data.make(callback_data.EXTEND_REPORT, report_id)))
    else:
        lines.append(m.REPORT_CORRECT_HINT)
    return "\n".join(lines), callback_data.keyboard(row)


def correction(view: AssignmentView) -> tuple[str, dict[str, Any]]:
    return (m.CORRECT_PROMPT.format(task_key=escape(view.task_key), task_title=escape(view.task_title)),
            report_buttons(view.id))


def task_buttons(views: Sequence[AssignmentView], kind: str = callback_data.PICK) -> dict[str, Any]:
    """One button per assignment (at most MAX_TASK_BUTTONS), labelled with the task number and title."""
    rows = []
    for view in views[:MAX_TASK_BUTTONS]:
        title = view.task_title
        if len(title) > TASK_BUTTON_TITLE:
            title = title[:TASK_BUTTON_TITLE] + "…"
        rows.append([callback_data.button(m.TASK_BUTTON.format(task_key=view.task_key, title=title),
                                      callback_data.make(kind, view.id))])
    return callback_data.keyboard(*rows)


def problem(parsed: ParsedReply) -> str:
    """The refusal for a report the parser found impossible (a percent outside 0-100, a date that does not
    exist, is past or is years ahead): the first of its problems, with what was written."""
    first = parsed.problems[0] if parsed.problems else None
    written = escape(parsed.written or "")
    if first == ReplyProblem.PERCENT_NEGATIVE:
        return m.REPORT_PERCENT_NEGATIVE.format(text=written)
    if first == ReplyProblem.PERCENT_OVER_100:
        return m.REPORT_PERCENT_OVER.format(percent=parsed.percent)
    if first == ReplyProblem.DATE_INVALID:
        return m.REPORT_DATE_INVALID.format(text=written)
    if first == ReplyProblem.DATE_TOO_FAR:
        return m.REPORT_DATE_FAR.format(text=written, years=MAX_YEARS_AHEAD)
    return m.REPORT_DATE_PAST.format(date=_date(parsed.past_date))


def refusal(reason: str, view: AssignmentView | None) -> str:
    template = m.REPORT_REFUSED.get(reason, m.BUTTON_STALE)
    return template.format(task_key=escape(view.task_key) if view else "")


def mytasks(unit: str, views: Sequence[AssignmentView], today: dt.date) -> str:
    if not views:
        return m.MYTASKS_NONE.format(unit=escape(unit))
    lines = [m.MYTASKS_HEADER.format(unit=escape(unit), n=len(views))]
    for i, view in enumerate(views, 1):
        lines.append(m.MYTASKS_LINE.format(
            i=i, task_key=escape(view.task_key), task_title=escape(view.task_title), role=m.ROLE_LABELS[view.role],
            deadline=_date(view.deadline), days=days_phrase(view.deadline, today), status=m.STATUS_LABELS[view.status],
            percent=f" {view.percent}%" if view.percent is not None else ""))
    return "\n".join(lines)


def task_status(views: Sequence[AssignmentView], closed_at: dt.datetime | None, tz: ZoneInfo) -> str:
    """/status: a task across its units, leads first."""
    first = views[0]
    head = m.STATUS_HEADER.format(task_key=escape(first.task_key), task_title=escape(first.task_title),
                                  document=escape(first.document), deadline=_date(first.deadline))
    if closed_at is not None:
        head += m.STATUS_CLOSED.format(date=local_day(closed_at, tz))
    lines = [head]
    for view in views:
        lines.append(m.STATUS_LINE.format(
            unit=escape(view.unit), role=m.ROLE_LABELS[view.role], status=m.STATUS_LABELS[view.status],
            percent=m.STATUS_PERCENT.format(percent=view.percent) if view.percent is not None else "",
            expected=m.STATUS_EXPECTED.format(date=view.expected_date.isoformat()) if view.expected_date else "",
            last=local_day(view.last_report_at, tz)))
    return "\n".join(lines)


def close_button(task_id: int) -> dict[str, Any]:
    close = callback_data.make(callback_data.CLOSE, task_id)
    return callback_data.keyboard([callback_data.button(m.BUTTON_CLOSE, close)])


def overdue(views: Sequence[AssignmentView], today: dt.date) -> str:
    if not views:
        return m.OVERDUE_NONE
    lines = [m.OVERDUE_HEADER.format(n=len(views))]
    for view in sorted(views, key=lambda v: (v.deadline or today, v.unit, v.task_key)):
        lines.append(m.OVERDUE_LINE.format(
            unit=escape(view.unit), task_key=escape(view.task_key), task_title=escape(view.task_title),
            deadline=_date(view.deadline), days=(today - view.deadline).days if view.deadline else 0,
            status=m.STATUS_LABELS[view.status]))
    return "\n".join(lines)


def units(rows: Sequence[UnitRow], tz: ZoneInfo) -> str:
    """/units: bound units with their chats and last report, then the units with no chat yet."""
    bound = [r for r in rows if r.chats]
    unbound = [r.unit for r in rows if not r.chats]
    lines = [m.UNITS_HEADER.format(n=len(rows))]
    for row in bound:
        lines.append(m.UNITS_LINE.format(unit=escape(row.unit), chats=row.chats, open=row.open,
                                         blocked=m.UNITS_BLOCKED.format(n=row.blocked) if row.blocked else "",
                                         last=local_day(row.last_report_at, tz)))
    if unbound:
        lines.append(m.UNITS_UNBOUND.format(n=len(unbound), units="、".join(escape(u) for u in unbound)))
    return "\n".join(lines)


def broadcast_buttons(draft_id: int) -> dict[str, Any]:
    return callback_data.keyboard([
        callback_data.button(m.BUTTON_SEND, callback_data.make(callback_data.BROADCAST, draft_id, callback_data.YES)),
        callback_data.button(m.BUTTON_CANCEL, callback_data.make(callback_data.BROADCAST, draft_id, callback_data.NO))])


def close_question(task_key: str, task_title: str, task_id: int,
                   unfinished: Sequence[str]) -> tuple[str, dict[str, Any]]:
    """标记办结 pressed: the question, the units that have not finished, and 确认办结 / 取消."""
    text = m.CLOSE_CONFIRM.format(task_key=escape(task_key), task_title=escape(task_title))
    if unfinished:
        names = "、".join(escape(u) for u in unfinished)
        text += "\n" + m.CLOSE_CONFIRM_UNFINISHED.format(n=len(unfinished), units=names)
    yes = callback_data.make(callback_data.CLOSE, task_id, callback_data.YES)
    no = callback_data.make(callback_data.CLOSE, task_id, callback_data.NO)
    return text, callback_data.keyboard([callback_data.button(m.BUTTON_CLOSE_CONFIRM, yes),
                                         callback_data.button(m.BUTTON_CANCEL, no)])
