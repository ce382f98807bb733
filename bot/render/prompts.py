"""Rendering the scheduler's messages: text (HTML-escaped) and the inline buttons, from plain values.

Pure: the scheduler and the handlers both call it, and tests need no Telegram. Button data is
`rp:<assignment id>:<action>` (bot/render/callback_data.py, the one codec); it carries no authority — the handler
checks that the pressing chat is bound to the assignment's unit before it believes anything in it
(docs/conversation.md: a chat touches only its unit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Any

from bot.core.vocab import MessageKind, Role
from bot.render import callback_data
from bot.render import messages as m


@dataclass(frozen=True)
class PromptContext:
    kind: MessageKind  # REMINDER, PROMPT, OVERDUE or ESCALATION
    document: str
    ref: str  # 「成果转化 1.2」
    task_title: str
    unit: str
    role: Role
    deadline: dt.date | None
    today: dt.date
    assignment_id: int
    reminders: int = 0  # overdue reminders sent so far (escalation)


def days_phrase(deadline: dt.date | None, today: dt.date) -> str:
    if deadline is None:
        return m.NO_DEADLINE
    days = (deadline - today).days
    if days > 0:
        return m.DAYS_LEFT.format(n=days)
    if days == 0:
        return m.DUE_TODAY
    return m.DAYS_OVERDUE.format(n=-days)


def report_buttons(assignment_id: int) -> dict[str, Any]:
    """Bot API InlineKeyboardMarkup as JSON (stored in the outbox as is)."""
    row = [
        callback_data.button(m.BUTTONS[action], callback_data.make(callback_data.REPORT, assignment_id, action))
        for action in callback_data.REPORT_ACTIONS
    ]
    return {"inline_keyboard": [row[:2], row[2:]]}


def render_prompt(ctx: PromptContext) -> tuple[str, dict[str, Any] | None]:
    """(HTML text, reply markup) for a reminder, progress prompt, overdue reminder or escalation."""
    deadline = ctx.deadline.isoformat() if ctx.deadline else m.NO_DEADLINE
    if ctx.kind == MessageKind.ESCALATION:
        text = m.ESCALATION_BODY.format(
            document=escape(ctx.document),
            task=escape(ctx.ref),
            task_title=escape(ctx.task_title),
            unit=escape(ctx.unit),
            deadline=deadline,
            overdue_days=max(0, (ctx.today - ctx.deadline).days) if ctx.deadline else 0,
            reminders=ctx.reminders,
        )
        return text, None
    text = m.PROMPT_BODY.format(
        header=m.PROMPT_HEADERS[ctx.kind],
        document=escape(ctx.document),
        task=escape(ctx.ref),
        task_title=escape(ctx.task_title),
        unit=escape(ctx.unit),
        role=m.ROLE_LABELS[ctx.role],
        deadline=deadline,
        days=days_phrase(ctx.deadline, ctx.today),
    )
    return f"{text}\n{m.PROMPT_ASK}", report_buttons(ctx.assignment_id)
