"""The webhook server of `taskbot run --webhook`: Telegram's updates on the webhook path, and /healthz.

python-telegram-bot's own webhook server (Application.run_webhook) serves one path and nothing else; its
maintainers' answer to a health endpoint (PTB #1438, #3059: the "custom webhook bot" example) is to run
the Application without its Updater and serve the updates oneself, feeding `application.update_queue`.
That is what this does, on tornado (the server PTB's webhooks extra brings), with PTB's rules for the
update path kept: POST only, `Content-Type: application/json`, the `X-Telegram-Bot-Api-Secret-Token`
header equal to the secret (compared in constant time), 403 otherwise, 400 for a body that is not an
update.

/healthz (GET or HEAD) needs no secret — a load balancer or a monitor has none — and so tells nothing
private: the verdict and each check's level and number (scheduler/health.py, `public`). 200 while the
verdict is ok or warn, 503 when a check fails, so a balancer takes out only a process that cannot work.
Its answer is cached for a few seconds: a monitor polling every second costs the store nothing.

The lifecycle is the one `Application.run_webhook` runs (PTB's `__run`): initialize, retried while
Telegram is out of reach (a rejected token stops it); post_init; listen; setWebhook (retried the same
way); start; wait for SIGINT/SIGTERM; then stop the server, the Application, post_stop and shutdown,
post_shutdown. Pending updates are never dropped.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application
from tornado.httpserver import HTTPServer

log = logging.getLogger("taskbot.webhook")

HEALTH_PATH = "/healthz"
HEALTH_CACHE = 5.0  # seconds an answer of /healthz is reused
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_FIRST, RETRY_MAX = 1.0, 30.0

Probe = Callable[[], Awaitable[tuple[int, dict[str, Any]]]]
"""The health answer: (HTTP status, public JSON body)."""


class UpdateHandler(tornado.web.RequestHandler):
    """Telegram's POSTs: checked as PTB checks them, then queued for the Application."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot_application: Application, secret: str) -> None:
        self.bot_application = bot_application
        self.secret = secret

    async def post(self) -> None:
        token = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(token.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        if self.request.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        bot = self.bot_application.bot
        try:
            update = Update.de_json(json.loads(self.request.body), bot)
        except Exception as exc:  # not JSON, or not an update: Telegram would not send it
            log.warning("webhook: a request that is not an update was refused (%s)", type(exc).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if update is None:
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        bot.insert_callback_data(update)
        await self.bot_application.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def log_exception(self, *_args: Any) -> None:  # a refused request is not a server error
        pass


class HealthHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, probe: Probe) -> None:
        self.probe = probe

    async def get(self) -> None:
        status, body = await self.probe()
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))

    async def head(self) -> None:
        status, _ = await self.probe()
        self.set_status(status)


class _Quiet(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:  # our own logging only
        pass


def cached(probe: Probe, seconds: float = HEALTH_CACHE, clock: Callable[[], float] = time.monotonic) -> Probe:
    """`probe`, asked at most once per `seconds`; concurrent requests share one answer."""
    state: dict[str, Any] = {"at": float("-inf"), "answer": None}
    lock = asyncio.Lock()

    async def ask() -> tuple[int, dict[str, Any]]:
        async with lock:
            if state["answer"] is None or clock() - state["at"] >= seconds:
                state["answer"], state["at"] = await probe(), clock()
            return state["answer"]

    return ask


def make_server(application: Application, path: str, secret: str, probe: Probe) -> HTTPServer:
    routes: list[tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]] = [
        (HEALTH_PATH, HealthHandler, {"probe": cached(probe)}),
        (rf"/{path.strip('/')}/?", UpdateHandler, {"bot_application": application, "secret": secret}),
    ]
    return HTTPServer(_Quiet(routes))


async def _retrying(what: str, action: Callable[[], Awaitable[Any]]) -> None:
    """Until `action` succeeds: Telegram out of reach at start is waited out (a rejected token is not)."""
    delay = RETRY_FIRST
    while True:
        try:
            await action()
            return
        except InvalidToken:
            raise
        except TelegramError as exc:
            log.warning("%s failed (%s); trying again in %.0f s", what, type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX)


async def serve(
    application: Application,
    *,
    host: str,
    port: int,
    path: str,
    url: str,
    secret: str,
    probe: Probe,
    allowed_updates: list[str] | None = None,
) -> None:
    """Run the Application behind this server until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await _retrying("connecting to the Bot API", application.initialize)
    server: HTTPServer | None = None
    started = False
    try:
        if application.post_init:
            await application.post_init(application)
        server = make_server(application, path, secret, probe)
        server.listen(port, address=host)
        await _retrying(
            "setWebhook",
            lambda: application.bot.set_webhook(
                url=url, secret_token=secret, allowed_updates=allowed_updates, drop_pending_updates=False
            ),
        )
        await application.start()
        started = True
        log.info("webhook server on %s:%d: updates on /%s, health on %s", host, port, path.strip("/"), HEALTH_PATH)
        await stop.wait()
    finally:
        if server is not None:
            server.stop()
            await server.close_all_connections()
        if started:
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
