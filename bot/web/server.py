"""Serving the 看板: alone (`taskbot web`), or inside the running bot's event loop (`taskbot run --web`).

The second is python-telegram-bot's "custom webhook bot" pattern: instead of `run_polling`, which owns the
loop, the Application is initialised and started by hand, its Updater polls, and uvicorn's `Server.serve()`
runs in the same loop until SIGINT/SIGTERM (uvicorn's own signal handling); then the Updater and the
Application are stopped and shut down, in PTB's order. The 看板 uses the bot's own engine.
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

from bot.core import db
from bot.core.runtime import Runtime
from bot.core.settings import Settings
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


async def serve_with_bot(application: Application, settings: Settings, host: str, port: int) -> None:
    """`taskbot run --web`: polling and the 看板 in one loop, one engine (the bot's, opened in post_init)."""
    runtime: Runtime = application.bot_data
    engine: Callable[[], AsyncEngine] = lambda: runtime.store  # noqa: E731 - read at each request
    web = Web(settings, engine, base_url(settings, host, port))
    async with application:
        if application.post_init:
            await application.post_init(application)
        assert application.updater is not None
        await application.updater.start_polling(drop_pending_updates=False, allowed_updates=Update.ALL_TYPES)
        await application.start()
        log.info("web 看板 on %s", web.base_url)
        _keep_signals()
        try:
            await server(web, host, port).serve()
        finally:
            await application.updater.stop()
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    if application.post_shutdown:
        await application.post_shutdown(application)
