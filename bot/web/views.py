"""What each page of the web 看板 shows, read through the store's and the reports' own queries (bot/store,
bot/reporting, bot/chat): no second copy of a query lives here, only the choice of which to call for whom.

Scope (the viewer's, bot/chat/web_access.py): a coordinator sees every task; a unit the tasks it leads or
supervises with all their units, and its own assignments of the others (not the other units of those).
The month's ranking and the 通报 compare every unit: coordinators only.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat.chase import chased_this_week
from bot.chat.returns import returnable
from bot.chat.web_access import Viewer
from bot.core.models import AuditLog, Chat, Coordinator, ExtensionRequest, Report, Target, TargetValue, Unit, id_column
from bot.core.vocab import BulletinPeriod, ExtensionStatus, Light
from bot.render import messages as m
from bot.reporting.digest import LIGHT_ORDER, DigestRow, TargetRow, light_of, unit_last_heard
from bot.reporting.rankings import Standing, period_ending
from bot.store.assignment_views import AssignmentView, oversees, task_assignments, unit_overview
from bot.store.overview import (
    DocumentLights,
    Tally,
    digest_rows,
    latest_values,
    live_targets,
    tally,
    target_row,
    target_rows,
)
from bot.store.ranking_inputs import standings

LIST_LIMIT = 50  # overdue rows and targets on the overview
RANKING_ENDS = 10  # the month's ranking on the overview: its first and last ten
UNIT_CHIPS = 100  # units shown open on the overview (the worst first); the rest folded under a summary
DOCUMENT_ROWS = 15  # documents likewise, those with the most red units first
AUDIT_PAGE = 200


async def visible_rows(session: AsyncSession, viewer: Viewer) -> list[DigestRow]:
    """The live assignments the viewer may see (the digest's rows, `digest_rows`)."""
    return await digest_rows(session, *scope(viewer))


def worst(lights: list[Light]) -> Light:
    return min(lights, key=LIGHT_ORDER.__getitem__) if lights else Light.GREEN


def scope(viewer: Viewer) -> tuple[int | None, int | None]:
    """(overseer_id, own_unit_id) of `read_digest_rows` and `tally` for the viewer (see the module docstring)."""
    if viewer.coordinator:
        return None, None
    return (viewer.unit_id if viewer.overseer else None), viewer.unit_id


async def viewer_tally(session: AsyncSession, viewer: Viewer, today: dt.date, limit: int = LIST_LIMIT) -> Tally:
    return await tally(session, today, *scope(viewer), limit=limit)


@dataclass
class Overview:
    """The 总览 of one scope: the database's tally (bot/store/overview.py) of what the viewer sees, the targets
    of its documents, this week's 催办 and, for a coordinator, the month's ranking."""

    tally: Tally
    pace: list[PaceLine] = field(default_factory=list)  # the targets most behind pace first, the first LIST_LIMIT
    targets: int = 0  # targets in all (the 指标 page lists every one)
    chased_week: dict[str, int] = field(default_factory=dict)  # unit → 催办 this week, of the units in the tally
    ranking: list[Standing] = field(default_factory=list)
    today: dt.date = dt.date.min

    @property
    def ranking_ends(self) -> tuple[list[Standing], list[Standing]]:
        """(the first RANKING_ENDS, the last RANKING_ENDS) of the month's ranking, or (all of it, []) when it
        is short: a wall screen shows who leads and who trails, the 通报 and the 单位 page every unit."""
        if len(self.ranking) <= 2 * RANKING_ENDS:
            return self.ranking, []
        return self.ranking[:RANKING_ENDS], self.ranking[-RANKING_ENDS:]

    @property
    def unit_lights(self) -> list[tuple[str, Light]]:
        """(unit, light), red first, then yellow, then green, by name within each."""
        return sorted(self.tally.lights.items(), key=lambda kv: (LIGHT_ORDER[kv[1]], kv[0]))

    @property
    def light_counts(self) -> dict[Light, int]:
        """Units per light, red first."""
        counts = dict.fromkeys(sorted(Light, key=LIGHT_ORDER.__getitem__), 0)
        for light in self.tally.lights.values():
            counts[light] += 1
        return counts

    @property
    def worst_documents(self) -> list[DocumentLights]:
        """The documents with the most red units first, then the most yellow (the 文件 page keeps their order)."""
        return sorted(self.tally.documents, key=lambda d: (-d[2][Light.RED], -d[2][Light.YELLOW], d[0]))


RANKING_TTL = 600.0  # seconds the month's ranking is reused (it moves with reports, not by the minute)


@dataclass
class RankingCache:
    """The month's ranking, read at most once per RANKING_TTL per day: it reads every report and prompt of the
    month (the bulletin's read), the largest part of a cold overview, and a wall screen reloads every minute."""

    day: dt.date | None = None
    at: float = float("-inf")
    standings: list[Standing] = field(default_factory=list)

    async def get(self, session: AsyncSession, today: dt.date, tz: ZoneInfo) -> list[Standing]:
        if self.day != today or time.monotonic() - self.at > RANKING_TTL:
            ranked = await standings(session, period_ending(BulletinPeriod.MONTH, today), tz)
            self.day, self.at, self.standings = today, time.monotonic(), [s for s in ranked if s.measured]
        return self.standings


OVERVIEW_TTL = 60.0  # seconds a scope's 总览 is reused; an action on the 看板 clears it


@dataclass
class OverviewCache:
    """Each scope's 总览 (all, or one unit's), kept OVERVIEW_TTL: the digest of 50,000 assignments takes about a
    third of a second on a quiet machine, and a wall screen and a room of desks reload the same page. A report
    sent in chat shows within the minute; an action taken on the 看板 shows at once (`clear`)."""

    ttl: float = OVERVIEW_TTL
    kept: dict[object, tuple[float, dt.date, Overview]] = field(default_factory=dict)

    def get(self, key: object, today: dt.date) -> Overview | None:
        found = self.kept.get(key)
        if found is None or found[1] != today or time.monotonic() - found[0] > self.ttl:
            return None
        return found[2]

    def put(self, key: object, today: dt.date, page: Overview) -> None:
        self.kept[key] = (time.monotonic(), today, page)

    def clear(self) -> None:
        self.kept.clear()


@dataclass(frozen=True)
class PaceLine:
    row: TargetRow
    expected: float | None  # where the pace line stands today
    behind: float  # share of the goal behind the pace line (0: on pace)


def pace_lines(targets: list[TargetRow], today: dt.date) -> list[PaceLine]:
    """Each target with its pace today, the furthest behind first (a stable sort: then the digest's order)."""
    lines = [PaceLine(x, x.expected(today), x.behind(today)) for x in targets]
    return sorted(lines, key=lambda line: -line.behind)


async def overview(
    session: AsyncSession, viewer: Viewer, today: dt.date, tz: ZoneInfo, ranking: RankingCache | None = None
) -> Overview:
    """总览: counts, lights per unit and per document, overdue (the database adds them up: `tally`), the
    targets of the viewer's documents, this week's 催办, and for a coordinator the month's ranking."""
    counted = await viewer_tally(session, viewer, today)
    page = Overview(counted, today=today)
    if counted.documents:
        targets = await target_rows(session, {doc_id for doc_id, _, _ in counted.documents})
        page.targets, page.pace = len(targets), pace_lines(targets, today)[:LIST_LIMIT]
    week = await chased_this_week(session, dt.datetime.combine(today, dt.time(12), tzinfo=tz), tz)
    page.chased_week = {u: n for u, n in sorted(week.items(), key=lambda kv: (-kv[1], kv[0])) if u in counted.lights}
    if viewer.coordinator:
        page.ranking = await (ranking or RankingCache()).get(session, today, tz)
    return page


@dataclass(frozen=True)
class TaskLine:
    task_id: int
    key: str
    title: str
    deadline: dt.date | None
    light: str
    units: tuple[tuple[str, str, str], ...]  # (unit, role, status)


def document_tasks(rows: list[DigestRow], document_id: str, today: dt.date, task_ids: dict[str, int]) -> list[TaskLine]:
    """文件 → 任务: the document's tasks among the viewer's rows, each with its worst light."""
    heard = unit_last_heard(rows)
    grouped: dict[str, list[DigestRow]] = defaultdict(list)
    for row in rows:
        if row.document_id == document_id:
            grouped[row.task_key].append(row)
    lines = []
    for key, group in grouped.items():
        first = group[0]
        lines.append(
            TaskLine(
                task_ids[key],
                key,
                first.task_title,
                min((r.deadline for r in group if r.deadline), default=None),
                worst([light_of(r, today, heard[r.unit]) for r in group]),
                tuple((r.unit, r.role, r.status) for r in group),
            )
        )
    return lines


@dataclass
class TimelineEntry:
    report: Report
    unit: str
    values: list[tuple[TargetValue, str]]  # values read from it (更正 and voided shown), with the target's text


@dataclass
class TaskPage:
    views: list[AssignmentView]
    latest: dict[int, Report]
    timeline: list[TimelineEntry]
    returnable: set[int]  # report ids the viewer may send back
    sees_all: bool
    extensions: list[ExtensionRequest]


async def task_access(session: AsyncSession, viewer: Viewer, task_id: int) -> tuple[list[AssignmentView], bool] | None:
    """The task's assignments the viewer may see and whether that is all of them; None: not theirs (403)."""
    views = await task_assignments(session, task_id)
    if viewer.coordinator or (viewer.unit_id is not None and await oversees(session, viewer.unit_id, task_id)):
        return views, True
    own = [v for v in views if v.unit_id == viewer.unit_id]
    return (own, False) if own else None


async def task_page(session: AsyncSession, viewer: Viewer, views: list[AssignmentView], sees_all: bool) -> TaskPage:
    """文件 → 任务 → 单位: each unit's latest report and every report in time order (退办 and 更正 shown).
    The task's reports are read once, by their assignments, and each unit's latest (not sent back) is picked
    from them, as `newest_reports` would (by time, then id): that query's window over every report not sent
    back had SQLite walk the returned_at index through the whole table, most of a task page's time."""
    ids = [v.id for v in views]
    reports = (
        (
            await session.execute(
                select(Report)
                .where(col(Report.assignment_id).in_(ids))
                .order_by(col(Report.created_at), col(Report.id))
            )
        )
        .scalars()
        .all()
        if ids
        else []
    )
    latest = {r.assignment_id: r for r in reports if r.returned_at is None}  # time order: the newest stays
    closed = bool(views) and views[0].closed
    allowed = await returnable(
        session, views, latest, unit_id=viewer.unit_id, coordinator=viewer.coordinator, closed=closed
    )
    values: dict[int, list[tuple[TargetValue, str]]] = defaultdict(list)
    report_ids = [r.id for r in reports]
    if report_ids:
        stmt = select(TargetValue, col(Target.text)).join(Target, col(Target.id) == col(TargetValue.target_id))
        for value, text in (await session.execute(stmt.where(col(TargetValue.report_id).in_(report_ids)))).all():
            assert value.report_id is not None, "selected by its report_id"
            values[value.report_id].append((value, text))
    unit_of = {v.id: v.unit for v in views}
    timeline = [TimelineEntry(r, unit_of[r.assignment_id], values.get(r.id or 0, [])) for r in reports]
    extensions = (
        (
            await session.execute(
                select(ExtensionRequest)
                .where(
                    col(ExtensionRequest.assignment_id).in_(ids),
                    col(ExtensionRequest.status) == ExtensionStatus.PENDING,
                )
                .order_by(col(ExtensionRequest.id))
            )
        )
        .scalars()
        .all()
        if ids
        else []
    )
    return TaskPage(views, latest, timeline, {r.id for _, r in allowed if r.id}, sees_all, list(extensions))


@dataclass(frozen=True)
class UnitLine:
    unit_id: int
    unit: str
    chats: int
    blocked: int
    open: int
    last_report_at: dt.datetime | None
    chased_week: int
    standing: Standing | None


async def units_page(
    session: AsyncSession, viewer: Viewer, today: dt.date, tz: ZoneInfo, names: set[str] | None
) -> list[UnitLine]:
    """单位: bound or not, open work, last report, the month's rates, 本周催办N次 (of the units in `names`)."""
    now = dt.datetime.combine(today, dt.time(12), tzinfo=tz)
    week = await chased_this_week(session, now, tz)
    ranked = {s.unit: s for s in await standings(session, period_ending(BulletinPeriod.MONTH, today), tz)}
    ids = dict((await session.execute(select(col(Unit.name), id_column(Unit)))).all())
    return [
        UnitLine(
            ids[u.unit], u.unit, u.chats, u.blocked, u.open, u.last_report_at, week.get(u.unit, 0), ranked.get(u.unit)
        )
        for u in await unit_overview(session)
        if names is None or u.unit in names
    ]


@dataclass(frozen=True)
class TargetLine:
    row: TargetRow
    reported_by: str | None
    reported_at: dt.datetime | None


async def targets_page(session: AsyncSession, document_ids: set[str] | None) -> list[TargetLine]:
    """指标: value, goal, pace and who stated the value that counts (`live_targets` with the value's unit)."""
    latest = latest_values()  # the same value live_targets shows, read again with its unit and time
    stmt = live_targets(col(Target.document_id).label("document_id"), col(Target.id).label("target_id"))
    rows = (await session.execute(stmt)).mappings().all()
    if document_ids is not None:
        rows = [r for r in rows if r["document_id"] in document_ids]
    who = {
        r["target_id"]: (r["name"], r["reported_at"])
        for r in (
            await session.execute(
                select(latest.c.target_id, col(Unit.name).label("name"), latest.c.reported_at).outerjoin(
                    Unit, col(Unit.id) == latest.c.unit_id
                )
            )
        ).mappings()
    }
    lines = []
    for r in rows:
        reported_by, reported_at = who.get(r["target_id"], (None, None))
        lines.append(TargetLine(target_row(r), reported_by, reported_at))
    return lines


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""
    entity: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    before: int | None = None  # page: rows with a smaller id


async def audit_page(session: AsyncSession, wanted: AuditFilter, tz: ZoneInfo) -> list[AuditLog]:
    """审计: the newest AUDIT_PAGE rows matching the filter (action and entity by prefix, actor exactly)."""
    stmt = select(AuditLog).order_by(col(AuditLog.id).desc()).limit(AUDIT_PAGE)
    if wanted.action:
        stmt = stmt.where(col(AuditLog.action).startswith(wanted.action, autoescape=True))
    if wanted.entity:
        stmt = stmt.where(col(AuditLog.entity).startswith(wanted.entity, autoescape=True))
    if wanted.actor:
        stmt = stmt.where(col(AuditLog.actor) == wanted.actor)
    if wanted.since:
        stmt = stmt.where(col(AuditLog.at) >= dt.datetime.combine(wanted.since, dt.time(), tzinfo=tz))
    if wanted.until:
        stmt = stmt.where(
            col(AuditLog.at) < dt.datetime.combine(wanted.until + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        )
    if wanted.before:
        stmt = stmt.where(col(AuditLog.id) < wanted.before)
    return list((await session.execute(stmt)).scalars())


async def actor_labels(session: AsyncSession, rows: list[AuditLog], configured: list[int]) -> dict[str, str]:
    """How the audit page names each `tg:<user id>` actor: its unit (a contact's private chat), else 督办员, else
    a Telegram user by the last four digits of the id. A private chat's id is its user's id, so the full id is
    not shown (no page shows a chat id); the filter still takes `tg:<id>`."""
    ids = {int(a.actor[3:]) for a in rows if a.actor.startswith("tg:") and a.actor[3:].isdigit()}
    if not ids:
        return {}
    stmt = (
        select(col(Chat.chat_id), col(Unit.name))
        .join(Unit, col(Unit.id) == col(Chat.unit_id))
        .where(col(Chat.chat_id).in_(sorted(ids)))
    )
    units = dict((await session.execute(stmt)).all())
    promoted = set(
        (
            await session.execute(select(col(Coordinator.user_id)).where(col(Coordinator.user_id).in_(sorted(ids))))
        ).scalars()
    )
    labels = {}
    for user in ids:
        if user in units:
            labels[f"tg:{user}"] = units[user]
        elif user in promoted or user in configured:
            labels[f"tg:{user}"] = m.WEB["coordinator"]
        else:
            labels[f"tg:{user}"] = m.WEB["tg_user"].format(tail=str(user)[-4:])
    return labels


async def bound_units(session: AsyncSession) -> set[int]:
    return set((await session.execute(select(col(Chat.unit_id)).where(col(Chat.blocked_at).is_(None)))).scalars())


def plain_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """An audit row's detail without chat or user ids (no page shows one): they identify a person's Telegram chat."""
    return {k: v for k, v in detail.items() if "chat" not in k and "user" not in k}
