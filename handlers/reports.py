"""Reports: a tap on a prompt's button, a reply to a prompt or a 督办单, `/report <task> <text>`, or plain text.

Several tasks in one message (bot/replies/multipart.py, bot/chat/multi_report.py): a reply to a 督办单,
`/report`, or plain text in a private chat whose lines open with 督办单 numbers or task references is
stored part by part and answered once. A single reference that fits several tasks asks with buttons
for exactly those.

Which assignment a reply is about is read from the quoted message by handlers/quoted.py, which hands the
reply over (`reply_to_assignment`, `reply_to_sheet`, `plain_text`): the outbox row the sender filled with the
prompt's message id; for a reply to one of the bot's own answers (an acknowledgement, a 更正 question), the
assignment named in that message's buttons. Plain text (not a reply, not a command) is stored straight away only when it
says something the parser understood and the unit has exactly one open assignment; otherwise the bot
asks which task, with buttons, quoting the text — the choice then reads the text back from the quoted
message, so nothing waits in memory and a restart loses nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from telegram import Message, Update, User
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.chat import multi_report, reports
from bot.chat.lookups import document_shorts, unit_live_assignments
from bot.chat.multi_report import split_reply
from bot.chat.reports import ParsedReply, parse_reply, states_absurd
from bot.core.models import pk
from bot.core.references import matching, read_leading
from bot.core.vocab import PartProblem, Refusal, ReplyProblem, ReportOutcome, ReportSource
from bot.presenters import answers
from bot.render import callback_data
from bot.render import messages as m
from handlers.common import (
    NEW_MESSAGES,
    Context,
    UnitTasks,
    answer,
    button_data,
    chat_id_of,
    command_text,
    local,
    retry_busy,
    toast,
    transaction,
    unit_with_open_tasks,
    user_name,
    view_if_allowed,
)
from handlers.quoted import QuotedMessage

_FIRST_WORD = re.compile(r"\s+")


async def store(
    update: Update,
    context: Context,
    *,
    assignment_id: int,
    text: str,
    source: ReportSource,
    at: dt.datetime,
    parsed: ParsedReply | None = None,
    author: User | None = None,
) -> None:
    """Parse, store (committed; retried while the store is busy), then acknowledge — or explain why nothing
    was stored. `author`: who wrote the text, when that is not who sent this update (a 哪项任务 tap)."""
    chat_id, user = chat_id_of(update), author or update.effective_user
    parsed = parsed if parsed is not None else parse_reply(text, local(context, at))

    async def submit() -> reports.ReportResult:
        async with transaction(context, settles=update) as session:
            return await reports.submit_report(
                session,
                chat_id=chat_id,
                assignment_id=assignment_id,
                text=text,
                parsed=parsed,
                source=source,
                user_id=user.id if user else None,
                user_name=user_name(user),
                at=local(context, at),
            )

    result = await retry_busy(submit, f"report on assignment {assignment_id} from chat {chat_id}")
    await toast(update, m.TOAST_SAVED if result.outcome == ReportOutcome.STORED else None)
    await answer(update, context, *_result_answer(result, text))


def _result_answer(result: reports.ReportResult, text: str) -> tuple[str, dict | None]:
    if result.outcome == ReportOutcome.STORED:
        assert result.view is not None and result.parsed is not None
        return answers.ack(result.view, result.parsed, result.report_id, result.targets, absurd=states_absurd(text))
    if result.outcome == ReportOutcome.DUPLICATE:
        return m.REPORT_DUPLICATE, None
    if result.outcome == ReportOutcome.PROBLEM:
        assert result.parsed is not None
        return answers.problem(result.parsed), None
    if isinstance(result.outcome, Refusal):
        return answers.refusal(result.outcome, result.view), None
    return _text_refusal(result.outcome, text), None  # EMPTY or TOO_LONG


async def prompt_button(update: Update, context: Context) -> None:
    """rp:<assignment>:<action> — 已完成 / 进行中 / 受阻 store a report; 申请延期 explains /extend."""
    data = await button_data(update)
    action = data[2] if data is not None else None
    if data is None or action is None:  # the routing pattern lets through only data that parses with its action
        return
    assignment_id = data[1]
    if action == callback_data.EXTEND:
        await _explain_extend(update, context, assignment_id)
        return
    await store(
        update,
        context,
        assignment_id=assignment_id,
        text=m.BUTTONS[action],
        source=ReportSource.BUTTON,
        at=dt.datetime.now(dt.UTC),
        parsed=reports.button_report(action),
    )


async def _explain_extend(update: Update, context: Context, assignment_id: int) -> None:
    view = await view_if_allowed(update, context, assignment_id, "extend")
    if view is not None:
        await answer(update, context, answers.extend_usage(view.ref, local(context).date()))


async def correct_button(update: Update, context: Context) -> None:
    """fx:<assignment> — 更正: the status buttons again; a reply to that message is a new report."""
    data = await button_data(update)
    if data is None:
        return
    view = await view_if_allowed(update, context, data[1], "correct")
    if view is not None:
        await answer(update, context, *answers.correction(view))


async def pick_button(update: Update, context: Context) -> None:
    """pk:<assignment> — the task a quoted free-text report (or /report) is about."""
    query = update.callback_query
    data = await button_data(update)
    if query is None or data is None:
        return
    original = query.message.reply_to_message if isinstance(query.message, Message) else None
    text = _report_text(original.text or "") if original is not None else ""
    if original is None or not text:
        await toast(update)
        await answer(update, context, m.REPORT_RESEND)
        return
    source = ReportSource.COMMAND if (original.text or "").startswith("/") else ReportSource.TEXT
    await store(
        update, context, assignment_id=data[1], text=text, source=source, at=original.date, author=original.from_user
    )  # in a group, whoever taps the task did not write the report


def _report_text(text: str) -> str:
    """The report itself: a plain message as is; for `/report <task> <text>`, the text after the task."""
    if not text.startswith("/"):
        return text.strip()
    parts = _FIRST_WORD.split(text.strip(), maxsplit=2)
    return parts[2].strip() if len(parts) == 3 else ""


async def reply_to_assignment(update: Update, context: Context, quoted: QuotedMessage) -> None:
    """A reply to a prompt, or to an answer naming one task: a report on that task — unless its lines name at
    least two tasks of the unit (then each is stored as its own)."""
    message = update.effective_message
    assert message is not None and message.text and quoted.ident is not None
    found = await unit_with_open_tasks(update, context)
    if found is None or await _several(
        update, context, message, message.text, found, source=ReportSource.REPLY, sheet_items=None, at_least=2
    ):
        return
    await store(
        update, context, assignment_id=quoted.ident, text=message.text, source=ReportSource.REPLY, at=message.date
    )


async def reply_to_sheet(update: Update, context: Context, quoted: QuotedMessage) -> None:
    """A reply to a 督办单: the tasks its lines name (by item number or reference), else which of its tasks."""
    message = update.effective_message
    assert message is not None and message.text
    found = await unit_with_open_tasks(update, context)
    if found is not None and not await _several(
        update, context, message, message.text, found, source=ReportSource.REPLY, sheet_items=quoted.sheet_items
    ):
        own = [int(i["assignment_id"]) for i in quoted.sheet_items if i.get("own")]
        await _ask_which(update, context, message, found, own)


async def plain_text(update: Update, context: Context, _quoted: QuotedMessage) -> None:
    """Text that quotes none of the bot's questions: in a private chat, or a reply to another of its messages."""
    message = update.effective_message
    assert message is not None and message.text
    await _plain(update, context, message, message.text, source=ReportSource.TEXT)


async def _plain(update: Update, context: Context, message: Message, text: str, *, source: ReportSource) -> None:
    problem = reports.text_problem(text)
    found = await unit_with_open_tasks(update, context)
    if found is None:
        return
    if problem is not None:
        await answer(update, context, _text_refusal(problem, text))
        return
    open_ = found[1]
    unit = escape(found[0].name)
    if not open_:
        await answer(update, context, m.REPORT_NO_OPEN.format(unit=unit))
        return
    if await _several(update, context, message, text, found, source=source, sheet_items=None):
        return
    parsed = parse_reply(text, local(context, message.date))
    if ReplyProblem.QUESTION in parsed.problems:  # 「完成了吗？」: ask what is meant before asking which task
        await answer(update, context, answers.problem(parsed), reply_to=message)
        return
    if len(open_) == 1 and parsed.understood:
        await store(
            update, context, assignment_id=open_[0].id, text=text, source=source, at=message.date, parsed=parsed
        )
        return
    await answer(
        update, context, m.REPORT_WHICH.format(unit=unit, n=len(open_)), answers.task_buttons(open_), reply_to=message
    )


async def _several(
    update: Update,
    context: Context,
    message: Message,
    text: str,
    found: UnitTasks,
    *,
    source: ReportSource,
    sheet_items: list[dict] | None,
    at_least: int = 1,
) -> bool:
    """Store a reply whose parts name tasks (督办单 numbers or references) of the unit (`found`: it and its open
    tasks), answered once; False when fewer than `at_least` parts name a task, so the caller's single-task
    flow applies."""
    unit, _ = found
    async with transaction(context) as session:
        views = await unit_live_assignments(session, pk(unit))
        shorts = await document_shorts(session)
    parts = split_reply(text, shorts)
    resolutions = multi_report.resolve(parts, views, sheet_items, local(context, message.date))
    named = [r for r in resolutions if r.problem != PartProblem.UNADDRESSED]
    if len(named) < at_least or not named or (len(named) == 1 and named[0].problem == PartProblem.UNKNOWN):
        return False  # nothing, or one unknown task: the single-task flow answers (with the unit's tasks)
    if len(resolutions) == 1 and resolutions[0].assignment_id is not None:
        await store(
            update,
            context,
            assignment_id=resolutions[0].assignment_id,
            text=resolutions[0].part.text,
            source=source,
            at=message.date,
        )
        return True
    if len(resolutions) == 1 and resolutions[0].candidates:
        await answer(
            update,
            context,
            m.REPORT_AMBIGUOUS_TASK.format(ref=escape(resolutions[0].named)),
            answers.task_buttons(resolutions[0].candidates),
            reply_to=message,
        )
        return True
    await _store_parts(update, context, message, unit.name, resolutions, source=source)
    return True


async def _store_parts(
    update: Update,
    context: Context,
    message: Message,
    unit: str,
    resolutions: list[multi_report.Resolution],
    *,
    source: ReportSource,
    author: User | None = None,
) -> None:
    chat_id, user = chat_id_of(update), author or update.effective_user

    async def submit() -> multi_report.MultiReport:
        async with transaction(context, settles=update) as session:
            return await multi_report.submit_parts(
                session,
                resolutions,
                chat_id=chat_id,
                source=source,
                user_id=user.id if user else None,
                user_name=user_name(user),
                at=local(context, message.date),
            )

    report = await retry_busy(submit, f"a several-task report from chat {chat_id}")
    await answer(update, context, *answers.multi_ack(unit, report), reply_to=message)


async def part_pick_button(update: Update, context: Context) -> None:
    """pp:<assignment>:<part> — the task one part of a several-task reply is about (a bare number that fits
    several, or 「6.」 that may be an item or a task). The part is read again from the quoted reply, so
    nothing waits in memory; only that part is stored."""
    query = update.callback_query
    data = await button_data(update)
    if query is None or data is None or data[2] is None:
        return
    original = query.message.reply_to_message if isinstance(query.message, Message) else None
    text = _report_text(original.text or "") if original is not None else ""
    async with transaction(context) as session:
        shorts = await document_shorts(session)
    parts = [p for p in split_reply(text, shorts) if p.addressed]
    index = int(data[2])
    if original is None or index >= len(parts) or not parts[index].text:
        await toast(update)
        await answer(update, context, m.REPORT_RESEND)
        return
    source = ReportSource.COMMAND if (original.text or "").startswith("/") else ReportSource.TEXT
    await store(
        update,
        context,
        assignment_id=data[1],
        text=parts[index].text,
        source=source,
        at=original.date,
        author=original.from_user,
    )


async def _ask_which(
    update: Update, context: Context, message: Message, found: UnitTasks, assignment_ids: list[int]
) -> None:
    """Which task a reply to a 督办单 that names none is about: buttons for the 督办单's own tasks."""
    unit, open_ = found
    wanted = set(assignment_ids)
    candidates = [v for v in open_ if v.id in wanted] or open_
    if len(candidates) > answers.PICK_PAGE_SIZE:  # a list that pages is the unit's open tasks (task_buttons)
        candidates = open_
    if not candidates:
        await answer(update, context, m.REPORT_NO_OPEN.format(unit=escape(unit.name)))
        return
    await answer(
        update,
        context,
        m.REPORT_WHICH.format(unit=escape(unit.name), n=len(candidates)),
        answers.task_buttons(candidates),
        reply_to=message,
    )


def _text_refusal(problem: ReportOutcome, text: str) -> str:
    if problem == ReportOutcome.TOO_LONG:
        return m.REPORT_TOO_LONG.format(n=len(text), limit=reports.MAX_REPORT_CHARS)
    return m.REPORT_EMPTY


async def report_command(update: Update, context: Context) -> None:
    """/report <task> <text>; with one open assignment the task may be left out."""
    message = update.effective_message
    if message is None:
        return
    rest = command_text(message)
    found = await unit_with_open_tasks(update, context)
    if found is None:
        return
    if rest and await _several(update, context, message, rest, found, source=ReportSource.COMMAND, sheet_items=None):
        return
    leading = read_leading(rest)
    ref = leading.reference.written if leading.reference else (_FIRST_WORD.split(rest, maxsplit=1) or [""])[0]
    unit, open_ = found
    async with transaction(context) as session:
        views = await unit_live_assignments(session, pk(unit)) if leading.reference else []
    matches = matching(leading.reference, views) if leading.reference else []
    text = leading.rest if matches else rest
    problem = reports.text_problem(text)
    if problem is not None:
        await answer(update, context, _text_refusal(problem, text))
    elif len(matches) == 1 or (not matches and len(open_) == 1):
        target = matches[0] if matches else open_[0]
        await store(update, context, assignment_id=target.id, text=text, source=ReportSource.COMMAND, at=message.date)
    elif matches:
        await answer(
            update,
            context,
            m.REPORT_AMBIGUOUS_TASK.format(ref=escape(ref)),
            answers.task_buttons(matches),
            reply_to=message,
        )
    else:
        keys = "、".join(dict.fromkeys(escape(v.task_key) for v in open_)) or m.NEVER
        await answer(update, context, m.REPORT_UNKNOWN_TASK.format(ref=escape(ref), keys=keys))


def install(application: Application) -> None:
    application.add_handler(CommandHandler("report", report_command, filters=NEW_MESSAGES))
    application.add_handler(
        CallbackQueryHandler(prompt_button, pattern=callback_data.pattern(callback_data.REPORT, options=True))
    )
    application.add_handler(CallbackQueryHandler(correct_button, pattern=callback_data.pattern(callback_data.CORRECT)))
    application.add_handler(CallbackQueryHandler(pick_button, pattern=callback_data.pattern(callback_data.PICK)))
    application.add_handler(
        CallbackQueryHandler(
            part_pick_button, pattern=rf"^{callback_data.PART_PICK}:{callback_data.ID_PATTERN}:[0-9]{{1,3}}$"
        )
    )
