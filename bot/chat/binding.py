"""Binding chats to units: one-time invite codes, `/start CODE`, and what a chat is bound to.

Decisions:
- A code is `secrets.token_urlsafe(24)`: 32 characters of [A-Za-z0-9_-], within the 64 a deep link
  allows. Only its SHA-256 is stored, so the store (or a backup of it) cannot be used to bind a chat.
- A code is single use: it is spent with one conditional UPDATE (… WHERE used_at IS NULL), so two
  chats racing with the same code cannot both win, on SQLite or PostgreSQL.
- A group invite (`--group`, a `?startgroup=` link) binds only a group; a private one only a private
  chat. The coordinator chose who is meant to report; the code should not quietly do something else.
- A chat belongs to one unit. `/start CODE` in a chat already bound to another unit is refused and the
  code stays unused; the coordinator unbinds by hand (no command for it yet).
- A unit may have several chats (its contact and its group).
- Guessing is limited per Telegram user: a wrong code is an `invite.refused` audit row (reason `unknown`,
  the user as actor, `at` the attempt's time). A user with MAX_WRONG_CODES of them within
  WRONG_CODE_WINDOW is refused (BindOutcome.THROTTLED) without the code being looked at — a right one too, or the
  limit would not limit — until the oldest of them leaves the window. The count lives in the store, not
  in memory: it survives a restart and holds across several bot processes. Only wrong codes count (a
  used, expired or wrong-kind code is a real code, not a guess), and a throttled attempt is not written:
  it changes nothing, and one user could otherwise grow the audit log without bound.
- A message sent on behalf of a chat (`sender_chat`: an anonymous group admin, or a channel) is counted
  per that chat, not per user: every anonymous admin of every group posts as the same user,
  GroupAnonymousBot (1087968824), so counting per user let five wrong codes in any one group lock every
  anonymous admin everywhere out of binding for an hour.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col
from telegram.helpers import create_deep_linked_url

from bot.core import db
from bot.core.errors import TaskbotError
from bot.core.models import AuditLog, Chat, Invite, Unit, pk, utcnow
from bot.core.vocab import BindOutcome, ChatKind
from bot.store import audit
from bot.store.overview import resolve_unit_id

CODE_BYTES = 24
DEFAULT_EXPIRY = dt.timedelta(days=7)
_DURATION = re.compile(r"^\s*([0-9]{1,7})\s*([mhdw])\s*$")
MAX_EXPIRY = dt.timedelta(days=366)  # a code that works for longer is a standing password
_BOT_USERNAME = re.compile(r"@?([A-Za-z0-9_]{5,32})")  # Telegram: 5-32 characters of a-z, 0-9 and _
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
MAX_WRONG_CODES = 5  # wrong codes per user within WRONG_CODE_WINDOW, then refused
WRONG_CODE_WINDOW = dt.timedelta(hours=1)
REFUSED = "invite.refused"


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def parse_duration(text: str) -> dt.timedelta:
    """`30m`, `12h`, `7d`, `2w` → timedelta; anything else is a TaskbotError (one clear line)."""
    match = _DURATION.match(text)
    if not match or int(match[1]) == 0:
        raise TaskbotError(f"--expires {text!r}: write a number and m, h, d or w, e.g. 7d or 12h")
    lifetime = dt.timedelta(**{_UNITS[match[2]]: int(match[1])})
    if lifetime > MAX_EXPIRY:
        raise TaskbotError(f"--expires {text!r}: at most {MAX_EXPIRY.days}d; send a new invite when one runs out")
    return lifetime


def bot_username(name: str, source: str = "--bot-username") -> str:
    """The bot's username without the @, or a TaskbotError: Telegram's usernames are 5-32 characters of
    [A-Za-z0-9_], and anything else (`evil.com/x?y=`) would make the invite link point somewhere else."""
    match = _BOT_USERNAME.fullmatch(name)
    if match is None:
        raise TaskbotError(f"{source} {name!r}: a bot's username is 5 to 32 letters, digits or _ (like taskbot_bot)")
    return match[1]


def invite_link(username: str, code: str, *, group: bool) -> str:
    return create_deep_linked_url(bot_username(username), code, group=group)


async def create_invite(
    session: AsyncSession,
    unit_id: int,
    *,
    for_group: bool,
    expires: dt.timedelta,
    now: dt.datetime | None = None,
    actor: str = "cli",
) -> tuple[str, Invite]:
    """A new one-time code for the unit; returns (code, stored invite). The code is not stored."""
    now = now or utcnow()
    code = new_code()
    invite = Invite(
        code_hash=hash_code(code), unit_id=unit_id, for_group=for_group, created_at=now, expires_at=now + expires
    )
    session.add(invite)
    await session.flush()
    audit.record(
        session,
        actor,
        "invite.create",
        "invite",
        invite.id,
        unit_id=unit_id,
        for_group=for_group,
        expires_at=invite.expires_at,
    )
    return code, invite


@dataclass(frozen=True)
class BindResult:
    outcome: BindOutcome
    unit: str | None = None
    wait: dt.timedelta | None = None  # BindOutcome.THROTTLED: until the user may try again
    guesser: str | None = None  # BindOutcome.THROTTLED: whose wrong codes (`guesser` here)


def is_group_kind(kind: ChatKind | str) -> bool:
    return kind in (ChatKind.GROUP, ChatKind.SUPERGROUP)


async def chat_unit(session: AsyncSession, chat_id: int) -> tuple[Chat, Unit] | None:
    """The chat's binding and its unit, or None for an unbound chat."""
    row = (
        await session.execute(
            select(Chat, Unit).join(Unit, col(Unit.id) == col(Chat.unit_id)).where(col(Chat.chat_id) == chat_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


def guesser(user_id: int | None, sender_chat_id: int | None) -> str:
    """Whose wrong codes count together: the chat a message was sent on behalf of, else the user."""
    return audit.chat_actor(sender_chat_id) if sender_chat_id is not None else audit.actor_of(user_id)


async def redeem_invite(
    session: AsyncSession,
    code: str,
    *,
    chat_id: int,
    kind: ChatKind,
    title: str | None,
    user_id: int | None,
    now: dt.datetime | None = None,
    sender_chat_id: int | None = None,
) -> BindResult:
    """`/start CODE`: bind the chat to the invite's unit if the code is good, else say why not.
    `sender_chat_id`: the message was sent on behalf of that chat (an anonymous admin, a channel)."""
    now = now or utcnow()
    actor = guesser(user_id, sender_chat_id)
    wait = await guess_wait(session, actor, now)
    if wait is not None:
        return BindResult(BindOutcome.THROTTLED, wait=wait, guesser=actor)
    invite = (
        await session.execute(select(Invite).where(col(Invite.code_hash) == hash_code(code)))
    ).scalar_one_or_none()
    if invite is None:
        audit.record(session, actor, REFUSED, "chat", chat_id, reason=BindOutcome.UNKNOWN).at = now
        return BindResult(BindOutcome.UNKNOWN)
    unit = await session.get(Unit, invite.unit_id)
    assert unit is not None
    bound = await chat_unit(session, chat_id)
    if bound is not None:
        outcome = BindOutcome.ALREADY if bound[1].id == unit.id else BindOutcome.OTHER_UNIT
        if outcome == BindOutcome.OTHER_UNIT:
            audit.record(session, actor, REFUSED, "chat", chat_id, reason=outcome, invite_id=invite.id)
        return BindResult(outcome, bound[1].name)
    refusal = _refusal(invite, kind, now)
    if refusal is None:
        spent = await session.execute(
            update(Invite)
            .where(col(Invite.id) == invite.id, col(Invite.used_at).is_(None))
            .values(used_at=now, used_by_chat=chat_id)
        )
        refusal = None if db.rowcount(spent) == 1 else BindOutcome.USED
    if refusal is not None:
        audit.record(session, actor, REFUSED, "chat", chat_id, reason=refusal, invite_id=invite.id)
        return BindResult(refusal, unit.name)
    chat = Chat(chat_id=chat_id, unit_id=pk(unit), kind=kind, title=title, bound_by=user_id, bound_at=now)
    session.add(chat)
    await session.flush()
    audit.record(
        session, actor, "chat.bind", "chat", chat_id, unit_id=unit.id, unit=unit.name, kind=kind, invite_id=invite.id
    )
    return BindResult(BindOutcome.BOUND, unit.name)


async def guess_wait(session: AsyncSession, actor: str, now: dt.datetime) -> dt.timedelta | None:
    """How long `actor` must wait before trying a code again, or None: MAX_WRONG_CODES wrong codes within
    WRONG_CODE_WINDOW block until the oldest of the newest MAX_WRONG_CODES leaves the window."""
    recent = (
        (
            await session.execute(
                select(col(AuditLog.at))
                .where(
                    col(AuditLog.action) == REFUSED,
                    col(AuditLog.actor) == actor,
                    col(AuditLog.at) > now - WRONG_CODE_WINDOW,
                    col(AuditLog.detail)["reason"].as_string() == BindOutcome.UNKNOWN,
                )
                .order_by(col(AuditLog.at).desc())
                .limit(MAX_WRONG_CODES)
            )
        )
        .scalars()
        .all()
    )
    if len(recent) < MAX_WRONG_CODES:
        return None
    return max(recent[-1] + WRONG_CODE_WINDOW - now, dt.timedelta(seconds=1))


def _refusal(invite: Invite, kind: ChatKind, now: dt.datetime) -> BindOutcome | None:
    if invite.used_at is not None:
        return BindOutcome.USED
    expires = invite.expires_at if invite.expires_at.tzinfo else invite.expires_at.replace(tzinfo=dt.UTC)
    if expires <= now:
        return BindOutcome.EXPIRED
    if invite.for_group != is_group_kind(kind):
        return BindOutcome.WRONG_KIND
    return None


async def set_blocked(
    session: AsyncSession, chat_id: int, *, blocked: bool, reason: str, now: dt.datetime, user_id: int | None
) -> bool:
    """The bot was removed from (or blocked in) a bound chat, or is back: mark it; True if it changed."""
    bound = await chat_unit(session, chat_id)
    if bound is None:
        return False
    chat = bound[0]
    if blocked == (chat.blocked_at is not None):
        return False
    chat.blocked_at, chat.blocked_reason = (now, reason[:200]) if blocked else (None, None)
    audit.record(
        session,
        audit.actor_of(user_id),
        "chat.blocked" if blocked else "chat.unblocked",
        "chat",
        chat_id,
        unit_id=chat.unit_id,
        reason=reason[:200],
    )
    return True


async def migrate_chat(session: AsyncSession, old: int, new: int) -> bool:
    """A group became a supergroup (service message `migrate_to_chat_id`): its binding follows."""
    result = await session.execute(update(Chat).where(col(Chat.chat_id) == old).values(chat_id=new))
    if db.rowcount(result):
        audit.record(session, "telegram", "chat.migrate", "chat", old, new_chat_id=new)
    return bool(db.rowcount(result))


async def invite_unit(
    session: AsyncSession,
    name: str,
    *,
    for_group: bool,
    expires: dt.timedelta,
    now: dt.datetime | None = None,
    actor: str = "cli",
) -> tuple[str, str, Invite]:
    """`taskbot invite UNIT`: (canonical unit name, code, invite). An unknown name is a TaskbotError that
    names the closest unit in the store (`resolve_unit_id` here)."""
    unit_id = await resolve_unit_id(session, name)
    unit = await session.get(Unit, unit_id)
    assert unit is not None
    if unit.is_group:
        raise TaskbotError(f"{unit.name!r} is a group of units: invite each member instead")
    code, invite = await create_invite(session, unit_id, for_group=for_group, expires=expires, now=now, actor=actor)
    return unit.name, code, invite
