"""Coordinators' commands: /units (with the month's ranking, bot/reporting/rankings.py), /broadcast
(confirmed, then through the outbox; optionally to a target's units only), /remind (a 催办 to a target's
units, bot.chat.chase), /promote, /invite (the link goes to the coordinator's private chat only;
bot.chat.invites says why).

Anyone else gets COORDINATORS_ONLY, and the attempt is audited: these commands reach every unit.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.chat import broadcast, chase, chase_targets, invites, lookups, roles
from bot.chat.binding import invite_link
from bot.core.models import Unit
from bot.core.vocab import BroadcastOutcome, ChaseOutcome
from bot.presenters import answers
from bot.render import callback_data
from bot.render import messages as m
from bot.render.menus import publish_coordinator_menu
from bot.render.telegram_text import is_blank
from handlers.common import (
    NEW_MESSAGES,
    Context,
    answer,
    answer_privately,
    button_data,
    chat_id_of,
    command_text,
    coordinator,
    coordinator_private_chat,
    local,
    runtime,
    toast,
    transaction,
)


def _user_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


async def _refuse(update: Update, context: Context, action: str) -> None:
    async with transaction(context) as session:
        roles.refused(
            session, _user_id(update), "command", action, chat_id=chat_id_of(update) if update.effective_chat else None
        )
    await toast(update)
    await answer(update, context, m.COORDINATORS_ONLY)


async def units(update: Update, context: Context) -> None:
    tz = runtime(context).settings.tz
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        overview = await lookups.units_overview(session, local(context), tz) if allowed else None
    if overview is None:
        await _refuse(update, context, "units")
        return
    text = answers.units(overview.rows, tz, overview.chased, (overview.month, overview.ranked))
    if coordinator_private_chat(update) is None:
        await answer(update, context, text)
    elif await answer_privately(update, context, text):  # every unit's state is not for a unit's group
        await answer(update, context, m.UNITS_SENT_PRIVATELY)
    else:
        await answer(update, context, m.PRIVATE_NOT_DELIVERED)


async def broadcast_command(update: Update, context: Context) -> None:
    """/broadcast [target] <text>: shows the recipients and asks to confirm; nothing is queued yet. In steps: what
    is wrong with the command itself (`_broadcast_problem`), then, for a coordinator, the draft and whom it reaches
    (`_broadcast_draft`)."""
    typed = command_text(update.effective_message)
    spec, text = chase_targets.parse(typed)
    problem = _broadcast_problem(typed, spec, text)
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        reply: tuple[str, dict[str, Any] | None] | None = (problem, None) if problem is not None else None
        if allowed and reply is None and not isinstance(spec, chase_targets.TargetProblem):  # (that is a problem)
            reply = await _broadcast_draft(session, update, context, spec, text)
    if not allowed or reply is None:  # reply is None only when not allowed
        await _refuse(update, context, "broadcast")
    else:
        await answer(update, context, *reply)


def _broadcast_problem(
    typed: str, spec: chase_targets.ChaseSpec | chase_targets.TargetProblem | None, text: str
) -> str | None:
    """Why the command cannot be drafted as typed — too long, no text, a target without its argument or text —
    or None."""
    oversize = broadcast.too_long(text)
    if oversize is not None:
        return m.BROADCAST_TOO_LONG.format(n=oversize, limit=broadcast.MAX_CHARS)
    if not typed or (spec is None and is_blank(text)):
        return m.BROADCAST_USAGE
    if isinstance(spec, chase_targets.TargetProblem) or (spec is not None and is_blank(text)):
        return m.BROADCAST_TARGET_USAGE
    return None


async def _broadcast_draft(
    session: AsyncSession, update: Update, context: Context, spec: chase_targets.ChaseSpec | None, text: str
) -> tuple[str, dict[str, Any] | None]:
    """The draft of a well-formed /broadcast (to every bound chat, or a target's units) and its confirmation
    question; or why there is nobody to send it to."""
    user_id = _user_id(update) or 0
    if spec is None:
        draft_id, chats = await broadcast.draft_broadcast(session, user_id=user_id, text=text)
        if chats == 0:
            return m.BROADCAST_NO_RECIPIENTS, None
        return m.BROADCAST_CONFIRM.format(n=chats, text=escape(text)), answers.broadcast_buttons(draft_id)
    found = await chase.preview(session, spec, now=local(context), tz=runtime(context).settings.tz)
    if isinstance(found, chase.Refused):
        return found.text, None
    if not found.reached:
        return m.CHASE_NOBODY.format(target=found.label), None
    draft_id, chats = await broadcast.draft_broadcast(
        session, user_id=user_id, text=text, unit_ids=[c.unit_id for c in found.reached], target=spec.words()
    )
    if chats == 0:
        return m.BROADCAST_NO_RECIPIENTS, None
    question = m.BROADCAST_TARGET_CONFIRM.format(
        target=found.label, units=len(found.reached), chats=chats, names=answers.chase_names(found), text=escape(text)
    )
    return question, answers.broadcast_buttons(draft_id)


async def broadcast_button(update: Update, context: Context) -> None:
    """bc:<draft>:ok|no — the drafting coordinator confirms (→ outbox) or cancels."""
    data = await button_data(update)
    if data is None:
        return
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        result = (
            await broadcast.confirm_broadcast(
                session,
                draft_id=data[1],
                user_id=_user_id(update) or 0,
                send=data[2] == callback_data.YES,
                now=local(context),
            )
            if allowed
            else None
        )
    if result is None:
        await _refuse(update, context, "broadcast")
        return
    await toast(update, m.TOAST_DONE)
    text = {
        BroadcastOutcome.QUEUED: m.BROADCAST_QUEUED.format(n=result.recipients),
        BroadcastOutcome.CANCELLED: m.BROADCAST_CANCELLED,
        BroadcastOutcome.ALREADY: m.BROADCAST_ALREADY,
        BroadcastOutcome.NOBODY: m.BROADCAST_NOBODY_NOW,
    }.get(result.outcome, m.BUTTON_STALE)
    await answer(update, context, text)


async def remind_command(update: Update, context: Context) -> None:
    """/remind <target> [note]: who the 催办 reaches (units, chats, the first names) and a confirm button."""
    spec, note = chase_targets.parse(command_text(update.effective_message))
    found: chase.Preview | chase.Refused | None = None
    draft_id = None
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        if allowed and isinstance(spec, chase_targets.ChaseSpec):
            found = await chase.preview(session, spec, now=local(context), tz=runtime(context).settings.tz)
            if isinstance(found, chase.Preview):
                draft_id = await chase.draft(session, found, actor=roles.actor_of(_user_id(update)), note=note)
    if not allowed:
        await _refuse(update, context, "remind")
    elif isinstance(spec, chase_targets.TargetProblem):
        await answer(update, context, m.CHASE_TARGET_USAGE[spec.kind])
    elif found is None:
        await answer(update, context, m.CHASE_USAGE)
    elif isinstance(found, chase.Refused):
        await answer(update, context, found.text)
    elif draft_id is None:
        await answer(update, context, m.CHASE_NOBODY.format(target=found.label))
    else:
        await answer(update, context, *answers.chase_preview(found, draft_id))


async def chase_button(update: Update, context: Context) -> None:
    """rm:<draft>:ok|re|sk|no — the drafting coordinator sends (re: again, though chased today; sk: all but
    those chased today) or cancels. Data the routing pattern lets through but `parse` refuses (rm:0:ok, an id past
    the store's range) is a stale button."""
    data = await button_data(update)
    if data is None:
        return
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        result = (
            await chase.confirm(
                session,
                draft_id=data[1],
                actor=roles.actor_of(_user_id(update)),
                send=data[2] != callback_data.NO,
                again=data[2] == callback_data.AGAIN,
                now=local(context),
                tz=runtime(context).settings.tz,
                skip_today=data[2] == callback_data.SKIP,
            )
            if allowed
            else None
        )
    if result is None:
        await _refuse(update, context, "remind")
        return
    await toast(update, m.TOAST_DONE)
    if result.outcome == ChaseOutcome.CHASED_TODAY:
        await answer(
            update,
            context,
            m.CHASE_CHASED_TODAY.format(names="、".join(escape(u) for u in result.units)),
            answers.chase_buttons(data[1], again=True),
        )
        return
    text = {
        ChaseOutcome.QUEUED: m.CHASE_QUEUED.format(units=len(result.units), chats=result.chats),
        ChaseOutcome.CANCELLED: m.CHASE_CANCELLED,
        ChaseOutcome.ALREADY: m.CHASE_ALREADY,
        ChaseOutcome.NOBODY: m.CHASE_NOBODY_NOW,
        ChaseOutcome.SKIPPED_ALL: m.CHASE_SKIPPED_ALL,
    }.get(result.outcome, m.BUTTON_STALE)
    await answer(update, context, text)


async def promote(update: Update, context: Context) -> None:
    """/promote <user id>: one more coordinator, with the coordinator menu in their chat."""
    words = command_text(update.effective_message).split()
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        target = callback_data.parse_id(words[0], callback_data.MAX_USER_ID) if allowed and words else None
        added = await roles.promote(session, user_id=target, by=_user_id(update) or 0) if target else None
    if not allowed:
        await _refuse(update, context, "promote")
    elif target is None:
        await answer(update, context, m.PROMOTE_USAGE)
    else:
        if added:
            await publish_coordinator_menu(context.bot, target)
        await answer(update, context, (m.PROMOTE_OK if added else m.PROMOTE_ALREADY).format(user_id=target))


async def invite_command(update: Update, context: Context) -> None:
    """/invite 单位 [group] [7d]: a one-time link and code, sent privately to the coordinator who asked."""
    request = invites.parse_request(command_text(update.effective_message))
    now = local(context)
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        result = (
            (
                await invites.invite_from_chat(session, request, user_id=_user_id(update), now=now)
                if isinstance(request, invites.InviteRequest)
                else request
            )
            if allowed
            else None
        )
    if result is None:
        await _refuse(update, context, "invite")
        return
    if isinstance(result, invites.InviteRefusal):
        for_group = isinstance(request, invites.InviteRequest) and request.for_group
        refusal = answers.invite_refused(
            result.problem, result.text, result.closest, result.choices, for_group=for_group
        )
        await answer(update, context, *refusal)
        return
    await _deliver_invite(update, context, result, now)


async def invite_button(update: Update, context: Context) -> None:
    """iv:<unit>[:ok] — the unit chosen at 「…可能指以下N个单位」: its invite, as /invite makes it."""
    data = await button_data(update)
    if data is None:
        return
    now = local(context)
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        unit = await session.get(Unit, data[1]) if allowed else None
        request = invites.InviteRequest(unit.name, for_group=data[2] == callback_data.YES) if unit else None
        result = (
            await invites.invite_from_chat(session, request, user_id=_user_id(update), now=now) if request else None
        )
    if not allowed:
        await _refuse(update, context, "invite")
        return
    await toast(update)
    if not isinstance(result, invites.IssuedInvite):
        await answer(update, context, m.BUTTON_STALE)
        return
    await _deliver_invite(update, context, result, now)


async def _deliver_invite(update: Update, context: Context, result: invites.IssuedInvite, now: dt.datetime) -> None:
    """The code to the coordinator's private chat only (bot.chat.invites says why); withdrawn if it cannot go."""
    assert update.effective_user is not None
    username = context.bot.username
    link = invite_link(username, result.code, group=result.for_group) if username else None
    text = answers.invite(
        result.unit,
        result.code,
        link,
        for_group=result.for_group,
        expires_at=result.expires_at,
        tz=runtime(context).settings.tz,
    )
    try:  # straight to Telegram, never the outbox: the store keeps no code in clear
        await context.bot.send_message(update.effective_user.id, text)
    except TelegramError as exc:
        async with transaction(context) as session:
            await invites.withdraw(
                session,
                result.invite_id,
                user_id=_user_id(update),
                now=now,
                reason=f"not delivered: {type(exc).__name__}: {exc.message}",
            )
        await answer(update, context, m.INVITE_NOT_DELIVERED)
        return
    if update.effective_chat is not None and chat_id_of(update) != update.effective_user.id:
        await answer(update, context, m.INVITE_SENT_PRIVATELY.format(unit=escape(result.unit)))


def install(application: Application) -> None:
    application.add_handler(CommandHandler("units", units, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("broadcast", broadcast_command, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("remind", remind_command, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("promote", promote, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("invite", invite_command, filters=NEW_MESSAGES))
    application.add_handler(CallbackQueryHandler(invite_button, pattern=callback_data.pattern(callback_data.INVITE)))
    application.add_handler(
        CallbackQueryHandler(invite_button, pattern=callback_data.pattern(callback_data.INVITE, options=True))
    )
    application.add_handler(
        CallbackQueryHandler(broadcast_button, pattern=callback_data.pattern(callback_data.BROADCAST, options=True))
    )
    application.add_handler(
        CallbackQueryHandler(chase_button, pattern=callback_data.pattern(callback_data.CHASE, options=True))
    )
