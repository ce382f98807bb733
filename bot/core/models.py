"""The store's tables (SQLModel on SQLAlchemy). Alembic migrations in bot/core/migrations follow these.

- `Task` and `Document` rows are never deleted: a task that leaves tasks.yaml is archived, so its
  reports and audit trail (留痕) stay. `Task.key` is the document's own numbering ("1.1").
- `Assignment` is one (task, unit, role); its status/percent/expected date follow the newest report.
  `via_group_id` records that it came from a group unit (各县(市、区)人民政府 → 蓬江区人民政府).
- `Report` is append-only and keeps the whole text as sent; a report sent back (退办) keeps its row and
  gains `returned_at`/`returned_by`/`return_reason`, and no longer counts (bot/chat/returns.py).
- Times are stored in UTC; dates (deadlines) are calendar dates in the configured time zone.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ColumnElement,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from bot.core.vocab import (
    ChatKind,
    DocumentOrigin,
    ExtensionStatus,
    MessageKind,
    OutboxStatus,
    ReportedStatus,
    ReportSource,
    Role,
    Status,
    ValueSource,
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend.

    SQLite keeps no zone: without this an aware 09:30+08:00 would be stored as 09:30 and read back as
    a naive value, and comparisons in SQL (send_at <= now) would be off by the zone's offset.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps aware times only")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


E = TypeVar("E", bound=StrEnum)


class EnumText(TypeDecorator[E]):
    """A vocabulary member stored as its plain string (VARCHAR, no database enum type to migrate) and read back
    as the member, so a field typed with its StrEnum holds a member whether it was just written or loaded."""

    impl = String
    cache_ok = True

    def __init__(self, vocabulary: type[E], length: int = 16) -> None:
        super().__init__(length)
        self.vocabulary = vocabulary

    def process_bind_param(self, value: E | str | None, dialect: Any) -> str | None:
        return None if value is None else self.vocabulary(value).value

    def process_result_value(self, value: str | None, dialect: Any) -> E | None:
        return None if value is None else self.vocabulary(value)


def _vocab(vocabulary: type[StrEnum], default: Any = None, *, nullable: bool = False, **kwargs: Any) -> Any:
    """A column of one vocabulary; `default` is the Python-side default (None: required or NULL)."""
    column_default = {} if default is None else {"default": default}
    column = Column(EnumText(vocabulary), nullable=nullable, **column_default, **kwargs)
    return Field(default=default, sa_column=column)


def pk(row: SQLModel) -> int:
    """The primary key of a stored row. SQLModel types `id` as Optional because a row has none until it is
    flushed; every row read from the store or flushed has one, and asking a new row for it is a bug."""
    ident = getattr(row, "id", None)
    if not isinstance(ident, int):
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return ident


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for bulk Core statements (insert … on conflict). SQLModel's class
    attribute is untyped; this is the one place that says what it is."""
    table = getattr(model, "__table__", None)
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return table


def id_column(model: type[SQLModel]) -> ColumnElement[int]:
    """The primary key column of a table model for Core selects, typed as the int it always holds: SQLModel
    types `id` as Optional (a new row has none), so `select(col(Model.id))` reads `int | None` although the
    column is NOT NULL. Same SQL as col(Model.id)."""
    column: ColumnElement[int] = table_of(model).c.id
    return column


def _ts(**kwargs: Any) -> Any:
    return Field(sa_column=Column(UTCDateTime(), **kwargs))


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=200)
    is_group: bool = False
    created_at: dt.datetime = _ts(nullable=False, default=utcnow)


class UnitAlias(SQLModel, table=True):
    __tablename__ = "unit_alias"
    alias: str = Field(primary_key=True, max_length=200)
    unit_id: int = Field(foreign_key="unit.id", index=True)


class GroupMember(SQLModel, table=True):
    __tablename__ = "group_member"
    group_id: int = Field(foreign_key="unit.id", primary_key=True)
    member_id: int = Field(foreign_key="unit.id", primary_key=True)


class Document(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=80)
    short: str | None = Field(default=None, max_length=40)  # 简称, as people name it in chat
    title: str
    issuer_id: int = Field(foreign_key="unit.id")
    number: str | None = None
    issued: dt.date
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    addressees: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source: str | None = None
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    archived: bool = False
    # a whole import archives the documents the tasks file left, never one imported on its own (migration 0014)
    origin: DocumentOrigin = _vocab(DocumentOrigin, DocumentOrigin.TASKS_FILE, server_default="tasks_file")
    # 已到期: the plan's period ended more than a year before its import (or `archived: true`). Its tasks send
    # nothing and are in no light, ranking or overdue count; /status and the summary still show them.
    ended: bool = False


class Task(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("document_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="document.id", index=True)
    key: str = Field(max_length=40)
    section: str | None = None
    title: str
    body: str | None = None
    deadline: dt.date | None = None
    deadline_text: str | None = None
    recurrence: str | None = None
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    closed_at: dt.datetime | None = _ts(nullable=True)  # 办结, set by a lead unit
    archived: bool = False
    updated_at: dt.datetime = _ts(nullable=False, default=utcnow)


class Assignment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "role"),
        Index("ix_assignment_unit", "unit_id"),
        # each unit's newest report (the digest's 催办 counts) read from the index alone
        Index("ix_assignment_unit_report", "unit_id", "last_report_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    role: Role = _vocab(Role)
    via_group_id: int | None = Field(default=None, foreign_key="unit.id")
    status: Status = _vocab(Status, Status.PENDING)
    percent: int | None = None
    expected_date: dt.date | None = None
    deadline_override: dt.date | None = None  # an approved extension (延期)
    last_report_at: dt.datetime | None = _ts(nullable=True)
    archived: bool = False


class Report(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    created_at: dt.datetime = _ts(nullable=False, default=utcnow, index=True)  # a lead's daily notice reads a day
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))  # supergroups: -100…
    user_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    user_name: str | None = None
    source: ReportSource = _vocab(ReportSource, ReportSource.TEXT)
    text: str
    status: ReportedStatus | None = _vocab(ReportedStatus, nullable=True)
    percent: int | None = None
    expected_date: dt.date | None = None
    # 退办: a lead of the task or a coordinator sent it back; the assignment no longer follows it
    returned_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True))
    returned_by: str | None = Field(default=None, max_length=120)  # the audit actor: "tg:<user id>"
    return_reason: str | None = None


class Target(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("document_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: str = Field(foreign_key="document.id", index=True)
    key: str = Field(max_length=80)
    text: str
    value: float
    measure: str | None = None
    due: dt.date | None = None
    task_key: str | None = None
    archived: bool = False


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = _ts(nullable=False, default=utcnow, index=True)
    actor: str = Field(max_length=120)  # "cli", "tg:<user id>", "scheduler"
    action: str = Field(max_length=40)  # import.task.add, import.task.update, report.add, ...
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=120)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


# --- Telegram side: chats bound to units, invites, coordinators -------------------------------------


class Chat(SQLModel, table=True):
    """A Telegram chat bound to one unit (a unit may have several: its contact and its group)."""

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=Column(BigInteger, unique=True, nullable=False, index=True))
    unit_id: int = Field(foreign_key="unit.id", index=True)
    kind: ChatKind = _vocab(ChatKind, ChatKind.PRIVATE)
    title: str | None = None
    bound_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    bound_at: dt.datetime = _ts(nullable=False, default=utcnow)
    blocked_at: dt.datetime | None = _ts(nullable=True)  # 403 from Telegram: we stop sending there
    blocked_reason: str | None = None


class Invite(SQLModel, table=True):
    """A one-time binding code; only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(unique=True, max_length=64)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    for_group: bool = False
    created_at: dt.datetime = _ts(nullable=False, default=utcnow)
    expires_at: dt.datetime = _ts(nullable=False)
    used_at: dt.datetime | None = _ts(nullable=True)
    used_by_chat: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class Coordinator(SQLModel, table=True):
    """Coordinators added with /promote (those in COORDINATOR_IDS need no row)."""

    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    added_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    added_at: dt.datetime = _ts(nullable=False, default=utcnow)


# --- Outbox: every message is here before it is sent -------------------------------------------------


class SheetItem(SQLModel, table=True):
    """One planned item (assignment, kind, period, day[, escalation recipient]) that went into a 督办单.

    `key` is the planner's key and unique: the tick inserts the items it planned with ON CONFLICT DO
    NOTHING and builds 督办单 only from the rows it really inserted, so an item reaches its unit once
    across ticks, restarts and processes, whichever 督办单 carries it."""

    __tablename__ = "sheet_item"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    created_at: dt.datetime = _ts(nullable=False, default=utcnow)


class Sheet(SQLModel, table=True):
    """A 督办单: what one recipient (a unit, or the coordinators when unit_id is None) was sent at one
    send moment, in the numbered order the message shows, so replies by number and button pages can be
    read back from the store after a restart."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=80)  # the tick's token and the recipient: ids read back at once
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    items: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    send_at: dt.datetime = _ts(nullable=False)
    created_at: dt.datetime = _ts(nullable=False, default=utcnow)


class Outbox(SQLModel, table=True):
    """One message to one chat. `key` is unique: the planner's key plus the chat, so a second tick,
    a restart or a second process can only ever insert it once."""

    __table_args__ = (
        Index("ix_outbox_due", "status", "send_at"),
        Index("ix_outbox_sent_message", "chat_id", "message_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=200)
    kind: MessageKind = _vocab(MessageKind)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    chat_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id", index=True)
    text: str
    reply_markup: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    send_at: dt.datetime = _ts(nullable=False)
    status: OutboxStatus = _vocab(OutboxStatus, OutboxStatus.PENDING)
    attempts: int = 0
    next_attempt_at: dt.datetime | None = _ts(nullable=True)
    last_error: str | None = None
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_at: dt.datetime | None = _ts(nullable=True)
    sent_at: dt.datetime | None = _ts(nullable=True)
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    parts_sent: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    sheet_id: int | None = Field(default=None, foreign_key="sheet.id")  # the 督办单 this message carries
    file_id: int | None = Field(default=None, foreign_key="outbox_file.id", index=True)  # a file; text = caption
    created_at: dt.datetime = _ts(nullable=False, default=utcnow)


class OutboxFile(SQLModel, table=True):
    """The bytes of a file an outbox row sends (the weekly chart, a 台账). Stored once per `sha256` (of the
    name and the content), so the one chart of a week that goes to every coordinator is one row here; dropped
    a week later once no row has it still to send (bot/store/outbox.py `prune_files`)."""

    __tablename__ = "outbox_file"
    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: dt.datetime = _ts(nullable=False, default=utcnow)


# --- Requests, digests, target values, scheduler state -----------------------------------------------


class ExtensionRequest(SQLModel, table=True):
    """申请延期: asked by a unit, decided by a coordinator; approval sets Assignment.deadline_override."""

    __tablename__ = "extension_request"
    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", index=True)
    requested_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    requested_at: dt.datetime = _ts(nullable=False, default=utcnow)
    new_date: dt.date
    reason: str
    status: ExtensionStatus = _vocab(ExtensionStatus, ExtensionStatus.PENDING)
    decided_by: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    decided_at: dt.datetime | None = _ts(nullable=True)


class TargetValue(SQLModel, table=True):
    """A value of a quantified target (指标): stated in a report, corrected (更正), or recorded with /target.

    The newest value that is not void counts (by reported_at, then id). Nothing is deleted (留痕): a 更正
    adds a value with `replaces_id` and the time of the one it corrects and voids that one; 「不是这个指标」
    only voids."""

    __tablename__ = "target_value"
    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="target.id", index=True)
    value: float
    reported_at: dt.datetime = _ts(nullable=False, default=utcnow)
    report_id: int | None = Field(default=None, foreign_key="report.id")
    source: ValueSource = _vocab(ValueSource, ValueSource.REPORT, server_default=ValueSource.REPORT.value)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")  # whose chat stated it (None: a coordinator)
    replaces_id: int | None = Field(default=None, foreign_key="target_value.id")
    voided_at: dt.datetime | None = _ts(nullable=True)


class DigestRun(SQLModel, table=True):
    """What a digest showed, so the next one can say what changed since. One per (period, audience)."""

    __tablename__ = "digest_run"
    __table_args__ = (Index("ux_digest_run_period_audience", "period", "audience", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=40, index=True)  # e.g. 2025-W03
    audience: str = Field(max_length=80)  # coordinators | unit:<id>
    created_at: dt.datetime = _ts(nullable=False, default=utcnow)
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # assignments by status as the digest counted them; kept when `snapshot` is emptied (the chart's trend)
    counts: dict[str, int] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'"))
    )


class Inbox(SQLModel, table=True):
    """Every update Telegram sent, stored before it is acknowledged (polling: before the next getUpdates offset
    confirms it; webhook: before the 200), then handled from here (bot/inbound.py). `update_id` is Telegram's,
    so an update delivered twice is stored once and handled once. `claimed_by` is the process handling it (as
    the outbox's, scheduler/sender.worker_id); `handled_at` is set when its handling ended. Handled rows are
    dropped after a week."""

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_handled", "handled_at"),)
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    received_at: dt.datetime = _ts(nullable=False, default=utcnow)
    claimed_by: str | None = Field(default=None, max_length=80)
    claimed_at: dt.datetime | None = _ts(nullable=True)
    handled_at: dt.datetime | None = _ts(nullable=True)


class SchedulerState(SQLModel, table=True):
    """Small named values the scheduler keeps between runs (e.g. the time of the last tick)."""

    __tablename__ = "scheduler_state"
    name: str = Field(primary_key=True, max_length=40)
    value: str


# --- The web 看板 (bot/web): one-time login links and sessions ----------------------------------------


class WebLogin(SQLModel, table=True):
    """A one-time login link for the web 看板 (`/web`, `taskbot web-link`); only its SHA-256 is stored, like an
    invite's code. Spent with one conditional UPDATE (… WHERE used_at IS NULL): a link opens one session."""

    __tablename__ = "web_login"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    created_at: dt.datetime = _ts(nullable=False, default=utcnow)
    expires_at: dt.datetime = _ts(nullable=False)
    used_at: dt.datetime | None = _ts(nullable=True)


class WebSession(SQLModel, table=True):
    """A browser's session on the web 看板: the cookie holds a random token, the store its SHA-256 (a copy of
    the store opens no session). Ends at `expires_at` or when logged out (`ended_at`)."""

    __tablename__ = "web_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    created_at: dt.datetime = _ts(nullable=False, default=utcnow)
    expires_at: dt.datetime = _ts(nullable=False)
    ended_at: dt.datetime | None = _ts(nullable=True)


class StoreVersion(SQLModel, table=True):
    """One row (id 1) whose counter triggers move whenever a document, task, unit, assignment or report
    changes (migration 0012): the tick keeps its planner snapshot while the counter stands still
    (scheduler/snapshot.cached_snapshot)."""

    __tablename__ = "store_version"
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(sa_column=Column(BigInteger, nullable=False))


class StoreChange(SQLModel, table=True):
    """Per document ('*': every document, a unit's name changed), the store counter when a row that feeds its
    digest rows last changed (migration 0015, the same triggers): /digest reads again only the documents
    changed since what it kept (bot/store/versioned.kept_by_document)."""

    __tablename__ = "store_change"
    document_id: str = Field(primary_key=True, max_length=80)
    version: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
