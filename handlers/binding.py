"""/start [CODE], the bot's membership in chats, and group → supergroup migration."""

from __future__ import annotations

import logging
import math
from html import escape

from telegram import ChatMember, Update
from telegram.ext import Application, ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot.chat import binding
from bot.core.vocab import BindOutcome, ChatKind
from bot.render import messages as m
from handlers.common import NEW_MESSAGES, Context, answer, bound_unit, coordinator, local, transaction

log = logging.getLogger(__name__)


async def start(update: Update, context: Context) -> None:
    """`/start CODE` (a deep link, in a private chat or a group) binds the chat; bare /start greets."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    code = context.args[0] if context.args else ""
    async with transaction(context) as session:
        if not code:
            bound = await bound_unit(session, update)
            is_coord = await coordinator(session, update, context)
            result = None
        else:
            sender_chat = update.effective_message.sender_chat if update.effective_message else None
            result = await binding.redeem_invite(
                session,
                code,
                chat_id=chat.id,
                kind=ChatKind(chat.type),
                title=chat.title or chat.full_name,
                user_id=user.id if user else None,
                now=local(context),
                sender_chat_id=sender_chat.id if sender_chat else None,
            )
    if result is None:
        greeting = m.START_COORDINATOR if is_coord else m.START_WELCOME
        await answer(update, context, m.START_BOUND.format(unit=escape(bound[1].name)) if bound else greeting)
    elif result.outcome == BindOutcome.BOUND:
        await answer(update, context, m.BIND_OK.format(unit=escape(result.unit or "")))
    elif result.outcome == BindOutcome.THROTTLED:
        minutes = math.ceil((result.wait.total_seconds() if result.wait else 60) / 60)
        log.warning(
            "chat %s: /start refused, %s sent %d wrong invite codes within %s",
            chat.id,
            result.guesser,
            binding.MAX_WRONG_CODES,
            binding.WRONG_CODE_WINDOW,
        )
        await answer(update, context, m.BIND_THROTTLED.format(minutes=minutes))
    else:
        await answer(update, context, m.BIND_REFUSED[result.outcome].format(unit=escape(result.unit or "")))


_GONE = (ChatMember.LEFT, ChatMember.BANNED)


async def membership(update: Update, context: Context) -> None:
    """The bot was removed from a bound group or blocked by a contact (or is back): mark the chat, so the
    coordinator sees it in /units; the unit keeps its binding (users block a bot only to silence it)."""
    change = update.my_chat_member
    if change is None:
        return
    gone = change.new_chat_member.status in _GONE
    was_gone = change.old_chat_member.status in _GONE
    if gone == was_gone:
        return
    async with transaction(context) as session:
        await binding.set_blocked(
            session,
            change.chat.id,
            blocked=gone,
            reason=f"bot {change.new_chat_member.status}",
            now=local(context),
            user_id=change.from_user.id if change.from_user else None,
        )


async def migrated(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    async with transaction(context) as session:
        await binding.migrate_chat(session, message.chat.id, message.migrate_to_chat_id)


def install(application: Application) -> None:
    application.add_handler(CommandHandler("start", start, filters=NEW_MESSAGES))
    application.add_handler(ChatMemberHandler(membership, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
