"""/web: a one-time login link to the web 督办看板 (bot/web), in the private chat only.

The link is sent straight to the chat, never through the outbox: the store keeps only the token's hash
(as for /invite's codes). If Telegram does not take the message, the link is lost and expires unused in
ten minutes; the user asks again."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler

from bot.chat import roles, web_access
from bot.render import messages as m
from handlers.common import NEW_MESSAGES, Context, answer, local, runtime, transaction


def web_base_url(context: Context) -> str | None:
    rt = runtime(context)
    return rt.web_base_url or rt.settings.web_base_url


async def web_command(update: Update, context: Context) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    if chat.type != ChatType.PRIVATE:
        await answer(update, context, m.WEB_LINK_PRIVATE)
        return
    base = web_base_url(context)
    if base is None:
        await answer(update, context, m.WEB_LINK_OFF)
        return
    async with transaction(context) as session:
        viewer = await web_access.viewer_of(session, user.id, runtime(context).settings.coordinator_ids)
        token = (
            await web_access.issue_login(session, user.id, now=local(context), actor=roles.actor_of(user.id))
            if viewer
            else None
        )
    if token is None:
        await answer(update, context, m.WEB_LINK_REFUSED)
        return
    text = m.WEB_LINK.format(
        url=escape(f"{base.rstrip('/')}/login/{token}"),
        minutes=int(web_access.LOGIN_LIFETIME.total_seconds() // 60),
        hours=int(web_access.SESSION_LIFETIME.total_seconds() // 3600),
    )
    await context.bot.send_message(chat.id, text)


def install(application: Application) -> None:
    application.add_handler(CommandHandler("web", web_command, filters=NEW_MESSAGES))
