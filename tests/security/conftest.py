"""Shared by the security tests: the real Application (every handler, filter and the error handler) driven
with real Updates, its Bot talking HTTP to the local fake Bot API (tests/test_handlers.py's Harness), on a
fresh SQLite store holding tests/data/mini.yaml; the people who write to it; and a checker for the HTML
Telegram accepts (every answer is parse_mode=HTML, so an unescaped `<` from a user is a 400 at Telegram).
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

import bot.core.models  # noqa: F401  (every table in SQLModel.metadata)
from tests.e2e.conftest import emulator_url, running  # noqa: F401  (the emulator, for test_token.py)
from tests.support.harness import Harness, seeded_harness
from tests.support.store import bind

TOKEN = "5550001234:AAFsecurityTestToken_0123456789abcdefghij"  # Telegram's shape, used nowhere else
SECRET = TOKEN.split(":", 1)[1]
BOSS = 900  # a coordinator (COORDINATOR_IDS)
FINANCE = 11  # 市财政局's contact (private chat): responsible for 1.2 and 2.1
SCIENCE = 12  # 市科技局's contact: leads 1.1 and 1.2, responsible for 1.2
STRANGER = 13  # a private chat bound to nothing
GROUP = -300  # 市财政局's work group
MEMBER = 301  # a member of that group, not a coordinator
LOOSE_GROUP = -400  # a group bound to nothing


@pytest.fixture
async def harness(sqlite_url: str) -> AsyncIterator[Harness]:
    """The bot on an empty store with mini.yaml imported; nothing bound yet."""
    async with seeded_harness(sqlite_url, TOKEN) as bot:
        yield bot


@pytest.fixture
async def bound(harness: Harness) -> Harness:
    """FINANCE and GROUP bound to 市财政局, SCIENCE to 市科技局."""
    await bind(harness.engine, FINANCE, "市财政局")
    await bind(harness.engine, SCIENCE, "市科技局")
    await bind(harness.engine, GROUP, "市财政局", "group")
    return harness


async def every_row(engine: AsyncEngine, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the models, sorted (tests.support.cli.snapshot without the slow reflection)."""
    out = {}
    async with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in skip:
                out[table.name] = sorted((tuple(r) for r in (await conn.execute(select(table))).all()), key=repr)
    return out


# --- the HTML Telegram accepts ------------------------------------------------------------------------------

TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}
_ENTITY = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if tag == "a" and name == "href" and not (value or "").startswith(("http://", "https://", "tg://")):
                self.problems.append(f"link {value!r}")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")


def html_problems(text: str) -> list[str]:
    """What Telegram would refuse in `text` as parse_mode=HTML (or what a user smuggled in as markup)."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems = checker.problems + [f"unclosed <{t}>" for t in checker.open]
    if _ENTITY.search(text):
        problems.append("a bare & (not an entity)")
    stripped = re.sub(r"</?[a-z-]+(?:\s[^<>]*)?>", "", text)
    if "<" in stripped or ">" in stripped:
        problems.append("a bare < or >")
    return problems


def visible(text: str) -> str:
    """What the user sees: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"</?[a-z-]+(?:\s[^<>]*)?>", "", text))
