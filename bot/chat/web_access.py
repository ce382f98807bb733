"""Who is looking: one-time login links, browser sessions, CSRF tokens and the viewer's scope.

- A login link carries a random token (`secrets.token_urlsafe(32)`, 256 bits); the store keeps its SHA-256
  only, as for an invite's code (bot/chat/binding.py), so the store or a backup of it opens no session. The
  link is only good if the store has its hash, unspent and unexpired: as unforgeable as a signature, with no
  key to configure or share between the bot and a `taskbot web` process.
- A link is valid LOGIN_LIFETIME (10 minutes) and spent with one conditional UPDATE (… WHERE used_at IS
  NULL), so two tabs racing with it cannot both get a session.
- A session is a second random token in the cookie, its hash in the store; it lasts SESSION_LIFETIME (8 hours,
  a working day, not extended by use) or until 退出. A stolen cookie is good for a day at most; a coordinator
  asks for a new link each morning.
- The CSRF token of a form is HMAC-SHA256 of the session's token: derived, so nothing more is stored; only
  the holder of the HttpOnly cookie can know it.
- Spent, expired and ended rows are deleted a day (KEEP) after they stop working, each time a link is issued
  or redeemed (`prune`): those are the only moments rows are added, so the tables stay as small as their use.
  The day kept lets a late click on an old link be refused as expired or used, not unknown; the audit log
  keeps every login for good.
- Who the viewer is, is read again from the store on every request: a coordinator (COORDINATOR_IDS or
  promoted), else the unit its private chat is bound to, with the roles it holds (牵头, 督查). Someone who is
  neither gets no link; a session whose user lost both is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat.binding import chat_unit
from bot.chat.roles import is_coordinator
from bot.core import db
from bot.core.models import WebLogin, WebSession
from bot.core.vocab import Role
from bot.store import audit
from bot.store.assignment_views import overseer_roles

LOGIN_LIFETIME = dt.timedelta(minutes=10)
SESSION_LIFETIME = dt.timedelta(hours=8)
KEEP = dt.timedelta(days=1)  # how long a row that no longer works stays (`prune`)
TOKEN_BYTES = 32
LOGIN = "web.login"
LOGIN_REFUSED = "web.login.refused"
LOGOUT = "web.logout"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"taskbot-web-csrf", hashlib.sha256).hexdigest()


def csrf_ok(session_token: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(session_token), str(given))


def signature(session_token: str, data: bytes) -> str:
    """HMAC-SHA256 of `data` under a key derived from the session token (not the CSRF token's): what the server
    hands a page to carry and send back (a review's draft, bot/web/extract.py) comes back unchanged."""
    key = hmac.new(session_token.encode(), b"taskbot-web-carried", hashlib.sha256).digest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def signature_ok(session_token: str, data: bytes, given: str | None) -> bool:
    return bool(session_token) and bool(given) and hmac.compare_digest(signature(session_token, data), str(given))


@dataclass(frozen=True)
class Viewer:
    """The person behind a request and what they may see (see the module docstring)."""

    user_id: int
    coordinator: bool
    unit_id: int | None = None
    unit: str | None = None
    roles: frozenset[Role] = frozenset()
    csrf: str = ""

    @property
    def actor(self) -> str:
        return audit.actor_of(self.user_id)

    @property
    def overseer(self) -> bool:
        """Leads or supervises some task: sees every unit of those tasks."""
        return bool(self.roles)


async def viewer_of(session: AsyncSession, user_id: int, configured: Iterable[int], csrf: str = "") -> Viewer | None:
    """The viewer a Telegram user is now, or None when they are neither a coordinator nor a bound contact."""
    coordinator = await is_coordinator(session, user_id, configured)
    bound = await chat_unit(session, user_id)  # a private chat's id is its user's id
    if bound is None or bound[0].kind != "private":
        return Viewer(user_id, True, csrf=csrf) if coordinator else None
    unit = bound[1]
    assert unit.id is not None
    roles = frozenset(await overseer_roles(session, unit.id))
    return Viewer(user_id, coordinator, unit.id, unit.name, roles, csrf)


async def prune(session: AsyncSession, now: dt.datetime) -> int:
    """Delete the links and sessions that stopped working more than KEEP before `now` (expired, spent,
    ended); how many rows went."""
    before = now - KEEP
    links = await session.execute(
        delete(WebLogin).where(or_(col(WebLogin.expires_at) < before, col(WebLogin.used_at) < before))
    )
    sessions = await session.execute(
        delete(WebSession).where(or_(col(WebSession.expires_at) < before, col(WebSession.ended_at) < before))
    )
    return db.rowcount(links) + db.rowcount(sessions)


async def issue_login(session: AsyncSession, user_id: int, *, now: dt.datetime, actor: str) -> str:
    """A new one-time login token for the user (the caller checked that they may have one); audited. The
    links and sessions that stopped working a day ago go (`prune`)."""
    await prune(session, now)
    token = new_token()
    row = WebLogin(token_hash=token_hash(token), user_id=user_id, created_at=now, expires_at=now + LOGIN_LIFETIME)
    session.add(row)
    await session.flush()
    audit.record(session, actor, "web.link", "web_login", row.id, user_id=user_id, expires_at=row.expires_at)
    return token


async def redeem_login(session: AsyncSession, token: str, *, now: dt.datetime) -> tuple[int, str] | str:
    """Spend a login token: (user id, new session token), or the reason it is refused (unknown, used,
    expired), audited either way."""
    login = (await session.execute(select(WebLogin).where(col(WebLogin.token_hash) == token_hash(token)))).scalar()
    reason = "unknown" if login is None else "used" if login.used_at else "expired" if login.expires_at <= now else ""
    if login is not None and not reason:
        won = await session.execute(
            update(WebLogin).where(col(WebLogin.id) == login.id, col(WebLogin.used_at).is_(None)).values(used_at=now)
        )
        reason = "" if db.rowcount(won) == 1 else "used"
    if reason or login is None:
        user = login.user_id if login is not None else None
        audit.record(session, "web", LOGIN_REFUSED, "web_login", login.id if login else "-", reason=reason, user=user)
        return reason or "unknown"
    await prune(session, now)
    session_token = new_token()
    row = WebSession(
        token_hash=token_hash(session_token), user_id=login.user_id, created_at=now, expires_at=now + SESSION_LIFETIME
    )
    session.add(row)
    await session.flush()
    audit.record(session, audit.actor_of(login.user_id), LOGIN, "web_session", row.id, login_id=login.id)
    return login.user_id, session_token


async def session_user(session: AsyncSession, token: str | None, *, now: dt.datetime) -> int | None:
    """The user of a live session token, or None."""
    if not token:
        return None
    stmt = select(col(WebSession.user_id)).where(
        col(WebSession.token_hash) == token_hash(token),
        col(WebSession.ended_at).is_(None),
        col(WebSession.expires_at) > now,
    )
    return (await session.execute(stmt)).scalar()


async def end_session(session: AsyncSession, token: str, *, now: dt.datetime, actor: str) -> None:
    """退出: the session stops working now (audited)."""
    ended = await session.execute(
        update(WebSession)
        .where(col(WebSession.token_hash) == token_hash(token), col(WebSession.ended_at).is_(None))
        .values(ended_at=now)
    )
    if db.rowcount(ended):
        audit.record(session, actor, LOGOUT, "web_session", "-")
