"""The planner: which messages became due in a window of time — a pure function, no store, no clock.

A periodic tick calls `plan(now, window_start, ...)` with window_start = the previous tick's `now` (a
restart passes the time of the last tick it remembers, which makes a catch-up window). Every message
whose send time falls in [window_start, now] is returned, and the outbox stores it under `key`. The
key is a function of the message alone (assignment, kind, period, send date; plus the recipient for an
escalation), never of the window, so overlapping windows, a second tick or a second process produce
the same key and the outbox's unique constraint sends it once. Whether a message is produced at all
follows the state passed in (a unit that reported done gets nothing more), never the window.

Rules (docs/scheduling.md), with the choices made where the design is silent:

- Send time: each assignment's `send_at` (local time in `tz`) on workdays only. A `send_at` outside
  08:00–20:00 is clamped into it: "nothing is sent at night" wins over a setting.
- Reminders: one per N in `remind_before`, on the deadline minus N days, moved to the PREVIOUS workday
  when that is not a workday. Two reminders landing on the same day are one message. No reminder before
  the document's issue date (an old document imported late does not replay its history).
- Progress prompts (`prompt_every`): weekly = first workday of each ISO week; biweekly = the same in
  every other week, counting weeks continuously from 0001-01-01 (a Monday), so the rhythm is not
  broken by 53-week ISO years; monthly = first workday of each month; quarterly = of Jan/Apr/Jul/Oct.
  Prompts run from the day after the issue date to the deadline inclusive (no deadline, as for 长期坚持:
  for as long as the task is open). A prompt on a day with a reminder for the same assignment is
  dropped: the reminder carries the same buttons, and one chat gets one message per task per day.
- Overdue: once the effective deadline has passed and the status is not done, a reminder on the first
  workday after the deadline and then every `overdue_every` workdays, for as long as the task stays
  late. The reminder numbered `escalate_after + 1` (i.e. after `escalate_after` reminders went unheeded)
  also escalates, once per period: one message to each lead unit of the task other than the late
  unit itself (it already has its own reminder) and, when coordinators are configured, one to them
  (`unit_id` None). `escalate_after: 0` escalates together with the first overdue reminder.
- Overdue reminders stop after `overdue_max` of them (default 10, about six weeks at every 3 workdays; 0
  never stops): the last one escalates once more, so the lead units and the coordinators learn that the
  unit is no longer reminded, and from then on the task is chased by people (the digest's red light, a
  催办, the 通报) rather than by a message every three days that nobody reads — in the three-year
  simulation, reminders to units that never answer were 87% of everything sent in the second half.
- Done, 办结 (task_closed) or archived: nothing at all. `blocked` is not done: it is reminded.
- A 督查 (supervise) assignment: nothing at all — no reminder, prompt, overdue reminder, and no 督办通报
  either (escalations go to the lead units and the coordinators). Its unit watches the task through the
  weekly digest and /status; the store does not even hand it to the planner (scheduler/snapshot.py).
- Asked again (退办): an assignment whose report was sent back (`returned_at`) and that has not reported
  since gets a progress prompt at the first send moment after the return — its workday's, or the next
  workday's when that moment had passed — unless a reminder, prompt or overdue reminder of its own falls
  on that day anyway (one message per task per day). The key is the prompt's own (assignment, prompt,
  period, day), so a regular prompt that day is the same item, and a second return before that moment
  does not ask twice. It follows `returned_at`, not the window, so overlapping windows agree.
- Recurring tasks (`yearly:MM-DD`, `quarterly`, `monthly:last`, `monthly:N`, bare `monthly` = last):
  each period k has its own deadline D_k (a day past the month's end, such as 02-29 or monthly:31,
  means the month's last day) and its own reminders, prompts, overdue reminders and escalation, with
  D_k in the key. Period k's *window* runs from halfway after the previous deadline to halfway before
  the next one, ((D_{k-1}+D_k)/2, (D_k+D_{k+1})/2] rounded down. Every message about period k is sent
  inside its window, and the status counts for period k only when `last_report_at` (local date) lies
  inside that window. Why: a late "已完成" sent while period k is being chased as overdue answers
  period k instead of silencing period k+1; the overdue reminders of a period stop when a reply could
  no longer answer them; exactly one period is chased at a time. (A consequence: a monthly task gets
  no 30-day reminder, which would fall into the previous month's window.) The first period is the first
  deadline on or after the issue date; its window has no start (messages are still bounded by the issue
  date, and only reports from the issue date on count). A recurring task's `deadline`, if any, ends
  the series: no period after it, and the last period's window has no end.
- Non-recurring tasks have one period, labelled by the effective deadline's ISO date ("open" without a
  deadline). An approved extension changes the label, so the new deadline gets fresh reminders.
- Nothing is dated before the document's issue date. A catch-up window returns every message it
  covers (a 30-day and a 7-day reminder missed during a long outage both come back): how far back to
  catch up is the caller's choice of `window_start`.
- Weekly digest (`digest_due`): the first workday of each ISO week at its send time, one marker message
  per week (key "digest:2025-W03", `unit_id` None); the digest job fans it out to the lead units, the
  督查单位 and the coordinators. A week without a workday (the 2020 Spring Festival extension) has no digest.

Speed: nothing walks day by day per assignment. The window becomes, once per distinct send time, the
sorted list of workdays whose send moment lies inside it; reminder days are computed from the deadline,
prompt days are bisected out of a per-call list of cadence days, overdue days by workday arithmetic.
Assignments sharing a schedule (same deadline, issue date, recurrence and settings — the five units of
one task, and every task of the same deadline in documents issued the same day) share one computation: at
the 10,000-task Monday of bench/bench_scheduler.py, 900 schedules rather than 10,000. Each document's settings
are read once, not once per assignment, and a message is a few fields, its payload built only when asked.
A one-minute tick at which nothing is due is one dictionary lookup per assignment.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.vocab import Cadence, MessageKind, Role, Status
from scheduler.workdays import WorkCalendar

DAY_START = dt.time(8, 0)
DAY_END = dt.time(20, 0)
DEFAULT_SETTINGS: dict[str, Any] = {
    "remind_before": [30, 7, 1],
    "prompt_every": "monthly",
    "send_at": "09:30",
    "overdue_every": 3,
    "escalate_after": 2,
    "overdue_max": 10,
}
_NO_END = 10**9  # an ordinal later than any date


# -- inputs and outputs -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedAssignment:
    """One (task, unit, role) as the planner needs it; the store builds these."""

    assignment_id: int
    task_id: int
    document_id: str
    task_key: str
    task_title: str
    unit_id: int
    unit_name: str
    role: Role
    status: Status
    deadline: dt.date | None  # effective: an approved extension overrides the task's
    recurrence: str | None
    task_closed: bool
    archived: bool
    last_report_at: dt.datetime | None
    settings: Mapping[str, Any] = field(default_factory=dict, hash=False)  # resolved file→document→task
    returned_at: dt.datetime | None = None  # the newest time a report of it was sent back (退办)


@dataclass(frozen=True, slots=True)
class PlanInput:
    assignments: Sequence[PlannedAssignment]
    lead_units: Mapping[int, tuple[int, ...]] = field(default_factory=dict, hash=False)  # task id → units
    issued: Mapping[str, dt.date] = field(default_factory=dict, hash=False)  # document id → date
    has_coordinators: bool = True
    # every assignment's `send_at` setting, when the caller knows them (scheduler/snapshot.py): a window that
    # holds no send moment of any of them plans nothing, without a look at each assignment (a quiet minute)
    send_times: frozenset[str | None] | None = field(default=None, hash=False)


@dataclass(slots=True)
class DueMessage:
    """One message due. Not frozen, and its details are fields rather than a dict built per message: a
    Monday send moment plans 37,315 of them, and a frozen dataclass's __init__ (object.__setattr__ per field)
    plus an eleven-key payload dict were a third of the planner's time (issue 23). Treat it as read-only."""

    key: str
    kind: MessageKind
    assignment_id: int | None
    unit_id: int | None  # recipient unit; None = the coordinators
    send_at: dt.datetime  # aware, in the configured time zone
    period: str
    deadline: dt.date | None = None  # the period's deadline (None: open-ended, or a digest marker)
    overdue_count: int = 0  # overdue and escalation: the reminder's number
    view: PlannedAssignment | None = field(default=None, repr=False)  # whom it is about (None: a digest marker)

    @property
    def payload(self) -> dict[str, Any]:
        """The message's details as one dict (for logs, tests and `taskbot plan`), built when asked."""
        day = self.send_at.date()
        view = self.view
        if view is None:
            return {"week": self.period, "date": day.isoformat()}
        payload: dict[str, Any] = {
            "document_id": view.document_id,
            "task_id": view.task_id,
            "task_key": view.task_key,
            "task_title": view.task_title,
            "unit_id": view.unit_id,
            "unit_name": view.unit_name,
            "role": view.role,
            "status": view.status,
            "period": self.period,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_left": (self.deadline - day).days if self.deadline is not None else None,
        }
        if self.kind in (MessageKind.OVERDUE, MessageKind.ESCALATION):
            payload["overdue_count"] = self.overdue_count
            payload["days_overdue"] = (day - self.deadline).days if self.deadline is not None else 0
        return payload


# -- time helpers -----------------------------------------------------------------------------------


def send_time(text: str | None) -> dt.time:
    """'HH:MM' → a time, clamped into daytime (08:00–20:00)."""
    hours, _, minutes = (text or DEFAULT_SETTINGS["send_at"]).partition(":")
    value = dt.time(int(hours), int(minutes or 0))
    return min(max(value, DAY_START), DAY_END)


def _require_aware(**values: dt.datetime) -> None:
    for name, value in values.items():
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be an aware datetime, got {value!r}")


class _Days:
    """The workdays whose send moment (at one send time) lies in the window, plus derived lookups."""

    def __init__(self, ordinals: list[int], at: dt.time, tz: ZoneInfo, calendar: WorkCalendar) -> None:
        self.ordinals = ordinals
        self.members = frozenset(ordinals)
        self.at = at
        self.tz = tz
        self.calendar = calendar
        self.lo = ordinals[0] if ordinals else 0
        self.hi = ordinals[-1] if ordinals else -1
        # A date x moves (previous workday) into [lo, hi] iff lo <= x < next workday after hi.
        self.hi_next = calendar.next_ordinal(self.hi + 1) if ordinals else -1
        self._cadences: dict[str, list[int]] = {}
        self._moments: dict[int, dt.datetime] = {}  # shared by every message of the day: one object, not 37,000

    def __bool__(self) -> bool:
        return bool(self.ordinals)

    def moment(self, ordinal: int) -> dt.datetime:
        found = self._moments.get(ordinal)
        if found is None:
            found = self._moments[ordinal] = dt.datetime.combine(dt.date.fromordinal(ordinal), self.at, tzinfo=self.tz)
        return found

    def cadence(self, every: str) -> list[int]:
        found = self._cadences.get(every)
        if found is None:
            found = [o for o in self.ordinals if _is_cadence_day(o, every, self.calendar)]
            self._cadences[every] = found
        return found


def _is_cadence_day(ordinal: int, every: str, calendar: WorkCalendar) -> bool:
    day = dt.date.fromordinal(ordinal)
    if every in (Cadence.WEEKLY, Cadence.BIWEEKLY):
        if calendar.first_workday_of_week(day) != day:
            return False
        return every == Cadence.WEEKLY or ((ordinal - 1) // 7) % 2 == 0
    if every in (Cadence.MONTHLY, Cadence.QUARTERLY):
        if every == "quarterly" and day.month not in (1, 4, 7, 10):
            return False
        return calendar.first_workday_of_month(day.year, day.month) == day
    return False


class _Window:
    """[window_start, now] seen per send time; built once per plan() call."""

    def __init__(self, window_start: dt.datetime, now: dt.datetime, calendar: WorkCalendar, tz: ZoneInfo) -> None:
        self.start, self.end = window_start, now
        self.calendar, self.tz = calendar, tz
        self._by_time: dict[str, _Days] = {}

    def days(self, send_at: str | None) -> _Days:
        found = self._by_time.get(send_at or "")
        if found is None:
            found = self._build(send_time(send_at))
            self._by_time[send_at or ""] = found
        return found

    def _build(self, at: dt.time) -> _Days:
        ordinals: list[int] = []
        if self.start <= self.end:
            first = self.start.astimezone(self.tz).date().toordinal()
            last = self.end.astimezone(self.tz).date().toordinal()
            ordinals = self.calendar.ordinals_between(first, last)
            if ordinals and self._moment(ordinals[0], at) < self.start:
                ordinals = ordinals[1:]
            if ordinals and self._moment(ordinals[-1], at) > self.end:
                ordinals = ordinals[:-1]
        return _Days(ordinals, at, self.tz, self.calendar)

    def _moment(self, ordinal: int, at: dt.time) -> dt.datetime:
        return dt.datetime.combine(dt.date.fromordinal(ordinal), at, tzinfo=self.tz)


# -- recurrence -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recurrence:
    """Deadlines D_k every `step` months; k is an absolute index (month count from year 0 / step)."""

    step: int
    anchor: int  # a deadline month, as year * 12 + month - 1 modulo step
    day: int | None  # None = the month's last day

    @classmethod
    def parse(cls, text: str) -> Recurrence:
        if text.startswith("yearly:"):
            month, _, day = text[7:].partition("-")
            return cls(12, int(month) - 1, int(day))
        if text == "quarterly":
            return cls(3, 2, None)
        if text in ("monthly", "monthly:last"):
            return cls(1, 0, None)
        if text.startswith("monthly:") and text[8:].isdigit():
            return cls(1, 0, int(text[8:]))
        raise ValueError(f"unknown recurrence {text!r} (yearly:MM-DD, quarterly, monthly:last, monthly:N)")

    def deadline(self, k: int) -> dt.date:
        year, month0 = divmod(self.anchor + k * self.step, 12)
        last = _month_length(year, month0 + 1)
        return dt.date(year, month0 + 1, min(self.day or last, last))

    def index_on_or_after(self, day: dt.date) -> int:
        """k of the first deadline on or after `day`."""
        month = day.year * 12 + day.month - 1
        k = -((self.anchor - month) // self.step)
        return k if self.deadline(k) >= day else k + 1

    def window_end(self, k: int) -> int:
        """Last day (ordinal) of period k's window: halfway to the next deadline, rounded down."""
        this, following = self.deadline(k).toordinal(), self.deadline(k + 1).toordinal()
        return this + (following - this) // 2

    def window_of(self, ordinal: int) -> int:
        """k of the period whose window holds the day."""
        k = self.index_on_or_after(dt.date.fromordinal(ordinal))
        return k - 1 if ordinal <= self.window_end(k - 1) else k


def _month_length(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


# -- per-schedule slots -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slot:
    """One message of a schedule, before it is addressed to an assignment. What every message of the slot
    shares is worked out here once (`key_tail`, `due`), not once per assignment."""

    kind: MessageKind
    ordinal: int
    period: str
    deadline: int | None  # ordinal
    report_lo: int  # a done report in (report_lo, report_hi] answers this period
    report_hi: int
    overdue_count: int = 0
    key_tail: str = ""  # the key after the assignment id: kind, period, send date
    due: dt.date | None = None  # the deadline as a date


@dataclass(frozen=True, slots=True)
class _Period:
    label: str
    deadline: int | None  # ordinal; None = open-ended
    start: int  # messages on days > start
    end: int  # overdue messages on days <= end
    report_lo: int
    report_hi: int


@dataclass(frozen=True, slots=True)
class _Schedule:
    deadline: dt.date | None
    recurrence: str | None
    issued: int  # ordinal; 0 = unknown
    remind_before: tuple[int, ...]
    prompt_every: str
    overdue_every: int
    escalate_after: int
    overdue_max: int  # 0: never stop


def _setting(settings: Mapping[str, Any], name: str) -> Any:
    value = settings.get(name)
    return DEFAULT_SETTINGS[name] if value is None else value


def _schedule_of(view: PlannedAssignment, issued: dt.date | None) -> _Schedule:
    settings = view.settings
    return _Schedule(
        deadline=view.deadline,
        recurrence=view.recurrence,
        issued=issued.toordinal() if issued else 0,
        remind_before=tuple(sorted(set(_setting(settings, "remind_before")))),
        prompt_every=_setting(settings, "prompt_every"),
        overdue_every=max(1, int(_setting(settings, "overdue_every"))),
        escalate_after=max(0, int(_setting(settings, "escalate_after"))),
        overdue_max=max(0, int(_setting(settings, "overdue_max"))),
    )


def _periods(schedule: _Schedule, days: _Days) -> list[_Period]:
    if schedule.recurrence is None:
        deadline = schedule.deadline.toordinal() if schedule.deadline else None
        label = schedule.deadline.isoformat() if schedule.deadline else "open"
        return [_Period(label, deadline, -_NO_END, _NO_END, -_NO_END, _NO_END)]
    rec = Recurrence.parse(schedule.recurrence)
    first = rec.index_on_or_after(dt.date.fromordinal(schedule.issued)) if schedule.issued else None
    last = None
    if schedule.deadline is not None:
        last = rec.index_on_or_after(schedule.deadline)
        if rec.deadline(last) > schedule.deadline:
            last -= 1
    k_lo, k_hi = rec.window_of(days.lo), rec.window_of(days.hi)
    k_lo = k_lo if first is None else max(k_lo, first)
    k_hi = k_hi if last is None else min(k_hi, last)
    periods = []
    for k in range(k_lo, k_hi + 1):
        start = -_NO_END if k == first else rec.window_end(k - 1)
        end = _NO_END if k == last else rec.window_end(k)
        report_lo = schedule.issued - 1 if k == first else start
        due = rec.deadline(k)
        periods.append(_Period(due.isoformat(), due.toordinal(), start, end, report_lo, end))
    return periods


def _slots(schedule: _Schedule, days: _Days) -> list[_Slot]:
    slots: list[_Slot] = []
    for period in _periods(schedule, days):
        reminders = _reminders(schedule, period, days)
        slots.extend(_slot(MessageKind.REMINDER, o, period) for o in reminders)
        prompts = _prompts(schedule, period, days)
        slots.extend(_slot(MessageKind.PROMPT, o, period) for o in prompts if o not in reminders)
        slots.extend(_overdue(schedule, period, days))
    return slots


def _slot(kind: MessageKind, ordinal: int, period: _Period, count: int = 0) -> _Slot:
    tail = f"{kind}:{period.label}:{dt.date.fromordinal(ordinal).isoformat()}"
    due = dt.date.fromordinal(period.deadline) if period.deadline is not None else None
    return _Slot(kind, ordinal, period.label, period.deadline, period.report_lo, period.report_hi, count, tail, due)


def _reminders(schedule: _Schedule, period: _Period, days: _Days) -> set[int]:
    if period.deadline is None:
        return set()
    found = set()
    for n in schedule.remind_before:
        x = period.deadline - n
        if days.lo <= x < days.hi_next:
            day = days.calendar.previous_ordinal(x)
            if day in days.members and day > period.start and day >= schedule.issued:
                found.add(day)
    return found


def _prompts(schedule: _Schedule, period: _Period, days: _Days) -> list[int]:
    if schedule.prompt_every == "none":
        return []
    candidates = days.cadence(schedule.prompt_every)
    after = max(period.start, schedule.issued)
    until = _NO_END if period.deadline is None else period.deadline
    return candidates[bisect_right(candidates, after) : bisect_right(candidates, until)]


def _overdue(schedule: _Schedule, period: _Period, days: _Days) -> list[_Slot]:
    if period.deadline is None or period.deadline >= days.hi:
        return []
    calendar, every = days.calendar, schedule.overdue_every
    first = calendar.next_ordinal(period.deadline + 1)
    last = min(days.hi, period.end)
    if first > last:
        return []
    step = -(-calendar.count_ordinals(first, max(days.lo, first)) // every)
    found: list[_Slot] = []
    day = calendar.add_ordinal(first, step * every)
    final = schedule.overdue_max - 1 if schedule.overdue_max else None
    while day <= last and (final is None or step <= final):
        if day in days.members and day >= schedule.issued:
            found.append(_slot(MessageKind.OVERDUE, day, period, step + 1))
            if step in (schedule.escalate_after, final):
                found.append(_slot(MessageKind.ESCALATION, day, period, step + 1))
        step += 1
        day = calendar.add_ordinal(first, step * every)
    return found


# -- addressing -------------------------------------------------------------------------------------


def _answered(view: PlannedAssignment, slot: _Slot, tz: ZoneInfo) -> bool:
    """Done counts for a period only when the report that made it done is inside the period's window."""
    if view.status != Status.DONE:
        return False
    if view.recurrence is None:
        return True
    if view.last_report_at is None:
        return False
    reported = view.last_report_at.astimezone(tz).date().toordinal()
    return slot.report_lo < reported <= slot.report_hi


def _messages(view: PlannedAssignment, slot: _Slot, days: _Days, data: PlanInput) -> list[DueMessage]:
    base = f"{view.assignment_id}:{slot.key_tail}"
    when = days.moment(slot.ordinal)
    if slot.kind != MessageKind.ESCALATION:
        return [
            DueMessage(
                base, slot.kind, view.assignment_id, view.unit_id, when, slot.period, slot.due, slot.overdue_count, view
            )
        ]
    recipients: list[int | None] = [u for u in data.lead_units.get(view.task_id, ()) if u != view.unit_id]
    if data.has_coordinators:
        recipients.append(None)
    return [
        DueMessage(
            f"{base}:{'coord' if unit is None else unit}",
            MessageKind.ESCALATION,
            view.assignment_id,
            unit,
            when,
            slot.period,
            slot.due,
            slot.overdue_count,
            view,
        )
        for unit in dict.fromkeys(recipients)
    ]


def _asked_again(
    view: PlannedAssignment, slots: Sequence[_Slot], days: _Days, data: PlanInput, tz: ZoneInfo
) -> list[DueMessage]:
    """The prompt that asks a returned assignment again (see "Asked again" above), if it falls in the window."""
    returned = view.returned_at
    if returned is None or (view.last_report_at is not None and view.last_report_at > returned):
        return []
    local = returned.astimezone(tz)
    ordinal = local.date().toordinal() + (local.timetz().replace(tzinfo=None) >= days.at)
    day = days.calendar.next_ordinal(ordinal)
    issued = data.issued.get(view.document_id)
    if day not in days.members or (issued is not None and day <= issued.toordinal()):
        return []
    if any(s.ordinal == day and s.kind != MessageKind.ESCALATION for s in slots):
        return []  # a message of its own that day asks already
    schedule = _schedule_of(view, issued)
    period = next((p for p in _periods(schedule, days) if p.start < day <= p.end), None)
    if period is None:
        return []
    slot = _slot(MessageKind.PROMPT, day, period)
    return [] if _answered(view, slot, tz) else _messages(view, slot, days, data)


# -- entry points -----------------------------------------------------------------------------------


def plan(
    now: dt.datetime,
    window_start: dt.datetime,
    data: PlanInput,
    calendar: WorkCalendar,
    tz: ZoneInfo,
    *,
    digest_send_at: str | None = None,
) -> list[DueMessage]:
    """Every message whose send time lies in [window_start, now], sorted by send time and key.

    `digest_send_at` also adds the weekly digest markers (see `digest_due`).
    """
    _require_aware(now=now, window_start=window_start)
    window = _Window(window_start, now, calendar, tz)
    memo: dict[tuple[Any, ...], list[_Slot]] = {}
    # id(settings) → (the settings, kept alive so the id stays theirs; their days; their part of a schedule's key)
    schedules: dict[int, tuple[Mapping[str, Any], _Days, tuple[Any, ...]]] = {}
    out: list[DueMessage] = []
    extend = out.extend
    quiet = data.send_times is not None and not any(window.days(t) for t in data.send_times)
    for view in () if quiet else data.assignments:
        if _silent(view):
            continue
        settings = view.settings  # shared by the tasks of a document (scheduler/snapshot.py): read once
        known = schedules.get(id(settings))
        if known is None:
            known = schedules[id(settings)] = (settings, window.days(settings.get("send_at")), _settings_key(settings))
        days = known[1]
        if not days:
            continue
        issued = data.issued.get(view.document_id)
        key = (view.deadline, view.recurrence, issued, known[2])  # what a schedule depends on, no more
        slots = memo.get(key)
        if slots is None:
            slots = memo[key] = _slots(_schedule_of(view, issued), days)
        _add_slots(out, view, slots, days, data, tz)
        if view.returned_at is not None:
            extend(_asked_again(view, slots, days, data, tz))
    if digest_send_at is not None:
        extend(digest_due(now, window_start, calendar, tz, digest_send_at))
    out.sort(key=_order)
    return out


_order = attrgetter("send_at", "key")


def _add_slots(
    out: list[DueMessage], view: PlannedAssignment, slots: list[_Slot], days: _Days, data: PlanInput, tz: ZoneInfo
) -> None:
    """The assignment's messages of `slots` appended to `out` (the hot loop of `plan`: no list per view)."""
    done = view.status == Status.DONE  # a recurring task's: it counts for one period (`_answered`)
    for slot in slots:
        if done and _answered(view, slot, tz):
            continue
        if slot.kind == MessageKind.ESCALATION:
            out.extend(_messages(view, slot, days, data))
            continue
        out.append(
            DueMessage(
                f"{view.assignment_id}:{slot.key_tail}",
                slot.kind,
                view.assignment_id,
                view.unit_id,
                days.moment(slot.ordinal),
                slot.period,
                slot.due,
                slot.overdue_count,
                view,
            )
        )


def _silent(view: PlannedAssignment) -> bool:
    """Nothing is ever sent about it: closed, archived, a 督查单位's, or done once and for all."""
    return (
        view.task_closed
        or view.archived
        or view.role == Role.SUPERVISE
        or (view.status == Status.DONE and view.recurrence is None)
    )


def _settings_key(settings: Mapping[str, Any]) -> tuple[Any, ...]:
    """The settings a schedule depends on, as a key (`send_at` first)."""
    remind_before = settings.get("remind_before")
    return (
        settings.get("send_at"),
        settings.get("prompt_every"),
        settings.get("overdue_every"),
        settings.get("escalate_after"),
        settings.get("overdue_max"),
        tuple(remind_before) if remind_before is not None else None,
    )


def daily_moments(
    now: dt.datetime, window_start: dt.datetime, calendar: WorkCalendar, tz: ZoneInfo, send_at: str = "09:30"
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The workday moments at `send_at` in [window_start, now], each with the previous workday's moment:
    (since, until) — the day a lead's report notice covers (bot/chat/lead_notices.py)."""
    _require_aware(now=now, window_start=window_start)
    days = _Window(window_start, now, calendar, tz).days(send_at)
    return [(days.moment(calendar.previous_ordinal(o - 1)), days.moment(o)) for o in days.ordinals]


def digest_due(
    now: dt.datetime, window_start: dt.datetime, calendar: WorkCalendar, tz: ZoneInfo, send_at: str = "09:30"
) -> list[DueMessage]:
    """The weekly digest markers in [window_start, now]: first workday of each ISO week at `send_at`."""
    _require_aware(now=now, window_start=window_start)
    days = _Window(window_start, now, calendar, tz).days(send_at)
    out = []
    for ordinal in days.cadence(Cadence.WEEKLY):
        day = dt.date.fromordinal(ordinal)
        year, week, _ = day.isocalendar()
        label = f"{year}-W{week:02d}"
        out.append(DueMessage(f"digest:{label}", MessageKind.DIGEST, None, None, days.moment(ordinal), label))
    return out
