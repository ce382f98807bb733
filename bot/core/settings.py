"""Settings from the environment and `.env` (pydantic-settings).

One `Settings` object is the only place configuration is read. A missing token is not an error here:
only `taskbot run` needs one, and it asks `require_token()` for it, so every offline command
(import, validate, plan, simulate, digest, export) works on a fresh machine with nothing configured.
The token is a `SecretStr` so that it never shows in a repr, a log line or a validation error.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.core.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./taskbot.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None, description="Bot API token from @BotFather")
    telegram_base_url: str | None = Field(
        default=None, description="Bot API base URL, e.g. http://127.0.0.1:8081/bot for a local server"
    )
    database_url: str = DEFAULT_DATABASE_URL
    tasks_file: Path = Path("data/tasks.yaml")
    timezone: str = "Asia/Shanghai"
    coordinator_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    telegram_bot_username: str | None = Field(default=None, description="the bot's @username for invite links")
    telegram_webhook_secret: SecretStr | None = Field(default=None, description="webhook secret header")
    web_base_url: str | None = Field(
        default=None, description="the web 看板's public URL for login links (default http://HOST:PORT it listens on)"
    )

    @field_validator("coordinator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept `123,456` or `123 456` as well as a JSON list, as people write it in .env."""
        if isinstance(value, str):
            parts = [p for p in value.replace(",", " ").split() if p]
            try:
                return [int(p) for p in parts]
            except ValueError as exc:
                raise ValueError(f"COORDINATOR_IDS must be Telegram user ids (numbers), got {value!r}") from exc
        return value

    @field_validator(
        "telegram_bot_token",
        "telegram_base_url",
        "telegram_bot_username",
        "telegram_webhook_secret",
        "web_base_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """`TELEGRAM_BOT_TOKEN=` as copied from .env.example means "not set"."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - in the secret token header."""
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("web_base_url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value.strip()):
            raise ValueError(f"WEB_BASE_URL must be an http:// or https:// URL, got {value!r}")
        return value.strip() if value else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"TIMEZONE {value!r} is not a known IANA time zone") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {value!r}")
        return level

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_token(self) -> str:
        if self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value().strip():
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: put it in the environment or in .env "
                "(without a token, `taskbot simulate` runs the whole loop offline)"
            )
        return self.telegram_bot_token.get_secret_value().strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"configuration: {name}: {message}") from None
