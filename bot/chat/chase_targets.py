"""Whom a 催办 reaches: the target a coordinator names (`overdue`, `silent 30`, `doc 成果转化`, `unit 市财政局`,
`due 7`) read from the command's words, and the units it picks with, per unit, the items that made it a
target. Pure: the store is read by the caller (bot/chat/chase.py) and handed in as open assignments, so
/remind, a targeted /broadcast and `taskbot remind` pick exactly the same units from the same store.

"Silent" is per unit: its last report on any of its open tasks is older than N days, or it never reported.
A unit with no open task is never a target: there is nothing to chase it for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.vocab import ChaseTarget
from bot.render import messages as m
from bot.store.assignment_views import AssignmentView

NEEDS_DAYS = (ChaseTarget.SILENT, ChaseTarget.DUE)
NEEDS_NAME = (ChaseTarget.DOC, ChaseTarget.UNIT)
MAX_DAYS = 3660
_DAYS = re.compile(r"^(\d{1,4})(?:天|日|d)?$")


@dataclass(frozen=True)
class ChaseSpec:
    """A target as typed: its kind and its argument (days, or a document's or unit's name)."""

    kind: ChaseTarget
    days: int | None = None
    name: str | None = None

    def words(self) -> str:
        """The target as the commands write it (`silent 30`): for the audit log, the CLI and the answers."""
        argument = self.days if self.days is not None else self.name
        return f"{self.kind} {argument}" if argument is not None else str(self.kind)


@dataclass(frozen=True)
class TargetProblem:
    """The target word was right, its argument missing or wrong; `kind` names which usage to show."""

    kind: ChaseTarget


def parse(text: str) -> tuple[ChaseSpec | TargetProblem | None, str]:
    """(the target, the rest of the text); (None, text) when the first word names no target."""
    words = text.split(maxsplit=1)
    kind = _kind(words[0]) if words else None
    if kind is None:
        return None, text
    rest = words[1] if len(words) == 2 else ""
    if kind == ChaseTarget.OVERDUE:
        return ChaseSpec(kind), rest.strip()
    parts = rest.split(maxsplit=1)
    argument, rest = (parts[0] if parts else ""), (parts[1].strip() if len(parts) == 2 else "")
    if kind in NEEDS_DAYS:
        found = _DAYS.match(argument)
        if found is None or not 0 < int(found.group(1)) <= MAX_DAYS:
            return TargetProblem(kind), rest
        return ChaseSpec(kind, days=int(found.group(1))), rest
    if not argument:
        return TargetProblem(kind), rest
    return ChaseSpec(kind, name=argument), rest


def _kind(word: str) -> ChaseTarget | None:
    word = word.strip().lower()
    if word in tuple(ChaseTarget):
        return ChaseTarget(word)
    return m.CHASE_TARGET_WORDS.get(word)


@dataclass(frozen=True)
class Chased:
    """A unit a target picks, with the items that made it one (soonest deadline first)."""

    unit_id: int
    unit: str
    items: tuple[AssignmentView, ...]


def choose(
    spec: ChaseSpec,
    open_views: Sequence[AssignmentView],
    *,
    today: dt.date,
    now: dt.datetime,
    document_id: str | None = None,
    unit_id: int | None = None,
) -> list[Chased]:
    """The units `spec` picks from the open assignments, by name; `document_id`/`unit_id` are the resolved
    names of `doc` and `unit`."""
    per_unit: dict[int, list[AssignmentView]] = {}
    for view in open_views:
        if view.is_open:
            per_unit.setdefault(view.unit_id, []).append(view)
    chosen: list[Chased] = []
    for uid, views in per_unit.items():
        items = _items(spec, views, today=today, now=now, document_id=document_id, unit_id=unit_id)
        if items:
            chosen.append(Chased(uid, views[0].unit, tuple(sorted(items, key=_soonest))))
    return sorted(chosen, key=lambda c: c.unit)


def _soonest(view: AssignmentView) -> tuple[bool, dt.date, str, str]:
    return view.deadline is None, view.deadline or dt.date.max, view.document_short, view.task_key


def _items(
    spec: ChaseSpec,
    views: list[AssignmentView],
    *,
    today: dt.date,
    now: dt.datetime,
    document_id: str | None,
    unit_id: int | None,
) -> list[AssignmentView]:
    if spec.kind == ChaseTarget.OVERDUE:
        return [v for v in views if v.deadline is not None and v.deadline < today]
    if spec.kind == ChaseTarget.DUE:
        until = today + dt.timedelta(days=spec.days or 0)
        return [v for v in views if v.deadline is not None and today <= v.deadline <= until]
    if spec.kind == ChaseTarget.DOC:
        return [v for v in views if v.document_id == document_id]
    if spec.kind == ChaseTarget.UNIT:
        return views if views[0].unit_id == unit_id else []
    cutoff = now - dt.timedelta(days=spec.days or 0)
    reports = [v.last_report_at for v in views if v.last_report_at is not None]
    return views if not reports or max(_aware(r) for r in reports) < cutoff else []


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
