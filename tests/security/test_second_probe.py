"""Issue 23 §4: what the second hostile probe of the running bot found, each hole pinned here (the tasks file's
numbers and the reading caps are in tests/tasksfile/test_hostile_numbers.py, the webhook's body in
tests/test_inbound.py)."""

from __future__ import annotations

import logging

import pytest

from bot.render import messages as m
from tests.security.conftest import BOSS, FINANCE, every_row
from tests.support.harness import Harness, texts

FORGED_CHASE = ["rm:0:ok", "rm:2147483648:re", "rm:9999999999:no"]


def _toasts(bot: Harness) -> list[str]:
    return [p.get("text", "") for method, p in bot.api.script.other_calls if method == "answerCallbackQuery"]


@pytest.mark.parametrize("who", [BOSS, FINANCE])
async def test_a_forged_chase_button_gets_the_stale_button_answer(
    bound: Harness, who: int, caplog: pytest.LogCaptureFixture
) -> None:
    """The routing pattern lets these through (ten digits, ok|re|no); `parse` refuses them (0, past the
    store's range). Before: an AssertionError in chase_button, the generic error and a traceback."""
    bot = bound
    before = await every_row(bot.engine, skip=("audit_log",))
    caplog.set_level(logging.INFO)
    for data in FORGED_CHASE:
        assert m.ERROR_GENERIC not in texts(await bot.tap(who, data, user_id=who)), data
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert _toasts(bot) == [m.BUTTON_STALE] * len(FORGED_CHASE)
    assert await every_row(bot.engine, skip=("audit_log",)) == before
