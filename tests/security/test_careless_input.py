"""Issue 16: what probing the running bot as a hostile or careless user found, each hole pinned here.

The CLI's items (input files, tracebacks, unit names) are in tests/test_careless_cli.py; the parser's
misreadings are rows of the reply table in tests/test_replies.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from html import escape
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import binding, broadcast, reports
from bot.core import db
from bot.core.models import AuditLog, Chat, Coordinator, Outbox, Report, Task
from bot.core.vocab import BindOutcome, ReplyProblem
from bot.render import callback_data
from bot.render import messages as m
from bot.render.telegram_text import MAX_TEXT, is_blank, split_message, visible_length
from bot.replies.dates import MAX_YEARS_AHEAD
from bot.replies.parser import parse_reply
from tests.security.conftest import BOSS, FINANCE, GROUP, SCIENCE, STRANGER, every_row, html_problems, visible
from tests.support.harness import Harness, buttons, texts
from tests.support.store import assignment_id, rows

NEXT_YEAR = dt.date.today().year + 1
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def _state(engine: AsyncEngine) -> dict[str, Any]:
    return await every_row(engine, skip=("audit_log",))


# --- 6. forged button data and command ids ----------------------------------------------------------------


async def test_forged_ids_get_a_stale_button_answer_not_a_traceback(
    bound: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    bot = bound
    own = await assignment_id(bot.engine, "市财政局", "1.2")
    huge = "9" * 23
    forged = [
        f"rp:{huge}:done",
        f"rp:{'9' * 30}:progress",
        f"fx:{'9' * 30}",
        f"cl:{'9' * 30}",
        f"pk:{'9' * 30}",
        f"er:{'9' * 30}",
        f"ex:{'9' * 30}:ok",
        f"bc:{'9' * 30}:no",
        "fx:9999999999",
        "cl:2147483648",
        "rp:²:done",
        "fx:²",
        "cl:²",
        "",
        ":",
        "rp::done",
        "fx:",
        "cl:-1",
        "rp:0:done",
        "fx:1:2:3",
        f"rp:{str(own).translate(ARABIC_INDIC)}:done",
        f"fx:{str(own).translate(ARABIC_INDIC)}",
        f"rp:{own}\n:done",
        f"rp: {own}:done",
    ]
    before = await _state(bot.engine)
    caplog.set_level(logging.INFO)
    for data in forged:
        sent = texts(await bot.tap(FINANCE, data))
        assert m.ERROR_GENERIC not in sent, data
        assert not _errors(caplog), (data, _errors(caplog))
    assert await _state(bot.engine) == before
    assert await rows(bot.engine, select(Report)) == []


def test_ids_are_ascii_digits_within_a_bound() -> None:
    assert callback_data.parse("fx:12") == ("fx", 12, None)
    assert callback_data.parse(f"fx:{callback_data.MAX_ID}") == ("fx", callback_data.MAX_ID, None)
    for data in ("fx:١٢", "fx:²", f"fx:{callback_data.MAX_ID + 1}", "fx:0", "fx:+1", "fx: 1", "fx:1 ", "fx:1_0"):
        assert callback_data.parse(data) is None, data
    assert callback_data.parse("rp:7:done") == ("rp", 7, "done")
    assert callback_data.parse("rp:٧:done") is None
    assert callback_data.parse(f"rp:{'9' * 23}:done") is None


async def test_promote_takes_ascii_digits_only(bound: Harness) -> None:
    bot = bound
    for words in ("/promote ١٢", "/promote ²", "/promote 12٣", f"/promote {'9' * 30}", "/promote -5", "/promote 0"):
        assert texts(await bot.say(BOSS, words)) == [m.PROMOTE_USAGE], words
    assert await rows(bot.engine, select(Coordinator.user_id)) == []
    assert texts(await bot.say(BOSS, "/promote 12")) == [m.PROMOTE_OK.format(user_id=12)]


# --- 9. text of only invisible characters is empty ----------------------------------------------------------

INVISIBLE = [
    "\u200b",
    "\u200b\u200c\u200d\u2060\ufeff",
    "\u202e\u202d\u200e\u200f",
    "\u00ad",
    "\u3164\u3164",
    "\u2800",
    " \u3000\u200b\n\t",
]


@pytest.mark.parametrize("text", INVISIBLE)
async def test_an_invisible_report_is_empty(bound: Harness, text: str) -> None:
    bot = bound
    assert texts(await bot.say(FINANCE, f"/report 1.2 {text}")) == [m.REPORT_EMPTY]
    assert texts(await bot.say(FINANCE, text)) == [m.REPORT_EMPTY]
    assert await rows(bot.engine, select(Report)) == []


async def test_an_invisible_reason_or_broadcast_is_empty(bound: Harness) -> None:
    bot = bound
    before = await _state(bot.engine)
    assert texts(await bot.say(FINANCE, f"/extend 1.2 {NEXT_YEAR}-06-30 \u200b\u200d")) == [m.EXTEND_NO_REASON]
    assert texts(await bot.say(BOSS, "/broadcast \u200b\u2060")) == [m.BROADCAST_USAGE]
    assert await _state(bot.engine) == before


def test_visible_text_is_not_blank() -> None:
    for text in ("好", "a\u200b", "\u200b。", "🙂", "\u3164好"):
        assert not is_blank(text), text


# --- 1. anonymous group admins are counted per chat -------------------------------------------------------

ANONYMOUS_ADMIN = 1087968824  # GroupAnonymousBot: every anonymous admin of every group posts as this user


def _anonymous(bot: Harness, group: int, text: str) -> dict[str, Any]:
    """A message an anonymous admin of `group` sends: from GroupAnonymousBot, on behalf of the group."""
    message = bot.message(group, text, user_id=ANONYMOUS_ADMIN)
    message["from"] = {"id": ANONYMOUS_ADMIN, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
    return {**message, "sender_chat": bot._chat(group)}


async def test_anonymous_admins_are_throttled_per_group_not_everywhere(harness: Harness) -> None:
    bot = harness
    async with db.session_scope(bot.engine) as session:
        _, good, _ = await binding.invite_unit(session, "市财政局", for_group=True, expires=dt.timedelta(days=1))
    for i in range(binding.MAX_WRONG_CODES):  # an anonymous admin of another group guesses
        sent = await bot.push({"message": _anonymous(bot, -700, f"/start wrong-{i}")})
        assert texts(sent) == [m.BIND_REFUSED[BindOutcome.UNKNOWN]]
    (locked,) = texts(await bot.push({"message": _anonymous(bot, -700, f"/start {good}")}))
    assert locked.startswith(m.BIND_THROTTLED.split("{")[0])  # that group is held up …
    assert texts(await bot.push({"message": _anonymous(bot, -701, f"/start {good}")})) == [
        m.BIND_OK.format(unit="市财政局")
    ]  # … the anonymous admins of another are not
    (chat,) = await rows(bot.engine, select(Chat))
    assert chat.chat_id == -701
    refused = await rows(bot.engine, select(AuditLog.actor).where(AuditLog.action == binding.REFUSED))
    assert refused == ["chat:-700"] * binding.MAX_WRONG_CODES


# --- 5. in a group, a report is its writer's ------------------------------------------------------------------


async def test_a_report_picked_by_another_member_is_credited_to_its_writer(bound: Harness) -> None:
    """X writes the report in the unit's group, the bot asks which task (quoting X's text), Y taps it."""
    bot = bound
    writer, tapper = 301, 302
    aid = await assignment_id(bot.engine, "市财政局", "1.2")
    quoted = bot.message(GROUP, "/report 1 进展60%", user_id=writer)
    question = {
        "message_id": 1,
        "date": 0,
        "chat": bot._chat(GROUP),
        "text": "请选择",
        "reply_to_message": quoted,
        "from": {"id": 42, "is_bot": True, "first_name": "taskbot"},
    }
    (ack,) = await bot.tap(GROUP, callback_data.make(callback_data.PICK, aid), user_id=tapper, message=question)
    assert ack["text"].startswith("已记录")
    (report,) = await rows(bot.engine, select(Report))
    assert (report.user_id, report.user_name, report.text) == (writer, f"user{writer}", "进展60%")


# --- 10. broadcasts are measured and split by what Telegram shows ------------------------------------------


async def test_a_long_broadcast_of_markup_characters_goes_out_whole(bound: Harness) -> None:
    """4,000 characters of `‹&` are 12,000 of HTML; Telegram counts the 4,000 (after entity parsing)."""
    bot = bound
    line = "‹&" * 2000
    (question,) = await bot.say(BOSS, f"/broadcast {line}")
    assert visible(question["text"]).count(line) == 1
    assert texts(await bot.tap(BOSS, buttons(question)[0][1])) == [m.BROADCAST_QUEUED.format(n=3)]
    for notice in await rows(bot.engine, select(Outbox)):
        (part,) = split_message(notice.text)
        assert visible(part) == f"【督办通知】\n{line}" and html_problems(part) == []


async def test_a_broadcast_over_one_message_is_refused_with_its_length(bound: Harness) -> None:
    bot = bound
    before = await _state(bot.engine)
    text = ("<&" * broadcast.MAX_CHARS)[: broadcast.MAX_CHARS] + "字"
    assert texts(await bot.say(BOSS, f"/broadcast {text}")) == [
        m.BROADCAST_TOO_LONG.format(n=broadcast.MAX_CHARS + 1, limit=broadcast.MAX_CHARS)
    ]
    assert await _state(bot.engine) == before
    sent = await bot.say(BOSS, f"/broadcast {text[:-1]}")  # exactly the limit: asked to confirm
    assert buttons(sent[-1])


@pytest.mark.parametrize("body", [escape("‹&" * 3000), "字" * 9000, escape("<&>" * 2000) + "尾", "😀" * 3000])
def test_no_part_is_only_a_header_and_none_is_over_the_limit(body: str) -> None:
    text = m.BROADCAST_BODY.format(text=body)
    parts = split_message(text)
    assert len(parts) > 1 and parts[0] != "【督办通知】"
    assert all(visible_length(p) <= MAX_TEXT and html_problems(p) == [] for p in parts)
    assert "".join(visible(p) for p in parts) == visible(text)


def test_a_hard_cut_keeps_tags_paired() -> None:
    text = "<b>" + "粗" * 5000 + "</b>"
    parts = split_message(text, 4096)
    assert [visible_length(p) for p in parts] == [4096, 904]
    assert all(p.startswith("<b>") and p.endswith("</b>") and html_problems(p) == [] for p in parts)


# --- 4. misread replies are refused with what was written ---------------------------------------------------

FAR = dt.date.today().year + 70


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        (f"预计{NEXT_YEAR}年13月45日完成", m.REPORT_DATE_INVALID.format(text=f"{NEXT_YEAR}年13月45日")),
        ("预计9999-12-31完成", m.REPORT_DATE_FAR.format(text="9999-12-31", years=MAX_YEARS_AHEAD)),
        (f"预计{FAR}年底完成", m.REPORT_DATE_FAR.format(text=f"{FAR}-12-31", years=MAX_YEARS_AHEAD)),
        ("进度百分之一千", m.REPORT_PERCENT_OVER.format(percent=1000)),
        ("进展-50%", m.REPORT_PERCENT_NEGATIVE.format(text="-50%")),
    ],
)
async def test_a_misread_report_is_refused_with_the_reason(bound: Harness, text: str, answer: str) -> None:
    bot = bound
    before = await _state(bot.engine)
    assert texts(await bot.say(FINANCE, f"/report 1.2 {text}")) == [answer]
    assert await _state(bot.engine) == before


async def test_a_negated_done_is_not_done(bound: Harness) -> None:
    bot = bound
    (ack,) = texts(await bot.say(FINANCE, "/report 1.2 不是已完成"))
    assert "状态：进行中" in ack
    (report,) = await rows(bot.engine, select(Report))
    assert (report.status, report.percent) == ("in_progress", None)


@pytest.mark.parametrize(
    ("date", "answer"),
    [
        (f"{NEXT_YEAR}年0月0日", m.EXTEND_DATE_INVALID.format(text=f"{NEXT_YEAR}年0月0日")),
        (f"{NEXT_YEAR}-02-30", m.EXTEND_DATE_INVALID.format(text=f"{NEXT_YEAR}-02-30")),
        ("9999-12-31", m.EXTEND_DATE_FAR.format(text="9999-12-31", years=MAX_YEARS_AHEAD)),
    ],
)
async def test_extend_refuses_a_date_that_does_not_exist_or_is_years_away(
    bound: Harness, date: str, answer: str
) -> None:
    bot = bound
    before = await _state(bot.engine)
    assert texts(await bot.say(FINANCE, f"/extend 1.2 {date} 资金未到位")) == [answer]
    assert await _state(bot.engine) == before


def test_a_far_date_within_a_long_tasks_deadline_is_not_questioned() -> None:
    parsed = parse_reply("预计2033年6月完成", dt.datetime(2024, 10, 15, 10, tzinfo=dt.UTC))
    assert parsed.problems == (ReplyProblem.DATE_TOO_FAR,)
    assert reports.within_deadline(parsed, dt.date(2035, 12, 31)).problems == ()
    assert reports.within_deadline(parsed, dt.date(2033, 6, 29)).problems == (ReplyProblem.DATE_TOO_FAR,)
    assert reports.within_deadline(parsed, None).problems == (ReplyProblem.DATE_TOO_FAR,)


# --- 2. 办结 asks first, is told to everyone, and can be taken back -----------------------------------------


async def _notices(engine: AsyncEngine) -> list[tuple[int | None, str]]:
    return sorted((o.chat_id, o.text[:6]) for o in await rows(engine, select(Outbox).where(Outbox.kind == "notice")))


async def test_closing_asks_first_tells_everyone_and_reopen_takes_it_back(bound: Harness) -> None:
    bot = bound
    task = (await rows(bot.engine, select(Task).where(Task.key == "1.2")))[0]
    ask = callback_data.make(callback_data.CLOSE, task.id)
    before = await _state(bot.engine)
    (question,) = await bot.tap(SCIENCE, ask)
    assert question["text"].startswith(m.CLOSE_CONFIRM.format(task="示例 1.2", task_key="1.2", task_title=task.title))
    assert m.CLOSE_CONFIRM_UNFINISHED.format(n=2, units="市科技局、市财政局") in question["text"]
    confirm, cancel = (data for _, data in buttons(question))
    assert texts(await bot.tap(SCIENCE, cancel)) == [m.CLOSE_CANCELLED]
    assert await _state(bot.engine) == before  # a question and a cancel change nothing
    assert texts(await bot.tap(SCIENCE, confirm)) == [m.CLOSE_DONE.format(task="示例 1.2", task_title=task.title)]
    # the responsible unit (its private chat and its group) and the coordinator are told; not the acting chat
    assert await _notices(bot.engine) == [(GROUP, "【任务办结】"), (FINANCE, "【任务办结】"), (BOSS, "【任务办结】")]
    assert texts(await bot.say(FINANCE, "/report 1.2 进展60%")) == [m.REPORT_REFUSED["closed"].format(task="示例 1.2")]
    # taken back: not by the responsible unit (audited), by the lead
    assert texts(await bot.say(FINANCE, "/reopen 1.2")) == [m.REOPEN_NOT_ALLOWED]
    refused = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "access.refused"))
    assert [(a.actor, a.detail["action"]) for a in refused] == [(f"tg:{FINANCE}", "reopen")]
    reopened_text = m.REOPEN_DONE.format(task="示例 1.2", task_title=task.title)
    assert texts(await bot.say(SCIENCE, "/reopen 1.2")) == [reopened_text]
    (reopened,) = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "task.reopen"))
    assert reopened.actor == f"tg:{SCIENCE}" and reopened.detail["closed_at"]
    assert [n for n in await _notices(bot.engine) if n[1] == "【任务恢复】"] == [
        (GROUP, "【任务恢复】"),
        (FINANCE, "【任务恢复】"),
        (BOSS, "【任务恢复】"),
    ]
    assert texts(await bot.say(FINANCE, "/report 1.2 进展60%"))[0].startswith("已记录")
    assert texts(await bot.say(SCIENCE, "/reopen 1.2")) == [m.REOPEN_NOT_CLOSED.format(task="示例 1.2")]


async def test_a_coordinator_reopens_and_strangers_cannot(bound: Harness) -> None:
    bot = bound
    task = (await rows(bot.engine, select(Task).where(Task.key == "1.2")))[0]
    (question,) = await bot.tap(SCIENCE, callback_data.make(callback_data.CLOSE, task.id))
    await bot.tap(SCIENCE, buttons(question)[0][1])
    assert texts(await bot.say(STRANGER, "/reopen 1.2")) == [m.NOT_BOUND]
    assert texts(await bot.say(BOSS, "/reopen 9.9")) == [m.STATUS_UNKNOWN.format(ref="9.9")]
    assert texts(await bot.say(BOSS, "/reopen")) == [m.REOPEN_USAGE]
    assert texts(await bot.say(BOSS, "/reopen 1.2")) == [m.REOPEN_DONE.format(task="示例 1.2", task_title=task.title)]
    (reopened,) = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "task.reopen"))
    assert reopened.actor == f"tg:{BOSS}" and reopened.detail["coordinator"] is True
    assert (await rows(bot.engine, select(Task.closed_at).where(Task.key == "1.2"))) == [None]
