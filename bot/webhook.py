"""The webhook server of `taskbot run --webhook`: Telegram's updates on the webhook path, and /healthz.

python-telegram-bot's own webhook server (Application.run_webhook) serves one path and nothing else; its
maintainers' answer to a health endpoint (PTB #1438, #3059: the "custom webhook bot" example) is to run
the Application without its Updater and serve the updates oneself. That is what this does, on tornado
(the server PTB's webhooks extra brings), with PTB's rules for the update path kept: POST only,
`Content-Type: application/json`, the `X-Telegram-Bot-Api-Secret-Token` header equal to the secret
(compared in constant time), 403 otherwise, 400 for a body that is not an update — checked before the body
is read, which is capped at 1 MB (413). An update is answered 200 only once it is committed to the inbox
(bot/inbound.py); the store failing is a 503, and Telegram sends the update again.

/healthz (GET or HEAD) needs no secret — a load balancer or a monitor has none — and so tells nothing
private: the verdict and each check's level and number (scheduler/health.py, `public`). 200 while the
verdict is ok or warn, 503 when a check fails, so a balancer takes out only a process that cannot work.
Its answer is cached for a few seconds: a monitor polling every second costs the store nothing.

The lifecycle is bot/inbound.serve's (PTB's `__run` with our own source of updates); this module is the
source: listen, setWebhook (retried while Telegram is out of reach), serve until stopped. Pending updates
are never dropped.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from tornado.httpserver import HTTPServer

from bot.inbound import Inbound, Source, retrying

log = logging.getLogger("taskbot.webhook")

HEALTH_PATH = "/healthz"
HEALTH_CACHE = 5.0  # seconds an answer of /healthz is reused
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # bytes: an update is a few KB; Telegram's largest are far below this

Probe = Callable[[], Awaitable[tuple[int, dict[str, Any]]]]
"""The health answer: (HTTP status, public JSON body)."""


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """Telegram's POSTs: the secret header and the declared size are checked before a byte of the body is
    read (an unauthenticated 95 MB POST took the server from 134 MB to 330 MB when tornado buffered it first);
    the body is read up to MAX_BODY; the update is committed to the inbox before the 200 (bot/inbound.py)."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, inbound: Inbound, secret: str) -> None:
        self.inbound = inbound
        self.secret = secret
        self.chunks: list[bytes] = []
        self.size = 0

    def prepare(self) -> None:
        token = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(token.encode(), self.secret.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        if self.request.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        declared = self.request.headers.get("Content-Length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_BODY:  # a chunked body with no length
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            payload = json.loads(b"".join(self.chunks))
            update = Update.de_json(payload, self.inbound.application.bot)
        except Exception as exc:  # not JSON, or not an update: Telegram would not send it
            log.warning("webhook: a request that is not an update was refused (%s)", type(exc).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if update is None or not isinstance(payload, dict):
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        try:
            await self.inbound.receive([payload])
        except Exception as exc:  # not stored: Telegram is not told it arrived, and sends it again
            log.warning("webhook: update %s not stored (%s); Telegram will send it again", update.update_id, exc)
            raise tornado.web.HTTPError(HTTPStatus.SERVICE_UNAVAILABLE) from None
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


def make_server(inbound: Inbound, path: str, secret: str, probe: Probe) -> HTTPServer:
    routes: list[tuple[str, type[tornado.web.RequestHandler], dict[str, Any]]] = [
        (HEALTH_PATH, HealthHandler, {"probe": cached(probe)}),
        (rf"/{path.strip('/')}/?", UpdateHandler, {"inbound": inbound, "secret": secret}),
    ]
    return HTTPServer(_Quiet(routes), max_body_size=MAX_BODY)


def webhook(
    *, host: str, port: int, path: str, url: str, secret: str, probe: Probe, allowed_updates: list[str] | None = None
) -> Source:
    """The update source of `taskbot run --webhook`: listen, setWebhook (retried while Telegram is out of
    reach), serve until stopped. Pending updates are never dropped."""

    async def listen(inbound: Inbound, stop: asyncio.Event) -> None:
        server = make_server(inbound, path, secret, probe)
        server.listen(port, address=host)
        try:
            await retrying(
                "setWebhook",
                lambda: inbound.application.bot.set_webhook(
                    url=url, secret_token=secret, allowed_updates=allowed_updates, drop_pending_updates=False
                ),
            )
            log.info("webhook server on %s:%d: updates on /%s, health on %s", host, port, path.strip("/"), HEALTH_PATH)
            await stop.wait()
        finally:
            server.stop()
            await server.close_all_connections()

    return listen
