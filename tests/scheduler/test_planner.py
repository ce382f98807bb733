"""The planner on fixed clocks (time travel): what becomes due when, under which key."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduler.planner import (
    DueMessage,
    PlanInput,
    PlannedAssignment,
    Recurrence,
    digest_due,
    plan,
    send_time,
)
from scheduler.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
D = dt.date
CAL = WorkCalendar()
ISSUED = D(2024, 1, 2)
SETTINGS: dict[str, Any] = {
    "remind_before": [30, 7, 1],
    "prompt_every": "none",
    "send_at": "09:30",
    "overdue_every": 3,
    "escalate_after": 2,
}


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=TZ)


def view(aid: int = 1, **changes: Any) -> PlannedAssignment:
    settings = {**SETTINGS, **changes.pop("settings", {})}
    base = PlannedAssignment(
        assignment_id=aid,
        task_id=10,
        document_id="doc",
        task_key="1.1",
        task_title="建立科技成果转化项目库",
        unit_id=100 + aid,
        unit_name=f"单位{aid}",
        role="responsible",
        status="pending",
        deadline=D(2025, 11, 28),
        recurrence=None,
        task_closed=False,
        archived=False,
        last_report_at=None,
        settings=settings,
    )
    return dataclasses.replace(base, **changes)


def run(
    views: Iterable[PlannedAssignment],
    start: dt.datetime,
    end: dt.datetime,
    *,
    leads: tuple[int, ...] = (7,),
    issued: dt.date = ISSUED,
    coordinators: bool = True,
) -> list[DueMessage]:
    data = PlanInput(list(views), lead_units={10: leads}, issued={"doc": issued}, has_coordinators=coordinators)
    return plan(end, start, data, CAL, TZ)


def days_of(messages: Iterable[DueMessage], kind: str) -> list[dt.date]:
    return [m.send_at.date() for m in messages if m.kind == kind]


# -- reminders --------------------------------------------------------------------------------------


def test_reminders_30_7_1_days_before() -> None:
    messages = run([view()], at(2025, 10, 1), at(2025, 11, 28))
    reminders = [m for m in messages if m.kind == "reminder"]
    assert [m.send_at for m in reminders] == [at(2025, 10, 29, 9, 30), at(2025, 11, 21, 9, 30), at(2025, 11, 27, 9, 30)]
    assert [m.payload["days_left"] for m in reminders] == [30, 7, 1]
    assert {m.payload["deadline"] for m in reminders} == {"2025-11-28"}
    assert reminders[0].key == "1:reminder:2025-11-28:2025-10-29"
    assert reminders[0].unit_id == 101 and reminders[0].assignment_id == 1
    assert reminders[0].period == "2025-11-28"


def test_reminder_in_national_day_moves_to_previous_workday() -> None:
    task = view(deadline=D(2024, 10, 31), settings={"remind_before": [30, 7]})
    messages = run([task], at(2024, 9, 1), at(2024, 10, 31))
    assert days_of(messages, "reminder") == [D(2024, 9, 30), D(2024, 10, 24)]
    assert messages[0].payload["days_left"] == 31
    # Oct 7 (holiday) → Sep 30, not the make-up Sunday Sep 29 before it
    messages = run([view(deadline=D(2024, 10, 8), settings={"remind_before": [1]})], at(2024, 9, 1), at(2024, 10, 8))
    assert days_of(messages, "reminder") == [D(2024, 9, 30)]


def test_reminders_landing_on_one_day_are_one_message() -> None:
    # deadline on a Sunday: 0 and 1 day before both move to Friday
    messages = run([view(deadline=D(2025, 6, 29), settings={"remind_before": [0, 1]})], at(2025, 6, 1), at(2025, 6, 30))
    assert days_of(messages, "reminder") == [D(2025, 6, 27)]


def test_no_reminder_before_the_issue_date() -> None:
    messages = run([view(deadline=D(2025, 11, 28))], at(2025, 9, 1), at(2025, 11, 28), issued=D(2025, 11, 1))
    assert days_of(messages, "reminder") == [D(2025, 11, 21), D(2025, 11, 27)]


def test_extension_gives_the_new_deadline_its_own_reminders() -> None:
    before = run([view()], at(2025, 11, 27), at(2025, 11, 27, 23))
    extended = run([view(deadline=D(2026, 1, 30))], at(2026, 1, 29), at(2026, 1, 29, 23))
    assert [m.key for m in before] == ["1:reminder:2025-11-28:2025-11-27"]
    assert [m.key for m in extended] == ["1:reminder:2026-01-30:2026-01-29"]


# -- keys and windows -------------------------------------------------------------------------------


def test_same_key_whatever_the_window() -> None:
    views = [view()]
    minute = run(views, at(2025, 10, 29, 9, 30), at(2025, 10, 29, 9, 31))
    edge = run(views, at(2025, 10, 29, 9, 29), at(2025, 10, 29, 9, 30))
    week = run(views, at(2025, 10, 25), at(2025, 11, 1))
    assert minute == edge == week
    assert [m.key for m in minute] == ["1:reminder:2025-11-28:2025-10-29"]
    assert run(views, at(2025, 10, 29, 9, 31), at(2025, 10, 29, 9, 32)) == []
    # the clock's zone does not matter, only the instant
    utc = plan(
        at(2025, 10, 29, 9, 31).astimezone(dt.UTC),
        at(2025, 10, 29, 9, 30).astimezone(dt.UTC),
        PlanInput(views, {10: (7,)}, {"doc": ISSUED}),
        CAL,
        TZ,
    )
    assert utc == minute


def test_consecutive_windows_union_to_the_catch_up_window() -> None:
    views = [
        view(1),
        view(2, deadline=D(2025, 10, 10), settings={"prompt_every": "weekly", "overdue_every": 2}),
        view(3, deadline=None, settings={"prompt_every": "biweekly", "send_at": "14:00"}),
        view(4, recurrence="monthly:last", deadline=None, settings={"prompt_every": "monthly"}),
    ]
    start, end = at(2025, 9, 1), at(2026, 2, 1)
    wide = {m.key: m for m in run(views, start, end)}
    steps = [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=59),
        dt.timedelta(hours=7, minutes=31),
        dt.timedelta(days=1, minutes=3),
        dt.timedelta(days=3, hours=2),
    ]
    seen: dict[str, DueMessage] = {}
    tick, i = start, 0
    while tick < end:
        following = min(end, tick + steps[i % len(steps)])
        for message in run(views, tick, following):
            assert seen.setdefault(message.key, message) == message
        tick, i = following, i + 1
    assert seen == wide
    assert len(wide) > 40
    assert {m.kind for m in wide.values()} == {"reminder", "prompt", "overdue", "escalation"}


def test_a_tick_when_nothing_is_due() -> None:
    assert run([view(), view(2, deadline=D(2025, 10, 1))], at(2025, 10, 29, 10), at(2025, 10, 29, 10, 1)) == []
    assert run([view()], at(2025, 10, 30), at(2025, 10, 29)) == []


def test_clock_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan(dt.datetime(2025, 1, 1), at(2025, 1, 1), PlanInput([]), CAL, TZ)


# -- overdue and escalation -------------------------------------------------------------------------


def test_overdue_cadence_and_escalation_after_two() -> None:
    late = view(deadline=D(2025, 3, 14))  # a Friday
    messages = run([late], at(2025, 3, 14), at(2025, 4, 3), leads=(7, 8))
    assert days_of(messages, "overdue") == [
        D(2025, 3, 17),
        D(2025, 3, 20),
        D(2025, 3, 25),
        D(2025, 3, 28),
        D(2025, 4, 2),
    ]
    assert [m.payload["overdue_count"] for m in messages if m.kind == "overdue"] == [1, 2, 3, 4, 5]
    escalations = [m for m in messages if m.kind == "escalation"]
    assert [(m.unit_id, m.send_at.date()) for m in escalations] == [
        (7, D(2025, 3, 25)),
        (8, D(2025, 3, 25)),
        (None, D(2025, 3, 25)),
    ]
    assert {m.key for m in escalations} == {
        "1:escalation:2025-03-14:2025-03-25:7",
        "1:escalation:2025-03-14:2025-03-25:8",
        "1:escalation:2025-03-14:2025-03-25:coord",
    }
    assert escalations[0].payload["unit_name"] == "单位1"
    assert escalations[0].payload["days_overdue"] == 11


def test_escalation_recipients() -> None:
    lead_late = view(deadline=D(2025, 3, 14), role="lead", unit_id=7)
    messages = run([lead_late], at(2025, 3, 25), at(2025, 3, 26), leads=(7, 8), coordinators=False)
    assert [m.unit_id for m in messages if m.kind == "escalation"] == [8]
    messages = run([view(deadline=D(2025, 3, 14), settings={"escalate_after": 0})], at(2025, 3, 17), at(2025, 3, 18))
    assert sorted(m.kind for m in messages) == ["escalation", "escalation", "overdue"]


def test_overdue_follows_tiaoxiu_workdays() -> None:
    messages = run([view(deadline=D(2024, 9, 27))], at(2024, 9, 27, 12), at(2024, 10, 16, 12))
    # Sep 29 is a make-up Sunday; Oct 1–7 are holidays; Oct 12 is a make-up Saturday
    assert days_of(messages, "overdue") == [D(2024, 9, 29), D(2024, 10, 9), D(2024, 10, 12), D(2024, 10, 16)]


def test_overdue_keeps_its_numbering_in_a_late_tick() -> None:
    late = view(deadline=D(2025, 3, 14))
    messages = run([late], at(2025, 3, 28), at(2025, 3, 28, 23))
    assert [(m.kind, m.payload["overdue_count"], m.key) for m in messages] == [
        ("overdue", 4, "1:overdue:2025-03-14:2025-03-28")
    ]


# -- who gets nothing -------------------------------------------------------------------------------


@pytest.mark.parametrize("changes", [{"status": "done"}, {"task_closed": True}, {"archived": True}])
def test_done_closed_archived_get_nothing(changes: dict[str, Any]) -> None:
    quiet = view(deadline=D(2025, 3, 14), settings={"prompt_every": "weekly"}, **changes)
    assert run([quiet], at(2024, 1, 1), at(2026, 1, 1)) == []


def test_blocked_is_still_reminded() -> None:
    messages = run([view(status="blocked")], at(2025, 10, 1), at(2025, 12, 10))
    assert {m.kind for m in messages} == {"reminder", "overdue", "escalation"}


# -- prompts ----------------------------------------------------------------------------------------


def test_weekly_prompts_on_the_first_workday_of_each_week() -> None:
    weekly = view(deadline=D(2024, 10, 18), settings={"prompt_every": "weekly", "remind_before": []})
    messages = run([weekly], at(2024, 9, 20), at(2024, 10, 31), issued=D(2024, 9, 20))
    assert days_of(messages, "prompt") == [D(2024, 9, 23), D(2024, 9, 30), D(2024, 10, 8), D(2024, 10, 14)]


def test_biweekly_and_monthly_and_quarterly_prompts() -> None:
    def prompts(every: str) -> list[dt.date]:
        task = view(deadline=None, settings={"prompt_every": every})
        return days_of(run([task], at(2024, 8, 1), at(2025, 3, 1), issued=D(2024, 8, 1)), "prompt")

    biweekly = prompts("biweekly")
    mondays = [day - dt.timedelta(days=day.weekday()) for day in biweekly]
    assert {(b - a).days for a, b in itertools.pairwise(mondays)} == {14}
    # 中秋 (Sep 16–17) and 春节 (to Feb 4) push their week's prompt to the first workday after them
    assert {D(2024, 9, 18), D(2024, 9, 30), D(2025, 2, 5)} <= set(biweekly)
    assert len(biweekly) == 15
    monthly = prompts("monthly")
    assert monthly == [D(2024, 9, 2), D(2024, 10, 8), D(2024, 11, 1), D(2024, 12, 2), D(2025, 1, 2), D(2025, 2, 5)]
    assert prompts("quarterly") == [D(2024, 10, 8), D(2025, 1, 2)]
    assert prompts("none") == []


def test_prompt_gives_way_to_a_reminder_and_stops_at_the_deadline() -> None:
    # Mon 2025-11-24: first workday of the week and 4 days before the deadline
    task = view(settings={"prompt_every": "weekly", "remind_before": [4]})
    messages = run([task], at(2025, 11, 17), at(2025, 12, 10))
    assert [(m.kind, m.send_at.date()) for m in messages if m.kind in ("prompt", "reminder")] == [
        ("prompt", D(2025, 11, 17)),
        ("reminder", D(2025, 11, 24)),
    ]


# -- recurring tasks --------------------------------------------------------------------------------


def test_recurrence_deadlines() -> None:
    yearly = Recurrence.parse("yearly:01-31")
    k = yearly.index_on_or_after(D(2025, 2, 1))
    assert yearly.deadline(k) == D(2026, 1, 31)
    assert yearly.deadline(yearly.index_on_or_after(D(2025, 1, 31))) == D(2025, 1, 31)
    quarterly = Recurrence.parse("quarterly")
    k = quarterly.index_on_or_after(D(2025, 4, 1))
    assert [quarterly.deadline(k + i) for i in range(4)] == [
        D(2025, 6, 30),
        D(2025, 9, 30),
        D(2025, 12, 31),
        D(2026, 3, 31),
    ]
    month_end = Recurrence.parse("monthly:last")
    k = month_end.index_on_or_after(D(2024, 2, 2))
    assert [month_end.deadline(k + i) for i in range(2)] == [D(2024, 2, 29), D(2024, 3, 31)]
    assert Recurrence.parse("monthly:31").deadline(
        Recurrence.parse("monthly:31").index_on_or_after(D(2025, 2, 1))
    ) == D(2025, 2, 28)
    leap = Recurrence.parse("yearly:02-29")
    assert leap.deadline(leap.index_on_or_after(D(2025, 1, 1))) == D(2025, 2, 28)
    with pytest.raises(ValueError, match="recurrence"):
        Recurrence.parse("fortnightly")


def yearly_view(**changes: Any) -> PlannedAssignment:
    return view(**{"recurrence": "yearly:01-31", "deadline": None, **changes})


def test_yearly_task_opens_a_new_period_each_year() -> None:
    messages = run([yearly_view()], at(2024, 6, 1), at(2026, 12, 31), issued=D(2024, 6, 1))
    reminders = [m for m in messages if m.kind == "reminder"]
    assert sorted({m.period for m in reminders}) == ["2025-01-31", "2026-01-31"]
    # 2025: Jan 1 is 元旦 → Dec 31; Jan 24; Jan 30 is 春节 → Jan 27
    assert [m.send_at.date() for m in reminders if m.period == "2025-01-31"] == [
        D(2024, 12, 31),
        D(2025, 1, 24),
        D(2025, 1, 27),
    ]
    overdue = [m for m in messages if m.kind == "overdue"]
    assert overdue[0].send_at.date() == D(2025, 2, 5)  # first workday after the deadline (Spring Festival)
    # a period is chased only inside its window: halfway to the next deadline
    assert max(m.send_at.date() for m in overdue if m.period == "2025-01-31") <= D(2025, 8, 1)
    assert min(m.send_at.date() for m in overdue if m.period == "2026-01-31") > D(2026, 1, 31)
    assert len({m.key for m in messages}) == len(messages)


def test_done_counts_for_the_period_it_was_reported_in() -> None:
    window = (at(2024, 6, 1), at(2026, 12, 31))
    on_time = run([yearly_view(status="done", last_report_at=at(2025, 1, 20, 15))], *window, issued=D(2024, 6, 1))
    assert {m.period for m in on_time} == {"2026-01-31"}
    late = run([yearly_view(status="done", last_report_at=at(2025, 2, 10, 15))], *window, issued=D(2024, 6, 1))
    assert {m.period for m in late} == {"2026-01-31"}
    assert {m.kind for m in late} >= {"reminder", "overdue"}
    old = run([yearly_view(status="done", last_report_at=at(2023, 12, 1))], *window, issued=D(2024, 6, 1))
    assert {m.period for m in old} == {"2025-01-31", "2026-01-31"}


def test_recurring_series_ends_at_the_task_deadline() -> None:
    bounded = yearly_view(deadline=D(2025, 12, 31), settings={"overdue_max": 0})
    messages = run([bounded], at(2024, 6, 1), at(2026, 12, 31), issued=D(2024, 6, 1))
    assert {m.period for m in messages} == {"2025-01-31"}
    # the last period's window has no end: it is chased until done (overdue_max 0: the reminders never stop)
    assert max(m.send_at.date() for m in messages if m.kind == "overdue") > D(2026, 12, 1)


def test_monthly_task_reminders_stay_inside_their_month() -> None:
    task = view(recurrence="monthly:last", deadline=None)
    messages = run([task], at(2025, 5, 1), at(2025, 7, 31), issued=D(2025, 4, 1))
    for message in messages:
        deadline = D.fromisoformat(message.period)
        assert (message.send_at.date() - deadline).days <= 16 and (deadline - message.send_at.date()).days <= 16


# -- nights, digest -------------------------------------------------------------------------------


def test_nothing_is_sent_at_night_or_on_holidays() -> None:
    views = [
        view(
            i,
            deadline=D(2024, 9, 1) + dt.timedelta(days=37 * i),
            settings={"send_at": send_at, "prompt_every": every, "remind_before": [30, 7, 1, 0]},
        )
        for i, (send_at, every) in enumerate(
            [
                ("06:00", "weekly"),
                ("23:30", "biweekly"),
                ("09:30", "monthly"),
                ("12:00", "quarterly"),
                ("00:00", "weekly"),
            ]
            * 2
        )
    ]
    views.append(view(99, recurrence="quarterly", deadline=None, settings={"send_at": "22:00"}))
    messages = run(views, at(2024, 8, 1), at(2025, 8, 1))
    assert len(messages) > 100
    for message in messages:
        local = message.send_at.astimezone(TZ)
        assert message.send_at.utcoffset() == dt.timedelta(hours=8)
        assert dt.time(8) <= local.time() <= dt.time(20)
        assert CAL.is_workday(local.date())
    assert [send_time(t) for t in ("06:00", "23:30", "09:30")] == [dt.time(8), dt.time(20), dt.time(9, 30)]


def test_weekly_digest() -> None:
    digests = digest_due(at(2024, 10, 14, 9, 0), at(2024, 9, 23), CAL, TZ, "09:00")
    assert [(m.key, m.send_at) for m in digests] == [
        ("digest:2024-W39", at(2024, 9, 23, 9)),
        ("digest:2024-W40", at(2024, 9, 30, 9)),
        ("digest:2024-W41", at(2024, 10, 8, 9)),
        ("digest:2024-W42", at(2024, 10, 14, 9)),
    ]
    assert all(m.kind == "digest" and m.unit_id is None and m.assignment_id is None for m in digests)
    assert digest_due(at(2024, 10, 14, 8, 59), at(2024, 10, 14, 8), CAL, TZ, "09:00") == []
    data = PlanInput([view()], {10: (7,)}, {"doc": ISSUED})
    assert [m.key for m in plan(at(2024, 10, 8, 10), at(2024, 10, 8), data, CAL, TZ, digest_send_at="09:00")] == [
        "digest:2024-W41"
    ]


# -- 督查单位 (supervise) ------------------------------------------------------------------------------


def test_a_supervise_assignment_plans_nothing_even_overdue_while_the_responsible_unit_is_chased() -> None:
    """A whole life of a task — reminders, monthly prompts, overdue reminders and the 督办通报 — for the
    responsible unit; nothing at all for the unit that supervises it (it gets the weekly digest instead)."""
    settings = {"prompt_every": "monthly", "escalate_after": 0}
    working = view(1, settings=settings)
    supervising = view(2, role="supervise", settings=settings)
    messages = run([working, supervising], at(2025, 9, 1), at(2026, 1, 31))
    assert {m.kind for m in messages} == {"reminder", "prompt", "overdue", "escalation"}
    assert {m.assignment_id for m in messages} == {1}
    assert {m.unit_id for m in messages} == {101, 7, None}  # the unit, the lead's and the coordinators' 督办通报
    alone = run([supervising], at(2025, 9, 1), at(2026, 1, 31))
    assert alone == []


# -- asked again after 退办 ----------------------------------------------------------------------------


def test_a_returned_assignment_is_asked_at_the_next_send_moment_once() -> None:
    """Returned on a Friday afternoon (2025-03-07): asked on Monday at 09:30 — one prompt, keyed like any
    prompt of that day; nothing when the unit reported after the return, or when the window misses it."""
    returned = view(returned_at=at(2025, 3, 7, 15), last_report_at=at(2025, 3, 7, 10), status="in_progress")
    messages = run([returned], at(2025, 3, 7, 0), at(2025, 3, 14, 23))
    assert [(m.kind, m.key, m.send_at) for m in messages] == [
        ("prompt", "1:prompt:2025-11-28:2025-03-10", at(2025, 3, 10, 9, 30))
    ]
    before_the_moment = dataclasses.replace(returned, returned_at=at(2025, 3, 10, 9, 29))
    assert [m.send_at for m in run([before_the_moment], at(2025, 3, 7), at(2025, 3, 14))] == [at(2025, 3, 10, 9, 30)]
    reported_since = dataclasses.replace(returned, last_report_at=at(2025, 3, 8, 11))
    assert run([reported_since], at(2025, 3, 7), at(2025, 3, 14)) == []
    assert run([returned], at(2025, 3, 10, 9, 31), at(2025, 3, 14)) == []  # the window after it


def test_a_return_on_a_reminder_day_is_that_reminder() -> None:
    """The 7-day reminder of 2025-11-21 asks already: no second message about the task that day."""
    returned = view(returned_at=at(2025, 11, 20, 17), status="pending")
    messages = run([returned], at(2025, 11, 21), at(2025, 11, 21, 23))
    assert [(m.kind, m.send_at) for m in messages] == [("reminder", at(2025, 11, 21, 9, 30))]


# -- overdue reminders stop after overdue_max ------------------------------------------------------------


def test_overdue_reminders_stop_after_overdue_max_and_the_last_one_escalates_again() -> None:
    """Ten overdue reminders by default, every 3 workdays; the 3rd escalates (escalate_after 2) and so does the
    10th, the last; after it nothing more, however long the task stays late. `overdue_max: 0` never stops."""
    late = view(1)
    messages = run([late], at(2025, 12, 1), at(2026, 6, 30))
    overdue = [m for m in messages if m.kind == "overdue"]
    escalations = {m.payload["overdue_count"] for m in messages if m.kind == "escalation"}
    assert [m.payload["overdue_count"] for m in overdue] == list(range(1, 11))
    assert escalations == {3, 10}
    endless = run([view(1, settings={"overdue_max": 0})], at(2025, 12, 1), at(2026, 6, 30))
    assert len([m for m in endless if m.kind == "overdue"]) > 30
    assert {m.payload["overdue_count"] for m in endless if m.kind == "escalation"} == {3}
