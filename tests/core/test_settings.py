"""Settings: .env and environment, blanks as unset, and the token kept secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import ConfigError
from bot.core.settings import Settings

TOKEN = "123456789:AAHfakefakefakefakefakefakefakefake12"


def test_defaults_work_with_nothing_configured() -> None:
    settings = Settings()
    assert settings.database_url == "sqlite+aiosqlite:///./taskbot.db"
    assert settings.tasks_file == Path("data/tasks.yaml")
    assert settings.coordinator_ids == [] and settings.telegram_bot_token is None
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set"):
        settings.require_token()


def test_dotenv_is_read_and_blank_values_mean_unset(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "TELEGRAM_BOT_TOKEN=\nTELEGRAM_BASE_URL=\nCOORDINATOR_IDS=11, 22 33\nTIMEZONE=Asia/Urumqi\n", encoding="utf-8"
    )
    settings = Settings()
    assert settings.telegram_bot_token is None and settings.telegram_base_url is None
    assert settings.coordinator_ids == [11, 22, 33]
    assert settings.tz.key == "Asia/Urumqi"


def test_token_never_shows_in_repr_or_dump(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    settings = Settings()
    assert settings.require_token() == TOKEN
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("COORDINATOR_IDS", "alice", "COORDINATOR_IDS must be Telegram user ids"),
        ("TIMEZONE", "Mars/Base", "not a known IANA time zone"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be"),
    ],
)
def test_bad_values_are_named(monkeypatch: pytest.MonkeyPatch, name: str, value: str, fragment: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=fragment):
        Settings()
