"""The bot token never appears in a log line, an exception's message, the console, the store or a digest.

A realistic session runs with every logger at DEBUG written to a file by a plain handler (no filter of
ours: what a deployment's own logging would get), with httpx raised back to DEBUG after the bot lowered it
(so the second defence, the filter on the loggers themselves, is what is tested), and errors forced in a
handler and in a job with the token in their message, as a URL in an httpx error would have it. Then
everything the run wrote is searched for the token and for its secret half: the log file, pytest's
capture of the records, stdout and stderr, every row of every table, the SQLite files byte for byte, the
digests and every message sent. Positive controls make sure the search looked at something: httpx's
request lines and the forced errors are in the log, with `<token>` where the token was.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.error import NetworkError

from bot.chat import binding, digest_on_demand, lookups
from bot.core import db
from bot.core.logs import setup_logging
from bot.core.models import Assignment, Outbox, Task, Unit
from bot.core.settings import Settings
from bot.core.vocab import DigestScope, MessageKind
from bot.render import callback_data, prompts
from bot.render import messages as m
from bot.store.outbox import Outgoing, enqueue
from scheduler.jobs import tick
from scheduler.sender import SenderConfig, drain
from scheduler.transport import BotTransport
from tests.e2e.conftest import Person, Running, text_of
from tests.security.conftest import BOSS, FINANCE, GROUP, MEMBER, SCIENCE, SECRET, TOKEN, every_row
from tests.support.cli import run_cli
from tests.support.harness import Harness, buttons, texts
from tests.support.store import assignment_id, rows

LIBRARIES = ("httpx", "httpcore", "telegram", "apscheduler", "taskbot", "sqlalchemy.engine", "asyncio")
NO_PAUSES = SenderConfig(global_interval=0, private_interval=0, group_interval=0)


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Everything at DEBUG into a file, through a handler with no filter; logging as it was afterwards."""
    path = tmp_path / "run.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    saved = (
        root.level,
        list(root.handlers),
        {n: logging.getLogger(n).level for n in LIBRARIES},
        logging.raiseExceptions,
    )
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        handler.close()
        root.handlers[:] = saved[1]
        root.setLevel(saved[0])
        logging.raiseExceptions = saved[3]
        for name, level in saved[2].items():
            logging.getLogger(name).setLevel(level)


async def _deliver(bot: Harness) -> None:
    """What the outbox holds, through the real sender and the bot's own HTTP client, to the fake Bot API."""
    await drain(
        bot.engine,
        BotTransport(bot.app.bot),
        now=lambda: dt.datetime.now(dt.UTC),
        worker="t",
        config=NO_PAUSES,
        coordinators=(BOSS,),
    )
    bot.read = len(bot.api.script.received)  # not answers to the next update


class DiskFull(logging.Handler):
    """A deployment's log file on a full disk: every write fails, and logging reports the failure."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            raise OSError(28, "No space left on device")
        except OSError:
            self.handleError(record)


def _everything_at_debug() -> None:
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(logging.DEBUG)


def _leaks(token: str, places: dict[str, str | bytes]) -> list[str]:
    secret = token.split(":", 1)[1]
    found = []
    for where, content in places.items():
        raw = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        for needle in (token, secret):
            if needle.encode() in raw:
                at = raw.index(needle.encode())
                found.append(f"{where}: …{raw[max(0, at - 80) : at + 20]!r}…")
    return found


def _database_files(engine: AsyncEngine) -> dict[str, bytes]:
    path = Path(str(engine.url.database))
    return {f"file {f.name}": f.read_bytes() for f in sorted(path.parent.glob(path.name + "*"))}


async def test_a_whole_session_leaves_the_token_nowhere(
    bound: Harness,
    debug_log: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    bot = bound
    setup_logging(Settings(telegram_bot_token=TOKEN, log_level="DEBUG"))  # what `taskbot run` does first
    logging.getLogger().addHandler(DiskFull())  # its error report printed the exception being handled
    _everything_at_debug()
    caplog.set_level(logging.DEBUG)
    base = bot.api.base_url

    # binding by invite, in private and in a group
    async with db.session_scope(bot.engine) as session:
        day = dt.timedelta(days=1)
        _, private, _ = await binding.invite_unit(session, "市发展改革局", for_group=False, expires=day)
        _, group, _ = await binding.invite_unit(session, "市发展改革局", for_group=True, expires=day)
    assert texts(await bot.say(31, f"/start {private}")) == [m.BIND_OK.format(unit="市发展改革局")]
    assert texts(await bot.say(-32, f"/start {group}", user_id=MEMBER)) == [m.BIND_OK.format(unit="市发展改革局")]
    assert texts(await bot.say(33, "/start not-a-code")) == [m.BIND_REFUSED["unknown"]]

    # prompts (and whatever the scheduler's tick finds due) through the outbox and the real sender; one chat
    # has blocked the bot
    aid = await assignment_id(bot.engine, "市财政局", "1.2")
    async with db.session_scope(bot.engine) as session:
        task = await session.get(Task, (await session.get(Assignment, aid)).task_id)
        text, markup = prompts.render_prompt(
            prompts.PromptContext(
                kind=MessageKind.PROMPT,
                document="示例行动方案",
                ref=task.key,
                task_title=task.title,
                unit="市财政局",
                role="responsible",
                deadline=task.deadline,
                today=dt.date.today(),
                assignment_id=aid,
            )
        )
        await enqueue(
            session,
            [
                Outgoing(
                    key=f"prompt:{aid}:{chat}",
                    kind="prompt",
                    text=text,
                    chat_id=chat,
                    send_at=dt.datetime.now(dt.UTC),
                    assignment_id=aid,
                    reply_markup=markup,
                )
                for chat in (FINANCE, GROUP, SCIENCE, 31)
            ],
        )
    bot.api.script.forbidden.add(31)
    await tick(bot.engine, dt.datetime.now(dt.UTC), ZoneInfo("Asia/Shanghai"), coordinators=(BOSS,))
    await _deliver(bot)

    # reports: a tap, a reply, a command, free text, an extension and its approval, a broadcast
    assert "状态：进行中" in texts(await bot.tap(FINANCE, callback_data.make(callback_data.REPORT, aid, "progress")))[0]
    await bot.say(
        FINANCE,
        "完成60%，预计12月底完成",
        reply_to_message={
            "message_id": 9,
            "date": 0,
            "chat": bot._chat(FINANCE),
            "text": "…",
            "reply_markup": markup,
            "from": {"id": 42, "is_bot": True, "first_name": "taskbot"},
        },
    )
    await bot.say(GROUP, "/report 2.1 受阻，需市发展改革局协调", user_id=MEMBER)
    await bot.say(SCIENCE, "/report 1.1 已完成")
    new = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    await bot.say(FINANCE, "正在推进，完成过半")
    await bot.say(FINANCE, f"/extend 1.2 {new} 资金尚未到位")
    (notice,) = [
        o
        for o in await rows(bot.engine, select(Outbox).where(Outbox.chat_id == BOSS))
        if o.text.startswith("【延期申请】")
    ]
    (approve, _) = (b["callback_data"] for b in notice.reply_markup["inline_keyboard"][0])
    assert texts(await bot.tap(BOSS, approve))[0].startswith("已同意")
    (question,) = await bot.say(BOSS, "/broadcast 请于周五前报送进展")
    await bot.tap(BOSS, buttons(question)[0][1])
    for command in ("/digest", "/units", "/overdue", "/status 1.2", "/mytasks", "/help"):
        await bot.say(BOSS, command)
    await bot.say(SCIENCE, "/digest")
    await _deliver(bot)

    # errors with the token in their message: in a handler, and outside any update (a job, the updater)
    async def broken(*_args: object, **_kwargs: object) -> None:
        raise NetworkError(f"httpx.ConnectError: POST {base}{TOKEN}/sendMessage failed")

    monkeypatch.setattr(lookups, "open_assignments", broken)
    assert texts(await bot.say(FINANCE, "/mytasks")) == [m.ERROR_GENERIC]
    await bot.app.process_error(None, RuntimeError(f"job failed: {base}{TOKEN}/getUpdates"))

    # what was written
    digests = {}
    async with db.session_scope(bot.engine) as session:
        scopes = ((DigestScope.ALL, None), (DigestScope.LEAD, "市科技局"), (DigestScope.OWN, "市财政局"))
        for scope, unit in scopes:
            uid = (await session.execute(select(Unit.id).where(Unit.name == unit))).scalar() if unit else None
            digests[f"digest {scope}"] = await digest_on_demand.digest_text(
                session,
                scope=scope,
                today=dt.date.today(),
                tz=ZoneInfo("Asia/Shanghai"),
                unit_id=uid,
                unit_name=unit or "",
            )
    out, err = capfd.readouterr()
    log_text = debug_log.read_text(encoding="utf-8")
    places: dict[str, str | bytes] = {
        "log file": log_text,
        "caplog": caplog.text,
        "stdout": out,
        "stderr": err,
        "rows": repr(await every_row(bot.engine)),
        **digests,
        "messages sent": json.dumps(bot.api.script.received, ensure_ascii=False),
        **_database_files(bot.engine),
    }
    assert _leaks(TOKEN, places) == []
    # the controls: the search saw httpx's request URLs and the forced errors, scrubbed
    assert "HTTP Request: POST" in log_text and f"{base}<token>/sendMessage" in log_text
    assert log_text.count("<token>") >= 3 and "job failed" in log_text and "httpx.ConnectError" in log_text
    assert len(bot.api.script.received) > 20 and any("【督办通知】" in p["text"] for p in bot.api.script.received)
    assert m.DIGEST_TITLE in digests["digest all"]


# --- a token Telegram rejects at start -------------------------------------------------------------------


class _Rejecting(BaseHTTPRequestHandler):
    """A Bot API that answers 401 to everything, as Telegram does for a revoked token."""

    def log_message(self, *_args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_rejected_token_is_one_line_without_the_token(
    tmp_path: Path, debug_log: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """`taskbot run` with a revoked token: PTB's InvalidToken says "The token `…` was rejected"; the CLI
    must print one line without it (it printed a traceback ending in the token)."""
    server = HTTPServer(("127.0.0.1", 0), _Rejecting)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        result = run_cli(
            "run",
            env={
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}/bot",
                "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'run.db'}",
            },
        )
    finally:
        root.handlers[:] = handlers
        server.shutdown()
        server.server_close()
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "error: Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?): copy it again from @BotFather"
    )
    out, err = capfd.readouterr()
    assert (
        _leaks(
            TOKEN,
            {
                "stdout": result.stdout,
                "stderr": result.stderr,
                "console": out + err,
                "log file": debug_log.read_text(encoding="utf-8"),
            },
        )
        == []
    )
    assert SECRET not in repr(result)


# --- the same against the Bot API emulator: long polling, as in production ---------------------------------

CONTACT = Person(2001, 2001, "财政联络员")
BOSS_E2E = Person(9001, 9001, "督办员")


@pytest.mark.e2e
async def test_polling_the_emulator_leaves_the_token_nowhere(
    running: Running, debug_log: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    run, emu = running, running.emulator
    token = run.settings.telegram_bot_token.get_secret_value()
    _everything_at_debug()
    async with run.session() as session:
        _, code, _ = await binding.invite_unit(session, "市财政局", for_group=False, expires=dt.timedelta(days=1))
    await emu.command(CONTACT, f"/start {code}")
    assert "绑定成功" in text_of((await emu.replies(CONTACT))[0])
    aid = await assignment_id(run.engine, "市财政局", "1.2")
    await emu.tap(CONTACT, _fake_prompt(aid), callback_data.make(callback_data.REPORT, aid, "done"))
    assert "状态：已完成" in text_of((await emu.replies(CONTACT))[0])
    await emu.command(BOSS_E2E, "/digest")
    assert m.DIGEST_TITLE in text_of((await emu.replies(BOSS_E2E))[0])

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise NetworkError(f"httpx.ReadError: {run.settings.telegram_base_url}{token}/sendMessage")

    monkeypatch.setattr(lookups, "open_assignments", broken)
    await emu.command(CONTACT, "/mytasks")
    assert text_of((await emu.replies(CONTACT))[0]) == m.ERROR_GENERIC
    out, err = capfd.readouterr()
    log_text = debug_log.read_text(encoding="utf-8")
    places = {
        "log file": log_text,
        "stdout": out,
        "stderr": err,
        "rows": repr(await every_row(run.engine)),
        **_database_files(run.engine),
    }
    assert _leaks(token, places) == []
    assert "getUpdates" in log_text and "/bot<token>/getUpdates" in log_text  # polling was logged, scrubbed
    assert "httpx.ReadError" in log_text


def _fake_prompt(aid: int) -> dict:
    """A stored bot message carrying the prompt's buttons, as the emulator keeps it."""
    return {"messageId": 1, "time": 0, "message": {"text": "【进展询问】", "reply_markup": prompts.report_buttons(aid)}}
