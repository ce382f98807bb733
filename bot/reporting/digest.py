"""The weekly digest (汇总): a pure builder from rows the store hands over, and its Chinese text.

Written for a 领导 who reads it in one minute: the headline counts first, then only what needs
attention (red units, overdue and blocked tasks, units that have not reported), then what changed
since the last digest, then the targets. Green units are counted, not listed.

Lights per unit (docs/scheduling.md): red — any of its assignments is overdue or blocked; yellow — one is due within
7 days and not done, or the unit has not reported for 30 days; green — the rest. A unit takes the
worst light of its assignments. "Overdue" uses the effective deadline (an approved extension wins)
and ignores done assignments and tasks marked 办结.

`Digest.snapshot()` is stored with each digest (DigestRun) so the next one can say what changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from html import escape
from typing import Any

from bot.core.numerals import plain
from bot.core.references import label
from bot.core.vocab import Light, Role, Status
from bot.render import messages as m

RED, YELLOW, GREEN = Light.RED, Light.YELLOW, Light.GREEN
LIGHT_ORDER = {RED: 0, YELLOW: 1, GREEN: 2}
DUE_SOON_DAYS = 7
SILENT_DAYS = 30
CHASED_MANY = 3  # 催办 without a report since that the coordinators' digest names
LIST_LIMIT = 15


@dataclass(frozen=True)
class DigestRow:
    """One live assignment, as the digest needs it."""

    assignment_id: int
    unit: str
    document_id: str
    document: str
    task_key: str
    task_title: str
    role: Role
    status: Status
    percent: int | None
    deadline: dt.date | None  # effective: the extension if one was approved
    closed: bool  # task marked 办结 by its lead
    last_report_at: dt.datetime | None
    issued: dt.date  # the document's issue date: silence is counted from it at the latest
    document_short: str = ""  # the document's short name (简称)

    @property
    def ref(self) -> str:
        """How people name the task: 「成果转化 1.2」."""
        return label(self.document_short, self.task_key)

    @classmethod
    def of(cls, values: Iterable[Any]) -> DigestRow:
        """A row from all its field values in order, for a store read of 50,000 of them: the frozen class's
        own __init__ sets each field through object.__setattr__, about half the time of the whole read."""
        row = object.__new__(cls)
        row.__dict__.update(zip(_ROW_FIELDS, values, strict=True))
        return row


_ROW_FIELDS = tuple(f.name for f in fields(DigestRow))


@dataclass(frozen=True)
class TargetRow:
    document: str
    text: str
    value: float
    measure: str | None
    due: dt.date | None
    latest: float | None
    issued: dt.date | None = None  # the document's issue date: the pace line starts there at 0
    document_short: str = ""
    task_key: str | None = None  # the task it belongs to, if any
    contributions: tuple[tuple[str, float], ...] = ()  # other units' own figures (unit, value): shown beside

    @property
    def ref(self) -> str:
        """「成果转化 1.2」 for a task's target, the document's short name for a goal of the whole document."""
        return label(self.document_short, self.task_key) if self.task_key else self.document_short

    def expected(self, as_of: dt.date) -> float | None:
        """Where a straight line from 0 on the issue date to the goal on the due date stands on `as_of`."""
        if self.issued is None or self.due is None or self.due <= self.issued:
            return None
        share = min(1.0, max(0.0, (as_of - self.issued).days / (self.due - self.issued).days))
        value = self.value * share
        return float(round(value)) if float(self.value).is_integer() and self.value >= 10 else round(value, 1)

    def behind(self, as_of: dt.date) -> float:
        """How far behind pace, as a share of the goal (0 when on pace or with no pace to keep)."""
        expected = self.expected(as_of)
        if expected is None or not self.value:
            return 0.0
        return max(0.0, (expected - (self.latest or 0)) / self.value)


@dataclass(frozen=True)
class Chases:
    """The 催办 the digest's units got: this week, and since each unit's newest report (bot/chat/chase.py)."""

    this_week: Mapping[str, int]
    since_last_report: Mapping[str, int]


@dataclass
class Digest:
    as_of: dt.date
    counts: dict[Status, int]
    lights: dict[str, Light]
    overdue: list[tuple[DigestRow, int]]
    blocked: list[DigestRow]
    silent_units: list[str]
    changes: list[str]  # what changed since the previous digest: the first LIST_LIMIT lines
    targets: list[TargetRow]
    tasks: int = 0  # distinct tasks; `counts` are per unit assignment (单位分工)
    chased_week: dict[str, int] = field(default_factory=dict)  # unit → 催办 this week
    chased_unheard: dict[str, int] = field(default_factory=dict)  # unit → 催办 since its last report (≥ CHASED_MANY)
    assignments: dict[int, tuple[Status, int | None]] = field(default_factory=dict)
    changes_total: int = 0  # lines of change in all (`changes` holds the first LIST_LIMIT)

    def snapshot(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "lights": self.lights,
            "assignments": {str(k): list(v) for k, v in self.assignments.items()},
        }


def is_done(row: DigestRow) -> bool:
    return row.status == Status.DONE or row.closed


def unit_last_heard(rows: Iterable[DigestRow]) -> dict[str, dt.date]:
    """Per unit, the day of its newest report, or the earliest issue date of its documents if none."""
    reported: dict[str, dt.date] = {}
    issued: dict[str, dt.date] = {}
    for row in rows:
        if row.last_report_at is not None:
            reported[row.unit] = max(reported.get(row.unit, dt.date.min), row.last_report_at.date())
        issued[row.unit] = min(issued.get(row.unit, dt.date.max), row.issued)
    return {unit: reported.get(unit, first) for unit, first in issued.items()}


def light_of(row: DigestRow, as_of: dt.date, last_heard: dt.date) -> Light:
    if is_done(row):
        return GREEN
    if row.status == Status.BLOCKED or (row.deadline is not None and row.deadline < as_of):
        return RED
    due_soon = row.deadline is not None and (row.deadline - as_of).days <= DUE_SOON_DAYS
    if due_soon or (as_of - last_heard).days > SILENT_DAYS:
        return YELLOW
    return GREEN


def build_digest(
    rows: Iterable[DigestRow],
    targets: Iterable[TargetRow],
    as_of: dt.date,
    previous: Mapping[str, Any] | None = None,
    chases: Chases | None = None,
) -> Digest:
    """Pure: everything the digest says, from the rows of its audience (all, or one lead unit's tasks), and
    the 催办 its units got (`chases`, read from the audit log by the caller).

    One pass over the rows (the coordinators' digest reads 50,000 of them): the counts, each unit's worst
    light before silence, its newest report, whether it has open work, the overdue and blocked rows. A
    unit's silence (no report for SILENT_DAYS, `light_of`) is known only after the pass; it turns an open
    unit's green into yellow, which is what `light_of` row by row gives."""
    counts = dict.fromkeys(tuple(Status), 0)
    worst: dict[str, int] = {}  # unit → LIGHT_ORDER of its worst light, silence left out
    reported: dict[str, dt.date] = {}
    first_issued: dict[str, dt.date] = {}
    open_units: set[str] = set()
    overdue: list[tuple[DigestRow, int]] = []
    blocked: list[DigestRow] = []
    state: dict[int, tuple[Status, int | None]] = {}
    tasks: set[tuple[str, str]] = set()
    red, yellow, green, done_status, blocked_status = (
        LIGHT_ORDER[RED],
        LIGHT_ORDER[YELLOW],
        LIGHT_ORDER[GREEN],
        Status.DONE,
        Status.BLOCKED,
    )
    soon = as_of + dt.timedelta(days=DUE_SOON_DAYS)
    earliest, latest = dt.date.min, dt.date.max
    add_task, add_open = tasks.add, open_units.add
    rows = list(rows)
    for row in rows:
        unit, status, deadline, last = row.unit, row.status, row.deadline, row.last_report_at
        if last is not None and (day := last.date()) > reported.get(unit, earliest):
            reported[unit] = day
        if row.issued < first_issued.get(unit, latest):
            first_issued[unit] = row.issued
        add_task((row.document_id, row.task_key))
        if status == done_status or row.closed:
            counts[done_status] += 1
            state[row.assignment_id] = (done_status, row.percent)
            light = green
        else:
            counts[status] = counts.get(status, 0) + 1
            state[row.assignment_id] = (status, row.percent)
            add_open(unit)
            if deadline is None:
                light = red if status == blocked_status else green
            elif deadline < as_of:
                overdue.append((row, (as_of - deadline).days))
                light = red
            else:
                light = red if status == blocked_status else yellow if deadline <= soon else green
            if status == blocked_status:
                blocked.append(row)
        if light < worst.get(unit, 3):
            worst[unit] = light
    silent = _silence(worst, open_units, reported, first_issued, as_of)
    by_order = {order: light for light, order in LIGHT_ORDER.items()}
    overdue.sort(key=overdue_order)
    blocked.sort(key=blocked_order)
    digest = Digest(
        as_of=as_of,
        counts=counts,
        lights={u: by_order[worst[u]] for u in sorted(worst)},
        overdue=overdue,
        blocked=blocked,
        silent_units=silent,
        changes=[],
        targets=list(targets),
        tasks=len(tasks),
        assignments=state,
    )
    digest.changes, digest.changes_total = _changes(rows, digest, previous)
    digest.chased_week, digest.chased_unheard = chased_units(chases, worst.keys())
    return digest


def overdue_order(item: tuple[DigestRow, int]) -> tuple[int, str, str]:
    """The overdue list's order: most days overdue first, then unit and task key (a stable sort keeps the rows'
    own order, document and task, for the rest)."""
    return -item[1], item[0].unit, item[0].task_key


def blocked_order(row: DigestRow) -> tuple[str, str]:
    """The blocked list's order: unit, then task key."""
    return row.unit, row.task_key


def _silence(
    worst: dict[str, int],
    open_units: set[str],
    reported: Mapping[str, dt.date],
    first_issued: Mapping[str, dt.date],
    as_of: dt.date,
) -> list[str]:
    """The units with open work and no report for SILENT_DAYS (counted from their first document's issue date
    when they never reported), sorted; their worst light becomes at least yellow in `worst`."""
    heard = {unit: reported.get(unit, first) for unit, first in first_issued.items()}
    silent = sorted(u for u in open_units if (as_of - heard[u]).days > SILENT_DAYS)
    for unit in silent:
        worst[unit] = min(worst[unit], LIGHT_ORDER[YELLOW])
    return silent


def chased_units(chases: Chases | None, units: Collection[str]) -> tuple[dict[str, int], dict[str, int]]:
    """The 催办 of the digest's `units` (none without `chases`): this week's, most first, and those since the
    unit's last report when they are CHASED_MANY or more."""
    if chases is None:
        return {}, {}
    week = {u: n for u, n in sorted(chases.this_week.items(), key=lambda kv: (-kv[1], kv[0])) if u in units}
    unheard = {
        u: n
        for u, n in sorted(chases.since_last_report.items(), key=lambda kv: -kv[1])
        if u in units and n >= CHASED_MANY
    }
    return week, unheard


def _changes(rows: list[DigestRow], digest: Digest, previous: Mapping[str, Any] | None) -> tuple[list[str], int]:
    """The first LIST_LIMIT lines of what changed since `previous` (the assignments whose status or percent
    moved, then the units whose light changed), and how many lines there are in all. Only the lines the
    digest shows are written: a week after an import, 50,000 assignments may have moved. The changed rows
    are sorted after they are picked (a stable sort: the order of sorting all rows)."""
    if not previous:
        return [], 0
    before = previous.get("assignments", {})
    now = digest.assignments
    moved = []
    for row in rows:
        old = before.get(str(row.assignment_id))
        if old is not None and (old[0], old[1]) != now[row.assignment_id]:
            moved.append((row, old))
    moved.sort(key=lambda item: (item[0].unit, item[0].document, item[0].task_key))
    lines = []
    for row, old in moved[:LIST_LIMIT]:
        status, percent = now[row.assignment_id]
        lines.append(
            m.DIGEST_CHANGE.format(
                unit=escape(row.unit),
                task=escape(row.ref),
                title=escape(_short(row.task_title)),
                old=_state_label(Status(old[0]), old[1]),
                new=_state_label(Status(status), percent),
            )
        )
    old_lights = previous.get("lights", {})
    lit = [(unit, light) for unit, light in digest.lights.items() if unit in old_lights and old_lights[unit] != light]
    for unit, light in lit[: max(0, LIST_LIMIT - len(lines))]:
        lines.append(
            m.DIGEST_LIGHT_CHANGE.format(unit=escape(unit), old=m.LIGHTS[Light(old_lights[unit])], new=m.LIGHTS[light])
        )
    return lines, len(moved) + len(lit)


def _state_label(status: Status, percent: int | None) -> str:
    label = m.STATUS_LABELS.get(status, status)
    return f"{label}{percent}%" if percent is not None and status != Status.DONE else label


_IN_NUMBER = re.compile(r"[0-9A-Za-z.%．％]")


def _short(text: str, limit: int = 24) -> str:
    """`text` within `limit` characters, cut at a word: never inside a number or a Latin word
    (「…比例达到2…」 read as a figure of 2), and without a dangling comma before the 「…」."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    while cut > 0 and _IN_NUMBER.match(text[cut - 1]) and _IN_NUMBER.match(text[cut]):
        cut -= 1
    if cut == 0:  # the whole head is one number: cut it as before rather than show nothing
        cut = limit - 1
    return text[:cut].rstrip("，、；：,;: ") + "…"


def render_digest(digest: Digest, title: str = m.DIGEST_TITLE) -> str:
    """The digest as Telegram HTML: headline, lights, what needs attention, 催办, changes, targets."""
    sections = (_headline, _light_lines, _attention_lines, _chase_lines, _change_lines, _target_lines)
    return "\n".join(
        [f"<b>{escape(title)}</b>（{digest.as_of.isoformat()}）"] + [s for f in sections for s in f(digest)]
    )


def _headline(digest: Digest) -> list[str]:
    """The counts: tasks, assignments by status, overdue; the units per light."""
    c = digest.counts
    light_count = Counter(digest.lights.values())
    return [
        m.DIGEST_HEADLINE_UNITS.format(
            tasks=digest.tasks,
            assignments=sum(c.values()),
            done=c.get(Status.DONE, 0),
            progress=c.get(Status.IN_PROGRESS, 0),
            blocked=c.get(Status.BLOCKED, 0),
            pending=c.get(Status.PENDING, 0),
            overdue=len(digest.overdue),
        ),
        m.DIGEST_LIGHTS.format(red=light_count[RED], yellow=light_count[YELLOW], green=light_count[GREEN]),
    ]


def _light_lines(digest: Digest) -> list[str]:
    """The red units, each with why, worst first; the yellow ones by name."""
    lines = []
    reds = [u for u, light in digest.lights.items() if light == RED]
    yellows = [u for u, light in digest.lights.items() if light == YELLOW]
    if reds:
        why = _red_reasons(digest)
        reds.sort(key=lambda u: (-(len(why[u][0]) + why[u][1]), -max(why[u][0], default=0), u))
        lines.append(m.DIGEST_RED_UNITS + _names([f"{escape(u)}（{_reason_text(*why[u])}）" for u in reds]))
    if yellows:
        lines.append(m.DIGEST_YELLOW_UNITS + _names([escape(u) for u in yellows]))
    return lines


def _attention_lines(digest: Digest) -> list[str]:
    """What needs attention: the overdue and blocked tasks, the units that have not reported."""
    lines = []
    if digest.overdue:
        lines.append(f"\n<b>{m.DIGEST_OVERDUE}</b>（{len(digest.overdue)}）")
        lines += _grouped_lines(digest.overdue)
    if digest.blocked:
        lines.append(f"\n<b>{m.DIGEST_BLOCKED}</b>（{len(digest.blocked)}）")
        lines += _grouped_lines([(r, None) for r in digest.blocked])
    if digest.silent_units:
        lines.append(f"\n<b>{m.DIGEST_SILENT.format(days=SILENT_DAYS)}</b>（{len(digest.silent_units)}）")
        lines.append("、".join(escape(u) for u in digest.silent_units))
    return lines


def _chase_lines(digest: Digest) -> list[str]:
    """The 催办 of the week, and the units chased CHASED_MANY times or more since their last report."""
    lines = []
    if digest.chased_week:
        lines.append(f"\n<b>{m.DIGEST_CHASED}</b>")
        lines.append("、".join(f"{escape(u)}{m.CHASE_WEEK.format(n=n)}" for u, n in digest.chased_week.items()))
    if digest.chased_unheard:
        lines.append(
            m.DIGEST_CHASED_UNHEARD.format(n=CHASED_MANY)
            + "、".join(f"{escape(u)}（{n}次）" for u, n in digest.chased_unheard.items())
        )
    return lines


def _change_lines(digest: Digest) -> list[str]:
    """What changed since the previous digest: the first LIST_LIMIT lines, and how many more."""
    if not digest.changes:
        return []
    lines = [f"\n<b>{m.DIGEST_CHANGES}</b>", *digest.changes[:LIST_LIMIT]]
    if digest.changes_total > LIST_LIMIT:
        lines.append(m.DIGEST_MORE.format(n=digest.changes_total - LIST_LIMIT))
    return lines


def _target_lines(digest: Digest) -> list[str]:
    """The targets in `_target_rank`'s order: the first LIST_LIMIT, and how many more."""
    if not digest.targets:
        return []
    ranked = sorted(digest.targets, key=lambda t: _target_rank(t, digest.as_of))
    lines = [f"\n<b>{m.DIGEST_TARGETS}</b>", *(target_line(t, digest.as_of) for t in ranked[:LIST_LIMIT])]
    if len(ranked) > LIST_LIMIT:
        lines.append(m.DIGEST_MORE.format(n=len(ranked) - LIST_LIMIT))
    return lines


def _grouped_lines(items: Sequence[tuple[DigestRow, int | None]]) -> list[str]:
    """Few tasks are listed one by one; many are summed up per unit, worst unit first.

    `items` are (row, days overdue) for the overdue list, (row, None) for the blocked list."""
    if len(items) <= LIST_LIMIT:
        return [
            m.DIGEST_ITEM.format(unit=escape(r.unit), task=escape(r.ref), title=escape(_short(r.task_title)))
            + (m.DIGEST_DAYS_LATE.format(days=days) if days is not None else "")
            for r, days in items
        ]
    by_unit: dict[str, list[tuple[DigestRow, int | None]]] = {}
    for row, days in items:
        by_unit.setdefault(row.unit, []).append((row, days))

    def worst(group: list[tuple[DigestRow, int | None]]) -> int:
        return max((d or 0) for _, d in group)

    ranked = sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), -worst(kv[1]), kv[0]))
    lines = []
    for unit, group in ranked[:LIST_LIMIT]:
        tasks = "、".join(escape(r.ref) for r, _ in group[:5]) + ("…" if len(group) > 5 else "")
        late = m.DIGEST_WORST_LATE.format(days=worst(group)) if group[0][1] is not None else ""
        lines.append(m.DIGEST_UNIT_ITEMS.format(unit=escape(unit), n=len(group), late=late, tasks=tasks))
    if len(ranked) > LIST_LIMIT:
        lines.append(m.DIGEST_MORE_UNITS.format(n=len(ranked) - LIST_LIMIT))
    return lines


def target_line(t: TargetRow, as_of: dt.date) -> str:
    """「· 科技创新 1.2 实施揭榜挂帅项目20项：12/20项，应达14项 ⚠️」"""
    measure = escape(t.measure or "")
    expected = t.expected(as_of)
    if expected is None:
        pace = m.DIGEST_TARGET_DUE.format(due=t.due.isoformat() if t.due else m.NO_DEADLINE)
    else:
        pace = m.DIGEST_TARGET_EXPECTED.format(expected=plain(expected), measure=measure)
        pace += m.DIGEST_TARGET_BEHIND if t.behind(as_of) > 0 else ""
    return m.DIGEST_TARGET_PACE.format(
        ref=escape(t.ref + " ") if t.ref else "",
        text=escape(_short(t.text, 24)),
        latest=m.DIGEST_NO_VALUE if t.latest is None else plain(t.latest),
        goal=plain(t.value),
        measure=measure,
        pace=pace,
    ) + _others(t.contributions, measure)


OTHERS_SHOWN = 3  # a target's line names this many units' own figures, then 「等N个单位」


def _others(contributions: Sequence[tuple[str, float]], measure: str) -> str:
    """「（各单位填报：五邑大学8项）」: what units other than the lead stated, beside the value that counts."""
    if not contributions:
        return ""
    units = "、".join(
        m.DIGEST_TARGET_OTHER.format(unit=escape(unit), value=plain(value), measure=measure)
        for unit, value in contributions[:OTHERS_SHOWN]
    )
    if len(contributions) > OTHERS_SHOWN:
        units += m.DIGEST_TARGET_OTHERS_MORE.format(n=len(contributions))
    return m.DIGEST_TARGET_OTHERS.format(units=units)


def _target_rank(target: TargetRow, as_of: dt.date) -> tuple[int, float, int]:
    """Targets with a value first — behind pace (furthest behind first), then the others — so that what moved
    is never cut off behind 「……另有N项」 by targets nobody reported; then the unreported ones behind pace,
    then those still to reach (nearest due first), then the lapsed ones."""
    behind = target.behind(as_of)
    reported = target.latest is not None or bool(target.contributions)
    if reported:
        return (0, -behind, 0) if behind > 0 else (1, 0, 0)
    if behind > 0:
        return 2, -behind, 0
    if target.due is None or target.due >= as_of:
        return 3, 0, (target.due - as_of).days if target.due else 10**6
    return 4, 0, (as_of - target.due).days


def _red_reasons(digest: Digest) -> dict[str, tuple[list[int], int]]:
    """Per unit: the days overdue of each overdue assignment, and the number blocked (one pass over each list)."""
    why: dict[str, tuple[list[int], int]] = {}
    for row, days in digest.overdue:
        why.setdefault(row.unit, ([], 0))[0].append(days)
    for row in digest.blocked:
        late, blocked = why.get(row.unit, ([], 0))
        why[row.unit] = (late, blocked + 1)
    return why


def _reason_text(late: list[int], blocked: int) -> str:
    """「逾期3项，最长40天；受阻1项」: why a unit is red, in a few words."""
    parts = []
    if late:
        parts.append(
            m.DIGEST_REASON_OVERDUE.format(n=len(late))
            + m.DIGEST_REASON_SEP
            + m.DIGEST_REASON_LONGEST.format(days=max(late))
        )
    if blocked:
        parts.append(m.DIGEST_REASON_BLOCKED.format(n=blocked))
    return "；".join(parts)


def _names(names: list[str]) -> str:
    shown = "、".join(names[:LIST_LIMIT])
    return shown + (m.DIGEST_AND_MORE_UNITS.format(n=len(names)) if len(names) > LIST_LIMIT else "")
