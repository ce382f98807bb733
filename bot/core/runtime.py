"""What the running bot shares between its handlers and jobs: the settings and the store's engine.

The Application keeps one `Runtime` in `bot_data`; the composition root (bot/app.py) puts it there and
opens the engine in post_init, so handlers and the scheduler's jobs find the same engine without
importing the composition root (SPEC "Layout": imports run one way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.settings import Settings

KEY = "taskbot.runtime"


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine | None = None
    owns_engine: bool = True           # False when a caller (a test) lent its own engine

    @property
    def store(self) -> AsyncEngine:
        if self.engine is None:
            raise RuntimeError("the store is opened in post_init; the application has not been initialised")
        return self.engine


def runtime_of(bot_data: Mapping[str, Any]) -> Runtime:
    return bot_data[KEY]
