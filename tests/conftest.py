"""Shared fixtures: a fresh store per test on SQLite and, when it answers, on PostgreSQL.

PostgreSQL: TEST_POSTGRES_URL (default the CI machine's server, database `test`, trust auth). Each test
gets a schema of its own (search_path in the URL), dropped afterwards, so tests never see each other's
rows. When the server does not answer the PostgreSQL variants are skipped with the reason; with CI=true
they fail instead, because CI must prove the store works on both.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_pg_state: dict[str, str | None] = {}

# No example has a wall-clock deadline (Hypothesis' default is 200 ms, which a loaded machine misses): tests
# assert no time; bench/ measures it (issue 23).
settings.register_profile("taskbot", deadline=None)
settings.load_profile("taskbot")


def _pg_reason() -> str | None:
    """None when PostgreSQL answers, else why not (checked once per session)."""
    if "reason" not in _pg_state:
        try:
            with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3):
                _pg_state["reason"] = None
        except psycopg.Error as exc:
            _pg_state["reason"] = f"PostgreSQL at {db.redact(PG_URL)} does not answer: {str(exc).strip()[:200]}"
    return _pg_state["reason"]


def require_postgres() -> None:
    reason = _pg_reason()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)")
    pytest.skip(reason)


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh, empty schema."""
    require_postgres()
    schema = f"t_{secrets.token_hex(6)}"
    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'taskbot.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Parametrises a test over both backends."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'taskbot.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
async def engine(store_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty store with the newest schema."""
    eng = db.make_engine(store_url)
    await db.ensure_schema(eng)
    try:
        yield eng
    finally:
        await eng.dispose()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's .env or token; each runs in its own directory."""
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "DATABASE_URL", "TASKS_FILE", "COORDINATOR_IDS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    from bot.core.settings import get_settings

    get_settings.cache_clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist's `--dist loadgroup` (scripts/test.sh) the end-to-end tests run on one worker, which
    starts their Bot API emulator once, instead of one emulator (a Node process) a worker."""
    for item in items:
        if item.get_closest_marker("e2e") is not None or "tests/e2e/" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("e2e"))
