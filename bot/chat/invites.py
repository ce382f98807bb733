"""Binding at scale: invites made in chat (`/invite 单位 [group] [7d]`) and for every unbound unit at once
(`taskbot invite --all --xlsx FILE`).

Both make their codes with bot.chat.binding (`invite_unit`, `create_invite`): the same codes, hashes and
`invite.create` audit rows as `taskbot invite UNIT`; the actor is the coordinator's Telegram id for the
chat command and "cli" for the command line.

Decisions:
- `/invite` answers with the code only in the coordinator's private chat with the bot, whatever chat the
  command came from: a code posted in a group could be redeemed by anyone there. When that private chat
  does not exist yet (the coordinator never opened it: 403) or Telegram does not take the message, the
  code is withdrawn at once (its expiry set to now, audited `invite.withdrawn`) and the coordinator is told
  to open the chat and ask again. It is never queued in the outbox: the store keeps only codes' hashes.
- Arguments may come in any order: a word starting with a digit is the lifetime (7d, 12h, 2w, 30m, or
  7天, 12小时, 2周, 30分钟), `group` (or 群, 群组, 工作群) asks for a group link, the rest is the unit.
  A lifetime over MAX_LIFETIME is refused: a code that works for years is a password nobody rotates.
- A name that fits several units (an alias such as 「科技局」 that a district's document gave its own bureau,
  bot/tasksfile/unitnames.py `candidates`) makes no code: /invite asks with a button per unit (iv:<unit id>,
  :ok for a group link; the lifetime is then the default), `taskbot invite` lists them and exits 2.
- `--all` invites every unit that has no live chat (none bound, or all of them blocked the bot), except
  the groups of units (各县(市、区)人民政府), which exist to expand into their members: the members are
  invited one by one. All codes are made in the caller's one transaction, so a failure leaves none.
  A second run makes new codes for the units still unbound (the earlier ones stay valid until they
  expire) and none for the units bound in between.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat import binding
from bot.core import db
from bot.core.errors import TaskbotError
from bot.core.models import Chat, Invite, Unit, id_column
from bot.core.vocab import InviteProblem
from bot.store import audit
from bot.store.overview import unit_lookup
from bot.tasksfile import unitnames

MAX_LIFETIME = dt.timedelta(days=365)
GROUP_WORDS = frozenset({"group", "--group", "群", "群组", "工作群"})
_CHINESE_LIFETIME = re.compile(r"^(\d+)\s*(分钟|小时|天|日|周)$")
_CHINESE_UNITS = {"分钟": "m", "小时": "h", "天": "d", "日": "d", "周": "w"}


@dataclass(frozen=True)
class InviteRequest:
    """What `/invite …` asked for."""

    unit: str
    for_group: bool = False
    expires: dt.timedelta = binding.DEFAULT_EXPIRY


@dataclass(frozen=True)
class InviteRefusal:
    """Why no code was made; `text` is what the user wrote, `closest` the unit they may have meant."""

    problem: InviteProblem
    text: str = ""
    closest: str | None = None
    choices: tuple[tuple[int, str], ...] = ()  # AMBIGUOUS_UNIT: (unit id, name) of the units the name fits


@dataclass(frozen=True)
class IssuedInvite:
    """A code just made (the code itself exists only here and in what is shown to the coordinator)."""

    invite_id: int
    unit: str
    code: str
    for_group: bool
    expires_at: dt.datetime


def lifetime(text: str) -> dt.timedelta:
    """`7d`, `12h`, `2w`, `30m` (or 7天, 12小时, 2周, 30分钟) → a timedelta of at most MAX_LIFETIME; anything
    else is a TaskbotError in one line."""
    chinese = _CHINESE_LIFETIME.match(text.strip())
    try:
        delta = binding.parse_duration(f"{chinese[1]}{_CHINESE_UNITS[chinese[2]]}" if chinese else text)
    except OverflowError:
        delta = dt.timedelta.max
    if delta > MAX_LIFETIME:
        raise TaskbotError(f"--expires {text!r}: at most {MAX_LIFETIME.days} days")
    return delta


def parse_request(text: str) -> InviteRequest | InviteRefusal:
    """The words after /invite (pure): see the module docstring for what each word means."""
    names: list[str] = []
    for_group, expires = False, binding.DEFAULT_EXPIRY
    for word in text.split():
        if word.lower() in GROUP_WORDS:
            for_group = True
        elif word[0].isdigit():
            try:
                expires = lifetime(word)
            except TaskbotError:
                return InviteRefusal(InviteProblem.BAD_EXPIRY, word)
        else:
            names.append(word)
    if not names:
        return InviteRefusal(InviteProblem.USAGE)
    return InviteRequest("".join(names), for_group, expires)


async def invite_from_chat(
    session: AsyncSession, request: InviteRequest, *, user_id: int | None, now: dt.datetime
) -> IssuedInvite | InviteRefusal:
    """`/invite` by a coordinator (the caller checked that): a code for the unit, audited with the user."""
    lookup = await unit_lookup(session)
    found = unitnames.candidates(request.unit, lookup)
    if not found:
        return InviteRefusal(InviteProblem.UNKNOWN_UNIT, request.unit, unitnames.closest(request.unit, lookup))
    if len(found) > 1:
        rows = (await session.execute(select(id_column(Unit), col(Unit.name)).where(col(Unit.name).in_(found)))).all()
        ids = {name: unit_id for unit_id, name in rows}
        return InviteRefusal(
            InviteProblem.AMBIGUOUS_UNIT, request.unit, choices=tuple((ids[name], name) for name in found)
        )
    canonical = found[0]
    if (await session.execute(select(col(Unit.is_group)).where(col(Unit.name) == canonical))).scalar_one():
        return InviteRefusal(InviteProblem.GROUP_UNIT, canonical)
    name, code, invite = await binding.invite_unit(
        session, canonical, for_group=request.for_group, expires=request.expires, now=now, actor=audit.actor_of(user_id)
    )
    assert invite.id is not None
    return IssuedInvite(invite.id, name, code, invite.for_group, invite.expires_at)


async def withdraw(
    session: AsyncSession, invite_id: int, *, user_id: int | None, now: dt.datetime, reason: str
) -> bool:
    """An unused code that never reached its coordinator stops working now; True if it was withdrawn."""
    result = await session.execute(
        update(Invite).where(col(Invite.id) == invite_id, col(Invite.used_at).is_(None)).values(expires_at=now)
    )
    if db.rowcount(result):
        audit.record(session, audit.actor_of(user_id), "invite.withdrawn", "invite", invite_id, reason=reason[:200])
    return bool(db.rowcount(result))


async def units_without_live_chat(session: AsyncSession) -> list[tuple[int, str]]:
    """(id, name) of every unit that can be bound and has no chat that still takes messages, by name."""
    live = exists().where(col(Chat.unit_id) == col(Unit.id), col(Chat.blocked_at).is_(None))
    rows = (await session.execute(select(id_column(Unit), col(Unit.name)).where(~col(Unit.is_group), ~live))).all()
    return sorted(((uid, name) for uid, name in rows), key=lambda row: row[1])


async def invite_all(
    session: AsyncSession, *, for_group: bool, expires: dt.timedelta, now: dt.datetime, actor: str = "cli"
) -> list[IssuedInvite]:
    """One code for every unit without a live chat, in the session's transaction (all or nothing)."""
    issued = []
    for unit_id, name in await units_without_live_chat(session):
        code, invite = await binding.create_invite(
            session, unit_id, for_group=for_group, expires=expires, now=now, actor=actor
        )
        assert invite.id is not None
        issued.append(IssuedInvite(invite.id, name, code, for_group, invite.expires_at))
    return issued
