"""退办: the 退回 button (under a lead's report notice and in /status), its 取消, and the reason that answers it.

The question carries the report id in its 取消 button (`rt:<report>:no`); a reply to that question is the
reason. handlers/quoted.py tells a reply to the question, or to another message with 退回 buttons, from a
report before any report is read, so the reason is never taken for a progress report of the lead's own unit.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.chat import returns
from bot.core.vocab import ReturnOutcome
from bot.presenters import answers
from bot.render import callback_data
from bot.render import messages as m
from handlers.common import (
    Context,
    answer,
    button_data,
    chat_id_of,
    coordinator,
    local,
    retry_busy,
    runtime,
    toast,
    transaction,
)
from handlers.quoted import QuotedMessage


async def return_button(update: Update, context: Context) -> None:
    """rt:<report> asks for the reason (a lead of the task or a coordinator); rt:<report>:no cancels."""
    data = await button_data(update)
    if data is None:
        return
    tz = runtime(context).settings.tz
    if data[2] is not None:
        await toast(update)
        await answer(
            update,
            context,
            answers.return_answer(returns.ReturnResult(ReturnOutcome.CANCELLED), tz)
            if data[2] == callback_data.NO
            else answers.return_answer(returns.ReturnResult(ReturnOutcome.MISSING), tz),
        )
        return
    user = update.effective_user
    async with transaction(context) as session:
        result = await returns.ask_reason(
            session,
            data[1],
            chat_id=chat_id_of(update),
            user_id=user.id if user else None,
            coordinator=await coordinator(session, update, context),
        )
    await toast(update)
    if result.outcome == ReturnOutcome.ASK:
        await answer(update, context, *answers.return_question(result, tz))
    else:
        await answer(update, context, answers.return_answer(result, tz))


async def reason(update: Update, context: Context, quoted: QuotedMessage) -> None:
    """A reply to a 退回 question (`quoted.ident`: its report): the reason; the report is returned, or the answer
    says why not."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    assert message is not None and chat is not None and quoted.ident is not None
    report_id, text = quoted.ident, message.text or ""

    async def submit() -> returns.ReturnResult:
        async with transaction(context, settles=update) as session:
            return await returns.return_report(
                session,
                report_id,
                text,
                chat_id=chat.id,
                user_id=user.id if user else None,
                coordinator=await coordinator(session, update, context),
                now=local(context, message.date),
            )

    result = await retry_busy(submit, f"return of report {report_id} from chat {chat.id}")
    await answer(update, context, answers.return_answer(result, runtime(context).settings.tz, text))


async def how_to_return(update: Update, context: Context, _quoted: QuotedMessage) -> None:
    """A reply to a lead's notice or /status itself (退回 buttons, not the question): no report of the lead's own
    unit, but how to send one back."""
    await answer(update, context, m.RETURN_HOW)


def install(application: Application) -> None:
    application.add_handler(CallbackQueryHandler(return_button, pattern=callback_data.pattern(callback_data.RETURN)))
    application.add_handler(
        CallbackQueryHandler(return_button, pattern=callback_data.pattern(callback_data.RETURN, options=True))
    )
