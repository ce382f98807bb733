"""The command menus Telegram shows (setMyCommands), per scope, in Chinese.

Private chats and groups get the unit commands; each coordinator's private chat (a chat scope: a
private chat's id is the user's id) gets those plus the coordinator commands. Publishing is best
effort: a Bot API server without setMyCommands (an emulator) or a coordinator who never opened a chat
with the bot must not stop the bot from starting, so failures are logged and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.render import messages as m

log = logging.getLogger(__name__)


def commands(table: dict[str, str]) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in table.items()]


async def publish_coordinator_menu(bot: Bot, user_id: int) -> bool:
    try:
        await bot.set_my_commands(commands(m.COMMANDS_COORDINATOR), scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:
        log.warning("could not publish the coordinator commands for %s: %s", user_id, exc)
        return False
    return True


async def publish_commands(bot: Bot, coordinators: Iterable[int]) -> int:
    """Publish every menu; returns how many scopes were set."""
    done = 0
    for scope in (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats()):
        try:
            await bot.set_my_commands(commands(m.COMMANDS_UNIT), scope=scope)
            done += 1
        except TelegramError as exc:
            log.warning("could not publish the %s commands: %s", scope.type, exc)
    for user_id in sorted(set(coordinators)):
        done += await publish_coordinator_menu(bot, user_id)
    return done
