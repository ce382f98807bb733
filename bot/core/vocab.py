"""The named vocabularies: every status, role, kind and outcome the bot stores, plans or answers with.

One pure module (no SQLModel, no Telegram) so that the pure planner, the reply parser, the store and the
message catalogue share the same members. Each is a `StrEnum`: the stored value is the member's string,
so rows written before these existed read back as members and a member compares equal to its value.
The catalogue (bot/render/messages.py) has a text for every member a person sees; a test checks that.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """An assignment's state, as the store keeps it and the digest counts it."""

    PENDING = "pending"  # 未报告
    IN_PROGRESS = "in_progress"  # 进行中
    BLOCKED = "blocked"  # 受阻
    DONE = "done"  # 已完成


class ReportedStatus(StrEnum):
    """What a reply says about progress; NOT_STARTED (尚未启动) leaves the assignment at PENDING."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    NOT_STARTED = "not_started"


class Role(StrEnum):
    """A unit's part in a task: 牵头, 责任, or 督查 (it watches the task: the digest and /status, no reminders,
    no reports; it is not one of the units doing the task)."""

    LEAD = "lead"
    RESPONSIBLE = "responsible"
    SUPERVISE = "supervise"


WORKING_ROLES = (Role.LEAD, Role.RESPONSIBLE)  # the units doing the task: reminded, reporting, counted
OVERSEEING_ROLES = (Role.LEAD, Role.SUPERVISE)  # the units that see the task across its units (/status, digest)


class MessageKind(StrEnum):
    """What an outbox row is; the planner's kinds come first."""

    REMINDER = "reminder"  # N days before the deadline
    PROMPT = "prompt"  # progress asked
    SHEET = "sheet"  # a 督办单 of several items (one item keeps that item's kind)
    OVERDUE = "overdue"  # past the deadline
    ESCALATION = "escalation"  # to the leads and coordinators after repeated overdue reminders
    DIGEST = "digest"  # the weekly digest
    BROADCAST = "broadcast"  # a coordinator's notice
    NOTICE = "notice"  # 延期 requests and decisions, blocked chats, reports to leads, 退办
    ANSWER = "answer"  # an answer Telegram did not take at once
    CHART = "chart"  # the weekly digest's chart, a photo (after the coordinators' digest; /chart)
    DOCUMENT = "document"  # a file sent as a document: the 台账 of /export


class FileKind(StrEnum):
    """How an outbox row's file goes to Telegram: sendPhoto (shown inline, recompressed) or sendDocument."""

    PHOTO = "photo"
    DOCUMENT = "document"


class Cadence(StrEnum):
    """How often progress is asked (`prompt_every`)."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    NONE = "none"


class ReportSource(StrEnum):
    """How a report reached the store."""

    BUTTON = "button"  # a status button of the report card
    REPLY = "reply"  # a reply to a 督办单 or a prompt
    COMMAND = "command"  # /report
    TEXT = "text"  # plain text in a private chat
    IMPORT = "import"  # written by an import
    WEB = "web"  # the web 看板's report form


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # no chat bound, chat blocked: kept so the coordinator can see it


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"


class ExtensionStatus(StrEnum):
    """A 延期 request's state."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ExtensionOutcome(StrEnum):
    SENT = "sent"
    WAITING = "waiting"  # another request for this assignment is still pending
    NOT_LATER = "not_later"
    PAST = "past"
    NO_REASON = "no_reason"
    APPROVED = "approved"
    REFUSED = "refused"
    ALREADY = "already"  # decided before
    MISSING = "missing"


class BindOutcome(StrEnum):
    BOUND = "bound"
    ALREADY = "already"  # this chat is bound to this unit already
    OTHER_UNIT = "other_unit"  # this chat is bound to another unit
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    WRONG_KIND = "wrong_kind"  # a group code in a private chat, or the reverse
    THROTTLED = "throttled"  # too many wrong codes lately


class CloseOutcome(StrEnum):
    """Marking a task 办结 (asked first, then confirmed), and reopening it."""

    ASK = "ask"  # the lead is asked to confirm
    CLOSED = "closed"
    CANCELLED = "cancelled"
    ALREADY = "already"
    NOT_LEAD = "not_lead"
    UNBOUND = "unbound"
    MISSING = "missing"
    REOPENED = "reopened"
    NOT_CLOSED = "not_closed"  # /reopen of a task that is not 办结
    AMBIGUOUS = "ambiguous"  # /reopen of a reference that names several tasks


class ReturnOutcome(StrEnum):
    """退办: what a tap on 退回, and the reason that follows it, did (bot/chat/returns.py)."""

    ASK = "ask"  # the reason is asked for
    RETURNED = "returned"
    CANCELLED = "cancelled"
    ALREADY = "already"  # the report was returned before
    SUPERSEDED = "superseded"  # the unit has reported again since: return the newer report
    CLOSED = "closed"  # the task is 办结: /reopen it first
    NOT_ALLOWED = "not_allowed"  # neither a lead of the task nor a coordinator
    OWN = "own"  # a lead's own unit's report: it reports again instead
    UNBOUND = "unbound"
    MISSING = "missing"  # no such report, or its task left the file
    NO_REASON = "no_reason"
    TOO_LONG = "too_long"  # a reason over MAX_REASON_CHARS


class ReportOutcome(StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"
    PROBLEM = "problem"  # the parser found something to refuse (ReplyProblem)
    EMPTY = "empty"
    TOO_LONG = "too_long"


class PartProblem(StrEnum):
    """Why one part of a several-task reply names no task of the unit."""

    UNKNOWN = "unknown"  # no task of the unit has that number / no such 督办单 item
    AMBIGUOUS = "ambiguous"  # several tasks have that number
    NOT_OWN = "not_own"  # a 督办单 line about another unit's task (督办通报)
    ITEM_OR_TASK = "item_or_task"  # 「6.」 in reply to a 督办单: its item 6 and a task numbered 6 both exist
    CONFLICT = "conflict"  # one task named twice in one reply with two different statuses
    UNADDRESSED = "unaddressed"  # the opening part names no task but says something (「示例 1.2 已完成」)


class ReplyProblem(StrEnum):
    """Why a reply is refused with nothing stored."""

    PERCENT_OVER_100 = "percent_over_100"
    PERCENT_NEGATIVE = "percent_negative"  # -50%, 负50%
    DATE_IN_PAST = "date_in_past"
    DATE_INVALID = "date_invalid"  # a date that does not exist: 13月, 2月30日, 0日
    DATE_TOO_FAR = "date_too_far"  # more than a few years ahead: questioned, not stored
    QUESTION = "question"  # 「完成了吗？」: a question states no status; the bot asks what is meant


class StoreFault(StrEnum):
    """Why the store could not be written (bot/core/db.py classifies the driver's error)."""

    BUSY = "busy"
    FULL = "full"
    READ_ONLY = "read_only"


class DigestScope(StrEnum):
    """What /digest shows: all tasks (coordinators), the tasks a unit leads, supervises (督查) or both, or a
    unit's own."""

    ALL = "all"
    LEAD = "lead"
    SUPERVISED = "supervised"
    OVERSEEN = "overseen"  # a unit that leads some tasks and supervises others: both
    OWN = "own"


class FileRequest(StrEnum):
    """What /export (the 台账) and /chart (the progress chart) did for a chat (bot/chat/exports.py)."""

    QUEUED = "queued"  # the file is in the outbox for this chat
    EMPTY = "empty"  # no task to put in it
    NOT_LEAD = "not_lead"  # a unit that leads and supervises no task (and no coordinator)
    UNBOUND = "unbound"  # a chat of no unit (and no coordinator)
    NOT_COORDINATOR = "not_coordinator"  # /bulletin from someone who is no coordinator


class BulletinPeriod(StrEnum):
    """What a 督办通报 and its ranking cover: the ISO week or the calendar month ending at its date."""

    WEEK = "week"
    MONTH = "month"


class Refusal(StrEnum):
    """Why a chat may not act on an assignment (bot/chat/reports.py `authorize`)."""

    UNBOUND = "unbound"
    MISSING = "missing"
    NOT_YOURS = "not_yours"
    ARCHIVED = "archived"
    CLOSED = "closed"
    SUPERVISING = "supervising"  # the unit supervises (督查) the task: it watches it and does not report on it


class Light(StrEnum):
    """红黄绿灯 per unit in the digest and the 台账."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


class InviteProblem(StrEnum):
    """Why `/invite` in chat made no code (bot/chat/invites.py); each has a text in the catalogue."""

    USAGE = "usage"  # no unit named
    BAD_EXPIRY = "bad_expiry"  # a lifetime that is not 30m/12h/7d/2w (or 天/小时/周/分钟), or over a year
    UNKNOWN_UNIT = "unknown_unit"  # no such unit or alias (the answer names the closest)
    GROUP_UNIT = "group_unit"  # a group of units (各县(市、区)人民政府): its members are invited instead
    AMBIGUOUS_UNIT = "ambiguous_unit"  # an alias that fits several units (科技局): asked with buttons


# --- health (issue 14: `taskbot health`, /healthz) --------------------------------------------------------


class HealthLevel(StrEnum):
    """One check's verdict, and the whole report's (the worst of its checks); `taskbot health` exits 0/1/2."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


class HealthCheck(StrEnum):
    """What `taskbot health` looks at, in the order it prints them."""

    TICK = "tick"  # age of the scheduler's last tick
    OUTBOX = "outbox"  # the oldest row due and not sent
    FAILED = "failed"  # rows that failed in the last day
    BLOCKED = "blocked"  # chats that blocked the bot or removed it
    CALENDAR = "calendar"  # the workday calendar knows the next 60 days
    SCHEMA = "schema"  # the store's schema revision is this code's


class ChaseTarget(StrEnum):
    """Whom a coordinator's 催办 (/remind) or targeted /broadcast reaches (bot/chat/chase_targets.py)."""

    OVERDUE = "overdue"  # units with overdue assignments
    SILENT = "silent"  # no report for N days (or never)
    DOC = "doc"  # every unit with open tasks in one document
    UNIT = "unit"  # one unit
    DUE = "due"  # a deadline within N days


class ChaseOutcome(StrEnum):
    """What a tap on a 催办's buttons did."""

    QUEUED = "queued"
    CANCELLED = "cancelled"
    ALREADY = "already"  # the draft was sent or cancelled before: nothing more
    MISSING = "missing"  # no such draft of this coordinator
    CHASED_TODAY = "chased_today"  # some units were chased today already: confirm again to send
    NOBODY = "nobody"  # the target reaches no chat now
    SKIPPED_ALL = "skipped_all"  # 取消 at CHASED_TODAY, and every unit was chased today: nothing sent


class BroadcastOutcome(StrEnum):
    """What a tap on a /broadcast draft's buttons did."""

    QUEUED = "queued"
    CANCELLED = "cancelled"
    ALREADY = "already"  # the draft was sent or cancelled before
    MISSING = "missing"  # no such draft of this coordinator
    NOBODY = "nobody"  # a targeted broadcast whose units no longer qualify at confirm time


class DocumentOrigin(StrEnum):
    """How a document came into the store (Document.origin): what a later import may archive."""

    TASKS_FILE = "tasks_file"  # a whole import of the tasks file: the file is its truth
    ON_ITS_OWN = "on_its_own"  # imported alone (the web review of an extraction): no tasks file holds it yet


class ValueSource(StrEnum):
    """Where a target value (TargetValue.source) came from."""

    REPORT = "report"  # a progress report stated it (「已实施12项」)
    CORRECTION = "correction"  # 更正 under the answer that recorded a value: it replaces that value
    COMMAND = "command"  # /target, by a lead unit or a coordinator


class TargetOutcome(StrEnum):
    """What /target or a 更正 of a target value did, or why not."""

    RECORDED = "recorded"
    VOIDED = "voided"  # 不是这个指标: the value no longer counts
    ASK = "ask"  # 更正 pressed: the bot asks for the right number
    UNBOUND = "unbound"  # the chat is bound to no unit and the user is no coordinator
    NOT_ALLOWED = "not_allowed"  # not the unit that reported it / not a lead of the task
    MISSING = "missing"  # no such value or target
    ALREADY = "already"  # the value was corrected or withdrawn before
    NO_NUMBER = "no_number"  # the text states no number
    WRONG_MEASURE = "wrong_measure"  # 3.2亿元 for a target counted in 项
    NEGATIVE = "negative"  # -5项, 负5项, 减少5项: a level reached is never below zero
    TOO_LARGE = "too_large"  # 320 nines: no figure a 工作方案 sets (bot/replies/quantities.ABSURD)
    UNKNOWN_DOCUMENT = "unknown_document"
    UNKNOWN_TARGET = "unknown_target"
    AMBIGUOUS = "ambiguous"  # a task with several targets and a value that fits more than one


class Quoted(StrEnum):
    """What the bot's message a text reply quotes was: it alone decides what the reply is (handlers/quoted.py)."""

    RETURN_QUESTION = "return_question"  # 退回's question (rt:<report>:no): the reply is the reason
    RETURN_NOTICE = "return_notice"  # a message with 退回 buttons (a lead's notice, /status): no report of its own
    TARGET_QUESTION = "target_question"  # 更正 of a target value (tv:<value>:no): the reply is the right number
    ASSIGNMENT = "assignment"  # a prompt (its outbox row) or an answer with rp:/fx: buttons: a report on that task
    SHEET = "sheet"  # a 督办单: a report on one or several of its tasks
    PLAIN = "plain"  # another of the bot's messages, or none in a private chat: read as plain text
