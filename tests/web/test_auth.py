"""Login links and sessions that stopped working are deleted a day later, when a link is issued or redeemed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import web_access as auth
from bot.core import db
from bot.core.models import WebLogin, WebSession

NOW = dt.datetime(2024, 5, 20, 2, 0, tzinfo=dt.UTC)
USER = 7770100


async def _counts(engine: AsyncEngine) -> tuple[int, int]:
    async with db.session_scope(engine) as session:
        links = len((await session.execute(select(WebLogin.id))).all())
        sessions = len((await session.execute(select(WebSession.id))).all())
    return links, sessions


async def _logged_in(engine: AsyncEngine, at: dt.datetime) -> str:
    """A session opened at `at` through a link issued then; its token."""
    async with db.session_scope(engine) as session:
        token = await auth.issue_login(session, USER, now=at, actor="test")
        result = await auth.redeem_login(session, token, now=at)
    assert isinstance(result, tuple)
    return result[1]


async def test_rows_that_stopped_working_a_day_ago_are_pruned_at_the_next_link(engine: AsyncEngine) -> None:
    two_days = NOW - dt.timedelta(days=2)
    await _logged_in(engine, two_days)  # link spent and session expired two days ago
    ended = await _logged_in(engine, NOW - dt.timedelta(hours=3))
    async with db.session_scope(engine) as session:
        await auth.end_session(session, ended, now=NOW - dt.timedelta(hours=2), actor="test")  # ended 2 h ago
        await auth.issue_login(session, USER, now=two_days, actor="test")  # never used, expired two days ago
        await auth.issue_login(session, USER, now=NOW - dt.timedelta(hours=1), actor="test")  # expired an hour ago
    live = await _logged_in(engine, NOW - dt.timedelta(minutes=5))
    assert await _counts(engine) == (3, 2)  # the older rows went at each login (pruned before they were a day old)

    later = NOW + dt.timedelta(days=1, minutes=1)
    async with db.session_scope(engine) as session:
        stale = await auth.issue_login(session, USER, now=later, actor="test")
        assert await auth.session_user(session, live, now=NOW) == USER
    assert await _counts(engine) == (1, 1)  # the link just issued and the live session
    async with db.session_scope(engine) as session:
        assert await auth.redeem_login(session, stale, now=later + dt.timedelta(minutes=11)) == "expired"


async def test_a_link_expired_within_the_day_is_refused_as_expired_not_unknown(engine: AsyncEngine) -> None:
    async with db.session_scope(engine) as session:
        token = await auth.issue_login(session, USER, now=NOW - dt.timedelta(hours=5), actor="test")
        await auth.issue_login(session, USER, now=NOW, actor="test")  # prunes nothing of a day
        assert await auth.redeem_login(session, token, now=NOW) == "expired"
    assert await _counts(engine) == (2, 0)
