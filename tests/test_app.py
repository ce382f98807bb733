"""The composition root (bot/app.py) and the CLI's `run` and `invite`."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application

from bot import app as botapp
from bot.core.errors import ConfigError
from bot.core.settings import Settings
from tests.conftest import DATA
from tests.support.cli import run_cli
from tests.support.fakebotapi import FakeBotApi

TOKEN = "135792468:AAAppTestsFakeToken_abcdefghijklmnopqrs"


def _settings(tmp_path: Path, **extra: object) -> Settings:
    return Settings(telegram_bot_token=TOKEN, database_url=f"sqlite+aiosqlite:///{tmp_path / 'app.db'}", **extra)


def test_the_application_is_built_from_settings(tmp_path: Path) -> None:
    installed: list[Application] = []
    settings = _settings(tmp_path, telegram_base_url="http://127.0.0.1:8081/bot", timezone="Asia/Shanghai")
    application = botapp.build_application(settings, job_installers=[installed.append])
    bot = application.bot
    assert installed == [application] and application.job_queue is not None
    assert bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"
    assert isinstance(bot.rate_limiter, AIORateLimiter) and bot.rate_limiter._max_retries == botapp.RATE_LIMIT_RETRIES
    assert bot.defaults.parse_mode == ParseMode.HTML and str(bot.defaults.tzinfo) == "Asia/Shanghai"
    assert application.handlers[0] and application.error_handlers
    assert application.bot_data.engine is None  # opened in post_init


def test_no_token_no_bot(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        botapp.build_application(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"))


async def test_post_init_opens_the_store_and_post_shutdown_closes_it(tmp_path: Path) -> None:
    api = FakeBotApi()
    api.thread = threading.Thread(target=api.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    with api:
        application = botapp.build_application(
            _settings(tmp_path, telegram_base_url=api.base_url, coordinator_ids=[5]), job_installers=[]
        )
        await application.initialize()
        await botapp._post_init(application)
        runtime = application.bot_data
        assert runtime.engine is not None and (tmp_path / "app.db").exists()
        await botapp._post_shutdown(application)
        assert runtime.engine is None
        await application.shutdown()


def test_library_loggers_never_show_the_token(caplog: pytest.LogCaptureFixture) -> None:
    botapp.guard_token(TOKEN)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("httpx").warning("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    logging.getLogger("telegram.ext.Updater").error("failed: %s", f"bot{TOKEN}/getUpdates")
    assert TOKEN not in caplog.text and caplog.text.count("<token>") == 2
    assert logging.getLogger("httpx").level == logging.WARNING


@pytest.mark.parametrize(
    ("listen", "expected"),
    [("127.0.0.1:8443", ("127.0.0.1", 8443)), (":80", ("0.0.0.0", 80)), ("[::1]:8443", ("::1", 8443))],
)
def test_listen_addresses(listen: str, expected: tuple[str, int]) -> None:
    assert botapp.parse_listen(listen) == expected


@pytest.mark.parametrize("listen", ["8443", "host:", "host:99999", "host:http"])
def test_bad_listen_addresses(listen: str) -> None:
    with pytest.raises(ConfigError):
        botapp.parse_listen(listen)


def test_file_url() -> None:
    assert botapp.file_url("http://h:8081/bot/") == "http://h:8081/file/bot"
    assert botapp.file_url("http://h:9000/custom") == "http://h:9000/custom"


# --- the CLI ---------------------------------------------------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}


def test_run_needs_a_token_and_an_https_webhook(tmp_path: Path) -> None:
    result = run_cli("run", env=_env(tmp_path))
    assert result.exit_code == 2 and "TELEGRAM_BOT_TOKEN is not set" in result.stderr
    result = run_cli("run", "--webhook", "http://example.org/hook", env={**_env(tmp_path), "TELEGRAM_BOT_TOKEN": TOKEN})
    assert result.exit_code == 2 and "https://" in result.stderr and TOKEN not in result.stderr + result.stdout


def test_invite_prints_a_link_and_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME", raising=False)
    env = _env(tmp_path)
    assert run_cli("import", str(DATA / "mini.yaml"), env=env).exit_code == 0
    result = run_cli("invite", "市科学技术局", "--group", "--bot-username", "@taskbot_demo_bot", env=env)
    assert result.exit_code == 0, result.stderr
    link, code_line = result.stdout.splitlines()[:2]
    code = code_line.split()[1]
    assert link == f"市科技局: https://t.me/taskbot_demo_bot?startgroup={code}"
    assert "single use" in code_line

    bare = run_cli("invite", "市财政局", "--expires", "12h", env=env)
    assert bare.exit_code == 0 and "/start " in bare.stdout and "--bot-username" in bare.stderr

    unknown = run_cli("invite", "市财政厅", env=env)
    assert unknown.exit_code == 2 and "did you mean '市财政局'" in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1

    bad = run_cli("invite", "市财政局", "--expires", "soon", env=env)
    assert bad.exit_code == 2 and "--expires" in bad.stderr

    named = run_cli("invite", "市财政局", env={**env, "TELEGRAM_BOT_USERNAME": "from_env_bot"})
    assert named.stdout.startswith("市财政局: https://t.me/from_env_bot?start=")


def test_invite_asks_getme_for_the_username(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_USERNAME", raising=False)
    env = _env(tmp_path)
    run_cli("import", str(DATA / "mini.yaml"), env=env)
    api = FakeBotApi()
    api.thread = threading.Thread(target=api.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    with api:
        result = run_cli(
            "invite", "市财政局", env={**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": api.base_url}
        )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("市财政局: https://t.me/taskbot_test_bot?start=")
