"""An extraction against a reference tasks file: differences per task and field, and per-field
precision and recall (the scorer of the tests and the benchmark).

Units are compared after normalisation to the reference registry's canonical names (an alias or a
member's own name counts as itself), deadlines by the date they mean plus the recurrence, so
`到2025年` and `2025-12-31` agree. Fields scored: task (ids), lead and responsible ((task, unit)
pairs), deadline ((task, date, recurrence)), target ((value, unit) pairs, a multiset).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from bot.core.errors import TaskbotError
from bot.extract.model import ExtractedDocument, ExtractedTask, Extraction
from bot.extract.units import UnitBook
from bot.tasksfile.deadlines import resolve_deadline
from bot.tasksfile.loader import Catalog

FIELDS = ("task", "lead", "responsible", "deadline", "target")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass
class Comparison:
    document: str
    differences: list[str] = field(default_factory=list)
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})

    @property
    def equal(self) -> bool:
        return all(self.scores[f].fp == 0 and self.scores[f].fn == 0 for f in FIELDS if f != "target")


def compare(extraction: Extraction, reference: Catalog, *, document_id: str | None = None) -> Comparison:
    doc = extraction.document
    ref = _find(doc, reference, document_id)
    book = UnitBook(reference.units.values())
    ref_tasks = {t.key: t for t in reference.tasks if t.document_id == ref.id}
    ours = {t.id: t for t in doc.tasks}
    result = Comparison(ref.id)
    for name, mine, theirs in (
        ("issuer", book.exact(doc.issuer or "") or doc.issuer, ref.issuer),
        ("issued", doc.issued, ref.issued),
        ("period", doc.period, (ref.period_start, ref.period_end) if ref.period_end else None),
    ):
        if mine != theirs:
            result.differences.append(f"document: {name}: {_show(mine)} (reference {_show(theirs)})")
    score = result.scores
    for key in sorted(set(ours) | set(ref_tasks), key=_order):
        if key not in ref_tasks:
            result.differences.append(f"task {key}: only in the extraction ({ours[key].title})")
            score["task"].fp += 1
        elif key not in ours:
            result.differences.append(f"task {key}: missing (reference: {ref_tasks[key].title})")
            score["task"].fn += 1
        else:
            score["task"].tp += 1
        got, want = ours.get(key), ref_tasks.get(key)
        for role in ("lead", "responsible"):
            a = _units(getattr(got, role), book) if got else set()
            b = set(getattr(want, role)) if want else set()
            score[role].add(Score(len(a & b), len(a - b), len(b - a)))
            if got and want and a != b:
                result.differences.append(
                    f"task {key}: {role}: "
                    + "; ".join(part for part in (_list("extra", a - b), _list("missing", b - a)) if part)
                )
        a_due = _due(got) if got else None
        b_due = (want.deadline, want.recurrence) if want else None
        same = a_due == b_due
        score["deadline"].add(
            Score(
                int(same and a_due is not None),
                int(a_due is not None and not same),
                int(b_due is not None and not same),
            )
        )
        if got and want and a_due != b_due:
            result.differences.append(f"task {key}: deadline: {_show(a_due)} (reference {_show(b_due)})")
    mine_targets = Counter((float(t.value), t.unit) for t in doc.targets)
    ref_targets = Counter((t.value, t.measure) for t in reference.targets if t.document_id == ref.id)
    common = sum((mine_targets & ref_targets).values())
    score["target"].add(Score(common, sum(mine_targets.values()) - common, sum(ref_targets.values()) - common))
    return result


def _find(doc: ExtractedDocument, reference: Catalog, document_id: str | None):
    for entry in reference.documents:
        if document_id and entry.id == document_id:
            return entry
    for entry in reference.documents:
        if not document_id and (entry.source == doc.source or entry.title == doc.title or entry.id == doc.id):
            return entry
    wanted = document_id or doc.source
    raise TaskbotError(f"the reference has no document {wanted!r} (matched by source file name, title or id)")


def _units(names: list[str], book: UnitBook) -> set[str]:
    return {book.exact(name) or name for name in names}


def _due(task: ExtractedTask) -> tuple[dt.date | None, str | None]:
    value = task.deadline
    date = value if isinstance(value, dt.date) else resolve_deadline(value).date
    return date, task.recurrence


def _list(label: str, names: set[str]) -> str:
    return f"{label} {', '.join(sorted(names))}" if names else ""


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return " / ".join(_show(v) for v in value)
    return "none" if value is None else str(value)


def _order(key: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in key.split("."))


def format_scores(rows: list[tuple[str, dict[str, Score]]]) -> str:
    """A table: one row per document (and a total), precision/recall for each field."""
    total = {f: Score() for f in FIELDS}
    lines = ["document".ljust(26) + "".join(f"{f:>18}" for f in FIELDS)]
    for name, scores in rows:
        for f in FIELDS:
            total[f].add(scores[f])
        lines.append(name[:25].ljust(26) + "".join(_cell(scores[f]) for f in FIELDS))
    lines.append("all".ljust(26) + "".join(_cell(total[f]) for f in FIELDS))
    lines.append("(each cell: precision/recall over (task, value) pairs; target is informational)")
    return "\n".join(lines)


def _cell(score: Score) -> str:
    return f"{score.precision:.3f}/{score.recall:.3f}".rjust(18)
