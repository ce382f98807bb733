"""The composition root of the running bot: builds the PTB Application from Settings and runs it.

- Token from `Settings.require_token()`; `TELEGRAM_BASE_URL` points the bot at a Bot API server of
  one's own or an emulator (`…/bot`; files at `…/file/bot`).
- AIORateLimiter with retries (its default is none: a 429 would be raised), the JobQueue, and
  Defaults(parse_mode=HTML, tzinfo=the configured zone) so naive job times are local, not UTC.
- The store's engine is opened in post_init and disposed in post_shutdown, and lives in bot_data
  (bot.core.runtime), where handlers and jobs find it. A caller may lend its own engine (tests).
- Commands are published per scope in post_init (bot.render.menus), best effort.
- `SCHEDULER_JOBS` are the scheduler's installers (a test passes its own): each receives the Application after the
  handlers are registered and adds its jobs to `application.job_queue` (they run after post_init, so
  the engine is there): the scheduler's tick and sender (`scheduler.jobs.install`).
- Updates come in through bot/inbound.py for polling and webhook alike: committed to the inbox before
  Telegram is told they arrived, handled from there (a crash loses none). Polling never drops pending
  updates; webhook mode (bot/webhook.py, our own tornado server instead of PTB's, for the extra /healthz
  path) checks Telegram's secret token header. Telegram out of reach at start (the office server booted
  before its network) is waited out, not an exit (under systemd an exit is a restart loop that ends in a
  dead bot); a rejected token still stops it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

import handlers
import scheduler.health
import scheduler.jobs
from bot import inbound, webhook
from bot.chat.roles import coordinator_ids
from bot.core import db
from bot.core.errors import ConfigError
from bot.core.logs import RedactToken
from bot.core.runtime import CONTEXT_TYPES, Runtime
from bot.core.settings import Settings
from bot.core.vocab import HealthLevel
from bot.render.menus import publish_commands

log = logging.getLogger(__name__)

JobInstaller = Callable[[Application], None]
# The scheduler's tick (plan → outbox, weekly digests) and the outbox sender.
SCHEDULER_JOBS: tuple[JobInstaller, ...] = (scheduler.jobs.install,)
RATE_LIMIT_RETRIES = 3
_LIBRARY_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "bot", "handlers", "scheduler")


def file_url(base_url: str) -> str:
    """The file endpoint that goes with a Bot API base URL (…/bot → …/file/bot), as telegram-bot-api serves it."""
    base = base_url.rstrip("/")
    return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base


def build_application(
    settings: Settings,
    *,
    job_installers: Sequence[JobInstaller] | None = None,
    engine: AsyncEngine | None = None,
    updater: bool = True,
) -> Application:
    """The Application with every handler and job installed; nothing is contacted until it starts.
    `updater=False`: no Updater, for a server that queues the updates itself (bot/webhook.py)."""
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .context_types(CONTEXT_TYPES)
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if not updater:
        builder = builder.updater(None)
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url).base_file_url(file_url(settings.telegram_base_url))
    application = builder.build()
    guard_token(settings.require_token())
    application.bot_data.attach(settings, engine)
    handlers.install(application)
    for install in SCHEDULER_JOBS if job_installers is None else job_installers:
        install(application)
    return application


def guard_token(token: str) -> None:
    """Keep the token out of every log record, whoever configured logging: httpx logs each request URL
    (which holds the token) at INFO, so it is lowered to WARNING and scrubbed at the source — a filter
    on the logger itself applies to the record before any handler (a test's capture included) sees it."""
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in _LIBRARY_LOGGERS]
    for name in {*names, *_LIBRARY_LOGGERS}:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) and f.token == token for f in logger.filters):
            logger.addFilter(RedactToken(token))
    logging.getLogger("httpx").setLevel(logging.WARNING)


async def _post_init(application: Application) -> None:
    runtime: Runtime = application.bot_data
    if runtime.engine is None:
        runtime.engine = db.make_engine(runtime.settings.database_url)
        await db.ensure_schema(runtime.engine)
    async with db.session_scope(runtime.engine) as session:
        coordinators = await coordinator_ids(session, runtime.settings.coordinator_ids)
    await publish_commands(application.bot, coordinators)
    log.info("taskbot is up as @%s", application.bot.username)


async def _post_shutdown(application: Application) -> None:
    runtime: Runtime = application.bot_data
    if runtime.engine is not None and runtime.owns_engine:
        await runtime.engine.dispose()
        runtime.engine = None


def run_polling(settings: Settings) -> None:
    """Long polling until interrupted; updates that arrived while the bot was down are processed. Each update
    is committed to the inbox before its offset is confirmed (bot/inbound.py), so a crash loses none."""
    log.info("taskbot starting: connecting to the Bot API (retried until it answers)")
    application = build_application(settings, updater=False)
    with _token_rejected():
        asyncio.run(inbound.serve(application, inbound.polling(list(Update.ALL_TYPES))))


@contextmanager
def _token_rejected() -> Iterator[None]:
    """A token Telegram refuses is one clear line (ConfigError, exit 2): PTB's InvalidToken quotes the token
    itself ("The token `…` was rejected"), and left alone it would reach the console and the service's journal
    in the CLI's traceback."""
    try:
        yield
    except InvalidToken:
        raise ConfigError(
            "Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?): copy it again from @BotFather"
        ) from None


def run_polling_with_web(settings: Settings, listen: str) -> None:
    """Long polling and the web 看板 (bot/web) in one process and event loop, until SIGINT or SIGTERM."""
    from bot.web.server import base_url, serve_with_bot

    host, port = parse_listen(listen)
    application = build_application(settings, updater=False)
    application.bot_data.web_base_url = base_url(settings, host, port)
    log.info("taskbot starting: connecting to the Bot API (retried until it answers)")
    with _token_rejected():
        asyncio.run(serve_with_bot(application, settings, host, port))


def parse_listen(listen: str) -> tuple[str, int]:
    """`HOST:PORT` (or `:PORT`, or `[::1]:PORT`) → (host, port); a ConfigError explains a bad one."""
    host, sep, port = listen.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"--listen {listen!r}: write HOST:PORT, e.g. 127.0.0.1:8443")
    return host.strip("[]") or "0.0.0.0", int(port)  # ":8443": every interface


def run_webhook(settings: Settings, url: str, listen: str, secret_token: str | None = None) -> None:
    """Behind a reverse proxy: Telegram posts to `url`, the proxy forwards to `listen`. Requests without
    the secret token header are rejected; without `secret_token` a random one is made per start (several
    processes behind one URL must share one: TELEGRAM_WEBHOOK_SECRET). GET /healthz answers a monitor."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        raise ConfigError(f"--webhook {url!r}: Telegram only posts to an https:// URL")
    host, port = parse_listen(listen)
    application = build_application(settings, updater=False)

    async def probe() -> tuple[int, dict]:
        return await health_answer(application)

    log.info("taskbot starting: connecting to the Bot API (retried until it answers)")
    with _token_rejected():
        source = webhook.webhook(
            host=host,
            port=port,
            path=parts.path,
            url=url,
            secret=secret_token or secrets.token_urlsafe(32),
            probe=probe,
            allowed_updates=list(Update.ALL_TYPES),
        )
        asyncio.run(inbound.serve(application, source))


async def health_answer(application: Application) -> tuple[int, dict]:
    """/healthz: the store's health as the public JSON, 503 when a check fails (scheduler/health.py)."""
    runtime: Runtime = application.bot_data
    if runtime.engine is None:
        return 503, {"status": HealthLevel.FAIL.value, "checks": {}}
    report = await scheduler.health.check(runtime.engine, dt.datetime.now(dt.UTC), runtime.settings.tz)
    return (503 if report.level is HealthLevel.FAIL else 200), report.as_json(public=True)


async def bot_username(settings: Settings) -> str:
    """The bot's @username from getMe (for `taskbot invite` links), through TELEGRAM_BASE_URL if set."""
    token = settings.require_token()
    kwargs = {"base_url": settings.telegram_base_url} if settings.telegram_base_url else {}
    try:
        async with Bot(token, **kwargs) as bot:  # type: ignore[arg-type]  # PTB types each kwarg; **dict[str, str] matches none
            return bot.username
    except TelegramError as exc:
        reason = RedactToken(token).scrub(f"{type(exc).__name__}: {exc}")
        raise ConfigError(f"could not ask Telegram for the bot's username ({reason}): pass --bot-username") from None
