"""End to end against the Bot API emulator: a coordinator's `/invite` yields a working link (issue 12)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.core.models import Chat, Unit
from bot.render import messages as m
from tests.e2e.conftest import COORDINATOR, Person, Running, text_of

pytestmark = pytest.mark.e2e

BOSS_HERE = Person(COORDINATOR, -100500, "督办员", "group", "督办工作群")  # the coordinator, writing in a group
BOSS = Person(COORDINATOR, COORDINATOR, "督办员")  # … and their private chat
CONTACT = Person(1101, 1101, "财政联络员")
LINK = re.compile(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]{32})")


async def test_a_coordinators_invite_from_a_group_yields_a_working_link(running: Running) -> None:
    run, emu = running, running.emulator
    await emu.command(BOSS_HERE, "/invite 市财政局")
    (note,) = await emu.replies(BOSS_HERE)
    assert text_of(note) == m.INVITE_SENT_PRIVATELY.format(unit="市财政局")
    (private,) = await emu.replies(BOSS)
    bot_name, code = LINK.search(text_of(private)).groups()
    assert bot_name == run.app.bot.username and code not in text_of(note)

    await emu.command(CONTACT, f"/start {code}")  # what opening the link sends
    (bound,) = await emu.replies(CONTACT)
    assert text_of(bound) == m.BIND_OK.format(unit="市财政局")
    async with run.session() as session:
        chats = (await session.execute(select(Chat.chat_id, Unit.name).join(Unit, Unit.id == Chat.unit_id))).all()
    assert [tuple(c) for c in chats] == [(CONTACT.chat_id, "市财政局")]
