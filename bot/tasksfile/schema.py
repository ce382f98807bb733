"""The tasks.yaml schema (docs/tasks-yaml.md) as pydantic models.

Shape and types only; what needs the whole file (units that exist, unique ids, aliases that point at one
unit) is checked in `bot.tasksfile.loader`. Unknown keys are errors (`extra="forbid"`) because a misspelt key such
as `responsable:` would otherwise silently drop a unit from a task.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bot.core.vocab import Cadence
from bot.tasksfile.shortnames import SHORT_PATTERN
from bot.tasksfile.unitnames import untypable

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
SEND_AT_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
RECURRENCE_PATTERN = r"^(yearly:(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])|quarterly|monthly(:last|:([1-9]|[12]\d|3[01]))?)$"
PATTERN_FORMS = {  # what a value that does not match the pattern should look like, for the error message
    SLUG_PATTERN: "lower-case letters, digits, '.', '_' or '-', at most 80 (like demo-2023)",
    SEND_AT_PATTERN: "a time HH:MM (like 09:30)",
    SHORT_PATTERN: "1-12 characters without digits, spaces or punctuation (like 成果转化)",
    RECURRENCE_PATTERN: "yearly:MM-DD, quarterly, monthly, monthly:last or monthly:N (N a day 1-31)",
}


MAX_TARGET_VALUE = 10**15  # a target's number: 千万亿 is past any plan's count or 元 amount
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 but tab and line breaks, and DEL


def _target_value(value: float | int) -> float | int:
    """A target's `value:` is a count or an amount to reach: finite, above 0, at most MAX_TARGET_VALUE. `.nan`
    validated and then failed the import (PostgreSQL stored it: 「nan项」), 400 digits overflowed a float."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("expected a number, not .nan or .inf")
    if not 0 < value <= MAX_TARGET_VALUE:
        raise ValueError(f"expected a number above 0 and at most {MAX_TARGET_VALUE:,}")
    return value


def _printable(text: str) -> str:
    """A task's title or a target's text, shown in every prompt and digest line: no control character (NUL,
    BEL, VT, ESC …) written as a YAML escape ("\\0", "\\x07"); the raw ones are refused while reading. Tabs
    and line breaks stay allowed."""
    found = CONTROL.search(text)
    if found:
        raise ValueError(f"character {found.group()!r}: control characters are not allowed")
    return text


def _typable(name: str) -> str:
    problem = untypable(name)
    if problem is not None:
        raise ValueError(problem)
    return name


UnitName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(_typable)
]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
TaskId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
SendAt = Annotated[str, StringConstraints(pattern=SEND_AT_PATTERN)]
ShortName = Annotated[str, StringConstraints(pattern=SHORT_PATTERN)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Overrides(Strict):
    """Reminder settings; every level (file defaults, document, task) may set any of them."""

    remind_before: list[Annotated[int, Field(ge=0, le=366)]] | None = None
    prompt_every: Cadence | None = None
    send_at: SendAt | None = None
    overdue_every: Annotated[int, Field(ge=1, le=60)] | None = None
    escalate_after: Annotated[int, Field(ge=0, le=100)] | None = None
    overdue_max: Annotated[int, Field(ge=0, le=1000)] | None = None


class Defaults(Overrides):
    remind_before: list[Annotated[int, Field(ge=0, le=366)]] | None = [30, 7, 1]
    prompt_every: Cadence | None = Cadence.MONTHLY
    send_at: SendAt | None = "09:30"
    overdue_every: Annotated[int, Field(ge=1, le=60)] | None = 3
    escalate_after: Annotated[int, Field(ge=0, le=100)] | None = 2
    overdue_max: Annotated[int, Field(ge=0, le=1000)] | None = 10


class CalendarSpec(Strict):
    """Official holidays and 调休 workdays for years the chinese_calendar package does not know yet.

    Entries are dates or ranges written `2027-02-06..2027-02-14`.
    """

    holidays: list[str | dt.date] = []
    workdays: list[str | dt.date] = []

    @field_validator("holidays", "workdays")
    @classmethod
    def _dates(cls, values: list[str | dt.date]) -> list[str | dt.date]:
        for value in values:
            expand_day_range(value)
        return values


def expand_day_range(value: str | dt.date) -> list[dt.date]:
    if isinstance(value, dt.date):
        return [value]
    text = str(value).strip()
    start_text, sep, end_text = text.partition("..")
    try:
        start = dt.date.fromisoformat(start_text.strip())
        end = dt.date.fromisoformat(end_text.strip()) if sep else start
    except ValueError:
        raise ValueError(f"expected a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, got {text!r}") from None
    if end < start or (end - start).days > 366:
        raise ValueError(f"range {text!r} must run forward and span at most a year")
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


class UnitSpec(Strict):
    name: UnitName
    aliases: list[UnitName] = []
    members: list[UnitName] = []


class TargetSpec(Strict):
    id: Slug
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_printable)]
    value: Annotated[float | int, AfterValidator(_target_value)]
    unit: str | None = None
    due: dt.date | None = None
    task: TaskId | None = None


class TaskSpec(Overrides):
    id: TaskId
    section: str | None = None
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), AfterValidator(_printable)
    ]
    body: str | None = None
    lead: list[UnitName] = []
    responsible: list[UnitName] = []
    supervise: list[UnitName] = []  # 督查单位: the digest and /status of the task, no reminders
    deadline: dt.date | str | None = None
    recurrence: Annotated[str, StringConstraints(pattern=RECURRENCE_PATTERN)] | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: object) -> object:
        """`id: 1` and `id: "1"` mean the same task: numbering paths are text."""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value


class DocumentSpec(Overrides):
    id: Slug
    short: ShortName | None = None
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    issuer: UnitName
    number: str | None = None
    issued: dt.date
    period: tuple[dt.date, dt.date] | None = None
    addressees: list[UnitName] = []
    source: str | None = None
    archived: bool | None = None  # 已到期: true out, false in; absent: ended a year after the period (ended.py)
    targets: list[TargetSpec] = []
    tasks: list[TaskSpec] = []


class TasksFile(Strict):
    version: Literal[1]
    timezone: str = "Asia/Shanghai"
    defaults: Defaults = Defaults()
    calendar: CalendarSpec = CalendarSpec()
    units: list[UnitSpec] = []
    documents: list[DocumentSpec] = []
