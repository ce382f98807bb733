"""A coordinator's 催办 on demand (/remind, `taskbot remind`): a 督办单 now, to the units a target picks,
listing only the items that made each unit a target.

Like /broadcast (bot/chat/broadcast.py) it is drafted, then confirmed: the draft is an audit row
(`chase.draft`) that keeps the target and, per unit, the assignments shown, and the confirm button carries
only its id. So what is sent is what was shown, a confirmation works after a restart and in another
process, only the coordinator who drafted it can send it, and a second tap finds the `chase.send` row and
does nothing. Each unit's 督办单 is a Sheet row (key `chase:<draft>:<unit>`, so replies by number and the
task buttons work as for the scheduler's) and one outbox row per chat with the key
`chase:<draft>:<unit>@<chat>`: even two racing taps queue each chat's message once.

Guard rails: a target that reaches no chat writes no draft and sends nothing; a unit already chased today
(a `chase.send` row naming it since local midnight) is sent to again only after a second confirmation.
Every 催办 sent is one `chase.send` row: who, when, the target, the units (`chase_counts` counts them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.chat.chase_targets import Chased, ChaseSpec, choose
from bot.chat.issued_sheets import SheetDraft, write_sheets
from bot.core.models import Assignment, AuditLog, Document, Unit, id_column
from bot.core.vocab import ChaseOutcome, ChaseTarget, MessageKind, Role
from bot.render import messages as m
from bot.render.sheet import SheetLine, ordered
from bot.reporting.digest import Chases
from bot.store import audit
from bot.store.assignment_views import AssignmentView, all_open
from bot.store.outbox import Outgoing, enqueue, live_chats
from bot.store.overview import unit_lookup
from bot.store.versioned import kept
from bot.tasksfile import unitnames

DRAFT = "chase.draft"
SEND = "chase.send"
CANCEL = "chase.cancel"
SOON_DAYS = 7  # an item due within a week is shown as 即将到期, later ones as 进展询问


@dataclass(frozen=True)
class Refused:
    """The target names a document or unit the store does not have: the text to answer with."""

    text: str


@dataclass(frozen=True)
class Preview:
    """What a target reaches now: the units (with their items) and each one's live chats."""

    spec: ChaseSpec
    label: str
    chosen: list[Chased]
    chats: dict[int, list[int]]
    chased_today: list[str] = field(default_factory=list)

    @property
    def reached(self) -> list[Chased]:
        return [c for c in self.chosen if self.chats.get(c.unit_id)]

    @property
    def unbound(self) -> list[Chased]:
        return [c for c in self.chosen if not self.chats.get(c.unit_id)]

    @property
    def chat_count(self) -> int:
        return sum(len(self.chats.get(c.unit_id, [])) for c in self.chosen)


async def preview(session: AsyncSession, spec: ChaseSpec, *, now: dt.datetime, tz: ZoneInfo) -> Preview | Refused:
    """The units `spec` picks now, their chats, and which of them were chased today already."""
    document_id: str | None = None
    unit_id: int | None = None
    label = spec.name or ""
    if spec.kind == ChaseTarget.DOC:
        found = await _document(session, spec.name or "")
        if isinstance(found, Refused):
            return found
        document_id, label = found
    elif spec.kind == ChaseTarget.UNIT:
        found_unit = await _unit(session, spec.name or "")
        if isinstance(found_unit, Refused):
            return found_unit
        unit_id, label = found_unit
    local = now.astimezone(tz)
    chosen = choose(
        spec, await all_open(session), today=local.date(), now=now, document_id=document_id, unit_id=unit_id
    )
    chats = await live_chats(session, [c.unit_id for c in chosen])
    today = await chased_since(session, _midnight(local))
    text = m.CHASE_TARGET_LABELS[spec.kind].format(days=spec.days, name=escape(label))
    return Preview(spec, text, chosen, chats, [c.unit for c in chosen if c.unit_id in today and chats.get(c.unit_id)])


async def _document(session: AsyncSession, name: str) -> tuple[str, str] | Refused:
    """A live document by short name, id or title, or a unique prefix of its short name."""
    rows = (
        await session.execute(
            select(col(Document.id), col(Document.short), col(Document.title))
            .where(~col(Document.archived), ~col(Document.ended))
            .order_by(col(Document.id))
        )
    ).all()
    exact = [r for r in rows if name in (r.id, r.short, r.title)]
    prefixed = [r for r in rows if r.short and r.short.startswith(name)]
    found = exact or (prefixed if len(prefixed) == 1 else [])
    if len(found) != 1:
        known = "、".join(r.short or r.id for r in rows)
        return Refused(m.CHASE_UNKNOWN_DOCUMENT.format(name=escape(name), known=escape(known)))
    return found[0].id, found[0].short or found[0].title


async def _unit(session: AsyncSession, name: str) -> tuple[int, str] | Refused:
    lookup = await unit_lookup(session)
    found = unitnames.candidates(name, lookup)
    if not found:
        near = unitnames.closest(name, lookup)
        hint = m.INVITE_CLOSEST.format(unit=escape(near)) if near else m.INVITE_NO_CLOSEST
        return Refused(m.CHASE_UNKNOWN_UNIT.format(name=escape(name), hint=hint))
    if len(found) > 1:
        return Refused(m.CHASE_AMBIGUOUS_UNIT.format(name=escape(name), names="、".join(escape(n) for n in found)))
    canonical = found[0]
    return (await session.execute(select(id_column(Unit)).where(col(Unit.name) == canonical))).scalar_one(), canonical


def _midnight(local: dt.datetime) -> dt.datetime:
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


async def chased_since(session: AsyncSession, since: dt.datetime) -> dict[int, int]:
    """unit id → how many 催办 reached it since `since` (from the `chase.send` rows of the audit log)."""
    counts: dict[int, int] = {}
    stmt = select(col(AuditLog.detail)).where(
        col(AuditLog.action) == SEND, col(AuditLog.at) >= since.astimezone(dt.UTC)
    )
    detail: dict[str, Any]  # AuditLog.detail, a JSON object
    for detail in (await session.execute(stmt)).scalars():
        unit_ids: list[int | str] = detail.get("unit_ids", [])  # ids, as the chase wrote them
        for unit_id in unit_ids:
            counts[int(unit_id)] = counts.get(int(unit_id), 0) + 1
    return counts


async def chased_this_week(session: AsyncSession, now: dt.datetime, tz: ZoneInfo) -> dict[str, int]:
    """unit name → 催办 since Monday 00:00 local time: 「本周催办N次」 in /units."""
    local = now.astimezone(tz)
    counts = await chased_since(session, _midnight(local) - dt.timedelta(days=local.weekday()))
    if not counts:
        return {}
    names = dict(
        (await session.execute(select(col(Unit.id), col(Unit.name)).where(col(Unit.id).in_(list(counts))))).all()
    )
    return {names[unit_id]: n for unit_id, n in counts.items() if unit_id in names}


async def _units_heard(session: AsyncSession) -> dict[int, dt.datetime | None]:
    """unit id → its newest report over all its assignments (an index-only read of 50,000 rows: kept while
    the store stands still, bot/store/versioned.py)."""
    newest = select(col(Assignment.unit_id), func.max(col(Assignment.last_report_at)))
    return dict((await session.execute(newest.group_by(col(Assignment.unit_id)))).all())


async def chase_counts(session: AsyncSession, now: dt.datetime, tz: ZoneInfo) -> Chases:
    """What the digest says of 催办 (by unit name): this week's, and how many reached each unit after its
    newest report — a unit chased three times without answering is named to the coordinators."""
    week = await chased_this_week(session, now, tz)
    heard = await kept(session, "units heard", lambda: _units_heard(session))
    unheard: dict[int, int] = {}
    for row in (
        await session.execute(
            select(col(AuditLog.at).label("at"), col(AuditLog.detail).label("detail")).where(
                col(AuditLog.action) == SEND
            )
        )
    ).mappings():
        for unit_id in (int(u) for u in row["detail"].get("unit_ids", [])):
            last = heard.get(unit_id)
            if last is None or row["at"] > last:
                unheard[unit_id] = unheard.get(unit_id, 0) + 1
    names = (
        dict((await session.execute(select(col(Unit.id), col(Unit.name)).where(col(Unit.id).in_(list(unheard))))).all())
        if unheard
        else {}
    )
    return Chases(week, {names[u]: n for u, n in unheard.items() if u in names})


async def draft(session: AsyncSession, preview_: Preview, *, actor: str, note: str = "") -> int | None:
    """Keep what the preview shows as a draft (audit row); None when it reaches no chat (nothing drafted)."""
    if not preview_.reached:
        return None
    row = audit.record(
        session,
        actor,
        DRAFT,
        "chase",
        "draft",
        target=preview_.spec.words(),
        label=preview_.label,
        note=note,
        units=[
            {"unit_id": c.unit_id, "unit": c.unit, "assignments": [v.id for v in c.items]} for c in preview_.reached
        ],
    )
    await session.flush()
    return int(row.id or 0)


@dataclass(frozen=True)
class ChaseResult:
    outcome: ChaseOutcome
    units: list[str] = field(default_factory=list)  # reached; or, for CHASED_TODAY, the ones chased today
    chats: int = 0


async def confirm(
    session: AsyncSession,
    *,
    draft_id: int,
    actor: str,
    send: bool,
    again: bool,
    now: dt.datetime,
    tz: ZoneInfo,
    skip_today: bool = False,
) -> ChaseResult:
    """The drafting coordinator's tap: cancel, or one 督办单 per targeted chat into the outbox (once).
    `skip_today`: the answer 取消 to 「今天已被催办过」 — those units are left out, the others are chased."""
    row = await session.get(AuditLog, draft_id)
    if row is None or row.action != DRAFT or row.actor != actor:
        return ChaseResult(ChaseOutcome.MISSING)
    settled = (
        await session.execute(
            select(col(AuditLog.id)).where(
                col(AuditLog.action).in_([SEND, CANCEL]), col(AuditLog.entity_id) == str(draft_id)
            )
        )
    ).first()
    if settled is not None:
        return ChaseResult(ChaseOutcome.ALREADY)
    if not send:
        audit.record(session, actor, CANCEL, "chase", draft_id)
        return ChaseResult(ChaseOutcome.CANCELLED)
    planned = {int(u["unit_id"]): (str(u["unit"]), [int(a) for a in u["assignments"]]) for u in row.detail["units"]}
    local = now.astimezone(tz)
    today = await chased_since(session, _midnight(local))
    if skip_today:
        planned = {u: p for u, p in planned.items() if u not in today}
        if not planned:
            audit.record(session, actor, CANCEL, "chase", draft_id, skipped="all chased today")
            return ChaseResult(ChaseOutcome.SKIPPED_ALL)
    elif not again and (twice := [planned[u][0] for u in planned if u in today]):
        return ChaseResult(ChaseOutcome.CHASED_TODAY, twice)
    still_open = {v.id: v for v in await all_open(session, [a for _, ids in planned.values() for a in ids])}
    chats = await live_chats(session, list(planned))
    groups = [
        (unit_id, name, [still_open[a] for a in ids if a in still_open])
        for unit_id, (name, ids) in planned.items()
        if chats.get(unit_id)
    ]
    groups = [g for g in groups if g[2]]
    if not groups:
        return ChaseResult(ChaseOutcome.NOBODY)
    outgoing = await _sheets(session, draft_id, groups, local, str(row.detail.get("note", "")))
    result = await enqueue(session, outgoing)
    if result.inserted == 0:
        # Another process's tap read "not settled" as this one did and wrote first: its outbox keys
        # (chase:<draft>:<unit>) are there, the unique index gave this insert nothing, and the send is its.
        return ChaseResult(ChaseOutcome.ALREADY)
    reached = sum(len(chats[unit_id]) for unit_id, _, _ in groups)
    audit.record(
        session,
        actor,
        SEND,
        "chase",
        draft_id,
        target=row.detail.get("target"),
        unit_ids=[g[0] for g in groups],
        units=[g[1] for g in groups],
        chats=reached,
        inserted=result.inserted,
        again=again,
    )
    return ChaseResult(ChaseOutcome.QUEUED, [g[1] for g in groups], reached)


def sheet_line(view: AssignmentView, today: dt.date) -> SheetLine:
    """A chased item as a 督办单 line: 逾期, 即将到期 within a week, else 进展询问."""
    if view.deadline is not None and view.deadline < today:
        kind = MessageKind.OVERDUE
    elif view.deadline is not None and (view.deadline - today).days <= SOON_DAYS:
        kind = MessageKind.REMINDER
    else:
        kind = MessageKind.PROMPT
    return SheetLine(
        kind=kind,
        assignment_id=view.id,
        document=view.document,
        document_short=view.document_short,
        task_key=view.task_key,
        task_title=view.task_title,
        unit=view.unit,
        role=Role(view.role),
        deadline=view.deadline,
        own=True,
    )


async def _sheets(
    session: AsyncSession,
    draft_id: int,
    groups: Sequence[tuple[int, str, list[AssignmentView]]],
    local: dt.datetime,
    note: str,
) -> list[Outgoing]:
    """One 督办单 per unit (its Sheet row inserted once, even by racing taps), headed 【督办员催办】."""
    header = m.CHASE_HEADER + ("\n" + m.CHASE_NOTE.format(text=escape(note)) if note else "")
    return await write_sheets(
        session,
        [
            SheetDraft(
                key=f"chase:{draft_id}:{unit_id}",
                unit_id=unit_id,
                recipient=name,
                lines=ordered([sheet_line(v, local.date()) for v in views]),
                send_at=local,
                today=local.date(),
                outbox_key=f"chase:{draft_id}:{unit_id}",
            )
            for unit_id, name, views in groups
        ],
        header=header,
    )
