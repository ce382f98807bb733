"""The decisions behind the conversation, against a real store (SQLite and PostgreSQL): binding, reports,
extensions, closing a task, broadcasts, coordinators and the read queries the commands show."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import binding, broadcast, closing, deadline_extension, reports, roles
from bot.core import db
from bot.core.errors import TaskbotError
from bot.core.models import Assignment, AuditLog, Chat, ExtensionRequest, Invite, Outbox, Report, Task
from bot.core.vocab import BindOutcome, BroadcastOutcome, CloseOutcome, ExtensionOutcome, ReportOutcome, Status
from bot.replies.parser import ParsedReply
from bot.store import assignment_views
from tests.support.store import assignment_id, audit_actions, bind, get, rows, seed, unit_id

NOW = dt.datetime.now(dt.UTC)
TODAY = NOW.date()


@pytest.fixture
async def store(engine: AsyncEngine) -> AsyncEngine:
    await seed(engine)
    return engine


# --- binding -------------------------------------------------------------------------------------------


async def _invite(
    engine: AsyncEngine,
    unit: str,
    *,
    group: bool = False,
    now: dt.datetime = NOW,
    expires: dt.timedelta = dt.timedelta(days=7),
) -> str:
    async with db.session_scope(engine) as session:
        _, code, _ = await binding.invite_unit(session, unit, for_group=group, expires=expires, now=now)
    return code


async def _redeem(engine: AsyncEngine, code: str, chat_id: int, kind: str = "private") -> binding.BindResult:
    async with db.session_scope(engine) as session:
        return await binding.redeem_invite(
            session, code, chat_id=chat_id, kind=kind, title="t", user_id=chat_id, now=NOW
        )


async def test_invite_codes_are_deep_link_safe_and_stored_hashed(store: AsyncEngine) -> None:
    code = await _invite(store, "市科学技术局")  # an alias
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", code)
    (invite,) = await rows(store, select(Invite))
    assert invite.code_hash == hashlib.sha256(code.encode()).hexdigest() and code not in invite.code_hash
    assert invite.unit_id == await unit_id(store, "市科技局")
    assert binding.invite_link("@taskbot_bot", code, group=True) == f"https://t.me/taskbot_bot?startgroup={code}"


async def test_a_code_binds_once(store: AsyncEngine) -> None:
    code = await _invite(store, "市财政局")
    assert await _redeem(store, code, 11) == binding.BindResult(BindOutcome.BOUND, "市财政局")
    assert (await _redeem(store, code, 11)).outcome == BindOutcome.ALREADY
    assert (await _redeem(store, code, 12)).outcome == BindOutcome.USED
    (chat,) = await rows(store, select(Chat))
    assert (chat.chat_id, chat.kind, chat.bound_by) == (11, "private", 11)
    assert await audit_actions(store) == ["invite.create", "chat.bind", "invite.refused"]


@pytest.mark.parametrize(
    ("how", "outcome"),
    [
        ("expired", BindOutcome.EXPIRED),
        ("group code in private", BindOutcome.WRONG_KIND),
        ("private code in group", BindOutcome.WRONG_KIND),
        ("unknown", BindOutcome.UNKNOWN),
    ],
)
async def test_bad_codes_are_refused_and_stay_unused(store: AsyncEngine, how: str, outcome: str) -> None:
    if how == "expired":
        code = await _invite(store, "市财政局", now=NOW - dt.timedelta(days=8))
    elif how == "unknown":
        code = "no-such-code"
    else:
        code = await _invite(store, "市财政局", group=how.startswith("group"))
    kind = "group" if how == "private code in group" else "private"
    assert (await _redeem(store, code, -5 if kind == "group" else 5, kind)).outcome == outcome
    assert await rows(store, select(Chat)) == []
    assert all(i.used_at is None for i in await rows(store, select(Invite)))


async def test_a_chat_belongs_to_one_unit(store: AsyncEngine) -> None:
    await _redeem(store, await _invite(store, "市财政局"), 11)
    second = await _invite(store, "市科技局")
    assert await _redeem(store, second, 11) == binding.BindResult(BindOutcome.OTHER_UNIT, "市财政局")
    assert (await _redeem(store, second, 12)).outcome == BindOutcome.BOUND  # the code was not spent


async def test_unknown_unit_names_the_closest(store: AsyncEngine) -> None:
    with pytest.raises(TaskbotError, match="did you mean '市财政局'"):
        await _invite(store, "市财政厅")
    with pytest.raises(TaskbotError, match="group"):
        await _invite(store, "各县(市、区)人民政府")


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("30m", dt.timedelta(minutes=30)),
        ("12h", dt.timedelta(hours=12)),
        ("7d", dt.timedelta(days=7)),
        ("2w", dt.timedelta(weeks=2)),
    ],
)
def test_durations(text: str, delta: dt.timedelta) -> None:
    assert binding.parse_duration(text) == delta


@pytest.mark.parametrize("text", ["0d", "7", "d", "7y", "-1d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(TaskbotError):
        binding.parse_duration(text)


async def test_blocked_and_migrated_chats(store: AsyncEngine) -> None:
    await bind(store, -100, "市财政局", "group")
    async with db.session_scope(store) as session:
        assert await binding.set_blocked(session, -100, blocked=True, reason="bot kicked", now=NOW, user_id=1)
        assert not await binding.set_blocked(session, -100, blocked=True, reason="bot kicked", now=NOW, user_id=1)
        assert await binding.migrate_chat(session, -100, -1000100)
    (chat,) = await rows(store, select(Chat))
    assert (chat.chat_id, chat.blocked_reason) == (-1000100, "bot kicked")
    assert await audit_actions(store) == ["chat.blocked", "chat.migrate"]


# --- reports -------------------------------------------------------------------------------------------


async def _report(
    engine: AsyncEngine, chat_id: int, aid: int, text: str, parsed: ParsedReply, source: str = "text"
) -> reports.ReportResult:
    async with db.session_scope(engine) as session:
        return await reports.submit_report(
            session,
            chat_id=chat_id,
            assignment_id=aid,
            text=text,
            parsed=parsed,
            source=source,
            user_id=chat_id,
            user_name="联络员",
            at=NOW,
        )


async def test_a_report_is_stored_whole_and_moves_the_assignment(store: AsyncEngine) -> None:
    await bind(store, 11, "市财政局")
    aid = await assignment_id(store, "市财政局", "1.2")
    parsed = ParsedReply("in_progress", 60, TODAY + dt.timedelta(days=30))
    result = await _report(store, 11, aid, "进展60%", parsed)
    assert result.outcome == ReportOutcome.STORED and result.view is not None and result.view.percent == 60
    (report,) = await rows(store, select(Report))
    assert (report.text, report.chat_id, report.user_id, report.status, report.percent, report.source) == (
        "进展60%",
        11,
        11,
        "in_progress",
        60,
        "text",
    )
    assignment = await get(store, Assignment, aid)
    assert (assignment.status, assignment.percent) == ("in_progress", 60)
    assert assignment.expected_date == parsed.expected_date
    assert assignment.last_report_at is not None
    assert await audit_actions(store) == ["report.add"]


async def test_the_same_report_twice_is_stored_once(store: AsyncEngine) -> None:
    await bind(store, 11, "市财政局")
    aid = await assignment_id(store, "市财政局", "1.2")
    first = await _report(store, 11, aid, "已完成", reports.button_report("done"), "button")
    assert first.outcome == ReportOutcome.STORED
    again = await _report(store, 11, aid, "已完成", reports.button_report("done"), "button")
    assert again.outcome == ReportOutcome.DUPLICATE
    assert len(await rows(store, select(Report))) == 1


async def test_another_units_assignment_is_refused_and_audited(store: AsyncEngine) -> None:
    await bind(store, 11, "市财政局")
    theirs = await assignment_id(store, "市科技局", "1.1")
    result = await _report(store, 11, theirs, "已完成", reports.button_report("done"), "button")
    assert result.outcome == "not_yours"
    assert await rows(store, select(Report)) == []
    (refusal,) = await rows(store, select(AuditLog).where(AuditLog.action == "access.refused"))
    assert refusal.entity_id == str(theirs) and refusal.detail["chat_id"] == 11


@pytest.mark.parametrize(
    ("text", "parsed", "outcome"),
    [
        ("", ParsedReply(), ReportOutcome.EMPTY),
        ("进" * 10_000, ParsedReply("in_progress"), ReportOutcome.TOO_LONG),
        ("完成120%", ParsedReply("done", 120, problems=("percent_over_100",)), ReportOutcome.PROBLEM),
        (
            "预计2023年6月完成",
            ParsedReply("in_progress", past_date=dt.date(2023, 6, 30), problems=("date_in_past",)),
            ReportOutcome.PROBLEM,
        ),
    ],
)
async def test_bad_reports_store_nothing(store: AsyncEngine, text: str, parsed: ParsedReply, outcome: str) -> None:
    await bind(store, 11, "市财政局")
    aid = await assignment_id(store, "市财政局", "1.2")
    assert (await _report(store, 11, aid, text, parsed)).outcome == outcome
    assert await rows(store, select(Report)) == []
    assert (await get(store, Assignment, aid)).status == Status.PENDING


async def test_unbound_missing_archived_and_closed(store: AsyncEngine) -> None:
    aid = await assignment_id(store, "市财政局", "1.2")
    assert (await _report(store, 11, aid, "已完成", ParsedReply("done"))).outcome == "unbound"
    await bind(store, 11, "市财政局")
    assert (await _report(store, 11, 99_999, "已完成", ParsedReply("done"))).outcome == "missing"
    async with db.session_scope(store) as session:
        task = (await session.execute(select(Task).where(Task.key == "1.2"))).scalar_one()
        task.closed_at = NOW
    assert (await _report(store, 11, aid, "已完成", ParsedReply("done"))).outcome == "closed"
    async with db.session_scope(store) as session:
        (await session.get(Assignment, aid)).archived = True
    assert (await _report(store, 11, aid, "已完成", ParsedReply("done"))).outcome == "archived"


@pytest.mark.parametrize(
    ("before", "parsed", "after"),
    [
        (("pending", None, None), ParsedReply(), ("in_progress", None, None)),
        (("blocked", 40, None), ParsedReply(), ("blocked", 40, None)),
        (("in_progress", 40, dt.date(2030, 1, 1)), ParsedReply(percent=60), ("in_progress", 60, dt.date(2030, 1, 1))),
        (("in_progress", 40, dt.date(2030, 1, 1)), ParsedReply("done"), ("done", 100, None)),
        (("in_progress", 40, None), ParsedReply("not_started"), ("pending", 40, None)),
        (("done", 100, None), ParsedReply("blocked"), ("blocked", 100, None)),
    ],
)
def test_next_state(before: tuple, parsed: ParsedReply, after: tuple) -> None:
    assert reports.next_state(*before, parsed) == after


# --- extensions ----------------------------------------------------------------------------------------


async def _extend(
    engine: AsyncEngine,
    aid: int,
    new_date: dt.date,
    reason: str = "资金未到位",
    coordinators: tuple[int, ...] = (900, 901),
) -> deadline_extension.ExtensionResult:
    async with db.session_scope(engine) as session:
        return await deadline_extension.request_extension(
            session,
            chat_id=11,
            assignment_id=aid,
            new_date=new_date,
            reason=reason,
            user_id=11,
            now=NOW,
            coordinators=coordinators,
        )


async def _decide(engine: AsyncEngine, request_id: int, approve: bool, user: int = 900) -> deadline_extension.Decision:
    async with db.session_scope(engine) as session:
        return await deadline_extension.decide_extension(
            session, request_id=request_id, approve=approve, user_id=user, now=NOW
        )


async def test_extension_request_then_approval_moves_the_deadline(store: AsyncEngine) -> None:
    await bind(store, 11, "市财政局")
    aid = await assignment_id(store, "市财政局", "1.2")
    later = TODAY + dt.timedelta(days=60)
    sent = await _extend(store, aid, later)
    assert (sent.outcome, sent.coordinators) == (ExtensionOutcome.SENT, 2)
    notices = await rows(store, select(Outbox).order_by(Outbox.chat_id))
    assert [(n.chat_id, n.kind) for n in notices] == [(900, "notice"), (901, "notice")]
    assert [b["text"] for b in notices[0].reply_markup["inline_keyboard"][0]] == ["同意延期", "不同意"]
    assert (await _extend(store, aid, later + dt.timedelta(days=1))).outcome == ExtensionOutcome.WAITING

    assert sent.request is not None
    decision = await _decide(store, sent.request.id, approve=True)
    assert decision.outcome == ExtensionOutcome.APPROVED
    assert decision.view is not None and decision.view.deadline == later
    assert (await get(store, Assignment, aid)).deadline_override == later
    assert (await _decide(store, sent.request.id, approve=False, user=901)).outcome == "already"
    told = await rows(store, select(Outbox).where(Outbox.key.like("extension:%:decision%")))
    assert [(t.chat_id, t.kind) for t in told] == [(11, "notice")]
    assert await audit_actions(store) == ["extension.request", "extension.approve"]


async def test_refusal_keeps_the_deadline(store: AsyncEngine) -> None:
    await bind(store, 11, "市财政局")
    aid = await assignment_id(store, "市财政局", "1.2")
    sent = await _extend(store, aid, TODAY + dt.timedelta(days=10))
    assert sent.request is not None
    assert (await _decide(store, sent.request.id, approve=False)).outcome == ExtensionOutcome.REFUSED
    assert (await get(store, Assignment, aid)).deadline_override is None
    (request,) = await rows(store, select(ExtensionRequest))
    assert (request.status, request.decided_by) == ("refused", 900)


@pytest.mark.parametrize(
    ("days", "reason", "outcome"),
    [(0, "理由", ExtensionOutcome.PAST), (-3, "理由", ExtensionOutcome.PAST), (30, "  ", ExtensionOutcome.NO_REASON)],
)
async def test_bad_extension_requests(store: AsyncEngine, days: int, reason: str, outcome: str) -> None:
    await bind(store, 11, "市财政局")
    aid = await assignment_id(store, "市财政局", "1.2")
    assert (await _extend(store, aid, TODAY + dt.timedelta(days=days), reason)).outcome == outcome
    assert await rows(store, select(ExtensionRequest)) == []


async def test_extension_must_be_later_than_the_deadline(store: AsyncEngine) -> None:
    await bind(store, 11, "市财政局")
    aid = await assignment_id(store, "市财政局", "1.2")
    far = TODAY + dt.timedelta(days=400)
    async with db.session_scope(store) as session:
        (await session.get(Assignment, aid)).deadline_override = far
    assert (await _extend(store, aid, far - dt.timedelta(days=1))).outcome == ExtensionOutcome.NOT_LATER


# --- leads ---------------------------------------------------------------------------------------------


async def _close(engine: AsyncEngine, chat_id: int, key: str) -> closing.CloseResult:
    async with db.session_scope(engine) as session:
        task_id = (await session.execute(select(Task.id).where(Task.key == key))).scalar_one()
        return await closing.close_task(session, chat_id=chat_id, task_id=task_id, user_id=chat_id, now=NOW)


async def test_only_a_lead_closes_its_task_once(store: AsyncEngine) -> None:
    await bind(store, 11, "市财政局")
    await bind(store, 12, "市科技局")
    assert (await _close(store, 11, "1.2")).outcome == CloseOutcome.NOT_LEAD
    assert (await _close(store, 12, "1.2")).outcome == CloseOutcome.CLOSED
    assert (await _close(store, 12, "1.2")).outcome == CloseOutcome.ALREADY
    assert await audit_actions(store) == ["access.refused", "task.close"]
    async with db.session_scope(store) as session:
        refused, found = await closing.task_statuses(
            session, "1.2", unit_id=await unit_id(store, "市财政局"), coordinator=False
        )
        assert (refused, found) == (CloseOutcome.NOT_LEAD, [])
        refused, found = await closing.task_statuses(session, "1.2", unit_id=None, coordinator=True)
        assert refused is None and [r.unit for r in found[0].rows] == ["市科技局", "市财政局"]
        assert not found[0].can_close


# --- broadcast and coordinators ------------------------------------------------------------------------


async def test_broadcast_goes_to_each_live_chat_once(store: AsyncEngine) -> None:
    await bind(store, 11, "市财政局")
    await bind(store, -12, "市科技局", "group")
    await bind(store, 13, "市发展改革局")
    async with db.session_scope(store) as session:
        await binding.set_blocked(session, 13, blocked=True, reason="blocked", now=NOW, user_id=None)
        draft_id, recipients = await broadcast.draft_broadcast(session, user_id=900, text="周五前报送<材料>")
    assert recipients == 2

    async def confirm(user: int, send: bool = True) -> str:
        async with db.session_scope(store) as session:
            return (
                await broadcast.confirm_broadcast(session, draft_id=draft_id, user_id=user, send=send, now=NOW)
            ).outcome

    assert await confirm(901) == BroadcastOutcome.MISSING  # only the coordinator who wrote it
    assert await confirm(900) == BroadcastOutcome.QUEUED
    assert await confirm(900) == BroadcastOutcome.ALREADY
    assert await confirm(900, send=False) == BroadcastOutcome.ALREADY
    sent = await rows(store, select(Outbox).order_by(Outbox.chat_id))
    assert [(o.chat_id, o.kind) for o in sent] == [(-12, "broadcast"), (11, "broadcast")]
    assert sent[0].text == "【督办通知】\n周五前报送&lt;材料&gt;"


async def test_coordinators_are_configured_or_promoted(store: AsyncEngine) -> None:
    async with db.session_scope(store) as session:
        assert await roles.is_coordinator(session, 900, [900])
        assert not await roles.is_coordinator(session, 5, [900])
        assert await roles.promote(session, user_id=5, by=900)
        assert not await roles.promote(session, user_id=5, by=900)
        assert await roles.is_coordinator(session, 5, [900])
        assert await roles.coordinator_ids(session, [900]) == {900, 5}


# --- read queries --------------------------------------------------------------------------------------


async def test_queries_behind_the_commands(store: AsyncEngine) -> None:
    await bind(store, 11, "市财政局")
    finance = await unit_id(store, "市财政局")
    aid = await assignment_id(store, "市财政局", "1.2")
    async with db.session_scope(store) as session:
        session.add(
            Outbox(
                key="prompt:x@11",
                kind="prompt",
                chat_id=11,
                assignment_id=aid,
                text="t",
                send_at=NOW,
                status="sent",
                message_id=77,
            )
        )
        open_ = await assignment_views.open_assignments(session, finance)
        assert [v.task_key for v in open_] == ["1.2", "2.1"]  # by deadline, none last
        assert await assignment_views.assignment_for_message(session, 11, 77) == aid
        assert await assignment_views.assignment_for_message(session, 12, 77) is None
        by_ref = await assignment_views.unit_assignments_by_ref(session, finance, "demo-2023/2.1")
        assert [v.task_key for v in by_ref] == ["2.1"]
        late = await assignment_views.overdue(session, dt.date(2024, 7, 1))
        assert {(v.unit, v.task_key) for v in late} >= {("市财政局", "1.2"), ("市科技局", "1.2")}
        mine = await assignment_views.overdue(session, dt.date(2024, 7, 1), unit_id=finance, overseer_id=finance)
        assert {v.unit for v in mine} == {"市财政局"}
        overview = {row.unit: row for row in await assignment_views.unit_overview(session)}
        assert (overview["市财政局"].chats, overview["市财政局"].open) == (1, 2)
        assert "各县(市、区)人民政府" not in overview and overview["蓬江区人民政府"].chats == 0
        assert await assignment_views.live_chat_ids(session) == [11]
