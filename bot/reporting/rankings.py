"""Rankings of units over a period (三色预警 practice): how each unit kept its deadlines and answered the 督办
it got. Pure: the store hands the facts over (bot/store/ranking_inputs.py); the period and the zone are
parameters, so "the month to date" is the month cut at the day asked about.

Per unit, over a period [start, end] (calendar days in the configured zone, both included; what became
known after the end of `end` does not count):

- **按时完成率** (on-time rate): of the unit's assignments whose effective deadline (an approved 延期 wins)
  falls in the period, the share done on or before that deadline. An assignment became done at the first
  report of its last run of 已完成 reports (done, corrected to 进行中, done again: the second time counts),
  or when its task was marked 办结 (Task.closed_at), whichever came first. When nothing was reported after
  the end of the period, the store's own status is the truth for it (a status set without a report
  counts from the newest report; with no report at all it counts as done in time). None when nothing
  fell due.
- **督办回复率** (reply rate after a prompt): of the 督办单 items about the unit's own assignments delivered to
  it (reminders, progress prompts, overdue notices, a coordinator's 催办) whose reply time ran out in the
  period, the share answered by a report on that assignment in time: within REPLY_DAYS of delivery (7
  calendar days: five workdays in an ordinary week; bot/ cannot read the scheduler's workday calendar). A
  prompt belongs to the period its 7 days end in, so consecutive periods count each prompt once, and a week
  is not flattered by counting its answered prompts while those still waiting are left out. A prompt whose
  task was marked 办结 before its 7 days ran out counts neither way (nothing was left to answer); an item
  that could not be delivered (the unit has no chat) is no prompt. None when no prompt counts.
- **逾期项数** (overdue count): the unit's assignments still open at the end of the period whose deadline is
  before `end` (as the digest counts overdue).
- **逾期天数** (days overdue): the days from each of those deadlines to `end`, summed.

**Score** (满分100): 100 − 30 × (1 − 按时完成率) − 20 × (1 − 督办回复率) − min(50, 5 × 逾期项数 + 0.2 ×
逾期天数), to one decimal; a rate that is None deducts nothing. Half the points are about what is overdue now
(red, in 三色预警 terms): a unit sitting on seven tasks two months late (−50) ranks below one that missed its
only deadline this month (−30 for the rate, −5 and a day or so for the item).

**Order and rank**: score, high first; then fewer overdue items; then fewer days overdue; then the unit's
name. Units equal in score share a rank, and the next rank skips (1, 1, 3): the rank is what the score says, and
a reader who sees two equal scores with different ranks would not trust the table; the order within a rank
still puts fewer overdue items first.
A unit with nothing to measure in the period (nothing due, no prompt counted, nothing overdue) is not
ranked: idle, it would sit at the top with 100 points.

Only lead (牵头) and responsible (责任) assignments count; a unit that supervises (督查) delivers nothing.
A recurring task counts by its stored deadline, as the digest counts it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.vocab import WORKING_ROLES, BulletinPeriod, ReportedStatus, Role, Status

REPLY_DAYS = 7
ON_TIME_WEIGHT = 30.0
REPLY_WEIGHT = 20.0
OVERDUE_CAP = 50.0
PER_OVERDUE_ITEM = 5.0
PER_OVERDUE_DAY = 0.2


# --- the facts the store hands over ------------------------------------------------------------------------


# The facts are built per row (50,000 assignments and 100,000 reports for a bulletin): not frozen, since a frozen
# dataclass's __init__ sets each field through object.__setattr__ (issue 23). Treat them as read-only.


@dataclass(slots=True)
class AssignmentFact:
    """One live lead or responsible assignment."""

    assignment_id: int
    unit: str
    role: Role
    deadline: dt.date | None  # effective: the approved extension if there is one
    status: Status  # the store's status now
    closed_at: dt.datetime | None  # the task's 办结
    last_report_at: dt.datetime | None
    task_id: int = 0
    ref: str = ""  # 「成果转化 1.2」
    task_title: str = ""


@dataclass(slots=True)
class ReportFact:
    assignment_id: int
    at: dt.datetime
    status: ReportedStatus | None  # None: no status word


@dataclass(slots=True)
class PromptFact:
    """A 督办单 item about the unit's own assignment, and when it reached the unit's chat."""

    assignment_id: int
    sent_at: dt.datetime


@dataclass(frozen=True)
class RankingInputs:
    assignments: Sequence[AssignmentFact]
    reports: Sequence[ReportFact]  # any order
    prompts: Sequence[PromptFact]


# --- periods ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: BulletinPeriod
    start: dt.date
    end: dt.date  # included: the day the ranking is taken

    def previous(self) -> Period:
        """The whole week or month before this one."""
        end = self.start - dt.timedelta(days=1)
        start = end - dt.timedelta(days=end.weekday()) if self.kind == BulletinPeriod.WEEK else end.replace(day=1)
        return Period(self.kind, start, end)

    def begins(self, tz: dt.tzinfo) -> dt.datetime:
        """The period's first moment, in UTC (as the store's times are: comparing times in one zone is cheap,
        across zones every comparison asks the zone for its offset)."""
        return dt.datetime.combine(self.start, dt.time(), tzinfo=tz).astimezone(dt.UTC)

    def ends(self, tz: dt.tzinfo) -> dt.datetime:
        """The first moment after the period, in UTC: what is known then is what counts."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=tz).astimezone(dt.UTC)


def period_ending(kind: BulletinPeriod, as_of: dt.date) -> Period:
    """The ISO week (from Monday) or the calendar month (from the 1st) that holds `as_of`, cut at it."""
    start = as_of - dt.timedelta(days=as_of.weekday()) if kind == BulletinPeriod.WEEK else as_of.replace(day=1)
    return Period(kind, start, as_of)


# --- state at a moment ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    status: Status
    done_at: dt.datetime | None  # when it became done (None: not done, or done at an unknown time)


# what a report's status word makes the assignment (bot/chat/reports.next_state): 尚未启动 keeps 未报告
_SAID = {s.value: Status.PENDING if s == ReportedStatus.NOT_STARTED else Status(s.value) for s in ReportedStatus}
_STATUS = {s.value: s for s in Status}


def _after(status: Status, said: str | None) -> Status:
    """The assignment's status after a report; one without a status word moves 未报告 to 进行中."""
    if said is None:
        return Status.IN_PROGRESS if status is Status.PENDING else status
    return _SAID[said]


def state_at(fact: AssignmentFact, reports: Sequence[tuple[dt.datetime, str | None]], at: dt.datetime) -> State:
    """The assignment as it stood just before `at`, from its reports (in time order)."""
    status, since = Status.PENDING, None
    for when, said in reports:
        if when >= at:
            break
        new = _after(status, said)
        if new is Status.DONE and status is not Status.DONE:
            since = when
        status = new
    if fact.last_report_at is None or fact.last_report_at < at:  # nothing said since: the store is right
        if fact.status == Status.DONE and status is not Status.DONE:
            since = fact.last_report_at
        status = _STATUS[fact.status]
    done_at = since if status == Status.DONE else None
    if fact.closed_at is not None and fact.closed_at < at:  # 办结: done then at the latest
        done_at = fact.closed_at if done_at is None else min(done_at, fact.closed_at)
        status = Status.DONE
    return State(status, done_at)


def _utc(at: dt.datetime) -> dt.datetime:
    """The store's times are UTC already; others (a test's) are made so, so that comparisons stay cheap."""
    return at if at.tzinfo is dt.UTC else at.astimezone(dt.UTC)


class History:
    """The inputs indexed once: each assignment's reports in time order, the ranked assignments."""

    def __init__(self, inputs: RankingInputs) -> None:
        self.facts = {f.assignment_id: f for f in inputs.assignments if f.role in WORKING_ROLES}
        reports: dict[int, list[tuple[dt.datetime, str | None]]] = {}
        for r in inputs.reports:
            if r.assignment_id in self.facts:
                reports.setdefault(r.assignment_id, []).append((_utc(r.at), r.status))
        for events in reports.values():
            events.sort(key=lambda e: e[0])
        self.reports = reports
        self.times = {a: [when for when, _ in events] for a, events in reports.items()}
        self.prompts = [(p.assignment_id, _utc(p.sent_at)) for p in inputs.prompts if p.assignment_id in self.facts]

    def prompts_in(self, begins: dt.datetime, ends: dt.datetime) -> set[tuple[int, dt.datetime]]:
        """(assignment, delivered) of the prompts delivered in [begins, ends), each once."""
        return {p for p in self.prompts if begins <= p[1] < ends}

    def answered(self, assignment_id: int, sent_at: dt.datetime, until: dt.datetime) -> bool:
        """A report on the assignment in [sent_at, until)."""
        times = self.times.get(assignment_id, [])
        i = bisect.bisect_left(times, sent_at)
        return i < len(times) and times[i] < until


# --- standings --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    ref: str
    task_title: str
    days: int


@dataclass
class Standing:
    """One unit's figures over the period, its score and rank."""

    unit: str
    due: int = 0
    on_time: int = 0
    prompted: int = 0
    answered: int = 0
    overdue: list[Overdue] = field(default_factory=list)  # longest first
    score: float = 100.0
    rank: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.due)

    @property
    def reply_rate(self) -> float | None:
        return ratio(self.answered, self.prompted)

    @property
    def overdue_count(self) -> int:
        return len(self.overdue)

    @property
    def days_overdue(self) -> int:
        return sum(o.days for o in self.overdue)

    @property
    def measured(self) -> bool:
        return bool(self.due or self.prompted or self.overdue)


def ratio(part: int, whole: int) -> float | None:
    """part / whole, None when there is nothing to divide by (no rate rather than 0% or 100%)."""
    return part / whole if whole else None


def score(on_time_rate: float | None, reply_rate: float | None, overdue: int, days: int) -> float:
    """The module docstring's formula."""
    deduction = (
        ON_TIME_WEIGHT * (1 - (1.0 if on_time_rate is None else on_time_rate))
        + REPLY_WEIGHT * (1 - (1.0 if reply_rate is None else reply_rate))
        + min(OVERDUE_CAP, PER_OVERDUE_ITEM * overdue + PER_OVERDUE_DAY * days)
    )
    return round(100.0 - deduction + 1e-9, 1)


def _is_on_time(state: State, deadline: dt.date, tz: dt.tzinfo) -> bool:
    return state.status == Status.DONE and (state.done_at is None or state.done_at.astimezone(tz).date() <= deadline)


@dataclass(frozen=True)
class PeriodSummary:
    """Everything a 通报 says about one period: the ranked units and the totals over all units."""

    period: Period
    standings: list[Standing]  # ranked, best first
    counts: dict[str, int]  # assignments by status at the end of the period (办结 counts as done)
    tasks: int
    assignments: int
    due: int
    on_time: int
    prompted: int
    answered: int
    overdue: int

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.due)

    @property
    def reply_rate(self) -> float | None:
        return ratio(self.answered, self.prompted)


def summarize(history: History, period: Period, tz: dt.tzinfo) -> PeriodSummary:
    """The standings of every unit with something to measure, ranked, and the period's totals."""
    begins, ends = period.begins(tz), period.ends(tz)
    units: dict[str, Standing] = {}
    counts: Counter[str] = Counter({s: 0 for s in Status})
    no_reports: tuple[tuple[dt.datetime, str | None], ...] = ()
    for a, fact in history.facts.items():
        state = state_at(fact, history.reports.get(a, no_reports), ends)
        counts[state.status] += 1
        unit = units.get(fact.unit)
        if unit is None:
            unit = units[fact.unit] = Standing(fact.unit)
        overdue = _count(unit, fact, state, period, tz)
        if overdue is not None:
            unit.overdue.append(overdue)
    window = dt.timedelta(days=REPLY_DAYS)
    for a, sent_at in history.prompts_in(begins - window, ends - window):  # their 7 days end in the period
        fact = history.facts[a]
        until = sent_at + window
        unit = units[fact.unit]
        if history.answered(a, sent_at, until):
            unit.prompted += 1
            unit.answered += 1
        elif fact.closed_at is None or fact.closed_at >= until:
            unit.prompted += 1
    ranked = _scored(units.values())
    return PeriodSummary(
        period=period,
        standings=ranked,
        counts=dict(counts),
        tasks=len({f.task_id for f in history.facts.values()}),
        assignments=len(history.facts),
        due=sum(u.due for u in ranked),
        on_time=sum(u.on_time for u in ranked),
        prompted=sum(u.prompted for u in ranked),
        answered=sum(u.answered for u in ranked),
        overdue=sum(u.overdue_count for u in ranked),
    )


def _count(unit: Standing, fact: AssignmentFact, state: State, period: Period, tz: dt.tzinfo) -> Overdue | None:
    """Count the assignment's deadline into its unit's figures; its overdue item, if it is one."""
    if fact.deadline is None:
        return None
    if period.start <= fact.deadline <= period.end:
        unit.due += 1
        unit.on_time += _is_on_time(state, fact.deadline, tz)
    if state.status is not Status.DONE and fact.deadline < period.end:
        return Overdue(fact.ref, fact.task_title, (period.end - fact.deadline).days)
    return None


def _scored(units: Iterable[Standing]) -> list[Standing]:
    """The units with something to measure, scored and ranked."""
    measured = [u for u in units if u.measured]
    for unit in measured:
        unit.overdue.sort(key=lambda o: (-o.days, o.ref))
        unit.score = score(unit.on_time_rate, unit.reply_rate, unit.overdue_count, unit.days_overdue)
    return rank(measured)


@dataclass(frozen=True)
class Aggregates:
    """What the store worked out itself for a ranking (bot/store/ranking_inputs.standings), so that only the
    assignments whose state needs their reports come to Python: those due in the period, and those reported
    on after its end. For every other assignment the store's status is its state at the end of the period
    (`state_at`), so its overdue item is a plain query, and the reply rate is a count per unit."""

    history: History  # the assignments due in the period or reported on after its end, with their reports
    overdue: Sequence[tuple[int, str, Overdue]]  # (assignment id, unit, item) of the others' overdue items
    replies: Mapping[str, tuple[int, int]]  # unit → (prompts counted, answered) whose 7 days end in the period


def rank_aggregates(aggregates: Aggregates, period: Period, tz: dt.tzinfo) -> list[Standing]:
    """The same standings as `summarize(…).standings` over every fact, from what the store aggregated."""
    units: dict[str, Standing] = {}
    ends = period.ends(tz)
    history = aggregates.history
    no_reports: tuple[tuple[dt.datetime, str | None], ...] = ()
    overdue = list(aggregates.overdue)
    for a, fact in history.facts.items():
        unit = units.get(fact.unit)
        if unit is None:
            unit = units[fact.unit] = Standing(fact.unit)
        item = _count(unit, fact, state_at(fact, history.reports.get(a, no_reports), ends), period, tz)
        if item is not None:
            overdue.append((a, fact.unit, item))
    overdue.sort(key=lambda x: x[0])  # in assignment order, as summarize finds them: equal items keep it
    for _, name, item in overdue:
        units.setdefault(name, Standing(name)).overdue.append(item)
    for name, (prompted, answered) in aggregates.replies.items():
        unit = units.setdefault(name, Standing(name))
        unit.prompted += prompted
        unit.answered += answered
    return _scored(units.values())


def rank(standings: Iterable[Standing]) -> list[Standing]:
    """Sorted best first, each with its rank (shared by units equal in score: 1, 1, 3)."""
    ordered = sorted(standings, key=lambda u: (-u.score, u.overdue_count, u.days_overdue, u.unit))
    for position, unit in enumerate(ordered, 1):
        same = position > 1 and ordered[position - 2].score == unit.score
        unit.rank = ordered[position - 2].rank if same else position
    return ordered


def rank_units(inputs: RankingInputs, period: Period, tz: dt.tzinfo) -> list[Standing]:
    """The ranked standings of the units over `period`."""
    return summarize(History(inputs), period, tz).standings
