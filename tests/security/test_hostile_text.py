"""Hostile report text: HTML, Telegram markup and entities, the length limit, zero-width and RTL
characters, SQL, YAML, spreadsheet formulas and format strings. Each is stored verbatim (or, over
bot.reports.MAX_REPORT_CHARS, refused with its own answer and nothing stored), comes back escaped wherever
the bot repeats it (every answer, the outbox, the 台账), and is never executed: the store keeps its tables,
no template swallows it, no cell becomes a formula. Every message the bot sends is checked as Telegram
would check parse_mode=HTML."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import binding, reports
from bot.core import db
from bot.core.models import Outbox, Report
from bot.core.vocab import ReportOutcome
from bot.render import messages as m
from bot.render.telegram_text import split_message
from bot.replies.parser import parse_reply
from bot.reporting.ledger import build_ledger, write_xlsx
from bot.store.outbox import Outgoing, enqueue
from bot.store.overview import ledger_rows
from scheduler.sender import SenderConfig, drain
from scheduler.transport import BotTransport
from tests.security.conftest import BOSS, FINANCE, every_row, html_problems, visible
from tests.support.harness import Harness, buttons, texts
from tests.support.store import assignment_id, bind, rows, seed

HOSTILE = {
    "html": '<b>粗体</b><script>alert("x")</script><a href="javascript:alert(1)">点我</a> &amp; &lt;i&gt; 1<2>3 </i>',
    "markdown": "*粗体* _斜体_ `代码` ||剧透|| [链接](https://evil.example) @admin #标签 /broadcast 全体",
    "zero_width": "已\u200b完\u200c成\u200d\u2060\ufeff，进度60%",
    "rtl": "\u202e%06 成完\u202c\u200f\u200e\u2066推进中\u2069\u061c",
    "sql": "'); DROP TABLE report; -- \" OR 1=1; SELECT * FROM chat WHERE ''=''; DELETE FROM invite;",
    "yaml": "!!python/object/apply:os.system ['touch /tmp/taskbot-pwned']\n--- &a [*a, *a]\nkey: {<<: *a}\n...",
    "formula": '=HYPERLINK("http://evil.example","点击")',
    "format": "{unit} {0} {text!r} {task_key:>99999} %s %(x)s {{}} }{",
    "lines": "第一行\r\n第二行\n\n\t第三行\u2028第四行\u0085完",
    "emoji": "完成👍🏽👨\u200d👩\u200d👧 🇨🇳 60%",
    "limit": "进" * reports.MAX_REPORT_CHARS,
}
# Entities of a message as Telegram sends them: the bot must store the plain text and not re-apply them
ENTITIES = [
    {"type": "bold", "offset": 0, "length": 4},
    {"type": "text_link", "offset": 5, "length": 4, "url": "javascript:alert(1)"},
    {"type": "mention", "offset": 60, "length": 6},
    {"type": "spoiler", "offset": 27, "length": 6},
]


def _sent(bot: Harness) -> list[str]:
    return [params["text"] for params in bot.api.script.received]


def _check_html(messages: list[str]) -> None:
    bad = [(problems, text[:120]) for text in messages if (problems := html_problems(text))]
    assert bad == [], bad


async def test_hostile_reports_are_stored_verbatim_and_answered_in_valid_html(bound: Harness) -> None:
    bot = bound
    aid = await assignment_id(bot.engine, "市财政局", "2.1")
    prompt = await bot.sent_prompt(FINANCE, aid, 555)
    stored: list[tuple[str, str]] = []
    for name, payload in HOSTILE.items():
        extra = {"entities": ENTITIES} if name == "markdown" else {}
        (ack,) = await bot.say(FINANCE, payload, reply_to_message=prompt, **extra)  # a reply to the prompt
        assert ack["text"].startswith("已记录"), (name, ack["text"][:80])
        stored.append((payload, "reply"))
        (ack,) = await bot.say(FINANCE, f"/report 1.2 {payload}")  # the command
        assert ack["text"].startswith("已记录"), (name, ack["text"][:80])
        stored.append((payload.strip(), "command"))
    got = [(r.text, r.source) for r in await rows(bot.engine, select(Report).order_by(Report.id))]
    assert got == stored  # every character, in order
    _check_html(_sent(bot))
    # the SQL did nothing: every table is there and the invites, chats and reports are intact
    tables = await every_row(bot.engine)
    assert len(tables["report"]) == len(stored) and len(tables["chat"]) == 3
    async with bot.engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM report"))).scalar() == len(stored)
    assert not Path("/tmp/taskbot-pwned").exists()


@pytest.mark.parametrize("length", [reports.MAX_REPORT_CHARS + 1, 10_000])
async def test_over_the_limit_is_refused_with_its_length(bound: Harness, length: int) -> None:
    bot = bound
    aid = await assignment_id(bot.engine, "市财政局", "2.1")
    prompt = await bot.sent_prompt(FINANCE, aid, 556)
    long = ("进展<b>&" * length)[:length]
    refusal = m.REPORT_TOO_LONG.format(n=length, limit=reports.MAX_REPORT_CHARS)
    assert texts(await bot.say(FINANCE, long, reply_to_message=prompt)) == [refusal]
    assert texts(await bot.say(FINANCE, long)) == [refusal]  # plain text
    assert texts(await bot.say(FINANCE, f"/report 2.1 {long}")) == [refusal]
    assert await rows(bot.engine, select(Report)) == []


async def test_hostile_text_is_echoed_escaped(bound: Harness) -> None:
    """Where the bot repeats what a user wrote — a broadcast, an extension's reason, a task reference it
    does not know — the user sees exactly what was written and Telegram gets valid HTML."""
    bot = bound
    next_year = dt.date.today().year + 1
    for name, payload in HOSTILE.items():
        if name == "limit":
            continue
        # /broadcast: the confirmation and the queued notice show the text as written
        (question,) = await bot.say(BOSS, f"/broadcast {payload}")
        assert payload.strip() in visible(question["text"]), name
        send = buttons(question)[0][1]
        assert texts(await bot.tap(BOSS, send))[0] == m.BROADCAST_QUEUED.format(n=3)
        # /extend: the coordinators' notice carries the reason
        (answer,) = await bot.say(FINANCE, f"/extend 2.1 {next_year}-06-30 {payload}")
        assert answer["text"].startswith("延期申请已提交"), (name, answer["text"])
        (notice,) = await rows(
            bot.engine, select(Outbox).where(Outbox.kind == "notice").order_by(Outbox.id.desc()).limit(1)
        )
        assert payload.strip()[: reports.MAX_REPORT_CHARS] in visible(notice.text), name
        decide = notice.reply_markup["inline_keyboard"][0][1]["callback_data"]  # 不同意: the next may ask
        assert texts(await bot.tap(BOSS, decide))[0].startswith("已不同意"), name
        # an unknown task reference is quoted back
        word = payload.split()[0]
        (unknown,) = texts(await bot.say(FINANCE, f"/report {word}x 已完成"))
        assert f"「{word}x」" in visible(unknown), name
        (status,) = texts(await bot.say(FINANCE, f"/status {word}x"))
        assert f"「{word}x」" in visible(status), name
    outbox = [o.text for o in await rows(bot.engine, select(Outbox))]
    assert len(outbox) > 20
    _check_html(_sent(bot) + outbox)


async def test_a_broadcast_of_one_long_line_of_markup_characters(bound: Harness) -> None:
    """Escaping makes `<&>` five times longer; cutting the result at 4,096 must not split `&lt;` (Telegram
    refuses the whole message: "can't parse entities")."""
    bot = bound
    line = "<&>\"'" * 800
    sent = await bot.say(BOSS, f"/broadcast {line}")
    _check_html(texts(sent))
    assert "".join(visible(s["text"]) for s in sent).count(line) == 1
    assert texts(await bot.tap(BOSS, buttons(sent[-1])[0][1]))[0] == m.BROADCAST_QUEUED.format(n=3)
    _check_html(_sent(bot))
    for notice in await rows(bot.engine, select(Outbox)):
        parts = split_message(notice.text)
        _check_html(parts)
        assert "".join(visible(p) for p in parts).count(line) == 1


async def test_the_ledger_keeps_hostile_text_as_text(bound: Harness, tmp_path: Path) -> None:
    """The 台账 (Excel): the newest report of each assignment is a cell; `=HYPERLINK(…)` stays a string."""
    bot = bound
    payloads = {
        ("市财政局", "1.2"): HOSTILE["formula"],
        ("市财政局", "2.1"): "+cmd|' /C calc'!A0",
        ("市科技局", "1.1"): "@SUM(1+1)*cmd|' /C calc'!A0",
        ("市科技局", "1.2"): HOSTILE["html"],
    }
    for (unit, key), payload in payloads.items():
        chat = FINANCE if unit == "市财政局" else 12
        await bot.say(chat, f"/report {key} {payload}")
    async with db.session_scope(bot.engine) as session:
        ledger = build_ledger(await ledger_rows(session), dt.date.today(), dt.UTC)
    path = tmp_path / "ledger.xlsx"
    write_xlsx(ledger, path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for payload in payloads.values():
        assert cells.get(payload) == "s", (payload, cells.get(payload))


@pytest.fixture
async def store(engine: AsyncEngine) -> AsyncEngine:
    await seed(engine)
    await bind(engine, FINANCE, "市财政局")
    return engine


async def test_every_backend_keeps_every_character(store: AsyncEngine) -> None:
    """SQLite and PostgreSQL: the report and its audit row hold the text exactly as sent."""
    aid = await assignment_id(store, "市财政局", "2.1")
    now = dt.datetime.now(dt.UTC)
    for payload in HOSTILE.values():
        async with db.session_scope(store) as session:
            result = await reports.submit_report(
                session,
                chat_id=FINANCE,
                assignment_id=aid,
                text=payload,
                parsed=parse_reply(payload, now),
                source="text",
                user_id=FINANCE,
                user_name=payload[:200],
                at=now,
            )
        assert result.outcome == ReportOutcome.STORED, payload[:40]
    got = await rows(store, select(Report).order_by(Report.id))
    assert [r.text for r in got] == list(HOSTILE.values())
    assert [r.user_name for r in got] == [p[:200] for p in HOSTILE.values()]
    assert json.dumps([r.text for r in got], ensure_ascii=False).count("DROP TABLE") == 1


async def test_a_nul_character_is_stored_without_failing(store: AsyncEngine) -> None:
    """PostgreSQL cannot hold NUL in text: there it is dropped (bot/db.py) rather than failing the report;
    SQLite keeps it."""
    aid = await assignment_id(store, "市财政局", "2.1")
    now = dt.datetime.now(dt.UTC)
    sent = "已完成\x0060%\x00"
    async with db.session_scope(store) as session:
        result = await reports.submit_report(
            session,
            chat_id=FINANCE,
            assignment_id=aid,
            text=sent,
            parsed=parse_reply(sent, now),
            source="text",
            user_id=FINANCE,
            user_name="联络员\x00",
            at=now,
        )
    assert result.outcome == ReportOutcome.STORED
    (report,) = await rows(store, select(Report))
    kept = store.dialect.name == "sqlite"
    assert (report.text, report.user_name) == ((sent, "联络员\x00") if kept else ("已完成60%", "联络员"))


async def test_a_hostile_group_title_reaches_the_coordinator_escaped(bound: Harness) -> None:
    """A group's title is the group's to choose; when the bot is removed from it, the coordinators' notice
    names it (scheduler/sender.py) and must still be valid HTML that shows the title as it is."""
    bot = bound
    title = HOSTILE["html"][:60]
    async with db.session_scope(bot.engine) as session:
        _, code, _ = await binding.invite_unit(session, "市发展改革局", for_group=True, expires=dt.timedelta(days=1))
    group = {"id": -700, "type": "group", "title": title}
    message = {**bot.message(-700, f"/start {code}", user_id=701), "chat": group}
    assert texts(await bot.push({"message": message})) == [m.BIND_OK.format(unit="市发展改革局")]
    async with db.session_scope(bot.engine) as session:
        await enqueue(
            session, [Outgoing(key="n@-700", kind="notice", text="通知", chat_id=-700, send_at=dt.datetime.now(dt.UTC))]
        )
    bot.api.script.forbidden.add(-700)
    await drain(
        bot.engine,
        BotTransport(bot.app.bot),
        now=lambda: dt.datetime.now(dt.UTC),
        worker="t",
        config=SenderConfig(global_interval=0, private_interval=0, group_interval=0),
        coordinators=(BOSS,),
    )
    (notice,) = await rows(bot.engine, select(Outbox).where(Outbox.chat_id == BOSS))
    assert html_problems(notice.text) == [] and title in visible(notice.text)
