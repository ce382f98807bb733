"""The handlers through python-telegram-bot itself: real Updates go through the real Application (every
handler, filter and the error handler), and its Bot talks HTTP to the local fake Bot API
(tests/fakebotapi.py), which records what was sent. This covers what the emulator cannot produce
(chat-member updates, group migration) and every bad-input answer, quickly, on the embedded store."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update

from bot.core import db
from bot.core.models import Assignment, AuditLog, Chat, ExtensionRequest, Outbox, Report, Task
from bot.presenters import answers
from bot.render import callback_data, prompts
from bot.render import messages as m
from scheduler.sender import Pacer, SenderConfig, drain
from scheduler.transport import BotTransport
from tests.support.harness import (
    BOSS,
    BOT_ID,
    FINANCE,
    SCIENCE,
    STRANGER,
    TOKEN,
    Harness,
    buttons,
    seeded_harness,
    texts,
)
from tests.support.store import assignment_id, bind, get, rows


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    async with seeded_harness(sqlite_url) as harness:
        yield harness


@pytest.fixture
async def bound(bot: Harness) -> Harness:
    await bind(bot.engine, FINANCE, "市财政局")
    await bind(bot.engine, SCIENCE, "市科技局")
    return bot


# --- binding -------------------------------------------------------------------------------------------


async def test_start_binds_greets_and_explains(bot: Harness) -> None:
    from bot.chat import binding

    async with db.session_scope(bot.engine) as session:
        _, code, _ = await binding.invite_unit(session, "市财政局", for_group=True, expires=dt.timedelta(days=1))
    assert texts(await bot.say(-50, "/start")) == [m.START_WELCOME]
    assert texts(await bot.say(-50, f"/start@taskbot_test_bot {code}")) == [m.BIND_OK.format(unit="市财政局")]
    assert texts(await bot.say(-50, "/start")) == [m.START_BOUND.format(unit="市财政局")]
    assert texts(await bot.say(51, "/start wrong")) == [m.BIND_REFUSED["unknown"]]


async def test_bot_removed_from_a_group_and_migration(bound: Harness) -> None:
    bot = bound
    await bind(bot.engine, -60, "市发展改革局", "group")

    def change(old: str, new: str, chat: int = -60) -> dict[str, Any]:
        member = {"user": {"id": BOT_ID, "is_bot": True, "first_name": "taskbot"}}
        return {
            "my_chat_member": {
                "chat": bot._chat(chat),
                "from": bot._user(5),
                "date": 0,
                "old_chat_member": {**member, "status": old},
                "new_chat_member": {**member, "status": new, "until_date": 0},
            }
        }

    await bot.push(change("member", "left"))
    assert (await rows(bot.engine, select(Chat).where(Chat.chat_id == -60)))[0].blocked_at is not None
    await bot.push(change("left", "member"))
    assert (await rows(bot.engine, select(Chat).where(Chat.chat_id == -60)))[0].blocked_at is None
    await bot.push({"message": {**bot.message(-60, ""), "text": None, "migrate_to_chat_id": -100600}})
    assert [c.chat_id for c in await rows(bot.engine, select(Chat).where(Chat.kind == "group"))] == [-100600]


# --- reports -------------------------------------------------------------------------------------------


async def test_tap_stores_then_acknowledges_and_a_second_tap_is_a_duplicate(bound: Harness) -> None:
    bot = bound
    aid = await assignment_id(bot.engine, "市财政局", "1.2")
    (ack,) = await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "done"))
    assert "状态：已完成" in ack["text"] and "进度：100%" in ack["text"]
    assert buttons(ack) == [(m.BUTTON_CORRECT, f"fx:{aid}")]
    assert texts(await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "done"))) == [m.REPORT_DUPLICATE]
    assert len(await rows(bot.engine, select(Report))) == 1

    (fix,) = await bot.tap(FINANCE, f"fx:{aid}")
    assert [label for label, _ in buttons(fix)] == list(m.BUTTONS.values())
    (ack,) = await bot.say(FINANCE, "其实还在推进中，完成八成", reply_to_message=bot.bot_message(fix))
    assert "进度：80%" in ack["text"]
    assert (await get(bot.engine, Assignment, aid)).status == "in_progress"


async def test_a_reply_to_a_prompt_maps_through_the_outbox(bound: Harness) -> None:
    bot = bound
    aid = await assignment_id(bot.engine, "市财政局", "2.1")
    prompt = await bot.sent_prompt(FINANCE, aid, 555)
    (ack,) = await bot.say(FINANCE, "已完成，共举办活动3场", reply_to_message=prompt)
    assert "2.1" in ack["text"] and "状态：已完成" in ack["text"]
    (report,) = await rows(bot.engine, select(Report))
    assert (report.assignment_id, report.source) == (aid, "reply")


def _old_prompt_keyboard(aid: int) -> dict[str, Any]:
    """A prompt's keyboard as the prompts' own codec (bot/render/prompts.py, `rp:`) wrote it into the outbox
    before the codecs were one: these bytes sit under messages users still have."""
    return {
        "inline_keyboard": [
            [
                {"text": "已完成", "callback_data": f"rp:{aid}:done"},
                {"text": "进行中", "callback_data": f"rp:{aid}:progress"},
            ],
            [
                {"text": "受阻", "callback_data": f"rp:{aid}:blocked"},
                {"text": "申请延期", "callback_data": f"rp:{aid}:extend"},
            ],
        ]
    }


def test_the_one_codec_reads_the_old_prompt_buttons_and_writes_the_same() -> None:
    old = _old_prompt_keyboard(7)
    assert prompts.report_buttons(7) == old
    assert [callback_data.parse(b["callback_data"]) for row in old["inline_keyboard"] for b in row] == [
        (callback_data.REPORT, 7, action) for action in ("done", "progress", "blocked", "extend")
    ]
    assert tuple(m.BUTTONS) == callback_data.REPORT_ACTIONS
    for data in ("rp:7", "rp:7:ok", "rp:7:no", "rp:7:finished", "rp:7:done:1", "rp:x:done"):  # the old codec's refusals
        assert callback_data.parse(data) is None, data


async def test_an_old_prompts_buttons_and_a_reply_to_it_still_work(bound: Harness) -> None:
    bot = bound
    aid = await assignment_id(bot.engine, "市财政局", "1.2")
    old = {**bot.message(FINANCE, "【进展询问】"), "from": {"id": BOT_ID, "is_bot": True, "first_name": "taskbot"}}
    old["reply_markup"] = _old_prompt_keyboard(aid)
    (ack,) = await bot.tap(FINANCE, f"rp:{aid}:progress", message=old)
    assert "状态：进行中" in ack["text"]
    (ack,) = await bot.say(FINANCE, "已完成，报告已报送", reply_to_message=old)  # no outbox row: read from the buttons
    assert "状态：已完成" in ack["text"]
    assert [(r.assignment_id, r.source) for r in await rows(bot.engine, select(Report))] == [
        (aid, "button"),
        (aid, "reply"),
    ]


async def test_each_text_message_is_claimed_by_one_handler_whatever_it_quotes(bot: Harness) -> None:
    """No handler wins by being installed first: a text message, whatever it replies to and in whatever chat,
    matches exactly one of the Application's handlers (handlers/quoted.py then routes it by what it quotes), and
    a command its command's handler only."""
    markups = {
        "a 退回 question": {"inline_keyboard": [[{"text": "取消", "callback_data": "rt:5:no"}]]},
        "a lead's notice": {"inline_keyboard": [[{"text": "退回 1", "callback_data": "rt:5"}]]},
        "a target value's 更正 question": {"inline_keyboard": [[{"text": "不是", "callback_data": "tv:3:no"}]]},
        "an acknowledgement": {"inline_keyboard": [[{"text": "更正", "callback_data": "fx:2"}]]},
        "a prompt": _old_prompt_keyboard(2),
        "a message without buttons": None,
    }
    from_bot = {"id": BOT_ID, "is_bot": True, "first_name": "taskbot"}
    for chat in (FINANCE, -60):
        for what, markup in markups.items():
            replied = {**bot.message(chat, "…"), "from": from_bot} | ({"reply_markup": markup} if markup else {})
            for extra in ({}, {"reply_to_message": replied}):
                for text in ("已完成", "/report 1.2 已完成"):
                    update = Update.de_json({"update_id": 1, "message": bot.message(chat, text, **extra)}, bot.app.bot)
                    claimed = [h for group in bot.app.handlers.values() for h in group if h.check_update(update)]
                    assert len(claimed) == 1, (chat, what, extra != {}, text, claimed)


async def test_an_old_button_after_the_task_changed(bound: Harness) -> None:
    bot = bound
    aid = await assignment_id(bot.engine, "市财政局", "1.2")
    async with db.session_scope(bot.engine) as session:
        (await session.get(Assignment, aid)).archived = True
    assert texts(await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "progress"))) == [
        m.REPORT_REFUSED["archived"].format(task="示例 1.2")
    ]
    assert texts(await bot.tap(FINANCE, "rp:notanumber:done")) == []  # stale data: a toast only
    assert await rows(bot.engine, select(Report)) == []


async def test_plain_text_needs_a_task_when_the_unit_has_several(bound: Harness) -> None:
    bot = bound
    msg = bot.message(FINANCE, "正在推进，预计下月中旬完成")
    (question,) = await bot.push({"message": msg})
    assert question["text"] == m.REPORT_WHICH.format(unit="市财政局", n=2)
    choice = buttons(question)[0][1]
    (ack,) = await bot.tap(FINANCE, choice, message={**bot.bot_message(question), "reply_to_message": msg})
    assert "1.2" in ack["text"] and "状态：进行中" in ack["text"]
    assert texts(await bot.tap(FINANCE, choice, message={**bot.bot_message(question), "reply_to_message": msg})) == [
        m.REPORT_DUPLICATE
    ]
    assert texts(await bot.tap(FINANCE, choice, message=bot.bot_message(question))) == [m.REPORT_RESEND]


async def test_plain_text_with_one_open_task_is_stored(bound: Harness) -> None:
    bot = bound
    async with db.session_scope(bot.engine) as session:
        task = (await session.execute(select(Task).where(Task.key == "2.1"))).scalar_one()
        task.closed_at = dt.datetime.now(dt.UTC)
    (ack,) = await bot.say(FINANCE, "完成百分之六十")
    assert "1.2" in ack["text"] and "进度：60%" in ack["text"]
    (question,) = await bot.say(FINANCE, "好的")  # understood nothing: ask rather than store
    assert question["text"] == m.REPORT_WHICH.format(unit="市财政局", n=1)


async def test_unbound_chats_and_group_chatter(bot: Harness) -> None:
    assert texts(await bot.say(STRANGER, "已完成")) == [m.NOT_BOUND]
    assert texts(await bot.say(-70, "大家好")) == []  # a group conversation is not for the bot
    assert texts(await bot.say(STRANGER, "/mytasks")) == [m.NOT_BOUND]


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/report", m.REPORT_EMPTY),
        ("/report 1.2", m.REPORT_EMPTY),
        ("/report 9.9 已完成", m.REPORT_UNKNOWN_TASK.format(ref="9.9", keys="1.2、2.1")),
        ("/report 1.2 " + "进" * 10_000, m.REPORT_TOO_LONG.format(n=10_000, limit=4096)),
        ("/report 1.2 已完成120%", m.REPORT_PERCENT_OVER.format(percent=120)),
        ("/report 1.2 预计2023年6月完成", m.REPORT_DATE_PAST.format(date="2023-06-30")),
    ],
)
async def test_bad_report_commands(bound: Harness, text: str, answer: str) -> None:
    assert texts(await bound.say(FINANCE, text)) == [answer]
    assert await rows(bound.engine, select(Report)) == []


async def test_report_command_stores(bound: Harness) -> None:
    (ack,) = await bound.say(FINANCE, "/report 1.2 受阻，需市发展改革局协调")
    assert "状态：受阻" in ack["text"]
    (report,) = await rows(bound.engine, select(Report))
    assert (report.source, report.text, report.status) == ("command", "受阻，需市发展改革局协调", "blocked")


@pytest.mark.parametrize("failure", ["429 after the rate limiter's retries", "502 from a proxy"])
async def test_an_answer_telegram_refuses_now_goes_out_later_through_the_outbox(
    bound: Harness, failure: str, caplog: pytest.LogCaptureFixture
) -> None:
    script = bound.api.script
    if failure.startswith("429"):
        script.retry_after, script.throttle[FINANCE] = 1, 10  # more 429s than AIORateLimiter retries
    else:
        script.bad_gateway[FINANCE] = 1
    before = dt.datetime.now(dt.UTC)
    assert await bound.say(FINANCE, "/report 1.2 已完成60%") == []  # nothing reached the chat
    (report,) = await rows(bound.engine, select(Report))
    assert report.percent == 60
    (queued,) = await rows(bound.engine, select(Outbox).where(Outbox.chat_id == FINANCE))
    assert (queued.kind, queued.status) == ("answer", "pending") and queued.text.startswith("已记录")
    assert queued.reply_markup is not None  # the ack's buttons go with it
    assert (queued.send_at >= before + dt.timedelta(seconds=1)) == failure.startswith("429")
    assert "queued in the outbox" in caplog.text and TOKEN not in caplog.text

    script.throttle.clear()
    for _ in range(2):  # the sender delivers it once, when it is due
        await drain(
            bound.engine,
            BotTransport(bound.app.bot),
            now=lambda: dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2),
            worker="test",
            pacer=Pacer(SenderConfig(), lambda: 0.0, _no_sleep),
        )
    delivered = [p for p in script.received if int(p["chat_id"]) == FINANCE]
    assert [p["text"] for p in delivered] == [queued.text]
    assert json.loads(delivered[0]["reply_markup"]) == queued.reply_markup


async def test_a_toast_that_fails_does_not_keep_the_answer_back(bound: Harness) -> None:
    bound.api.script.bad_gateway["answerCallbackQuery"] = 1
    aid = await assignment_id(bound.engine, "市财政局", "1.2")
    (ack,) = await bound.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "progress"))
    assert ack["text"].startswith("已记录")
    assert bound.api.script.bad_gateway["answerCallbackQuery"] == 0  # the toast was tried, and failed
    assert [r.status for r in await rows(bound.engine, select(Report))] == ["in_progress"]


async def _no_sleep(_seconds: float) -> None:
    return None


# --- extensions ----------------------------------------------------------------------------------------


async def test_extend_then_a_coordinator_approves(bound: Harness) -> None:
    bot = bound
    new = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    (sent,) = await bot.say(FINANCE, f"/extend 1.2 {new} 资金尚未到位")
    assert sent["text"] == m.EXTEND_SENT.format(task="示例 1.2", date=new)
    (notice,) = await rows(bot.engine, select(Outbox).where(Outbox.chat_id == BOSS))
    approve = notice.reply_markup["inline_keyboard"][0][0]["callback_data"]
    assert texts(await bot.tap(FINANCE, approve)) == [m.COORDINATORS_ONLY]
    (done,) = await bot.tap(BOSS, approve)
    assert done["text"] == m.EXTEND_DECIDED.format(verdict="同意", unit="市财政局", task="示例 1.2", date=new)
    assert texts(await bot.tap(BOSS, approve)) == [m.EXTEND_ALREADY.format(verdict="同意")]
    assert (await get(bot.engine, Assignment, notice.assignment_id)).deadline_override.isoformat() == new
    refused = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "access.refused"))
    assert [(a.entity, a.detail["action"]) for a in refused] == [("extension", "decide")]


async def test_extension_from_a_report_and_bad_extend_commands(bound: Harness) -> None:
    bot = bound
    (ack,) = await bot.say(FINANCE, f"/report 2.1 因资金未到位需延期至{dt.date.today().year + 1}年3月31日")
    labels = dict(buttons(ack))
    assert m.BUTTON_EXTEND in labels
    (sent,) = await bot.tap(FINANCE, labels[m.BUTTON_EXTEND])
    assert sent["text"].startswith("延期申请已提交")
    (request,) = await rows(bot.engine, select(ExtensionRequest))
    assert request.reason.startswith("因资金未到位")
    assert texts(await bot.say(FINANCE, "/extend 1.2 明天")) == [m.EXTEND_NO_REASON]
    assert texts(await bot.say(FINANCE, "/extend 1.2 看情况")) == [m.EXTEND_BAD_DATE.format(text="看情况")]
    usage = answers.extend_usage("示例 1.2", dt.date.today())  # next year's 31 March either way
    assert texts(await bot.say(FINANCE, "/extend")) == [usage]
    aid = await assignment_id(bot.engine, "市财政局", "1.2")
    assert texts(await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "extend"))) == [usage]
    assert texts(await bot.tap(SCIENCE, callback_data.make(callback_data.REPORT, aid, "extend"))) == [
        m.REPORT_REFUSED["not_yours"]
    ]
    next_year = dt.date.today().year + 1
    assert texts(await bot.say(FINANCE, "/extend 1.2 延期至明年3月底，因资金未到位")) == [
        m.EXTEND_SENT.format(task="示例 1.2", date=f"{next_year}-03-31")
    ]


# --- leads, lists, coordinators ------------------------------------------------------------------------


async def test_status_and_close_by_the_lead_only(bound: Harness) -> None:
    bot = bound
    (page,) = await bot.say(SCIENCE, "/status 1.2")
    assert "市财政局（责任）：未报告" in page["text"]
    ((label, data),) = buttons(page)
    assert label == m.BUTTON_CLOSE
    assert texts(await bot.say(FINANCE, "/status 1.2")) == [m.STATUS_NOT_LEAD.format(ref="1.2")]
    assert texts(await bot.tap(FINANCE, data)) == [m.CLOSE_NOT_LEAD]
    (question,) = await bot.tap(SCIENCE, data)  # asked first (issue 16)
    confirm = buttons(question)[0][1]
    assert texts(await bot.tap(FINANCE, confirm)) == [m.CLOSE_NOT_LEAD]
    closed = m.CLOSE_DONE.format(task="示例 1.2", task_title="完善技术合同登记机制")
    assert texts(await bot.tap(SCIENCE, confirm)) == [closed]
    assert "已于" in texts(await bot.tap(SCIENCE, confirm))[0]
    assert "已于" in texts(await bot.tap(SCIENCE, data))[0]
    (usage,) = await bot.say(SCIENCE, "/status")
    assert usage["text"] == m.STATUS_USAGE.format(keys="1.2、1.1")
    (boss,) = await bot.say(BOSS, "/status 1.1")
    assert "市科技局（牵头）" in boss["text"] and buttons(boss) == []


async def test_lists_for_units_and_coordinators(bound: Harness) -> None:
    bot = bound
    (mine,) = await bot.say(FINANCE, "/mytasks")
    assert mine["text"].startswith("「市财政局」待办任务2项：逾期1 · 7天内到期0 · 未报告2")
    assert "〔示例〕\n· 1.2 完善技术合同登记机制（责任）" in mine["text"] and mine["markup"] is None
    (late,) = await bot.say(FINANCE, "/overdue")
    assert "市财政局：示例 1.2" in late["text"]
    assert texts(await bot.say(FINANCE, "/units")) == [m.COORDINATORS_ONLY]
    (units,) = await bot.say(BOSS, "/units")
    assert "市财政局：1个聊天" in units["text"] and "尚未绑定聊天的单位" in units["text"]
    (digest,) = await bot.say(SCIENCE, "/digest")
    assert digest["text"].startswith("<b>" + m.DIGEST_FOR_LEAD.format(unit="市科技局"))
    (helps,) = await bot.say(BOSS, "/help")
    assert helps["text"] == m.HELP_COORDINATOR
    assert (await bot.say(FINANCE, "/help"))[0]["text"] == m.HELP_UNIT.format(unit="市财政局")
    assert texts(await bot.say(BOSS, "/promote 77")) == [m.PROMOTE_OK.format(user_id=77)]
    assert texts(await bot.say(BOSS, "/promote 77")) == [m.PROMOTE_ALREADY.format(user_id=77)]
    assert texts(await bot.say(FINANCE, "/promote 78")) == [m.COORDINATORS_ONLY]
    assert texts(await bot.say(FINANCE, "/broadcast 你好")) == [m.COORDINATORS_ONLY]
    assert texts(await bot.say(BOSS, "/broadcast")) == [m.BROADCAST_USAGE]


async def test_long_answers_are_split_at_4096(bound: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answers, "mytasks", lambda *_args: ("\n".join(["任务" * 50] * 100), None))
    parts = await bound.say(FINANCE, "/mytasks")
    assert len(parts) == 3 and all(len(p["text"]) <= 4096 for p in parts)
    assert "\n".join(texts(parts)) == "\n".join(["任务" * 50] * 100)


async def test_errors_are_logged_without_the_token_and_the_user_is_told(
    bound: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.chat import lookups

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"boom while calling https://api.telegram.org/bot{TOKEN}/sendMessage")

    monkeypatch.setattr(lookups, "open_assignments", broken)
    caplog.set_level(logging.DEBUG)
    assert texts(await bound.say(FINANCE, "/mytasks")) == [m.ERROR_GENERIC]
    assert "boom while calling" in caplog.text and "<token>" in caplog.text
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text


async def test_jobs_that_cannot_reach_the_database_log_one_line_a_minute(
    bound: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from handlers import errors

    engine = db.make_engine("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    try:
        async with engine.connect():
            pass
    except Exception as exc:  # a refused connection, as a job meets it while PostgreSQL is down
        refused = exc
    finally:
        await engine.dispose()
    clock = [1000.0]
    monkeypatch.setattr(errors.time, "monotonic", lambda: clock[0])
    caplog.set_level(logging.DEBUG, logger="handlers")
    for _ in range(12 * 3):  # the sender every 5 s for three minutes
        await bound.app.process_error(None, refused)
        clock[0] += 5
    lines = [r for r in caplog.records if r.name.startswith("handlers")]
    assert len(lines) == 3 and all(r.levelno == logging.WARNING and not r.exc_info for r in lines)
    assert "could not reach the database" in lines[0].getMessage() and "Traceback" not in caplog.text
    assert "(12 failed runs" in lines[1].getMessage()


def _commands_per_line(text: str) -> dict[str, int]:
    """command → how many items (· lines) of a help text mention it."""
    counts: dict[str, int] = {}
    for line in text.splitlines():
        if line.startswith("· "):
            for command in set(re.findall(r"/[a-z]+", line)):
                counts[command] = counts.get(command, 0) + 1
    return counts


async def test_a_coordinator_s_help_lists_each_command_once_and_start_asks_no_invite(bound: Harness) -> None:
    """Issue 22: the coordinator's /help listed /overdue, /digest, /status and /broadcast twice, and /start told a
    coordinator to open an invite link."""
    bot = bound
    alone = (await bot.say(BOSS, "/help"))[0]["text"]
    await bind(bot.engine, -70, "市财政局", "group")
    in_group = (await bot.say(-70, "/help", user_id=BOSS))[0]["text"]
    assert in_group.startswith(m.HELP_UNIT.format(unit="市财政局"))
    for text in (alone, in_group):
        counts = _commands_per_line(text)
        assert {"/units", "/broadcast", "/remind", "/invite", "/bulletin", "/overdue", "/status"} <= set(counts)
        assert [c for c, n in counts.items() if n > 1] == []
    (start,) = texts(await bot.say(BOSS, "/start"))
    assert start == m.START_COORDINATOR and "邀请链接完成绑定" not in start
    assert texts(await bot.say(STRANGER, "/start")) == [m.START_WELCOME]
