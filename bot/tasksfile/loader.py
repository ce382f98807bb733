"""tasks.yaml → a validated `Catalog`: the whole file checked, every unit resolved, every deadline dated.

This is a pure function of the file's text (no store, no clock), so `taskbot validate` and `taskbot
import` see exactly the same errors. Decisions, also in the README:

- A unit named in a task, as issuer or addressee must be a canonical unit, an alias or a group member;
  otherwise the error names the closest known unit.
- A group unit (one with `members:`) expands to one assignment per member; a member that is not declared
  on its own is declared implicitly. A group may not contain a group (one level, as offices write them).
- A unit that leads a task is not also given a 责任 assignment for it: leading implies responsibility,
  and one chat should get one reminder per task.
- A 督查单位 (`supervise:`) is resolved and expanded like the others and becomes a `supervise` assignment;
  a unit that leads or is responsible for the task may not also supervise it (an error, not a silent merge:
  which of the two was meant is the writer's call).
- A deadline before the document's issue date is a warning, not an error (documents do re-issue old
  plans); a task with neither lead nor responsible unit is an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from bot.core.errors import InputError, Problem
from bot.core.memory import collector_paused
from bot.core.vocab import WORKING_ROLES, Role
from bot.tasksfile import shortnames, unitnames
from bot.tasksfile.deadlines import resolve_deadline
from bot.tasksfile.schema import PATTERN_FORMS, DocumentSpec, Overrides, TasksFile, TaskSpec, expand_day_range
from bot.tasksfile.yamlfile import load_yaml

MAX_PROBLEMS = 50
Loc = tuple[str | int, ...]  # where a value sits: ("documents", 0, "tasks", 2, "lead")


class SourceDoc(Protocol):
    """What the loader needs of a parsed file: its plain data in the tasks.yaml shape, and where a value
    sits. A YAML file (`YamlDoc`, file:line:column) and a review sheet (`bot.tasksfile.review_book`,
    sheet!cell) both provide it, so one set of rules checks both."""

    @property
    def data(self) -> Any: ...

    def locate(self, loc: Sequence[str | int]) -> tuple[int | None, int | None]: ...

    def problem(self, loc: Sequence[str | int], message: str) -> Problem: ...


@dataclass(frozen=True)
class UnitEntry:
    name: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()

    @property
    def is_group(self) -> bool:
        return bool(self.members)


@dataclass(frozen=True)
class TaskEntry:
    document_id: str
    key: str
    section: str | None
    title: str
    body: str | None
    deadline: dt.date | None
    deadline_text: str | None
    recurrence: str | None
    settings: dict[str, Any]
    lead: tuple[str, ...]  # canonical names as written (groups not expanded)
    responsible: tuple[str, ...]
    supervise: tuple[str, ...]  # 督查单位: they watch the task (digest, /status) and get no reminders
    assignments: tuple[tuple[str, str, str | None], ...]  # (unit, role, via group) after expansion
    line: int | None


@dataclass(frozen=True)
class TargetEntry:
    document_id: str
    key: str
    text: str
    value: float
    measure: str | None
    due: dt.date | None
    task_key: str | None


@dataclass(frozen=True)
class DocumentEntry:
    id: str
    short: str
    title: str
    issuer: str
    number: str | None
    issued: dt.date
    period_start: dt.date | None
    period_end: dt.date | None
    addressees: tuple[str, ...]
    source: str | None
    settings: dict[str, Any]
    archived: bool | None = None  # `archived:` as the file says it; None: by the period (bot/tasksfile/ended.py)


@dataclass
class Catalog:
    timezone: str
    defaults: dict[str, Any]
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    units: dict[str, UnitEntry]
    documents: list[DocumentEntry]
    tasks: list[TaskEntry]
    targets: list[TargetEntry]
    warnings: list[Problem] = field(default_factory=list)

    def tasks_per_unit(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for task in self.tasks:
            for unit in {unit for unit, _, _ in task.assignments}:
                counts[unit] = counts.get(unit, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


class Registry:
    """Name → canonical unit, built from the units: section; collects its own problems."""

    def __init__(self, doc: SourceDoc, spec: TasksFile, problems: list[Problem]):
        self.units: dict[str, UnitEntry] = {}
        self.lookup: dict[str, str] = {}
        self._folded: dict[str, str] | None = None
        self.units_where = getattr(doc, "units_where", "units:")  # where the file declares its units
        self._declare(doc, spec, problems)
        self._add_members(doc, spec, problems)
        self.lookup.update((name, name) for name in self.units)
        self._add_aliases(doc, spec, problems)

    def _declare(self, doc: SourceDoc, spec: TasksFile, problems: list[Problem]) -> None:
        declared: dict[str, int] = {}
        for i, unit in enumerate(spec.units):
            if unit.name in declared:
                problems.append(
                    doc.problem(
                        ("units", i, "name"),
                        (f"unit {unit.name!r} is declared twice (first as units[{declared[unit.name]}])"),
                    )
                )
                continue
            declared[unit.name] = i
            self.units[unit.name] = UnitEntry(unit.name, tuple(unit.aliases), tuple(unit.members))

    def _add_members(self, doc: SourceDoc, spec: TasksFile, problems: list[Problem]) -> None:
        """A group's members are units of their own; a member that is a group is refused (one level deep)."""
        for i, unit in enumerate(spec.units):
            for j, member in enumerate(unit.members):
                if member not in self.units:
                    self.units[member] = UnitEntry(member)
                elif self.units[member].is_group:
                    problems.append(
                        doc.problem(
                            ("units", i, "members", j),
                            (f"member {member!r} of {unit.name!r} is itself a group: groups are one level deep"),
                        )
                    )

    def _add_aliases(self, doc: SourceDoc, spec: TasksFile, problems: list[Problem]) -> None:
        """An alias points at one unit: one that is a unit's name or another unit's alias is refused."""
        for i, unit in enumerate(spec.units):
            for j, alias in enumerate(unit.aliases):
                owner = self.lookup.get(alias)
                if owner is not None and owner != unit.name:
                    what = "the name of unit" if owner == alias else "already an alias of"
                    problems.append(
                        doc.problem(
                            ("units", i, "aliases", j),
                            (f"alias {alias!r} of {unit.name!r} is {what} {owner!r}: an alias must point at one unit"),
                        )
                    )
                    continue
                self.lookup[alias] = unit.name

    def resolve(self, name: str) -> str | None:
        """Exact first; else both sides folded, so （） and () match whichever way round they were typed."""
        found = self.lookup.get(name)
        if found is None:
            if self._folded is None:
                self._folded = {}
                for key, unit in self.lookup.items():
                    self._folded.setdefault(unitnames.name_key(key), unit)
            found = self._folded.get(unitnames.name_key(name))
        return found

    def closest(self, name: str) -> str | None:
        return unitnames.closest(name, self.lookup)

    def expand(self, name: str) -> list[tuple[str, str | None]]:
        unit = self.units[name]
        if unit.is_group:
            return [(member, name) for member in unit.members]
        return [(name, None)]

    def unknown(self, name: str) -> str:
        near = self.closest(name)
        hint = f"; did you mean {near!r}?" if near else f"; add it to {self.units_where} (or as an alias)"
        return f"unknown unit {name!r}{hint}"


def load_catalog(path: Path, *, text: str | None = None) -> Catalog:
    """Read and validate a tasks file; raises InputError listing every problem with file:line. A review
    sheet (.xlsx, written by `taskbot extract --xlsx`) is read by `bot.tasksfile.review_book` and checked by
    the same rules."""
    if text is None and path.suffix.lower() == ".xlsx":
        from bot.tasksfile.review_book import read_workbook

        return catalog_of(read_workbook(path))
    with collector_paused():
        return _load_catalog(load_yaml(path, text=text))


def catalog_of(doc: SourceDoc) -> Catalog:
    """Validate parsed data (YAML or a review sheet) into a Catalog: every rule of the tasks file."""
    with collector_paused():
        return _load_catalog(doc)


def _load_catalog(doc: SourceDoc) -> Catalog:
    if not isinstance(doc.data, dict):
        raise InputError([doc.problem((), "expected a mapping with `version: 1`, `units:` and `documents:`")])
    try:
        spec = TasksFile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(_schema_problems(doc, exc.errors())) from None
    problems: list[Problem] = []
    warnings: list[Problem] = []
    registry = Registry(doc, spec, problems)
    defaults = spec.defaults.model_dump()
    documents: list[DocumentEntry] = []
    tasks: list[TaskEntry] = []
    targets: list[TargetEntry] = []
    seen_docs: dict[str, int] = {}
    for d, document in enumerate(spec.documents):
        where = ("documents", d)
        if document.id in seen_docs:
            problems.append(
                doc.problem(
                    (*where, "id"),
                    (f"document id {document.id!r} is used twice (first at documents[{seen_docs[document.id]}])"),
                )
            )
            continue
        seen_docs[document.id] = d
        documents.append(_document(doc, registry, document, where, problems))
        tasks.extend(_tasks(doc, registry, document, where, problems, warnings))
        targets.extend(_targets(doc, document, where, problems))
    documents = _with_short_names(doc, spec.documents, documents, problems)
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return Catalog(
        timezone=spec.timezone,
        defaults=defaults,
        holidays=frozenset(_days(spec.calendar.holidays)),
        workdays=frozenset(_days(spec.calendar.workdays)),
        units=registry.units,
        documents=documents,
        tasks=tasks,
        targets=targets,
        warnings=warnings,
    )


def _with_short_names(
    doc: SourceDoc, specs: Sequence[DocumentSpec], documents: list[DocumentEntry], problems: list[Problem]
) -> list[DocumentEntry]:
    """Every document with its short name; an explicit one used twice is a problem at its line."""
    first: dict[str, int] = {}
    for d, spec in enumerate(specs):
        if spec.short is None:
            continue
        if spec.short in first:
            problems.append(
                doc.problem(
                    ("documents", d, "short"),
                    f"short name {spec.short!r} is used twice "
                    f"(first at documents[{first[spec.short]}]); short names must be unique",
                )
            )
        first.setdefault(spec.short, d)
    if problems:
        return documents  # the file is refused anyway (and a skipped document leaves the lists unequal)
    names = shortnames.assign([s.short for s in specs], [s.title for s in specs])
    return [replace(entry, short=name) for entry, name in zip(documents, names, strict=True)]


def _days(values: Iterable[str | dt.date]) -> Iterable[dt.date]:
    for value in values:
        yield from expand_day_range(value)


def _overrides(spec: Overrides) -> dict[str, Any]:
    return {k: v for k, v in spec.model_dump(include=set(Overrides.model_fields)).items() if v is not None}


def _document(
    doc: SourceDoc, registry: Registry, spec: DocumentSpec, where: Loc, problems: list[Problem]
) -> DocumentEntry:
    issuer = registry.resolve(spec.issuer)
    if issuer is None:
        problems.append(doc.problem((*where, "issuer"), registry.unknown(spec.issuer)))
    addressees = []
    for i, name in enumerate(spec.addressees):
        unit = registry.resolve(name)
        if unit is None:
            problems.append(doc.problem((*where, "addressees", i), registry.unknown(name)))
        else:
            addressees.append(unit)
    start, end = spec.period or (None, None)
    if start and end and end < start:
        problems.append(doc.problem((*where, "period"), f"period ends ({end}) before it starts ({start})"))
    return DocumentEntry(
        id=spec.id,
        short=spec.short or "",
        title=spec.title,
        issuer=issuer or spec.issuer,
        number=spec.number,
        issued=spec.issued,
        period_start=start,
        period_end=end,
        addressees=tuple(addressees),
        source=spec.source,
        settings=_overrides(spec),
        archived=spec.archived,
    )


def _tasks(
    doc: SourceDoc,
    registry: Registry,
    document: DocumentSpec,
    where: Loc,
    problems: list[Problem],
    warnings: list[Problem],
) -> Iterable[TaskEntry]:
    seen: dict[str, int] = {}
    for t, task in enumerate(document.tasks):
        here = (*where, "tasks", t)
        if task.id in seen:
            problems.append(
                doc.problem(
                    (*here, "id"),
                    (
                        f"task id {task.id!r} is used twice in document {document.id!r} "
                        f"(first at tasks[{seen[task.id]}])"
                    ),
                )
            )
            continue
        seen[task.id] = t
        if not task.lead and not task.responsible:
            problems.append(
                doc.problem(
                    here,
                    (
                        f"task {task.id!r} names no unit: give it `lead:` or `responsible:` "
                        "(for a document without markers, the issuer leads and the addressees are responsible)"
                    ),
                )
            )
            continue
        names, assignments = _assignments(doc, registry, task, here, problems)
        try:
            deadline = resolve_deadline(task.deadline)
        except ValueError as exc:
            problems.append(doc.problem((*here, "deadline"), str(exc)))
            continue
        if deadline.date and deadline.date < document.issued:
            warnings.append(
                doc.problem(
                    (*here, "deadline"),
                    (
                        f"task {task.id!r}: deadline {deadline.date} is before the document was issued "
                        f"({document.issued})"
                    ),
                )
            )
        line, _ = doc.locate(here)
        yield TaskEntry(
            document_id=document.id,
            key=task.id,
            section=task.section,
            title=task.title,
            body=task.body,
            deadline=deadline.date,
            deadline_text=deadline.text,
            recurrence=task.recurrence,
            settings=_overrides(task),
            lead=tuple(names[Role.LEAD]),
            responsible=tuple(names[Role.RESPONSIBLE]),
            supervise=tuple(names[Role.SUPERVISE]),
            assignments=assignments,
            line=line,
        )


def _assignments(
    doc: SourceDoc, registry: Registry, task: TaskSpec, here: Loc, problems: list[Problem]
) -> tuple[dict[str, list[str]], tuple[tuple[str, str, str | None], ...]]:
    """The units named per role (resolved, groups kept) and the assignments after expanding groups.

    A unit that leads is given no second, 责任 assignment. A unit may not supervise (督查) a task it leads or
    is responsible for — it would be watching its own work, and its chat would get the task's reminders
    anyway — so that is a problem at the `supervise:` entry, also when a group brings the unit in."""
    names: dict[str, list[str]] = {}
    assignments: dict[tuple[str, str], str | None] = {}
    for role in Role:
        names[role] = []
        for i, name in enumerate(getattr(task, role)):
            unit = registry.resolve(name)
            if unit is None:
                problems.append(doc.problem((*here, role, i), registry.unknown(name)))
                continue
            names[role].append(unit)
            for member, via in registry.expand(unit):
                if role == Role.RESPONSIBLE and (member, Role.LEAD) in assignments:
                    continue
                if role == Role.SUPERVISE:
                    doing = [r for r in WORKING_ROLES if (member, r) in assignments]
                    if doing:
                        through = f" (a member of {unit!r})" if via else ""
                        problems.append(
                            doc.problem(
                                (*here, role, i),
                                (
                                    f"unit {member!r}{through} is named in both `{doing[0]}:` and `supervise:` of task "
                                    f"{task.id!r}: a unit may not supervise a task it works on"
                                ),
                            )
                        )
                        continue
                assignments.setdefault((member, role), via)
    kept = tuple(
        (unit, role, via)
        for (unit, role), via in assignments.items()
        if not (role == Role.RESPONSIBLE and (unit, Role.LEAD) in assignments)
    )
    return names, kept


def _targets(doc: SourceDoc, document: DocumentSpec, where: Loc, problems: list[Problem]) -> Iterable[TargetEntry]:
    task_ids = {task.id for task in document.tasks}
    seen: set[str] = set()
    for i, target in enumerate(document.targets):
        here = (*where, "targets", i)
        if target.id in seen:
            problems.append(doc.problem((*here, "id"), f"target id {target.id!r} is used twice in {document.id!r}"))
            continue
        seen.add(target.id)
        if target.task is not None and target.task not in task_ids:
            problems.append(
                doc.problem(
                    (*here, "task"),
                    (f"target {target.id!r} points at task {target.task!r}, which {document.id!r} does not have"),
                )
            )
            continue
        yield TargetEntry(
            document.id, target.id, target.text, float(target.value), target.unit, target.due, target.task
        )


_EXPECTED = {
    "date_from_datetime_parsing": "expected a date YYYY-MM-DD",
    "date_parsing": "expected a date YYYY-MM-DD",
    "date_type": "expected a date YYYY-MM-DD",
    "extra_forbidden": "unknown key",
    "missing": "required key is missing",
    "list_type": "expected a list",
    "model_type": "expected a mapping",
    "dict_type": "expected a mapping",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "float_parsing": "expected a number",
    "literal_error": "expected one of",
    "string_pattern_mismatch": "has the wrong form",
}


def _schema_problems(doc: SourceDoc, errors: list[Any]) -> list[Problem]:
    """One problem per place: a value that fits no member of a union (`float | int`) fails once per
    member, and the first says enough."""
    problems: dict[Loc, Problem] = {}
    for err in errors:
        loc = tuple(
            part
            for part in err["loc"]
            if not (
                (isinstance(part, str) and part in {"str", "date", "int", "float"})
                or str(part).startswith(("function-", "tuple[", "list["))
            )
        )
        if loc not in problems:
            problems[loc] = _schema_problem(doc, loc, err)
    return list(problems.values())[:MAX_PROBLEMS]


def _dotted(loc: Loc) -> str:
    """documents[0].tasks[2].lead; a key with a line break or other unprintable character is quoted."""
    parts = (p if not isinstance(p, str) else p if p.isprintable() else repr(p) for p in loc)
    return ".".join(p if isinstance(p, str) else f"[{p}]" for p in parts).replace(".[", "[")


def _schema_problem(doc: SourceDoc, loc: Loc, err: Any) -> Problem:
    path = _dotted(loc)
    kind = err["type"]
    if kind == "missing":
        message = f"{path}: required key is missing"
    elif kind == "extra_forbidden":
        message = f"{path}: unknown key (check its spelling against docs/tasks-yaml.md)"
    else:
        got = err.get("input")
        shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
        detail = err["msg"]
        problem = str(err.get("ctx", {}).get("error", ""))
        if kind == "string_pattern_mismatch" and err["ctx"].get("pattern") in PATTERN_FORMS:
            detail = f"expected {PATTERN_FORMS[err['ctx']['pattern']]}"
        elif kind == "value_error" and problem:
            detail = problem
        elif kind.startswith("date_") and "outside expected range" in problem:
            detail = f"no such date ({problem})"
        elif kind in _EXPECTED and kind not in {"literal_error", "string_pattern_mismatch"}:
            detail = _EXPECTED[kind]
        message = f"{path}: {detail}, got {shown[:80]}"
    return doc.problem(loc, message)
