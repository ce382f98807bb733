"""How updates reach the Application: stored first, handled from the store (issue 23 §1), for long polling
and for the webhook (bot/webhook.py) alike.

PTB's Updater puts each update of a getUpdates answer in an in-memory queue and confirms it with the next
call's offset, and `Application.run_webhook` answers 200 before the update is handled: a process killed with
updates in that queue loses them (4 of 40 reports kept in the issue's measure). PTB's documented way out is
custom update fetching — the Application built with `.updater(None)`, the updates fetched by one's own code
and given to `Application.process_update` (PTB wiki "Frequently requested design patterns", and the
customwebhookbot example). So here:

- **Polling** (`poll`): `bot.get_updates(offset=…)` with our own offset; the updates of an answer are committed
  to the inbox (bot/store/inbox.py) before the next call's offset confirms them. The store down: the offset
  does not move, and Telegram keeps them.
- **Webhook**: bot/webhook.py answers 200 once `Inbound.receive` has committed.
- **Handling** (`Inbound.work`): one update at a time, in update_id order, as PTB's default (no concurrent
  updates): claim the row, `process_update`, mark it handled. A repeat of an update (Telegram sending it
  again, a second process) finds it claimed or handled and is not handled again.
- **On start** the rows left unhandled (a crash, a store failure) are handled before the new ones, and a sweep
  every `SWEEP_EVERY` takes those a dead sibling process left (its claim, as the outbox's, is taken back at
  once on the same host and after the lease on another) and prunes handled rows.

A process killed while handling one update has handled it at most partly: that update is handled again at
the next start. A report's transaction marks its update handled in the same commit (handlers/common.transaction,
its `settles`), so a report committed is never handled again — not after a kill, and not from the
sweep when the inbox's own mark failed after the commit (PostgreSQL going away): once that let the sweep
store and acknowledge a report a second time, after the contact's next report had made it look new.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.core import db
from bot.core.runtime import Runtime
from bot.core.vocab import StoreFault
from bot.store import inbox
from scheduler.sender import orphaned, worker_id

log = logging.getLogger("taskbot.inbound")

POLL_TIMEOUT = 10  # seconds a getUpdates waits for an update (long polling)
SWEEP_EVERY = 30.0  # seconds between looks for updates another (dead) process left
FRESH = dt.timedelta(seconds=30)  # an unclaimed row younger than this is still in its receiver's queue
RETRY_FIRST, RETRY_GROWTH, RETRY_MAX = 1.0, 1.5, 30.0  # PTB's network_retry_loop: ×1.5 up to 30 s
STOP = -1  # not an update id: the worker's signal to end
FINISH_WAIT = 10.0  # seconds a stop waits for the update in hand

Source = Callable[["Inbound", asyncio.Event], Coroutine[Any, Any, None]]
"""What feeds the inbox until `stop` is set: long polling, or the webhook server."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Inbound:
    """The inbox of one process: `receive` commits, `work` handles from the store."""

    def __init__(self, application: Application, now: Callable[[], dt.datetime] = utcnow):
        self.application = application
        self.now = now
        self.worker = worker_id()
        self.queue: asyncio.Queue[int] = asyncio.Queue()
        self.pending: set[int] = set()  # queued or being handled by this process
        self.reclaim: list[str] = []  # claimers of unhandled rows that are gone (scheduler/sender.orphaned)
        self.retry: set[int] = set()  # claimed by this process, not handled for the store's absence: the sweep's

    @property
    def runtime(self) -> Runtime:
        return self.application.bot_data

    async def receive(self, payloads: list[dict[str, Any]]) -> None:
        """Commit the updates, then queue them; when this returns they survive a crash.

        A store that refuses writes for good (disk full, read-only) cannot keep them, and waiting would keep
        the user and the coordinators in the dark for as long as it lasts: the updates are then handled
        straight away as before the inbox, so the handlers tell the user nothing was saved and alert the
        coordinators. Any other failure (busy, out of reach) is raised: nothing is acknowledged, Telegram
        keeps the updates, and they come again."""
        try:
            async with db.session_scope(self.runtime.store) as session:
                ids = await inbox.store(session, payloads, self.now())
        except Exception as exc:
            fault = db.store_fault(exc)
            if fault not in (StoreFault.FULL, StoreFault.READ_ONLY):
                raise
            log.warning("inbox: the store refuses writes (%s): %d update(s) handled unstored", fault, len(payloads))
            for payload in payloads:
                await self.application.update_queue.put(Update.de_json(payload, self.application.bot))
            return
        self._enqueue(ids)

    def _enqueue(self, ids: list[int]) -> None:
        for update_id in ids:
            if update_id not in self.pending:
                self.pending.add(update_id)
                self.queue.put_nowait(update_id)

    async def recover(self, fresh: dt.timedelta = FRESH) -> int:
        """Queue the updates no live process is handling (all of them at start: `fresh` zero); prune."""
        now = self.now()
        async with db.session_scope(self.runtime.store) as session:
            gone = [c for c in await inbox.claimers(session) if orphaned(c, self.worker)]
            ids = await inbox.waiting(session, now, received_before=now - fresh, reclaim=gone)
            pruned = await inbox.prune(session, now)
        ids = [i for i in ids if i not in self.pending]
        if ids:
            log.info("inbox: handling %d update(s) received earlier and not handled yet", len(ids))
        if pruned:
            log.info("inbox: dropped %d update(s) handled more than %s ago", pruned, inbox.KEEP)
        self._enqueue(ids)
        self.reclaim = gone
        return len(ids)

    async def handle(self, update_id: int) -> None:
        """Claim, process, mark handled. A handler's error is PTB's error handler's (the update is handled);
        a store error leaves the row for the sweep."""
        async with db.session_scope(self.runtime.store) as session:
            payload = await inbox.claim(session, update_id, self.worker, self.now(), self.reclaim)
        if payload is None:
            return
        bot = self.application.bot
        update = Update.de_json(payload, bot)
        bot.insert_callback_data(update)
        handling = self.runtime.inbox
        handling.current, handling.worker = update_id, self.worker
        try:
            await self.application.process_update(update)
        finally:
            handling.current = None
        if update_id in handling.again:  # the database went away while it was handled: the next sweep's
            handling.again.discard(update_id)
            self.retry.add(update_id)
            return
        async with db.session_scope(self.runtime.store) as session:
            await inbox.handled(session, update_id, self.worker, self.now())
        handling.told.discard(update_id)

    def finish(self) -> None:
        """Stop `work` once the update in hand is handled (the queued ones stay in the store)."""
        self.queue.put_nowait(STOP)

    async def work(self) -> None:
        """Handle queued updates in order until `finish`; sweep for left rows every SWEEP_EVERY, busy or not."""
        loop = asyncio.get_running_loop()
        swept = loop.time()
        while True:
            try:
                update_id = await asyncio.wait_for(self.queue.get(), max(0.0, swept + SWEEP_EVERY - loop.time()))
            except TimeoutError:
                update_id = None
            if update_id == STOP:
                return
            if update_id is not None:
                await self._handle_logged(update_id)
            if loop.time() - swept >= SWEEP_EVERY:
                await self._sweep()
                swept = loop.time()

    async def _handle_logged(self, update_id: int) -> None:
        try:
            await self.handle(update_id)
        except Exception as exc:  # the store failed: the row stays unhandled, the sweep comes back to it
            log.warning("inbox: update %d not handled now (%s: %s)", update_id, type(exc).__name__, exc)
            self.retry.add(update_id)
        finally:
            self.pending.discard(update_id)

    async def _sweep(self) -> None:
        """The rows this process claimed and could not finish (its own claim blocks `recover` for the lease),
        then those nobody holds."""
        retry, self.retry = sorted(self.retry), set()
        self._enqueue(retry)
        try:
            await self.recover()
        except Exception as exc:
            log.warning("inbox: the sweep failed (%s)", type(exc).__name__)


async def retrying(what: str, action: Callable[[], Awaitable[Any]]) -> Any:
    """Until `action` succeeds: Telegram out of reach is waited out (a rejected token is not)."""
    delay = RETRY_FIRST
    while True:
        try:
            return await action()
        except InvalidToken:
            raise
        except TelegramError as exc:
            log.warning("%s failed (%s); trying again in %.0f s", what, type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * RETRY_GROWTH, RETRY_MAX)


def polling(allowed_updates: list[str] | None) -> Source:
    """Long polling with our own offset: an answer's updates are committed before the next call confirms them."""

    async def poll(inbound: Inbound, stop: asyncio.Event) -> None:
        bot = inbound.application.bot
        await retrying("deleteWebhook", lambda: bot.delete_webhook(drop_pending_updates=False))
        offset: int | None = None
        delay = RETRY_FIRST
        while not stop.is_set():
            try:
                updates = await bot.get_updates(offset=offset, timeout=POLL_TIMEOUT, allowed_updates=allowed_updates)
                if updates:
                    await inbound.receive([u.to_dict() for u in updates])
                    offset = updates[-1].update_id + 1
                delay = RETRY_FIRST
            except InvalidToken:
                raise
            except Exception as exc:  # Telegram or the store away: nothing confirmed, try again
                log.warning("polling: %s (%s); trying again in %.0f s", type(exc).__name__, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * RETRY_GROWTH, RETRY_MAX)

    return poll


async def serve(application: Application, source: Source) -> None:
    """PTB's run lifecycle (`Application.__run`) with our own update source, until SIGINT or SIGTERM:
    initialize (retried while Telegram is out of reach), post_init, the updates left from before, start, the
    source and the worker; then stop, post_stop, shutdown, post_shutdown. Updates fetched and not handled
    by then stay in the inbox for the next start."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await retrying("connecting to the Bot API", application.initialize)
    started = False
    inbound: Inbound | None = None
    tasks: list[asyncio.Task[None]] = []
    try:
        if application.post_init:
            await application.post_init(application)
        inbound = Inbound(application)
        await inbound.recover(fresh=dt.timedelta(0))
        await application.start()
        started = True
        tasks = [asyncio.create_task(source(inbound, stop)), asyncio.create_task(inbound.work())]
        await _until_stopped(stop, tasks)
    finally:
        await _cancel(tasks[:1])
        if inbound is not None and tasks:
            inbound.finish()
            await asyncio.wait(tasks[1:], timeout=FINISH_WAIT)
        await _cancel(tasks[1:])
        if started:
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


async def _until_stopped(stop: asyncio.Event, tasks: list[asyncio.Task[None]]) -> None:
    """Wait for `stop`; a task that ends first with an error (a rejected token) ends the run with it."""
    waiter = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    for task in done:
        if task is not waiter and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
    stop.set()


async def _cancel(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):  # already reported, or a stop
            await task
