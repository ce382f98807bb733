"""/web: a login link only in a private chat, only for a coordinator or a bound contact, never through the
outbox (the store keeps the token's hash only), and none when no 看板 is configured."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.core.models import Outbox, WebLogin
from bot.render import messages as m
from tests.security.conftest import BOSS, FINANCE, GROUP, MEMBER, STRANGER
from tests.support.harness import Harness
from tests.support.store import rows

BASE = "https://kanban.example.gov.cn"


async def test_web_gives_a_one_time_link_in_private_to_a_contact_and_a_coordinator(bound: Harness) -> None:
    bound.app.bot_data.web_base_url = BASE
    for chat in (FINANCE, BOSS):
        (answer,) = await bound.say(chat, "/web")
        assert re.search(rf"{re.escape(BASE)}/login/[A-Za-z0-9_-]{{40,}}", answer["text"]), answer["text"]
    hashes = [w.token_hash for w in await rows(bound.engine, select(WebLogin))]
    assert len(hashes) == 2
    assert not await rows(bound.engine, select(Outbox))  # sent straight, never queued with the token


async def test_web_refuses_groups_strangers_and_an_unconfigured_board(bound: Harness) -> None:
    bound.app.bot_data.web_base_url = BASE
    (in_group,) = await bound.say(GROUP, "/web", user_id=MEMBER)
    assert in_group["text"] == m.WEB_LINK_PRIVATE
    (stranger,) = await bound.say(STRANGER, "/web")
    assert stranger["text"] == m.WEB_LINK_REFUSED
    bound.app.bot_data.web_base_url = None
    (off,) = await bound.say(FINANCE, "/web")
    assert off["text"] == m.WEB_LINK_OFF
    assert not await rows(bound.engine, select(WebLogin))
