"""/extend <task> <date> <reason>, the 申请延期 button under an answer, and coordinators' decisions."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.chat import deadline_extension, reports, roles
from bot.chat.deadline_extension import MAX_YEARS_AHEAD, DateProblem, read_checked_date
from bot.chat.lookups import AssignmentView, unit_live_assignments
from bot.chat.roles import coordinator_ids
from bot.core.models import pk
from bot.core.references import matching, read_leading
from bot.core.vocab import ExtensionOutcome, Refusal
from bot.presenters import answers
from bot.render import callback_data
from bot.render import messages as m
from handlers.common import (
    NEW_MESSAGES,
    Context,
    answer,
    bound_unit,
    button_data,
    chat_id_of,
    command_text,
    coordinator,
    local,
    runtime,
    toast,
    transaction,
)

_SPACE = re.compile(r"\s+")
_CLAUSE = re.compile(r"[，。,;；、]")


async def _request(
    update: Update, context: Context, assignment_id: int, new_date_text: str, reason: str, new_date: dt.date
) -> None:
    user = update.effective_user
    now = local(context)
    async with transaction(context) as session:
        coordinators = await coordinator_ids(session, runtime(context).settings.coordinator_ids)
        result = await deadline_extension.request_extension(
            session,
            chat_id=chat_id_of(update),
            assignment_id=assignment_id,
            new_date=new_date,
            reason=reason,
            user_id=user.id if user else None,
            now=now,
            coordinators=coordinators,
        )
    await toast(update, m.TOAST_DONE if result.outcome == ExtensionOutcome.SENT else None)
    await answer(update, context, _request_answer(result, new_date_text))


def _request_answer(result: deadline_extension.ExtensionResult, date_text: str) -> str:
    view = result.view
    key = escape(view.ref) if view else ""
    if result.outcome == ExtensionOutcome.SENT:
        assert result.request is not None
        text = m.EXTEND_SENT.format(task=key, date=result.request.new_date.isoformat())
        return text if result.coordinators else f"{text}\n{m.EXTEND_NO_COORDINATORS}"
    if result.outcome == ExtensionOutcome.WAITING:
        assert result.request is not None
        return m.EXTEND_PENDING.format(task=key, date=result.request.new_date.isoformat())
    if result.outcome == ExtensionOutcome.PAST:
        return m.EXTEND_PAST.format(date=escape(date_text))
    if result.outcome == ExtensionOutcome.NOT_LATER:
        assert view is not None
        return m.EXTEND_NOT_LATER.format(deadline=view.deadline.isoformat() if view.deadline else m.NO_DEADLINE)
    if result.outcome == ExtensionOutcome.NO_REASON:
        return m.EXTEND_NO_REASON
    if isinstance(result.outcome, Refusal):
        return answers.refusal(result.outcome, view)
    return m.BUTTON_STALE  # an outcome of a decision (APPROVED …): not one a request has


async def extend_command(update: Update, context: Context) -> None:
    """/extend <task> <date> <reason>; the task may be left out when the unit has one open assignment. The
    task is read as every command reads it (bot/core/references.py): 「成果转化 1.5」, 「成果1.5」, 「1.5」."""
    leading = read_leading(command_text(update.effective_message))
    async with transaction(context) as session:
        bound = await bound_unit(session, update)
        views = await unit_live_assignments(session, pk(bound[1])) if bound else []
    if bound is None:
        await answer(update, context, m.NOT_BOUND)
        return
    open_ = [v for v in views if v.is_open]
    matches = matching(leading.reference, views) if leading.reference else []
    if leading.reference is not None and len(matches) != 1:
        await answer(update, context, _which_task(leading.reference.written, matches, open_, local(context).date()))
        return
    if not matches and len(open_) != 1:
        await answer(update, context, answers.extend_usage(open_[0].ref if open_ else "1.1", local(context).date()))
        return
    target = matches[0] if matches else open_[0]
    await _extend_with(update, context, target, leading.rest)


def _which_task(written: str, matches: list[AssignmentView], open_: list[AssignmentView], today: dt.date) -> str:
    """A reference in /extend that names several of the unit's tasks, or none."""
    if matches:
        candidates = "、".join(escape(v.ref) for v in matches)
        return m.EXTEND_AMBIGUOUS.format(
            ref=escape(written),
            candidates=candidates,
            example=escape(matches[0].ref),
            date=answers.example_date(today),
        )
    keys = "、".join(dict.fromkeys(escape(v.ref) for v in open_)) or m.NEVER
    return m.EXTEND_UNKNOWN_TASK.format(ref=escape(written), keys=keys)


async def _extend_with(update: Update, context: Context, target: AssignmentView, tail: str) -> None:
    date_text, reason = _date_and_reason(tail)
    new_date = read_checked_date(date_text, local(context)) if date_text else None
    if isinstance(new_date, DateProblem):
        template = m.EXTEND_DATE_FAR if new_date.far else m.EXTEND_DATE_INVALID
        await answer(update, context, template.format(text=escape(new_date.written), years=MAX_YEARS_AHEAD))
        return
    if new_date is None:
        await answer(
            update,
            context,
            m.EXTEND_BAD_DATE.format(text=escape(tail[:40]))
            if tail
            else answers.extend_usage(target.ref, local(context).date()),
        )
        return
    await _request(update, context, target.id, date_text, reason, new_date)


def _date_and_reason(tail: str) -> tuple[str, str]:
    """ "2025-03-31 资金未到位" → the date word and the reason; "延期至明年3月底，因资金未到位" (one phrase)
    → the whole text for both: the date is read out of it and it is its own reason."""
    parts = _SPACE.split(tail.strip(), maxsplit=1)
    if len(parts) == 2 and not _CLAUSE.search(parts[0]):
        return parts[0], parts[1].strip()
    if len(parts) == 1 and not _CLAUSE.search(parts[0]):
        return parts[0], ""
    return tail, tail


async def extend_from_report(update: Update, context: Context) -> None:
    """er:<report> — the extension a report asked for: its expected date, its text as the reason."""
    data = await button_data(update)
    if data is None:
        return
    user = update.effective_user
    async with transaction(context) as session:
        report, access = await reports.report_of_chat(
            session, data[1], chat_id_of(update), user_id=user.id if user else None
        )
    if report is None or report.expected_date is None:
        await toast(update)
        await answer(update, context, answers.refusal(access.refused or Refusal.MISSING, access.view))
        return
    await _request(
        update, context, report.assignment_id, report.expected_date.isoformat(), report.text, report.expected_date
    )


async def decide(update: Update, context: Context) -> None:
    """ex:<request>:ok|no — only a coordinator decides; anyone else is refused and audited."""
    data = await button_data(update)
    if data is None:
        return
    user = update.effective_user
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        if not allowed or user is None:  # a coordinator is a user: coordinator() is False without one
            roles.refused(session, user.id if user else None, "extension", data[1], action="decide")
            decision = None
        else:
            decision = await deadline_extension.decide_extension(
                session, request_id=data[1], approve=data[2] == callback_data.YES, user_id=user.id, now=local(context)
            )
    await toast(update)
    if decision is None:
        await answer(update, context, m.COORDINATORS_ONLY)
    elif decision.outcome == ExtensionOutcome.MISSING or decision.request is None or decision.view is None:
        await answer(update, context, m.BUTTON_STALE)
    elif decision.outcome == ExtensionOutcome.ALREADY:
        await answer(update, context, m.EXTEND_ALREADY.format(verdict=m.VERDICTS.get(decision.request.status, "")))
    else:
        await answer(
            update,
            context,
            m.EXTEND_DECIDED.format(
                verdict=m.VERDICTS[decision.request.status],  # the request as decide_extension refreshed it
                unit=escape(decision.view.unit),
                task=escape(decision.view.ref),
                date=decision.request.new_date.isoformat(),
            ),
        )


def install(application: Application) -> None:
    application.add_handler(CommandHandler("extend", extend_command, filters=NEW_MESSAGES))
    application.add_handler(
        CallbackQueryHandler(extend_from_report, pattern=callback_data.pattern(callback_data.EXTEND_REPORT))
    )
    application.add_handler(
        CallbackQueryHandler(decide, pattern=callback_data.pattern(callback_data.EXTEND_DECIDE, options=True))
    )
