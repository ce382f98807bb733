"""What the running bot shares between its handlers and jobs: the settings, the store's engine, and the
little state that lives across updates.

`Runtime` is the Application's `bot_data` (python-telegram-bot's ContextTypes, as in its
contexttypesbot example), so `context.bot_data` is typed and handlers and the scheduler's jobs find the
same engine without importing the composition root (imports run one way). PTB creates `bot_data` with
no arguments; the composition root (bot/app.py) then `attach`es the settings and, in post_init, the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.core.settings import Settings
from bot.core.vocab import StoreFault


@dataclass
class StoreUnreachableLog:
    """When jobs last logged that the database was away, and how many runs failed since (one line a minute)."""

    last_line: float = float("-inf")
    failed_runs: int = 0


@dataclass
class InboxHandling:
    """Between bot/inbound.py, which hands a stored update to the handlers, and the error handler: an update
    whose handling failed because the database was out of reach is handled again from the inbox (`again`),
    and its sender is told so once (`told`), not given an error and then, later, 已记录."""

    current: int | None = None  # the update_id being handled from the inbox now
    worker: str = ""  # the claim it is handled under (bot/inbound.Inbound.worker)
    again: set[int] = field(default_factory=set)
    told: set[int] = field(default_factory=set)


@dataclass
class Runtime:
    _settings: Settings | None = None
    engine: AsyncEngine | None = None
    owns_engine: bool = True  # False when a caller (a test) lent its own engine
    store_unreachable: StoreUnreachableLog = field(default_factory=StoreUnreachableLog)
    store_alerts: dict[StoreFault, float] = field(default_factory=dict)  # fault → time.monotonic() of the alert
    inbox: InboxHandling = field(default_factory=InboxHandling)
    web_base_url: str | None = None  # the web 看板 this process serves (`taskbot run --web`), for /web's links

    def attach(self, settings: Settings, engine: AsyncEngine | None) -> None:
        self._settings, self.engine, self.owns_engine = settings, engine, engine is None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            raise RuntimeError("the runtime has no settings; bot.app.build_application attaches them")
        return self._settings

    @property
    def store(self) -> AsyncEngine:
        if self.engine is None:
            raise RuntimeError("the store is opened in post_init; the application has not been initialised")
        return self.engine


CONTEXT_TYPES = ContextTypes(bot_data=Runtime)
if TYPE_CHECKING:
    Context: TypeAlias = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Runtime]
else:
    Context = CallbackContext
