"""Binding at scale (issue 12 item 5): `/invite` in chat, `taskbot invite --all --xlsx`, and /units' order.

The chat command goes through the real Application against the fake Bot API (tests/test_handlers.py's
harness); the CLI runs in-process and the sheet it writes is read back with openpyxl."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import binding, invites
from bot.core import db
from bot.core.models import AuditLog, Invite, Unit, UnitAlias
from bot.core.vocab import BindOutcome, InviteProblem
from bot.presenters import answers
from bot.render import messages as m
from tests.conftest import DATA
from tests.support.cli import run_cli, snapshot_url
from tests.support.harness import BOSS, FINANCE, SCIENCE, Harness, buttons, seeded_harness, texts
from tests.support.store import bind, rows, seed

LINK = re.compile(r"https://t\.me/taskbot_test_bot\?(start|startgroup)=([A-Za-z0-9_-]{32})")
GROUP = -70
# mini.yaml's units that can be bound, by name (the group 各县(市、区)人民政府 expands into the last three)
ALL_MEMBERS = ["市发展改革局", "市科技局", "市财政局", "新会区人民政府", "江海区人民政府", "蓬江区人民政府"]
UNBOUND_AT_START = ["市发展改革局", "江海区人民政府", "蓬江区人民政府"]


@pytest.fixture
async def bot(store_url: str) -> AsyncIterator[Harness]:
    async with seeded_harness(store_url) as harness:
        yield harness


async def _invites(bot: Harness) -> list[Invite]:
    return await rows(bot.engine, select(Invite).order_by(Invite.id))


# --- /invite in chat -----------------------------------------------------------------------------------


async def test_invite_from_a_group_goes_privately_and_the_link_binds(bot: Harness) -> None:
    sent = await bot.say(GROUP, "/invite 市财政局", user_id=BOSS)
    assert [s["chat"] for s in sent] == [BOSS, GROUP]
    private, public = sent
    kind, code = LINK.search(private["text"]).groups()
    assert kind == "start" and f"<code>{code}</code>" in private["text"] and "「市财政局」" in private["text"]
    assert public["text"] == m.INVITE_SENT_PRIVATELY.format(unit="市财政局") and code not in public["text"]
    (stored,) = await _invites(bot)
    assert stored.code_hash == binding.hash_code(code) and not stored.for_group
    created = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "invite.create"))
    assert [(a.actor, a.entity_id) for a in created] == [(f"tg:{BOSS}", str(stored.id))]

    # the contact opens the link: Telegram sends /start CODE from their private chat
    assert texts(await bot.say(FINANCE, f"/start {code}")) == [m.BIND_OK.format(unit="市财政局")]
    assert texts(await bot.say(FINANCE, "/start")) == [m.START_BOUND.format(unit="市财政局")]


async def test_a_group_invite_with_a_lifetime_in_the_coordinators_own_chat(bot: Harness) -> None:
    before = dt.datetime.now(dt.UTC)
    (private,) = await bot.say(BOSS, "/invite 14d 市科学技术局 群组")  # any order; an alias; 群组 = group
    kind, code = LINK.search(private["text"]).groups()
    assert kind == "startgroup" and m.INVITE_KINDS[True] in private["text"]
    (stored,) = await _invites(bot)
    expires = stored.expires_at if stored.expires_at.tzinfo else stored.expires_at.replace(tzinfo=dt.UTC)
    assert dt.timedelta(days=14) <= expires - before < dt.timedelta(days=14, minutes=1)
    assert texts(await bot.say(GROUP, f"/start@taskbot_test_bot {code}", user_id=SCIENCE)) == [
        m.BIND_OK.format(unit="市科技局")
    ]
    assert texts(await bot.say(GROUP + 1, f"/start {code}")) == [
        m.BIND_REFUSED[BindOutcome.USED].format(unit="市科技局")
    ]


async def test_invite_is_for_coordinators_only(bot: Harness) -> None:
    await bind(bot.engine, FINANCE, "市财政局")
    assert texts(await bot.say(FINANCE, "/invite 市财政局")) == [m.COORDINATORS_ONLY]
    assert texts(await bot.say(GROUP, "/invite 市财政局 group", user_id=FINANCE)) == [m.COORDINATORS_ONLY]
    assert await _invites(bot) == []
    refused = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "access.refused"))
    assert [(a.actor, a.entity_id) for a in refused] == [(f"tg:{FINANCE}", "invite")] * 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/invite", answers.invite_refused(InviteProblem.USAGE, "", None)[0]),
        ("/invite group 7d", answers.invite_refused(InviteProblem.USAGE, "", None)[0]),
        (
            "/invite 市财政厅",
            m.INVITE_REFUSED[InviteProblem.UNKNOWN_UNIT].format(
                text="市财政厅", hint=m.INVITE_CLOSEST.format(unit="市财政局")
            ),
        ),
        (
            "/invite 海关总署",
            m.INVITE_REFUSED[InviteProblem.UNKNOWN_UNIT].format(text="海关总署", hint=m.INVITE_NO_CLOSEST),
        ),
        ("/invite 各市（区）人民政府", m.INVITE_REFUSED[InviteProblem.GROUP_UNIT].format(text="各县(市、区)人民政府")),
        (
            "/invite 市财政局 soon7d",
            m.INVITE_REFUSED[InviteProblem.UNKNOWN_UNIT].format(
                text="市财政局soon7d", hint=m.INVITE_CLOSEST.format(unit="市财政局")
            ),
        ),
        ("/invite 市财政局 7x", m.INVITE_REFUSED[InviteProblem.BAD_EXPIRY].format(text="7x")),
        ("/invite 市财政局 999999w", m.INVITE_REFUSED[InviteProblem.BAD_EXPIRY].format(text="999999w")),
        ("/invite 市财政局 366d", m.INVITE_REFUSED[InviteProblem.BAD_EXPIRY].format(text="366d")),
    ],
)
async def test_bad_invite_commands_make_no_code(bot: Harness, text: str, expected: str) -> None:
    assert texts(await bot.say(BOSS, text)) == [expected]
    assert await _invites(bot) == []


async def _district_science_bureau(bot: Harness) -> None:
    """A district's document names its own bureau 「科技局」: 蓬江区科技局, with that alias."""
    async with db.session_scope(bot.engine) as session:
        district = Unit(name="蓬江区科技局")
        session.add(district)
        await session.flush()
        assert district.id is not None
        session.add(UnitAlias(alias="科技局", unit_id=district.id))


async def test_a_short_alias_that_fits_several_units_is_a_question(bot: Harness) -> None:
    """Issue 22: 「科技局」 became 区科技局 (another region's alias) for /invite. Now it asks, a button per unit;
    the button makes the invite of the unit chosen. A full name or an alias only one unit fits needs no
    question."""
    await _district_science_bureau(bot)
    (asked,) = await bot.say(BOSS, "/invite 科技局 group")
    assert asked["text"] == m.INVITE_REFUSED[InviteProblem.AMBIGUOUS_UNIT].format(text="科技局", n=2)
    choices = buttons(asked)
    assert sorted(label for label, _ in choices) == ["市科技局", "蓬江区科技局"]
    assert await _invites(bot) == []
    city = next(data for label, data in choices if label == "市科技局")
    assert city.endswith(":ok")  # a group invite, as asked
    (private,) = await bot.tap(BOSS, city)
    kind, _ = LINK.search(private["text"]).groups()
    assert kind == "startgroup" and "「市科技局」" in private["text"]
    (stored,) = await _invites(bot)
    assert stored.for_group
    assert LINK.search((await bot.say(BOSS, "/invite 蓬江区科技局"))[0]["text"])  # the full name: no question
    assert "「市科技局」" in (await bot.say(BOSS, "/invite 江门市科学技术局"))[0]["text"]  # one unit's alias
    assert "可能指多个单位" in texts(await bot.say(BOSS, "/remind unit 科技局"))[0]


async def test_the_cli_invite_lists_the_units_an_alias_fits_and_exits_2(bot: Harness, store_url: str) -> None:
    await _district_science_bureau(bot)
    before = await asyncio.to_thread(snapshot_url, store_url)
    result = await asyncio.to_thread(run_cli, "invite", "科技局", env={"DATABASE_URL": store_url})
    assert result.exit_code == 2
    assert "fits 2 units: 市科技局, 蓬江区科技局" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert await asyncio.to_thread(snapshot_url, store_url) == before


async def test_an_invite_that_cannot_reach_the_coordinator_is_withdrawn(bot: Harness) -> None:
    bot.api.script.forbidden.add(BOSS)  # the coordinator never opened a private chat with the bot
    sent = await bot.say(GROUP, "/invite 市财政局", user_id=BOSS)
    assert texts(sent) == [m.INVITE_NOT_DELIVERED] and [s["chat"] for s in sent] == [GROUP]
    assert not LINK.search(sent[0]["text"])
    (stored,) = await _invites(bot)
    expires = stored.expires_at if stored.expires_at.tzinfo else stored.expires_at.replace(tzinfo=dt.UTC)
    assert expires <= dt.datetime.now(dt.UTC) and stored.used_at is None
    withdrawn = await rows(bot.engine, select(AuditLog).where(AuditLog.action == "invite.withdrawn"))
    assert [a.entity_id for a in withdrawn] == [str(stored.id)] and "Forbidden" in withdrawn[0].detail["reason"]


@pytest.mark.parametrize(
    ("text", "request_"),
    [
        ("市财政局", invites.InviteRequest("市财政局")),
        ("市财政局 group", invites.InviteRequest("市财政局", True)),
        ("GROUP 市财政局 12h", invites.InviteRequest("市财政局", True, dt.timedelta(hours=12))),
        ("市财政局 2周", invites.InviteRequest("市财政局", False, dt.timedelta(weeks=2))),
        ("工作群 30分钟 市财政局", invites.InviteRequest("市财政局", True, dt.timedelta(minutes=30))),
        ("市财政局 365天", invites.InviteRequest("市财政局", False, dt.timedelta(days=365))),
        ("各县 (市、区) 人民政府", invites.InviteRequest("各县(市、区)人民政府")),
        ("", invites.InviteRefusal(InviteProblem.USAGE)),
        ("市财政局 0d", invites.InviteRefusal(InviteProblem.BAD_EXPIRY, "0d")),
        ("市财政局 7", invites.InviteRefusal(InviteProblem.BAD_EXPIRY, "7")),
    ],
)
def test_invite_arguments(text: str, request_: invites.InviteRequest | invites.InviteRefusal) -> None:
    assert invites.parse_request(text) == request_


# --- /units --------------------------------------------------------------------------------------------


async def test_units_lists_unbound_then_blocked_then_bound(bot: Harness) -> None:
    await bind(bot.engine, FINANCE, "市财政局")
    await bind(bot.engine, SCIENCE, "市科技局")
    await bind(bot.engine, -81, "新会区人民政府", "group")
    await bind(bot.engine, 82, "新会区人民政府")
    async with db.session_scope(bot.engine) as session:
        for chat in (SCIENCE, -81):
            await binding.set_blocked(
                session, chat, blocked=True, reason="bot kicked", now=dt.datetime.now(dt.UTC), user_id=None
            )
    (units,) = await bot.say(BOSS, "/units")
    lines = units["text"].splitlines()
    assert lines[:2] == [m.UNITS_HEADER.format(n=6), m.UNITS_COUNTS.format(unbound=3, blocked=2, bound=1)]
    # issue 22: the unbound units are a list, one a line (they were one paragraph joined with 、)
    assert lines[2] == "<b>尚未绑定聊天的单位（3个）</b>"
    assert sorted(line.removeprefix("· ") for line in lines[3:6]) == UNBOUND_AT_START[:3]
    assert all(line.startswith("· ") and "、" not in line for line in lines[3:6])
    assert lines[6] == m.UNITS_INVITE_HINT
    assert lines[7] == m.UNITS_BLOCKED_HEADER.format(n=2)
    assert lines[8].startswith("· 市科技局：1个聊天（1个已屏蔽机器人）")  # no live chat left: first
    assert lines[9].startswith("· 新会区人民政府：2个聊天（1个已屏蔽机器人）")
    assert lines[10] == m.UNITS_BOUND_HEADER.format(n=1) and lines[11].startswith("· 市财政局：1个聊天，")
    assert lines[12].startswith("<b>本月排名</b>")  # last: the month's ranking
    assert lines[13:] and all(line.split(". ", 1)[0].isdigit() for line in lines[13:])


# --- taskbot invite --all --xlsx -------------------------------------------------------------------------


def _count_invites(url: str) -> int:
    async def count() -> int:
        engine = db.make_engine(url)
        try:
            async with db.session_scope(engine) as session:
                return (await session.execute(select(func.count()).select_from(Invite))).scalar_one()
        finally:
            await engine.dispose()

    return asyncio.run(count())


def _redeem(url: str, code: str, chat_id: int) -> str:
    async def redeem() -> str:
        engine = db.make_engine(url)
        try:
            async with db.session_scope(engine) as session:
                result = await binding.redeem_invite(
                    session, code, chat_id=chat_id, kind="private", title="t", user_id=chat_id
                )
                return result.outcome
        finally:
            await engine.dispose()

    return asyncio.run(redeem())


def _sheet(path: Path) -> tuple[list[tuple], object]:
    ws = load_workbook(path).active
    return [tuple(c.value for c in row) for row in ws.iter_rows()], ws


@pytest.fixture
def cli_env(store_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name in ("TELEGRAM_BOT_USERNAME", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    env = {"DATABASE_URL": store_url}
    assert run_cli("import", str(DATA / "mini.yaml"), env=env).exit_code == 0
    return env


def test_invite_all_writes_a_sheet_and_skips_units_bound_in_between(cli_env: dict[str, str], tmp_path: Path) -> None:
    url = cli_env["DATABASE_URL"]
    listed = run_cli("invite", "--all", "--dry-run", env=cli_env)
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.splitlines() == [*ALL_MEMBERS, "6 units without a live chat; no codes made (--dry-run)"]
    assert _count_invites(url) == 0 and not list(tmp_path.glob("*.xlsx"))

    first = tmp_path / "邀请.xlsx"
    result = run_cli(
        "invite", "--all", "--xlsx", str(first), "--bot-username", "@taskbot_demo_bot", "--expires", "14d", env=cli_env
    )
    assert result.exit_code == 0, result.stderr
    assert "6 private invites" in result.stdout
    cells, ws = _sheet(first)
    local_now = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    today = local_now.date().isoformat()
    assert cells[0][0] == m.INVITE_SHEET_TITLE.format(date=today, n=6)
    assert cells[1] == m.INVITE_SHEET_HEADERS
    body = cells[2:]
    assert [r[0] for r in body] == ALL_MEMBERS  # by name; the group unit is not invited itself
    for _unit, link, code, until, kind in body:
        assert link == f"https://t.me/taskbot_demo_bot?start={code}" and kind == m.INVITE_KINDS[False]
        assert dt.timedelta(days=14) - dt.timedelta(minutes=2) < until - local_now <= dt.timedelta(days=14)
    assert ws.freeze_panes == "A3" and ws["B3"].hyperlink.target == body[0][1]
    assert all(ws.column_dimensions[c].width >= 6 for c in "ABCDE") and ws.column_dimensions["B"].width > 30
    assert stat.S_IMODE(first.stat().st_mode) == 0o600  # the sheet holds live codes
    assert _count_invites(url) == 6

    codes = {row[0]: row[2] for row in body}
    assert _redeem(url, codes["市财政局"], 11) == BindOutcome.BOUND  # bound between the two runs
    assert _redeem(url, codes["江海区人民政府"], 12) == BindOutcome.BOUND

    second = tmp_path / "second.xlsx"
    again = run_cli(
        "invite", "--all", "--group", "--xlsx", str(second), "--bot-username", "taskbot_demo_bot", env=cli_env
    )
    assert again.exit_code == 0, again.stderr
    cells, _ = _sheet(second)
    assert [r[0] for r in cells[2:]] == ["市发展改革局", "市科技局", "新会区人民政府", "蓬江区人民政府"]
    assert all(
        r[1].startswith("https://t.me/taskbot_demo_bot?startgroup=") and r[4] == m.INVITE_KINDS[True] for r in cells[2:]
    )
    assert _count_invites(url) == 10


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--all"], "--xlsx FILE"),
        (["市财政局", "--all", "--xlsx", "{dir}/a.xlsx"], "not both"),
        (["--xlsx", "{dir}/a.xlsx"], "give the unit"),
        (["市财政局", "--xlsx", "{dir}/a.xlsx"], "--xlsx goes with --all"),
        (["市财政局", "--dry-run"], "--dry-run goes with --all"),
        (["--all", "--xlsx", "{dir}/a.csv"], ".xlsx"),
        (["--all", "--xlsx", "{dir}/no/such/a.xlsx"], "does not exist"),
        (["--all", "--xlsx", "{dir}/a.xlsx"], "username"),
        (["--all", "--xlsx", "{dir}/a.xlsx", "--bot-username", "tb"], "--bot-username"),
        (
            ["--all", "--xlsx", "{dir}/a.xlsx", "--bot-username", "taskbot_demo_bot", "--expires", "999999w"],
            "--expires",
        ),
        (["--all", "--xlsx", "{dir}/a.xlsx", "--bot-username", "taskbot_demo_bot", "--expires", "soon"], "--expires"),
    ],
)
def test_invite_all_bad_arguments_change_nothing(
    cli_env: dict[str, str], tmp_path: Path, args: list[str], says: str
) -> None:
    url = cli_env["DATABASE_URL"]
    before = snapshot_url(url)
    result = run_cli("invite", *(a.format(dir=tmp_path) for a in args), env=cli_env)
    assert result.exit_code == 2, result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and says in result.stderr
    assert snapshot_url(url) == before
    assert [p.name for p in tmp_path.rglob("*") if p.is_file() and not p.name.startswith("taskbot.db")] == []


async def test_invite_all_skips_live_chats_only(engine: AsyncEngine) -> None:
    await seed(engine)
    await bind(engine, 1, "市财政局")
    await bind(engine, 2, "市科技局")
    async with db.session_scope(engine) as session:
        await binding.set_blocked(session, 2, blocked=True, reason="blocked", now=dt.datetime.now(dt.UTC), user_id=None)
        names = [name for _, name in await invites.units_without_live_chat(session)]
    assert names == [n for n in ALL_MEMBERS if n != "市财政局"]  # 市科技局's only chat blocked the bot
