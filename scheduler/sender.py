"""The sender: drains the outbox to Telegram, at a steady pace, never twice, never losing a row.

A row moves pending → sending (claimed, committed) → sent | failed | pending again (retry later).
- Claiming is one UPDATE … RETURNING over a sub-select; on PostgreSQL the sub-select takes its rows
  FOR UPDATE SKIP LOCKED, so two bot processes never claim the same row. SQLite has one writer at a
  time, which gives the same guarantee.
- A claim is a lease: a row left in `sending` by a process that died is claimed again once the lease has
  expired — at once when that process ran on this host (the claim names host, PID namespace, PID and a
  per-start nonce, and the PID is gone or is ours now: `orphaned`), so a bot restarted after a crash
  resumes its broadcast instead of leaving up to a batch of rows waiting five minutes; and rows this
  process's own previous drain left when it failed (the database restarted mid-batch) are taken back by
  its next drain. That is the only way a message can go out twice — the one in flight when the process
  died — and it is bounded to one per crash (tests/reliability/test_crash.py). A live sender whose lease
  ran out by its own clock (an NTP step forward, a very slow batch) renews each remaining row before
  sending it, on the condition that it is still the claimer (`_still_ours`), so a second sender that
  took the rows meanwhile sends them alone: a step costs at most the one message in flight
  (tests/reliability/test_store_clock.py).
- Telegram's answers (FIELD-NOTES): RetryAfter → the row waits `retry_after` and the whole drain stops
  (a 429 throttles the bot, not a chat); Forbidden → the chat is marked blocked, the row fails, the
  coordinators are told; ChatMigrated → the chat id is rewritten in the store and the row is resent;
  BadRequest → failed with the reason; TimedOut/NetworkError → retried with exponential backoff up to
  `max_attempts`. One failing chat never holds up the others.
- Telegram unreachable — the request never got there: connection refused or reset, DNS, a proxy, a
  connect timeout, a proxy's 502/503 page (bot.core.network.unreachable) — is not the message's fault: the row
  and the rest of the batch go back to pending as they were (no attempt counted, nothing pushed back),
  the drain stops and says so (`DrainResult.unreachable`), and the next run tries the oldest row again.
  An outage of any length loses nothing and keeps the order; counted as attempts it would have failed
  every queued message after about an hour, and the backoffs would have sent them out of order.
- Anything else that goes wrong with one row — a new Bot API field python-telegram-bot cannot parse, a bug in
  a renderer, a row the transport cannot turn into a request — must not stop the queue or repeat the row
  (a row left `sending` is taken back by the next drain and sent again: one chat got the same broadcast 4
  times in 20 s while 39 waited). Where the exception came from decides what happens to the row:
  before the request could leave (the sender's own rendering, or the transport says so through
  `not_sent_yet`) it certainly did not go out and is retried with backoff like a timeout; once it was in
  the transport's hands (`leaving`, or the transport said nothing) Telegram may have it, so it becomes
  `failed` with the reason "may have been delivered" and is never sent again by itself (`taskbot outbox`
  shows it). Either way the drain goes on with the next row.
- A message that went out but whose outcome the store would not take (the database failed right after
  Telegram accepted it) is written again at once, then without its message id; if the store still
  refuses, the outcome is kept in memory (`Unrecorded`, the send job's state), the drain stops as for any
  database error, and the next drain writes it before it takes anything back — so the row is not sent
  again by this process. Only a crash before that loses the memory (the one-per-crash case above).
- A row with a file (outbox.file_id: the weekly chart, a 台账) is one request — sendPhoto for a CHART row,
  sendDocument for any other — with the row's text as its caption (cut to Telegram's 1,024 characters on a
  line boundary); every rule above applies to it as to a text, and it counts as one message in the pacing.
  Rows of one chat keep their order within a batch: a row whose chat has a split message still going out
  waits behind it (the chart goes after the digest it belongs to, not between its parts).
- Pace: at most ~30 messages a second overall, one a second per private chat, one per three seconds
  per group (20 a minute). PTB's AIORateLimiter sits under this in production; the pacing here keeps
  a broadcast from overrunning it (PTB #3950). `sleep` and `now` are parameters: the simulation runs
  the same code on a virtual clock.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import secrets
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from enum import StrEnum
from html import escape
from typing import Any, Protocol

from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.core import db
from bot.core.logs import scrub_token
from bot.core.models import Chat, Outbox, OutboxFile, Unit, pk
from bot.core.network import retry_delay, unreachable
from bot.core.vocab import FileKind, MessageKind, OutboxStatus
from bot.render import messages as m
from bot.render.telegram_text import caption, split_message
from bot.store import audit
from bot.store.outbox import Outgoing, enqueue

log = logging.getLogger(__name__)

MAYBE_DELIVERED = "may have been delivered"
OUTCOME_WRITE_RETRY = 0.5  # seconds before the store is asked again to record a message that went out


class Transport(Protocol):
    """What the sender needs from Telegram: send one HTML message, or one file with an HTML caption, and
    return its message id.

    Raises telegram.error exceptions as python-telegram-bot does; the real one wraps `telegram.Bot`,
    the simulation's keeps messages in memory."""

    async def send_message(self, chat_id: int, text: str, reply_markup: dict[str, Any] | None) -> int: ...

    async def send_file(self, chat_id: int, kind: FileKind, name: str, content: bytes, caption: str | None) -> int: ...


PHOTO_KINDS = frozenset({MessageKind.CHART})
"""Rows of these kinds send their file as a photo (shown in the chat); other file rows as a document."""


def file_kind(row_kind: str) -> FileKind:
    return FileKind.PHOTO if row_kind in PHOTO_KINDS else FileKind.DOCUMENT


@dataclass
class Attempt:
    """Where one request stands, as far as the transport told: `left` is False before the transport was
    called and when it says nothing has left yet (`not_sent_yet`), True once it says the request is leaving
    (`leaving`), None while the transport has it and has said nothing — unknown, so treated as sent."""

    left: bool | None = False


_ATTEMPT: ContextVar[Attempt | None] = ContextVar("taskbot_send_attempt", default=None)


def not_sent_yet() -> None:
    """A transport says: nothing of this request has left for Telegram (an error now costs a retry, not a
    "may have been delivered")."""
    attempt = _ATTEMPT.get()
    if attempt is not None:
        attempt.left = False


def leaving() -> None:
    """A transport says: the request leaves for Telegram now; whatever goes wrong from here, Telegram may have
    delivered it."""
    attempt = _ATTEMPT.get()
    if attempt is not None:
        attempt.left = True


Unrecorded = dict[int, dict[str, Any]]
"""Outcomes of rows that went out while the store refused to record them: row id → the values to write."""


class OutcomeNotRecorded(Exception):
    """A message went out and the store would not record it; the outcome is kept in `Unrecorded`."""

    def __init__(self, error: BaseException):
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class SenderConfig:
    batch: int = 50
    lease: dt.timedelta = dt.timedelta(minutes=5)
    max_attempts: int = 8
    backoff: dt.timedelta = dt.timedelta(seconds=30)
    max_backoff: dt.timedelta = dt.timedelta(hours=1)
    # 1/29, not 1/30: sends spaced exactly 1/30 s apart here let the 31st reach Telegram within one second of
    # the 1st whenever the network delays the 1st more, and draw a 429 (bench/bench_scheduler.py, fan-out)
    global_interval: float = 1 / 29
    private_interval: float = 1.05  # a hair over Telegram's 1/s: at exactly 1.0 network jitter draws a 429
    group_interval: float = 3.1  # 20 a minute per group, with the same margin


class Tally(StrEnum):
    """How a row's outcome counts in DrainResult."""

    SENT = "sent"
    FAILED = "failed"
    RETRIED = "retried"


@dataclass
class DrainResult:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    throttled_until: dt.datetime | None = None
    unreachable: str | None = None  # why Telegram could not be reached; the drain stopped there
    errors: dict[str, int] = field(default_factory=dict)

    def tally(self, kind: Tally) -> None:
        if kind == Tally.SENT:
            self.sent += 1
        elif kind == Tally.FAILED:
            self.failed += 1
        else:
            self.retried += 1


def _pid_namespace() -> str:
    try:
        return "".join(c for c in os.readlink("/proc/self/ns/pid") if c.isdigit())
    except OSError:
        return "0"


def worker_id() -> str:
    """The name this process puts on the rows it claims: `host:pid-namespace:pid:nonce` (≤ 80 characters).
    The nonce tells this start from an earlier process that had the same PID (a container restarted)."""
    return f"{socket.gethostname()[:40]}:{_pid_namespace()}:{os.getpid()}:{secrets.token_hex(3)}"


def orphaned(claimer: str, me: str) -> bool:
    """Whether rows claimed by `claimer` are no running drain's, seen from a drain of worker `me` as it starts:
    - `me` itself: an earlier drain of this process ended in an error (the database went away mid-batch)
      and left them — one worker's drains never overlap (the send job has max_instances=1);
    - a process of this host (and PID namespace) that is gone: its PID no longer exists, or it is this
      process's PID under another nonce (a container restarted).
    Anything else — another host, a live PID, a name of another form — is left to the lease."""
    if claimer == me:
        return True
    theirs, mine = claimer.rsplit(":", 2), me.rsplit(":", 2)
    if len(theirs) != 3 or len(mine) != 3 or theirs[0] != mine[0] or not (theirs[1].isdigit() and mine[1].isdigit()):
        return False
    pid = int(theirs[1])
    if pid == int(mine[1]):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: alive, another user's
        return False
    return False


async def orphaned_claims(engine: AsyncEngine, worker: str) -> list[str]:
    """The claimers of rows still `sending` that no running drain owns (see `orphaned`)."""
    async with db.session_scope(engine) as session:
        claimers = (
            (
                await session.execute(
                    select(col(Outbox.claimed_by)).where(col(Outbox.status) == OutboxStatus.SENDING).distinct()
                )
            )
            .scalars()
            .all()
        )
    return sorted(c for c in claimers if c and orphaned(c, worker))


async def claim(
    engine: AsyncEngine, worker: str, now: dt.datetime, config: SenderConfig, reclaim: Sequence[str] = ()
) -> list[Outbox]:
    """Take up to `config.batch` due rows (and rows whose lease expired, or that `reclaim`ers left) for
    this worker."""
    due = or_(
        (col(Outbox.status) == OutboxStatus.PENDING)
        & (col(Outbox.send_at) <= now)
        & (col(Outbox.next_attempt_at).is_(None) | (col(Outbox.next_attempt_at) <= now)),
        (col(Outbox.status) == OutboxStatus.SENDING) & (col(Outbox.claimed_at) < now - config.lease),
    )
    if reclaim:
        due = or_(due, (col(Outbox.status) == OutboxStatus.SENDING) & col(Outbox.claimed_by).in_(list(reclaim)))
    pick = select(col(Outbox.id)).where(due).order_by(col(Outbox.send_at), col(Outbox.id)).limit(config.batch)
    if engine.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    stmt = (
        update(Outbox)
        .where(col(Outbox.id).in_(pick.scalar_subquery()))
        .values(status=OutboxStatus.SENDING, claimed_by=worker, claimed_at=now)
        .returning(Outbox)
        .execution_options(synchronize_session=False)
    )
    async with db.session_scope(engine) as session:
        rows = list((await session.execute(stmt)).scalars().all())
    return sorted(rows, key=lambda r: (r.send_at, r.id))


class Pacer:
    """Spacing between sends: overall and per chat (groups have negative ids and a slower limit)."""

    def __init__(self, config: SenderConfig, clock: Callable[[], float], sleep: Callable[[float], Awaitable[None]]):
        self.config, self.clock, self.sleep = config, clock, sleep
        self.last_any = -1e9
        self.last_chat: dict[int, float] = {}

    def chat_ready_in(self, chat_id: int) -> float:
        """Seconds until this chat may get its next message (≤ 0: now)."""
        interval = self.config.group_interval if chat_id < 0 else self.config.private_interval
        return self.last_chat.get(chat_id, -1e9) + interval - self.clock()

    async def wait(self, chat_id: int) -> None:
        interval = self.config.group_interval if chat_id < 0 else self.config.private_interval
        ready = max(self.last_any + self.config.global_interval, self.last_chat.get(chat_id, -1e9) + interval)
        delay = ready - self.clock()
        if delay > 0:
            await self.sleep(delay)
        self.last_any = self.last_chat[chat_id] = self.clock()


@dataclass
class _Drain:
    """What every row of one drain is sent with, and what the drain has come to so far."""

    engine: AsyncEngine
    transport: Transport
    now: Callable[[], dt.datetime]
    config: SenderConfig
    pacer: Pacer
    coordinators: tuple[int, ...]
    unrecorded: Unrecorded
    result: DrainResult = field(default_factory=DrainResult)


async def drain(
    engine: AsyncEngine,
    transport: Transport,
    *,
    now: Callable[[], dt.datetime],
    worker: str,
    config: SenderConfig = SenderConfig(),
    pacer: Pacer | None = None,
    coordinators: tuple[int, ...] = (),
    unrecorded: Unrecorded | None = None,
) -> DrainResult:
    """Send what is due now, batch after batch, until nothing is due, Telegram says to wait, or it cannot be
    reached. `unrecorded` (kept by the caller between drains) holds outcomes the store refused earlier; they
    are written first, so the rows they belong to are not taken back and sent again."""
    loop = asyncio.get_running_loop()
    pacer = pacer or Pacer(config, loop.time, asyncio.sleep)
    run = _Drain(engine, transport, now, config, pacer, coordinators, {} if unrecorded is None else unrecorded)
    await _write_unrecorded(engine, run.unrecorded)
    orphans = await orphaned_claims(engine, worker)
    if orphans:
        log.info("sender: taking back the rows left in 'sending' by %s (a crash or a failed drain)", ", ".join(orphans))
    try:
        while rows := await claim(engine, worker, now(), config, orphans):
            if not await _send_batch(run, rows, worker):
                break
    except OutcomeNotRecorded as exc:  # the store is failing: stop as for any database error
        raise exc.error from None
    return run.result


async def _send_batch(run: _Drain, rows: list[Outbox], worker: str) -> bool:
    """Send one claimed batch; False when the drain must stop (Telegram said to wait, or cannot be reached), the
    rows left released.

    A long 督办单 goes out in parts, and a chat takes one message a second: rather than wait on one chat, a row
    with parts left goes to the back of the batch and the other chats are served meanwhile. Rows of one chat
    keep their order: a row whose chat has such a row with parts left waits behind it."""
    queue, started = deque(rows), set()
    unfinished: dict[int, int] = {}  # chat → its row with parts left
    while queue:
        row = queue.popleft()
        if run.result.throttled_until is not None or run.result.unreachable is not None:
            await _release(run.engine, [row, *queue], run.result.throttled_until)
            return False
        if row.chat_id is not None and unfinished.get(row.chat_id, row.id) != row.id:
            queue.append(row)
            continue
        if row.id not in started:
            started.add(row.id)
            if not await _still_ours(run.engine, row, worker, run.now(), run.config):
                continue
        more = await _send_one(run, row, can_defer=bool(queue))
        _note_parts_left(unfinished, row, more)
        if more:
            queue.append(row)
    return True


def _note_parts_left(unfinished: dict[int, int], row: Outbox, more: bool) -> None:
    """Only a chat's rows wait for each other: its row with parts left (`more`) holds the others back until done."""
    if row.chat_id is None:
        return
    if more:
        unfinished[row.chat_id] = pk(row)
    elif unfinished.get(row.chat_id) == pk(row):
        del unfinished[row.chat_id]


async def _still_ours(engine: AsyncEngine, row: Outbox, worker: str, now: dt.datetime, config: SenderConfig) -> bool:
    """Whether this worker still holds the claim on `row`. By this worker's clock the lease has run out only
    when the batch took longer than the lease or the wall clock stepped forward (NTP); another sender may
    then have taken the row (it saw an expired lease too), and sending it here as well would be a duplicate.
    So the claim is renewed first, on the condition that it is still ours; otherwise the row is left to its
    new owner. Within the lease this costs nothing (no statement)."""
    if row.claimed_at is None or now - row.claimed_at < config.lease:
        return True
    async with db.session_scope(engine) as session:
        renewed = (
            await session.execute(
                update(Outbox)
                .where(
                    col(Outbox.id) == row.id,
                    col(Outbox.status) == OutboxStatus.SENDING,
                    col(Outbox.claimed_by) == worker,
                )
                .values(claimed_at=now)
                .returning(col(Outbox.id))
                .execution_options(synchronize_session=False)
            )
        ).first()
    if renewed is None:
        log.info(
            "sender: outbox row %s was taken over by another sender (the clock moved on past the lease); "
            "not sending it here",
            row.id,
        )
        return False
    row.claimed_at = now
    return True


async def _send_one(run: _Drain, row: Outbox, can_defer: bool = False) -> bool:
    """Send the row's parts, then write what came of it: `classify` says what an exception means, `_apply` writes
    it. True when it stopped after a part because its chat is not ready for the next one and other rows can go
    meanwhile (`can_defer`): the caller sends those and comes back."""
    chat_id = int(row.chat_id) if row.chat_id is not None else None
    file = await _file_of(run.engine, row.file_id) if chat_id is not None and row.file_id is not None else None
    if chat_id is None or (row.file_id is not None and file is None):  # a file gone cannot be (a foreign key)
        why = "no chat" if chat_id is None else "its file is gone"
        await _finish(run.engine, pk(row), status=OutboxStatus.FAILED, last_error=why)  # this row alone fails
        run.result.failed += 1
        return False
    attempt = Attempt()
    context = _ATTEMPT.set(attempt)
    try:
        deferred, message_id = await _transmit(run, row, chat_id, file, attempt, can_defer)
    except OutcomeNotRecorded:
        raise
    except Exception as exc:  # Telegram's answers, and anything else: one row's problem, never the queue's
        outcome = classify(exc, row, attempt.left, run.config, run.now)
    else:
        if deferred:
            return True  # parts_sent is recorded: the next call resumes here
        outcome = _sent(row, message_id, run.now())
    finally:
        _ATTEMPT.reset(context)
    await _apply(run, row, chat_id, outcome)
    return False


async def _transmit(
    run: _Drain, row: Outbox, chat_id: int, file: OutboxFile | None, attempt: Attempt, can_defer: bool
) -> tuple[bool, int | None]:
    """(deferred, the last message id): the row's file with its text as the caption (one request), or its text's
    parts from the first not sent yet; deferred when it stopped after a part (see `_send_one`)."""
    if file is not None:
        await run.pacer.wait(chat_id)
        attempt.left = None  # in the transport's hands: unknown until it says
        sent = await run.transport.send_file(
            chat_id, file_kind(row.kind), file.name, file.content, caption(row.text) or None
        )
        attempt.left = False
        return False, sent
    chunks, first = split_message(row.text), row.parts_sent
    message_id: int | None = None
    for i in range(first, len(chunks)):
        if i > first and can_defer and run.pacer.chat_ready_in(chat_id) > 0:
            return True, None
        await run.pacer.wait(chat_id)
        last = i == len(chunks) - 1
        attempt.left = None
        message_id = await run.transport.send_message(chat_id, chunks[i], row.reply_markup if last else None)
        attempt.left = False
        if not last:  # a retry after a failure resumes after this part instead of repeating it
            await _record(run.engine, pk(row), {"parts_sent": i + 1}, run.unrecorded)
            row.parts_sent = i + 1
    return False, message_id


@dataclass(frozen=True)
class Outcome:
    """What one row's send came to, decided before anything is written: the row's new values, how the drain
    counts it, and what else follows."""

    values: dict[str, Any]
    tally: Tally
    error: str | None = None  # the name DrainResult.errors counts it under
    recorded: bool = False  # Telegram may have it: written by `_record` (kept in memory if the store refuses)
    throttled_until: dt.datetime | None = None  # 429: the drain stops; the rest of the batch waits until then
    unreachable: str | None = None  # Telegram cannot be reached (why): the drain stops
    migrated_to: int | None = None  # the group became a supergroup: its chat id is rewritten first
    blocked: tuple[str, dt.datetime] | None = None  # 403 (the reason, when): the chat is marked blocked, the row fails
    log: tuple[int, str, tuple[Any, ...]] | None = None  # a line for the log: level, message, arguments


def _sent(row: Outbox, message_id: int | None, now: dt.datetime) -> Outcome:
    values = {
        "status": OutboxStatus.SENT,
        "sent_at": now,
        "message_id": message_id,
        "attempts": row.attempts + 1,
        "last_error": None,
    }
    return Outcome(values, Tally.SENT, recorded=True)


def classify(
    exc: Exception, row: Outbox, left: bool | None, config: SenderConfig, now: Callable[[], dt.datetime]
) -> Outcome:
    """What an exception from sending `row` means for it: Telegram's answers (the module docstring), then anything
    else by whether the request may have left (`left`, as the transport told the Attempt)."""
    if isinstance(exc, RetryAfter):
        wait = retry_delay(exc)
        until = now() + wait
        values = {
            "status": OutboxStatus.PENDING,
            "next_attempt_at": until,
            "last_error": f"429 retry after {wait.total_seconds():.0f}s",
        }
        return Outcome(values, Tally.RETRIED, "RetryAfter", throttled_until=until)
    if isinstance(exc, ChatMigrated):
        values = {
            "status": OutboxStatus.PENDING,
            "chat_id": exc.new_chat_id,
            "next_attempt_at": None,
            "last_error": f"chat migrated to {exc.new_chat_id}",
        }
        return Outcome(values, Tally.RETRIED, "ChatMigrated", migrated_to=exc.new_chat_id)
    if isinstance(exc, Forbidden):
        return Outcome({}, Tally.FAILED, "Forbidden", blocked=(str(exc), now()))
    if isinstance(exc, BadRequest):
        values = {
            "status": OutboxStatus.FAILED,
            "last_error": f"bad request: {exc.message}"[:500],
            "attempts": row.attempts + 1,
        }
        return Outcome(values, Tally.FAILED, "BadRequest")
    if isinstance(exc, TelegramError):  # NetworkError (TimedOut is one) and the rest
        return _telegram_error(exc, row, config, now)
    return _poisoned(exc, row, left is not False, config, now)


def _telegram_error(exc: TelegramError, row: Outbox, config: SenderConfig, now: Callable[[], dt.datetime]) -> Outcome:
    """Telegram out of reach (not the message's fault: back to pending as it was, the drain stops); a 2xx whose body
    is not JSON (it arrived); a timeout and the like (retried with backoff)."""
    name = type(exc).__name__
    if unreachable(exc):
        why = f"{name}: {exc.message}"[:300]
        values = {"status": OutboxStatus.PENDING, "next_attempt_at": None, "last_error": f"unreachable: {why}"[:500]}
        return Outcome(values, Tally.RETRIED, "unreachable", unreachable=why)
    if type(exc) is TelegramError:  # "Invalid server response": a 2xx whose body is not JSON — it arrived
        return _poisoned(exc, row, True, config, now)
    return _backoff(row, config, now, name, exc.message, f"{name}: {exc.message}")


def _backoff(
    row: Outbox, config: SenderConfig, now: Callable[[], dt.datetime], name: str, what: str, retry_error: str
) -> Outcome:
    """A row that certainly did not go out: tried again after an exponential backoff, failed after max_attempts."""
    attempts = row.attempts + 1
    if attempts >= config.max_attempts:
        values = {
            "status": OutboxStatus.FAILED,
            "attempts": attempts,
            "last_error": f"gave up after {attempts} attempts: {what}"[:500],
        }
        return Outcome(values, Tally.FAILED, name)
    backoff = min(config.backoff * 2 ** (attempts - 1), config.max_backoff)
    values = {
        "status": OutboxStatus.PENDING,
        "attempts": attempts,
        "next_attempt_at": now() + backoff,
        "last_error": retry_error[:500],
    }
    return Outcome(values, Tally.RETRIED, name)


def _poisoned(
    exc: Exception, row: Outbox, maybe_sent: bool, config: SenderConfig, now: Callable[[], dt.datetime]
) -> Outcome:
    """An exception the sender has no rule for. Telegram may have the message (`maybe_sent`): failed for
    good, never resent by itself; it certainly did not go out: retried with backoff, like a timeout."""
    name = type(exc).__name__
    what = f"{name}: {exc}"
    if maybe_sent:
        values = {
            "status": OutboxStatus.FAILED,
            "attempts": row.attempts + 1,
            "last_error": f"{MAYBE_DELIVERED}: {what}"[:500],
        }
        line = (
            "sender: outbox row %s (chat %s) failed after its request was sent (%s); %s, so it is not "
            "sent again: see `taskbot outbox`"
        )
        args = (row.id, row.chat_id, scrub_token(what)[:300], MAYBE_DELIVERED)
        return Outcome(values, Tally.FAILED, name, recorded=True, log=(logging.ERROR, line, args))
    outcome = _backoff(row, config, now, name, what, f"not sent: {what}")
    line = "sender: outbox row %s (chat %s) could not be sent (%s)"
    return replace(outcome, log=(logging.WARNING, line, (row.id, row.chat_id, scrub_token(what)[:300])))


async def _apply(run: _Drain, row: Outbox, chat_id: int, outcome: Outcome) -> None:
    """Write what `classify` (or `_sent`) decided, and count it."""
    if outcome.log is not None:
        log.log(outcome.log[0], outcome.log[1], *outcome.log[2])
    if outcome.throttled_until is not None:
        run.result.throttled_until = outcome.throttled_until
    if outcome.unreachable is not None:
        run.result.unreachable = outcome.unreachable
    if outcome.migrated_to is not None:
        await _migrate_chat(run.engine, chat_id, outcome.migrated_to)
    if outcome.blocked is not None:
        await _block_chat(run.engine, row, chat_id, *outcome.blocked, run.coordinators)
    elif outcome.recorded:
        await _record(run.engine, pk(row), outcome.values, run.unrecorded)
    else:
        await _finish(run.engine, pk(row), **outcome.values)
    run.result.tally(outcome.tally)
    if outcome.error is not None:
        _count(run.result, outcome.error)


async def _file_of(engine: AsyncEngine, file_id: int) -> OutboxFile | None:
    """The row's file (read before the request: a database error here stops the drain like any other)."""
    async with db.session_scope(engine) as session:
        return await session.get(OutboxFile, file_id)


async def _record(engine: AsyncEngine, row_id: int, values: dict[str, Any], unrecorded: Unrecorded) -> None:
    """The outcome of a row Telegram may have: written now, or kept until the store takes it.

    Asked twice, then without the message id (a reply to it then maps to nothing, but the row is not sent
    again); if the store still refuses, the outcome waits in `unrecorded` and OutcomeNotRecorded stops the
    drain."""
    error: SQLAlchemyError | None = None
    for attempt in (values, values, _minimal(values)):
        try:
            await _finish(engine, row_id, **attempt)
            unrecorded.pop(row_id, None)
            return
        except SQLAlchemyError as exc:
            error = exc
            await asyncio.sleep(OUTCOME_WRITE_RETRY)
    assert error is not None
    unrecorded[row_id] = {**unrecorded.get(row_id, {}), **values}
    log.warning(
        "sender: outbox row %s went out but the store refused its outcome (%s); kept in memory and "
        "written by the next drain",
        row_id,
        str(error).splitlines()[0][:200],
    )
    raise OutcomeNotRecorded(error)


def _minimal(values: dict[str, Any]) -> dict[str, Any]:
    """An outcome cut down to what keeps the row from being sent again."""
    keep = {k: v for k, v in values.items() if k in ("status", "parts_sent", "sent_at", "attempts")}
    if keep.get("status") == OutboxStatus.SENT:
        keep["last_error"] = "sent; the message id could not be stored"
    elif "last_error" in values:
        keep["last_error"] = str(values["last_error"])[:120]
    return keep


async def _write_unrecorded(engine: AsyncEngine, unrecorded: Unrecorded) -> None:
    """Write the outcomes an earlier drain could not (a database error here stops this drain too)."""
    for row_id, values in sorted(unrecorded.items()):
        try:
            await _finish(engine, row_id, **values)
        except SQLAlchemyError:  # a value this row cannot take: what keeps it from going out again
            await _finish(engine, row_id, **_minimal(values))
        del unrecorded[row_id]
        log.info("sender: recorded the outcome of outbox row %s, kept in memory since the store refused it", row_id)


def _count(result: DrainResult, name: str) -> None:
    result.errors[name] = result.errors.get(name, 0) + 1


async def _finish(engine: AsyncEngine, row_id: int, **values: Any) -> None:
    """One row's outcome, committed at once. A Core statement: this runs once per message sent, and an ORM
    session around the same UPDATE cost twice as much (about 1.0 against 0.5 ms on SQLite here)."""
    if values.get("last_error"):  # an error text may quote a request URL, and the URL holds the token
        values["last_error"] = scrub_token(values["last_error"])
    async with engine.begin() as conn:
        await conn.execute(update(Outbox).where(col(Outbox.id) == row_id).values(**values))


async def _release(engine: AsyncEngine, rows: list[Outbox], until: dt.datetime | None) -> None:
    async with db.session_scope(engine) as session:
        await session.execute(
            update(Outbox)
            .where(col(Outbox.id).in_([r.id for r in rows]))
            .values(status=OutboxStatus.PENDING, next_attempt_at=until)
        )


async def _migrate_chat(engine: AsyncEngine, old: int, new: int) -> None:
    """A group became a supergroup: its id changes everywhere we keep it, in one transaction."""
    async with db.session_scope(engine) as session:
        await session.execute(update(Chat).where(col(Chat.chat_id) == old).values(chat_id=new))
        await session.execute(
            update(Outbox)
            .where(col(Outbox.chat_id) == old, col(Outbox.status) == OutboxStatus.PENDING)
            .values(chat_id=new)
        )
        audit.record(session, "sender", "chat.migrate", "chat", old, new_chat_id=new)


async def _block_chat(
    engine: AsyncEngine, row: Outbox, chat_id: int, reason: str, now: dt.datetime, coordinators: tuple[int, ...]
) -> None:
    """403: stop sending to this chat, keep the unit, tell the coordinators (once per chat and day)."""
    async with db.session_scope(engine) as session:
        chat = (await session.execute(select(Chat).where(col(Chat.chat_id) == chat_id))).scalar_one_or_none()
        await session.execute(
            update(Outbox)
            .where(col(Outbox.id) == row.id)
            .values(status=OutboxStatus.FAILED, last_error=f"forbidden: {reason}"[:500], attempts=row.attempts + 1)
        )
        if chat is None:
            return
        chat.blocked_at, chat.blocked_reason = now, reason[:200]
        audit.record(session, "sender", "chat.blocked", "chat", chat_id, reason=reason[:200], unit_id=chat.unit_id)
        if coordinators:
            unit = (await session.execute(select(col(Unit.name)).where(col(Unit.id) == chat.unit_id))).scalar_one()
            text = m.CHAT_BLOCKED.format(
                chat=escape(chat.title or str(chat_id)), unit=escape(unit), reason=escape(reason[:200])
            )
            await enqueue(
                session,
                [
                    Outgoing(
                        key=f"blocked:{chat_id}:{now.date()}:to{c}",
                        kind=MessageKind.NOTICE,
                        text=text,
                        send_at=now,
                        chat_id=c,
                    )
                    for c in coordinators
                    if c != chat_id
                ],
            )
