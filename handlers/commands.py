"""/mytasks, /status, /overdue, /digest, /chart, /export, /bulletin, /help, and the lead's 标记办结 button."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.chat import closing, digest_on_demand, exports, lookups, returns
from bot.chat.roles import coordinator_ids
from bot.core.models import pk
from bot.core.vocab import CloseOutcome, DigestScope, FileRequest
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
    coordinator_private_chat,
    local,
    retry_busy,
    runtime,
    toast,
    transaction,
    unit_with_open_tasks,
)


async def mytasks(update: Update, context: Context) -> None:
    found = await unit_with_open_tasks(update, context)
    if found is not None:
        await answer(update, context, *answers.mytasks(found[0].name, found[1], local(context).date()))


async def mytasks_page(update: Update, context: Context) -> None:
    """mt:<page> — another page of /mytasks, edited in place; the unit is the pressing chat's."""
    data = await button_data(update)
    if data is None:
        return
    await toast(update)
    found = await unit_with_open_tasks(update, context)
    if found is None:
        return
    text, markup = answers.mytasks(found[0].name, found[1], local(context).date(), page=data[1] - 1)
    query = update.callback_query
    assert query is not None
    with suppress(BadRequest):  # the same page again: "message is not modified"
        await query.edit_message_text(
            text, reply_markup=InlineKeyboardMarkup.de_json(markup, context.bot) if markup else None
        )


async def _edit_markup(update: Update, context: Context, markup: dict | None) -> None:
    """Another page of a list's buttons, edited in place under the same message."""
    query = update.callback_query
    assert query is not None
    with suppress(BadRequest):  # the same page again: "message is not modified"
        await query.edit_message_reply_markup(InlineKeyboardMarkup.de_json(markup, context.bot) if markup else None)


async def pick_page(update: Update, context: Context) -> None:
    """pg:<page> — another page of the 哪项任务 picker: the pressing chat's open tasks (answers.task_buttons)."""
    data = await button_data(update)
    if data is None:
        return
    await toast(update)
    found = await unit_with_open_tasks(update, context)
    if found is not None and found.open:
        await _edit_markup(update, context, answers.task_buttons(found.open, page=data[1] - 1))


async def overdue_page(update: Update, context: Context) -> None:
    """op:<page> — another page of /overdue's unit buttons, for the pressing chat (as /overdue reads it)."""
    data = await button_data(update)
    if data is None:
        return
    await toast(update)
    rows = await _overdue_rows(update, context)
    if rows:
        await _edit_markup(update, context, answers.overdue_by_unit(rows, local(context).date(), page=data[1] - 1)[1])


async def _overdue_rows(update: Update, context: Context) -> list[lookups.AssignmentView] | None:
    """/overdue's rows: a coordinator every overdue assignment; a bound unit its own and those of the tasks it
    leads or supervises; None for anyone else."""
    today = local(context).date()
    async with transaction(context) as session:
        if await coordinator(session, update, context):
            return await lookups.overdue(session, today)
        bound = await bound_unit(session, update)
        if bound:
            return await lookups.overdue(session, today, unit_id=bound[1].id, overseer_id=bound[1].id)
    return None


async def status(update: Update, context: Context) -> None:
    """/status <task>: a lead or a 督查单位 (or a coordinator) sees the task across all its units with each
    unit's newest report, 退回 under each report it may send back (bot/chat/returns.py), and a lead may close
    the task."""
    ref = command_text(update.effective_message)  # the whole reference: 「成果转化 1.2」 has a space
    tz = runtime(context).settings.tz
    led: list[lookups.AssignmentView] = []
    pages: list[tuple[str, dict | None]] = []
    async with transaction(context) as session:
        bound = await bound_unit(session, update)
        is_coord = await coordinator(session, update, context)
        unit_id = bound[1].id if bound else None
        if ref:
            refused, found = await closing.task_statuses(session, ref, unit_id=unit_id, coordinator=is_coord)
        else:
            led = await lookups.overseen_tasks(session, unit_id) if unit_id else []
            refused, found = (None if bound or is_coord else CloseOutcome.UNBOUND), []
        for item in found:
            newest = await returns.newest_reports(session, [v.id for v in item.rows])
            sendable = await returns.returnable(
                session,
                item.rows,
                newest,
                unit_id=unit_id,
                coordinator=is_coord,
                closed=item.task.closed_at is not None,
            )
            pages.append(
                (
                    answers.task_status(
                        item.rows,
                        item.task.closed_at,
                        tz,
                        item.supervisors,
                        {i: (r.created_at, r.text) for i, r in newest.items()},
                    ),
                    answers.status_buttons(
                        item.task.id, can_close=item.can_close, returnable=[(v.unit, r.id or 0) for v, r in sendable]
                    ),
                )
            )
    if refused is not None:
        refusals = {CloseOutcome.UNBOUND: m.NOT_BOUND, CloseOutcome.NOT_LEAD: m.STATUS_NOT_LEAD}
        text = refusals.get(refused, m.STATUS_UNKNOWN)
        await answer(update, context, text.format(ref=escape(ref)))
    elif not ref:
        keys = "、".join(dict.fromkeys(escape(v.task_key) for v in led)) or m.NEVER
        await answer(update, context, m.STATUS_USAGE.format(keys=keys))
    for text, buttons in pages:
        await answer(update, context, text, buttons)


async def close(update: Update, context: Context) -> None:
    """cl:<task> — 标记办结 asks to confirm; cl:<task>:ok closes (by a chat of a unit that leads the task) and
    tells the task's units and the coordinators; cl:<task>:no cancels."""
    data = await button_data(update)
    if data is None:
        return
    user = update.effective_user
    user_id = user.id if user else None
    async with transaction(context) as session:
        if data[2] is None:
            result = await closing.close_question(session, chat_id=chat_id_of(update), task_id=data[1], user_id=user_id)
        elif data[2] == callback_data.NO:
            result = closing.cancel_close()
        else:
            coordinators = await coordinator_ids(session, runtime(context).settings.coordinator_ids)
            result = await closing.close_task(
                session,
                chat_id=chat_id_of(update),
                task_id=data[1],
                user_id=user_id,
                now=local(context),
                coordinators=coordinators,
            )
    await toast(update)
    task = result.task
    key, title = (escape(result.ref or task.key), escape(task.title)) if task else ("", "")
    buttons = None
    if result.outcome == CloseOutcome.ASK and task is not None:
        text, buttons = answers.close_question(result.ref or task.key, task.key, task.title, data[1], result.unfinished)
    elif result.outcome == CloseOutcome.CLOSED:
        text = m.CLOSE_DONE.format(task=key, task_title=title)
    elif result.outcome == CloseOutcome.CANCELLED:
        text = m.CLOSE_CANCELLED
    elif result.outcome == CloseOutcome.ALREADY and task is not None and task.closed_at is not None:
        closed_on = answers.local_day(task.closed_at, runtime(context).settings.tz)
        text = m.CLOSE_ALREADY.format(task=key, date=closed_on)
    elif result.outcome == CloseOutcome.NOT_LEAD:
        text = m.CLOSE_NOT_LEAD
    elif result.outcome == CloseOutcome.UNBOUND:
        text = m.NOT_BOUND
    else:
        text = m.BUTTON_STALE
    await answer(update, context, text, buttons)


async def reopen(update: Update, context: Context) -> None:
    """/reopen <task>: a lead unit's chat or a coordinator takes 办结 back (audited, and told to the task's
    units and the coordinators); anyone else is refused and audited."""
    ref = command_text(update.effective_message)  # the whole reference: 「成果转化 1.2」 has a space
    if not ref:
        await answer(update, context, m.REOPEN_USAGE)
        return
    user = update.effective_user
    async with transaction(context) as session:
        is_coord = await coordinator(session, update, context)
        coordinators = await coordinator_ids(session, runtime(context).settings.coordinator_ids)
        result = await closing.reopen_task(
            session,
            ref,
            chat_id=chat_id_of(update),
            user_id=user.id if user else None,
            coordinator=is_coord,
            now=local(context),
            coordinators=coordinators,
        )
    task = result.task
    key, title = (escape(result.ref or task.key), escape(task.title)) if task else ("", "")
    texts = {
        CloseOutcome.REOPENED: m.REOPEN_DONE,
        CloseOutcome.NOT_CLOSED: m.REOPEN_NOT_CLOSED,
        CloseOutcome.NOT_LEAD: m.REOPEN_NOT_ALLOWED,
        CloseOutcome.UNBOUND: m.NOT_BOUND,
        CloseOutcome.MISSING: m.STATUS_UNKNOWN,
        CloseOutcome.AMBIGUOUS: m.REOPEN_AMBIGUOUS,
    }
    example = f"{task.document_id}/{task.key}" if task else ""
    await answer(
        update,
        context,
        texts.get(result.outcome, m.STATUS_UNKNOWN).format(
            task=key, task_title=title, ref=escape(ref), example=escape(example)
        ),
    )


async def overdue(update: Update, context: Context) -> None:
    """A coordinator: every overdue assignment; a unit: its own and those of the tasks it leads or supervises."""
    today = local(context).date()
    async with transaction(context) as session:
        is_coord = await coordinator(session, update, context)
        bound = await bound_unit(session, update)
        if is_coord:
            rows = await lookups.overdue(session, today)
        elif bound:
            rows = await lookups.overdue(session, today, unit_id=bound[1].id, overseer_id=bound[1].id)
        else:
            rows = None
    if rows is None:
        await answer(update, context, m.NOT_BOUND)
    elif is_coord or (bound and any(r.unit_id != bound[1].id for r in rows)):
        await answer(update, context, *answers.overdue_by_unit(rows, today))
    else:
        await answer(update, context, answers.overdue(rows, today))


async def overdue_unit(update: Update, context: Context) -> None:
    """od:<unit> — one unit's overdue tasks, for a coordinator or a lead or 督查单位 of them (which sees only
    the tasks it leads or supervises, or its own)."""
    data = await button_data(update)
    if data is None:
        return
    today = local(context).date()
    async with transaction(context) as session:
        is_coord = await coordinator(session, update, context)
        bound = await bound_unit(session, update)
        if is_coord:
            rows = await lookups.overdue(session, today, unit_id=data[1])
        elif bound:
            rows = [
                r
                for r in await lookups.overdue(session, today, unit_id=bound[1].id, overseer_id=bound[1].id)
                if r.unit_id == data[1]
            ]
        else:
            rows = None
    await toast(update)
    await answer(update, context, answers.overdue(rows, today) if rows is not None else m.NOT_BOUND)


async def digest(update: Update, context: Context) -> None:
    """A coordinator: all tasks; a lead unit or a 督查单位: the tasks it leads or supervises; another unit: its
    own assignments."""
    today = local(context).date()
    async with transaction(context) as session:
        is_coord = await coordinator(session, update, context)
        bound = await bound_unit(session, update)
        tz = runtime(context).settings.tz
        if is_coord:
            text = await digest_on_demand.digest_text(session, scope=DigestScope.ALL, today=today, tz=tz)
        elif bound:
            scope = digest_on_demand.unit_scope(await lookups.overseer_roles(session, pk(bound[1])))
            text = await digest_on_demand.digest_text(
                session, scope=scope, today=today, tz=tz, unit_id=bound[1].id, unit_name=bound[1].name
            )
        else:
            text = m.NOT_BOUND
    await answer(update, context, text)


def request_key(what: str, update: Update) -> str:
    """The outbox key of the file one command asks for: the chat, the message id and its time — the same when
    Telegram delivers the update again (nothing is sent twice), new for every /export sent (the time tells a
    message id used again by another bot on this store from an old one)."""
    message = update.effective_message
    chat = update.effective_chat
    assert message is not None and chat is not None
    return f"{what}:{chat.id}:{message.message_id}:{message.date:%Y%m%d%H%M%S}"


async def send_file(
    update: Update,
    context: Context,
    what: str,
    make: Callable[[AsyncSession, exports.FileRequester], Awaitable[exports.FileAnswer]],
    queued: str,
    refused: Mapping[FileRequest, str],
) -> None:
    """A command that answers with a file through the outbox (bot/chat/exports.py): `make` queues it, the
    chat is told it is coming (`queued`, which may name the rows) or why not."""
    today, tz = local(context).date(), runtime(context).settings.tz
    private_to: int | None = None

    async def work() -> exports.FileAnswer:
        nonlocal private_to
        async with transaction(context, settles=update) as session:
            bound = await bound_unit(session, update)
            is_coord = await coordinator(session, update, context)
            private_to = coordinator_private_chat(update) if is_coord else None
            return await make(
                session,
                exports.FileRequester(
                    chat_id=private_to or chat_id_of(update),
                    unit=bound[1] if bound else None,
                    coordinator=is_coord,
                    today=today,
                    tz=tz,
                    key=request_key(what, update),
                ),
            )

    done = await retry_busy(work, what)
    text = queued.format(rows=done.rows) if done.outcome == FileRequest.QUEUED else refused[done.outcome]
    if done.outcome == FileRequest.QUEUED and private_to is not None:
        text = m.FILE_SENT_PRIVATELY.format(what=text)
    await answer(update, context, text)


async def export(update: Update, context: Context) -> None:
    """/export: the 台账 (.xlsx) as a document — a coordinator all tasks (to their private chat when asked in a
    group), a lead unit or a 督查单位 the tasks it leads or supervises."""
    await send_file(update, context, "export", exports.export_ledger, m.EXPORT_QUEUED, m.EXPORT_REFUSED)


async def chart(update: Update, context: Context) -> None:
    """/chart: the progress chart as a photo — to the same people over the same tasks as /export (the weekly
    tick sends only the coordinators' chart: bot/chat/exports.py)."""
    await send_file(update, context, "chart", exports.send_chart, m.CHART_QUEUED, m.CHART_REFUSED)


async def chart_button(update: Update, context: Context) -> None:
    """ch — the 📊 button under a unit's weekly digest: the chart as /chart sends it to the pressing chat (the
    outbox key is that digest message's: a second tap on it sends nothing more)."""
    await toast(update)
    await chart(update, context)


async def bulletin(update: Update, context: Context) -> None:
    """/bulletin [月|周]: the 督办通报 (.docx, with the units' ranking) of this month or week, to a coordinator."""
    period = exports.bulletin_period(command_text(update.effective_message))
    if period is None:
        await answer(update, context, m.BULLETIN_USAGE)
        return
    await send_file(
        update,
        context,
        "bulletin",
        lambda session, asker: exports.send_bulletin(session, asker, period),
        m.BULLETIN_QUEUED,
        m.BULLETIN_REFUSED,
    )


async def help_command(update: Update, context: Context) -> None:
    async with transaction(context) as session:
        is_coord = await coordinator(session, update, context)
        bound = await bound_unit(session, update)
    parts = [m.HELP_UNIT.format(unit=escape(bound[1].name))] if bound else []
    if is_coord:  # each command once: in a bound chat only what the unit's help does not list
        parts.append(m.HELP_COORDINATOR_EXTRA if bound else m.HELP_COORDINATOR)
    await answer(update, context, "\n\n".join(parts) or m.HELP_UNBOUND)


def install(application: Application) -> None:
    application.add_handler(CommandHandler("mytasks", mytasks, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("status", status, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("overdue", overdue, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("digest", digest, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("chart", chart, filters=NEW_MESSAGES))
    application.add_handler(CallbackQueryHandler(chart_button, pattern=rf"^{callback_data.CHART}$"))
    application.add_handler(CommandHandler("export", export, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("bulletin", bulletin, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("help", help_command, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("reopen", reopen, filters=NEW_MESSAGES))
    application.add_handler(CallbackQueryHandler(close, pattern=callback_data.pattern(callback_data.CLOSE)))
    application.add_handler(
        CallbackQueryHandler(close, pattern=callback_data.pattern(callback_data.CLOSE, options=True))
    )
    for kind, handler in (
        (callback_data.MYTASKS_PAGE, mytasks_page),
        (callback_data.OVERDUE_UNIT, overdue_unit),
        (callback_data.PICK_PAGE, pick_page),
        (callback_data.OVERDUE_PAGE, overdue_page),
    ):
        application.add_handler(CallbackQueryHandler(handler, pattern=callback_data.pattern(kind)))
