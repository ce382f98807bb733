"""Coordinators' commands: /units, /broadcast (confirmed, then through the outbox), /promote, /invite (the
link goes to the coordinator's private chat only; bot.chat.invites says why).

Anyone else gets COORDINATORS_ONLY, and the attempt is audited: these commands reach every unit.
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.chat import broadcast, invites, roles
from bot.chat.binding import invite_link
from bot.render import answers, callback_data
from bot.render import messages as m
from bot.render.menus import publish_coordinator_menu
from bot.render.telegram_text import is_blank
from bot.store import assignment_views, audit
from handlers.common import (
    NEW_MESSAGES,
    Context,
    answer,
    button_data,
    command_text,
    coordinator,
    local,
    runtime,
    toast,
    transaction,
)


def _user_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


async def _refuse(update: Update, context: Context, action: str) -> None:
    async with transaction(context) as session:
        audit.record(session, audit.actor_of(_user_id(update)), "access.refused", "command", action,
                     chat_id=update.effective_chat.id if update.effective_chat else None)
    await toast(update)
    await answer(update, context, m.COORDINATORS_ONLY)


async def units(update: Update, context: Context) -> None:
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        rows = await assignment_views.unit_overview(session) if allowed else []
    if not allowed:
        await _refuse(update, context, "units")
        return
    await answer(update, context, answers.units(rows, runtime(context).settings.tz))


async def broadcast_command(update: Update, context: Context) -> None:
    """/broadcast <text>: shows the recipient count and asks to confirm; nothing is queued yet."""
    text = command_text(update.effective_message)
    oversize = broadcast.too_long(text)
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        draft = await broadcast.draft_broadcast(session, user_id=_user_id(update) or 0, text=text) \
            if allowed and not is_blank(text) and oversize is None else None
    if not allowed:
        await _refuse(update, context, "broadcast")
    elif oversize is not None:
        await answer(update, context, m.BROADCAST_TOO_LONG.format(n=oversize, limit=broadcast.MAX_CHARS))
    elif draft is None:
        await answer(update, context, m.BROADCAST_USAGE)
    elif draft[1] == 0:
        await answer(update, context, m.BROADCAST_NO_RECIPIENTS)
    else:
        await answer(update, context, m.BROADCAST_CONFIRM.format(n=draft[1], text=escape(text)),
                     answers.broadcast_buttons(draft[0]))


async def broadcast_button(update: Update, context: Context) -> None:
    """bc:<draft>:ok|no — the drafting coordinator confirms (→ outbox) or cancels."""
    data = await button_data(update)
    if data is None:
        return
    async with transaction(context) as session:
        allowed = await coordinator(session, update, context)
        result = await broadcast.confirm_broadcast(session, draft_id=data[1], user_id=_user_id(update) or 0,
                                                   send=data[2] == callback_data.YES, now=local(context)) \
            if allowed else None
    if result is None:
        await _refuse(update, context, "broadcast")
        return
    await toast(update, m.TOAST_DONE)
    text = {broadcast.QUEUED: m.BROADCAST_QUEUED.format(n=result.recipients),
            broadcast.CANCELLED: m.BROADCAST_CANCELLED,
            broadcast.ALREADY: m.BROADCAST_ALREADY}.get(result.outcome, m.BUTTON_STALE)
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
        result = await invites.invite_from_chat(session, request, user_id=_user_id(update), now=now) \
            if allowed and isinstance(request, invites.InviteRequest) else request
    if not allowed:
        await _refuse(update, context, "invite")
        return
    if isinstance(result, invites.InviteRefusal):
        await answer(update, context, answers.invite_refused(result.problem, result.text, result.closest))
        return
    assert isinstance(result, invites.IssuedInvite) and update.effective_user is not None
    username = context.bot.username
    link = invite_link(username, result.code, group=result.for_group) if username else None
    text = answers.invite(result.unit, result.code, link, for_group=result.for_group, expires_at=result.expires_at,
                          tz=runtime(context).settings.tz)
    try:   # straight to Telegram, never the outbox: the store keeps no code in clear
        await context.bot.send_message(update.effective_user.id, text)
    except TelegramError as exc:
        async with transaction(context) as session:
            await invites.withdraw(session, result.invite_id, user_id=_user_id(update), now=now,
                                   reason=f"not delivered: {type(exc).__name__}: {exc.message}")
        await answer(update, context, m.INVITE_NOT_DELIVERED)
        return
    if update.effective_chat is not None and update.effective_chat.id != update.effective_user.id:
        await answer(update, context, m.INVITE_SENT_PRIVATELY.format(unit=escape(result.unit)))


def install(application: Application) -> None:
    application.add_handler(CommandHandler("units", units, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("broadcast", broadcast_command, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("promote", promote, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("invite", invite_command, filters=NEW_MESSAGES))
    application.add_handler(CallbackQueryHandler(broadcast_button, pattern=callback_data.pattern(
        callback_data.BROADCAST, options=True)))
