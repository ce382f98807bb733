"""The extractor's plain data: what one document yields before it is written as YAML.

Kept free of parsing and I/O so the writer, the comparison and the tests share one shape. Fields that
the tasks.yaml schema has no key for (`source_line`, `warnings`) travel here and become YAML comments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class ExtractedTask:
    id: str
    section: str | None
    title: str
    body: str
    lead: list[str]
    responsible: list[str]
    deadline: dt.date | str | None
    recurrence: str | None
    source_line: int | None
    deadline_note: str | None = None  # why this deadline (e.g. "document period"), a YAML comment
    warnings: list[str] = field(default_factory=list)
    supervise: list[str] = field(default_factory=list)  # 督查单位: they watch the task, no reminders


@dataclass
class ExtractedTarget:
    id: str
    text: str
    value: float
    unit: str | None
    due: dt.date | None
    task: str | None = None


@dataclass
class ProposedUnit:
    """A unit of the output's `units:` section: copied from the registry or proposed as new."""

    name: str
    aliases: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    new: bool = False  # not in the registry: a proposal for a reviewer
    new_aliases: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass
class ExtractedDocument:
    id: str
    title: str
    issuer: str | None
    number: str | None
    issued: dt.date
    period: tuple[dt.date, dt.date] | None
    addressees: list[str]
    source: str
    targets: list[ExtractedTarget]
    tasks: list[ExtractedTask]
    mode: str  # "markers" or "prose": how the units were found
    warnings: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    document: ExtractedDocument
    units: list[ProposedUnit]
    registry_name: str | None
