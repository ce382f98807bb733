"""Issue 23 §4: what the second hostile probe of the running bot found, each hole pinned here (the tasks file's
numbers and the reading caps are in tests/tasksfile/test_hostile_numbers.py, the webhook's body in
tests/test_inbound.py)."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from contextlib import closing

import pytest
from sqlalchemy import event, select

from bot.chat import reports
from bot.core import db
from bot.core.models import Assignment, Report
from bot.core.vocab import Refusal
from bot.render import messages as m
from bot.replies.parser import parse_reply
from tests.security.conftest import BOSS, FINANCE, every_row
from tests.support.harness import Harness, texts
from tests.support.store import assignment_id, rows

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


async def test_a_report_cannot_land_on_a_task_a_re_import_just_removed(bound: Harness) -> None:
    """§4.5: the re-import archives the task and commits after `authorize` read it as live and before the
    report is written (here: a second connection, as `taskbot import` in another process, commits right
    before the report's first write). Before: the report was stored on the archived task."""
    bot = bound
    assignment = await assignment_id(bot.engine, "市财政局", "1.2")
    async with db.session_scope(bot.engine) as session:
        task = (await session.get(Assignment, assignment)).task_id
    path = bot.engine.url.database
    fired: list[str] = []

    def import_commits_now(_conn, _cursor, statement: str, *_args: object) -> None:
        if not fired and statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            fired.append(statement)
            with closing(sqlite3.connect(path)) as other:
                other.execute("UPDATE task SET archived = 1 WHERE id = ?", (task,))
                other.commit()

    event.listen(bot.engine.sync_engine, "before_cursor_execute", import_commits_now)
    try:
        async with db.session_scope(bot.engine) as session:
            result = await reports.submit_report(
                session,
                chat_id=FINANCE,
                assignment_id=assignment,
                text="已完成",
                parsed=parse_reply("已完成", dt.datetime.now(dt.UTC)),
                source="text",
                user_id=FINANCE,
                user_name="联络员",
                at=dt.datetime.now(dt.UTC),
            )
    finally:
        event.remove(bot.engine.sync_engine, "before_cursor_execute", import_commits_now)
    assert fired, "the import never got in between"
    assert result.outcome == Refusal.ARCHIVED
    assert await rows(bot.engine, select(Report)) == []
