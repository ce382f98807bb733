"""Serving the 看板: alone (`taskbot web`), or inside the running bot's event loop (`taskbot run --web`).

The second is python-telegram-bot's "custom webhook bot" pattern: the Application runs under bot/inbound.py's
lifecycle (updates stored before they are confirmed, handled from the store), and uvicorn's `Server.serve()` runs
beside the update source in the same loop until SIGINT/SIGTERM. The 看板 uses the bot's own engine.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable

import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application

from bot import inbound
from bot.core import db
from bot.core.runtime import Runtime
from bot.core.settings import Settings
from bot.inbound import Inbound, Source
from bot.web.app import Web, create_app

log = logging.getLogger("taskbot.web")


def base_url(settings: Settings, host: str, port: int) -> str:
    """WEB_BASE_URL, or http://HOST:PORT of the listening address."""
    if settings.web_base_url:
        return settings.web_base_url.rstrip("/")
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _keep_signals() -> None:
    """uvicorn (≥ 0.29) captures SIGINT/SIGTERM while it serves and raises them again once it has stopped, for
    the program's own handlers; with Python's default handler SIGTERM would then end the process before the
    Application and the engine are shut down. A no-op handler of the loop's takes the raised signal instead."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: None)


def server(web: Web, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(
        create_app(web), host=host, port=port, log_level="warning", access_log=False, lifespan="off"
    )
    return uvicorn.Server(config)


async def serve_alone(settings: Settings, host: str, port: int) -> None:
    """`taskbot web`: the 看板 on its own engine."""
    engine = db.make_engine(settings.database_url)
    try:
        await db.ensure_schema(engine)
        web = Web(settings, lambda: engine, base_url(settings, host, port))
        log.info("web 看板 on %s", web.base_url)
        _keep_signals()
        await server(web, host, port).serve()
    finally:
        await engine.dispose()


def with_web(source: Source, web: Web, host: str, port: int) -> Source:
    """The bot's update source with the 看板 served beside it in the same loop (`taskbot run --web`): updates
    still go through the inbox (bot/inbound.py), so a crash loses none. uvicorn takes SIGINT/SIGTERM while it
    serves and raises them again once it has stopped, which reaches inbound's handler and stops the bot too."""

    async def both(inbound: Inbound, stop: asyncio.Event) -> None:
        site = server(web, host, port)
        serving = asyncio.create_task(site.serve())
        log.info("web 看板 on %s", web.base_url)
        try:
            await source(inbound, stop)
        finally:
            site.should_exit = True
            await serving

    return both


async def serve_with_bot(application: Application, settings: Settings, host: str, port: int) -> None:
    """`taskbot run --web`: polling and the 看板 in one loop, one engine (the bot's, opened in post_init)."""
    runtime: Runtime = application.bot_data
    engine: Callable[[], AsyncEngine] = lambda: runtime.store  # noqa: E731 - read at each request
    web = Web(settings, engine, base_url(settings, host, port))
    await inbound.serve(application, with_web(inbound.polling(list(Update.ALL_TYPES)), web, host, port))
