"""Invite codes: random (secrets), deep-link safe, stored only as a hash, single use, expiring; and
guessing limited per user (bot.binding: MAX_WRONG_CODES wrong codes within WRONG_CODE_WINDOW, counted in
the store's audit log so that a restart or a second process does not reset it)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import math
import random
import re
import secrets
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import binding
from bot.core import db
from bot.core.models import AuditLog, Chat, Invite
from bot.core.vocab import BindOutcome
from bot.render import messages as m
from tests.security.conftest import FINANCE, LOOSE_GROUP, MEMBER, STRANGER, every_row
from tests.support.harness import Harness, texts
from tests.support.store import rows, seed

NOW = dt.datetime.now(dt.UTC)
DEEP_LINK = re.compile(r"[A-Za-z0-9_-]{1,64}")


@pytest.fixture
async def store(engine: AsyncEngine) -> AsyncEngine:
    await seed(engine)
    return engine


async def _invite(
    engine: AsyncEngine,
    unit: str = "市财政局",
    *,
    group: bool = False,
    now: dt.datetime = NOW,
    expires: dt.timedelta = dt.timedelta(days=7),
) -> str:
    async with db.session_scope(engine) as session:
        _, code, _ = await binding.invite_unit(session, unit, for_group=group, expires=expires, now=now)
    return code


async def _redeem(
    engine: AsyncEngine,
    code: str,
    chat_id: int,
    *,
    user_id: int | None = None,
    kind: str = "private",
    now: dt.datetime = NOW,
) -> binding.BindResult:
    async with db.session_scope(engine) as session:
        return await binding.redeem_invite(
            session,
            code,
            chat_id=chat_id,
            kind=kind,
            title="t",
            user_id=chat_id if user_id is None else user_id,
            now=now,
        )


# --- random ----------------------------------------------------------------------------------------------


def test_codes_are_random_deep_link_safe_and_distinct() -> None:
    codes = [binding.new_code() for _ in range(5000)]
    assert all(DEEP_LINK.fullmatch(c) for c in codes)
    assert len(set(codes)) == len(codes)
    assert {len(c) for c in codes} == {32}  # 24 bytes of entropy: guessing one is hopeless
    # every one of the 64 symbols, about equally often (a hex or a counter-based code fails this)
    counts = Counter("".join(codes))
    assert len(counts) == 64
    expected = 32 * len(codes) / 64
    assert all(abs(n - expected) < 6 * math.sqrt(expected) for n in counts.values()), counts.most_common(3)


def test_codes_come_from_secrets_not_from_a_seeded_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    random.seed(7)
    first = binding.new_code()
    random.seed(7)
    assert binding.new_code() != first  # not the `random` module's sequence
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: f"from-secrets-{n}")
    assert binding.new_code() == f"from-secrets-{binding.CODE_BYTES}"


async def test_stored_invites_have_distinct_codes(store: AsyncEngine) -> None:
    codes = [await _invite(store, group=i % 2 == 0) for i in range(60)]
    hashes = {i.code_hash for i in await rows(store, select(Invite))}
    assert len(set(codes)) == 60 and hashes == {hashlib.sha256(c.encode()).hexdigest() for c in codes}


# --- hashed ----------------------------------------------------------------------------------------------


async def test_the_plain_code_is_nowhere_in_the_store(store: AsyncEngine) -> None:
    """On both backends: no row of any table holds a code (used, refused or waiting), only its SHA-256."""
    codes = [await _invite(store), await _invite(store, group=True), await _invite(store, "市科技局")]
    assert (await _redeem(store, codes[0], 31)).outcome == BindOutcome.BOUND
    assert (await _redeem(store, codes[1], 32)).outcome == BindOutcome.WRONG_KIND
    assert (await _redeem(store, codes[0], 33)).outcome == BindOutcome.USED
    dump = repr(await every_row(store))
    for code in codes:
        assert code not in dump and hashlib.sha256(code.encode()).hexdigest() in dump


async def test_the_plain_code_is_nowhere_in_the_database_file(tmp_path: Path) -> None:
    """The SQLite file itself (and its WAL), byte for byte, after binding with one code and refusing one."""
    path = tmp_path / "codes.db"
    engine = db.make_engine(f"sqlite+aiosqlite:///{path}")
    await db.ensure_schema(engine)
    await seed(engine)
    codes = [await _invite(engine), await _invite(engine, "市科技局"), await _invite(engine, group=True)]
    assert (await _redeem(engine, codes[0], 41)).outcome == BindOutcome.BOUND
    assert (await _redeem(engine, codes[2], 42)).outcome == BindOutcome.WRONG_KIND
    files = sorted(tmp_path.glob("codes.db*"))
    written = b"".join(f.read_bytes() for f in files)  # WAL still open: the new pages are there
    await engine.dispose()
    written += b"".join(f.read_bytes() for f in sorted(tmp_path.glob("codes.db*")))
    assert len(written) > 10_000
    for code in codes:
        assert code.encode() not in written
    assert hashlib.sha256(codes[0].encode()).hexdigest().encode() in written


# --- single use, expiry -----------------------------------------------------------------------------------


async def test_a_code_binds_one_chat_even_when_chats_race(store: AsyncEngine) -> None:
    code = await _invite(store)
    results = await asyncio.gather(*(_redeem(store, code, 50 + i) for i in range(6)), return_exceptions=True)
    outcomes = sorted(r.outcome if isinstance(r, binding.BindResult) else type(r).__name__ for r in results)
    assert outcomes.count(BindOutcome.BOUND) == 1, outcomes
    # SQLite: busy is an error
    assert set(outcomes) <= {BindOutcome.BOUND, BindOutcome.USED, "OperationalError"}, outcomes
    assert len(await rows(store, select(Chat))) == 1
    assert (await _redeem(store, code, 60)).outcome == BindOutcome.USED


EXPIRY = [
    (dt.timedelta(0), dt.timedelta(minutes=30), BindOutcome.BOUND),
    (dt.timedelta(minutes=29, seconds=59), dt.timedelta(minutes=30), BindOutcome.BOUND),
    (dt.timedelta(minutes=30), dt.timedelta(minutes=30), BindOutcome.EXPIRED),  # the very moment it ends
    (dt.timedelta(days=8), dt.timedelta(days=7), BindOutcome.EXPIRED),
]


async def test_codes_expire(store: AsyncEngine) -> None:
    for i, (age, lifetime, outcome) in enumerate(EXPIRY):
        code = await _invite(store, now=NOW - age, expires=lifetime)
        assert (await _redeem(store, code, 70 + i)).outcome == outcome, (age, lifetime)
        assert len(await rows(store, select(Chat).where(Chat.chat_id == 70 + i))) == (outcome == BindOutcome.BOUND)


async def test_an_expired_code_through_the_bot(harness: Harness) -> None:
    code = await _invite(harness.engine, now=NOW - dt.timedelta(days=2), expires=dt.timedelta(days=1))
    assert texts(await harness.say(FINANCE, f"/start {code}")) == [m.BIND_REFUSED["expired"]]
    assert texts(await harness.say(FINANCE, "已完成")) == [m.NOT_BOUND]


# --- guessing ---------------------------------------------------------------------------------------------

LIMIT = binding.MAX_WRONG_CODES
WINDOW = binding.WRONG_CODE_WINDOW


async def test_guessing_is_limited_per_user_through_the_bot(harness: Harness) -> None:
    bot = harness
    good = await _invite(bot.engine)
    for i in range(LIMIT):
        assert texts(await bot.say(STRANGER, f"/start {secrets.token_urlsafe(24)}")) == [m.BIND_REFUSED["unknown"]], i
    (throttled,) = texts(await bot.say(STRANGER, f"/start {good}"))  # the right code, too late
    assert throttled == m.BIND_THROTTLED.format(minutes=60)
    assert await rows(bot.engine, select(Chat)) == []
    assert (await rows(bot.engine, select(Invite)))[0].used_at is None  # the code was not even looked at
    # another user is not held up by this one, in a group as well
    assert texts(await bot.say(LOOSE_GROUP, "/start " + "x" * 40, user_id=MEMBER)) == [m.BIND_REFUSED["unknown"]]
    assert texts(await bot.say(FINANCE, f"/start {good}")) == [m.BIND_OK.format(unit="市财政局")]
    # the refusals are in the audit log: LIMIT wrong codes, the throttled attempt not written
    refused = await rows(
        bot.engine, select(AuditLog).where(AuditLog.action == "invite.refused", AuditLog.actor == f"tg:{STRANGER}")
    )
    assert [a.detail["reason"] for a in refused] == [BindOutcome.UNKNOWN] * LIMIT


async def test_the_limit_counts_across_chats_restarts_and_processes(store: AsyncEngine, store_url: str) -> None:
    """Wrong codes from one user in a group and in private, through two engines (two bot processes, or one
    before and after a restart) on one store: they add up."""
    good = await _invite(store)
    other = db.make_engine(store_url)
    try:
        for i in range(LIMIT):
            engine, chat, kind = (store, -80, "group") if i % 2 else (other, 80, "private")
            result = await _redeem(engine, f"guess-{i}", chat, user_id=80, kind=kind, now=NOW + dt.timedelta(seconds=i))
            assert result.outcome == BindOutcome.UNKNOWN
        for engine in (store, other):
            result = await _redeem(engine, good, 80, now=NOW + dt.timedelta(minutes=1))
            assert result.outcome == BindOutcome.THROTTLED
            assert result.wait == WINDOW - dt.timedelta(minutes=1)
    finally:
        await other.dispose()


async def test_the_limit_lifts_when_the_oldest_wrong_code_leaves_the_window(store: AsyncEngine) -> None:
    good = await _invite(store, expires=dt.timedelta(days=1))
    start = NOW - dt.timedelta(minutes=90)
    for i in range(LIMIT):  # one every ten minutes
        assert (await _redeem(store, f"guess-{i}", 90, now=start + i * dt.timedelta(minutes=10))).outcome == "unknown"
    last = start + (LIMIT - 1) * dt.timedelta(minutes=10)
    throttled = await _redeem(store, good, 90, now=last + dt.timedelta(minutes=5))
    wait = WINDOW - (LIMIT - 1) * dt.timedelta(minutes=10) - dt.timedelta(minutes=5)
    assert (throttled.outcome, throttled.wait) == (BindOutcome.THROTTLED, wait)
    just_before = start + WINDOW - dt.timedelta(seconds=1)
    assert (await _redeem(store, good, 90, now=just_before)).outcome == BindOutcome.THROTTLED
    assert (await _redeem(store, good, 90, now=start + WINDOW)).outcome == BindOutcome.BOUND


async def test_only_wrong_codes_count(store: AsyncEngine) -> None:
    """A used, expired or wrong-kind code is a real code, not a guess: trying one again and again is a
    confused contact, told each time why, and never locked out of a fresh code."""
    used = await _invite(store)
    assert (await _redeem(store, used, 100)).outcome == BindOutcome.BOUND
    expired = await _invite(store, now=NOW - dt.timedelta(days=9))
    group = await _invite(store, group=True)
    refusals = [(used, BindOutcome.USED), (expired, BindOutcome.EXPIRED), (group, BindOutcome.WRONG_KIND)]
    for code, outcome in refusals * LIMIT:
        assert (await _redeem(store, code, 101)).outcome == outcome
    assert (await _redeem(store, await _invite(store), 101)).outcome == BindOutcome.BOUND


async def test_the_throttle_message_says_how_long(harness: Harness) -> None:
    """The wait is rounded up to whole minutes, measured from the oldest wrong code in the window."""
    bot = harness
    for i in range(LIMIT):
        await bot.say(STRANGER, f"/start wrong-{i}")
    async with db.session_scope(bot.engine) as session:  # as if the first had come 45 minutes ago
        first = (
            await session.execute(
                select(AuditLog.id).where(AuditLog.action == "invite.refused").order_by(AuditLog.id).limit(1)
            )
        ).scalar_one()
        await session.execute(
            update(AuditLog).where(AuditLog.id == first).values(at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=45))
        )
    (text,) = texts(await bot.say(STRANGER, "/start wrong-again"))
    assert text in {m.BIND_THROTTLED.format(minutes=15), m.BIND_THROTTLED.format(minutes=16)}
    async with db.session_scope(bot.engine) as session:  # and once it is an hour old, one more try
        await session.execute(update(AuditLog).where(AuditLog.id == first).values(at=dt.datetime.now(dt.UTC) - WINDOW))
    assert texts(await bot.say(STRANGER, "/start wrong-again")) == [m.BIND_REFUSED["unknown"]]
    assert texts(await bot.say(STRANGER, "/start wrong-again")) == [m.BIND_THROTTLED.format(minutes=60)]
