"""Rankings, pure: hand-computed figures for small histories (period: June 2024, zone Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core.vocab import BulletinPeriod, Role, Status
from bot.reporting.rankings import (
    AssignmentFact,
    History,
    Overdue,
    Period,
    PromptFact,
    RankingInputs,
    ReportFact,
    Standing,
    State,
    period_ending,
    rank,
    rank_units,
    score,
    state_at,
    summarize,
)
from tests.support.store import cst

TZ = ZoneInfo("Asia/Shanghai")
JUNE = period_ending(BulletinPeriod.MONTH, dt.date(2024, 6, 30))


def fact(
    aid: int,
    unit: str,
    deadline: str | None,
    status: str = Status.PENDING,
    *,
    closed: str | None = None,
    last: str | None = None,
    role: str = Role.RESPONSIBLE,
) -> AssignmentFact:
    return AssignmentFact(
        assignment_id=aid,
        unit=unit,
        role=role,
        deadline=dt.date.fromisoformat(deadline) if deadline else None,
        status=status,
        closed_at=cst(closed) if closed else None,
        last_report_at=cst(last) if last else None,
        task_id=aid,
        ref=f"示例 {aid}",
        task_title=f"任务{aid}",
    )


def report(aid: int, day: str, status: str | None, hour: int = 10) -> ReportFact:
    return ReportFact(aid, cst(day, hour), status)


def prompt(aid: int, day: str, hour: int = 9) -> PromptFact:
    return PromptFact(aid, cst(day, hour))


def by_unit(standings: list[Standing]) -> dict[str, Standing]:
    return {s.unit: s for s in standings}


def test_periods_are_the_iso_week_or_the_calendar_month_cut_at_the_day() -> None:
    week = period_ending(BulletinPeriod.WEEK, dt.date(2024, 6, 13))  # a Thursday
    assert (week.start, week.end) == (dt.date(2024, 6, 10), dt.date(2024, 6, 13))
    assert (week.previous().start, week.previous().end) == (dt.date(2024, 6, 3), dt.date(2024, 6, 9))
    month = period_ending(BulletinPeriod.MONTH, dt.date(2024, 3, 15))
    assert (month.start, month.previous().start, month.previous().end) == (
        dt.date(2024, 3, 1),
        dt.date(2024, 2, 1),
        dt.date(2024, 2, 29),
    )
    assert period_ending(BulletinPeriod.MONTH, dt.date(2024, 1, 9)).previous().start == dt.date(2023, 12, 1)
    assert JUNE.ends(TZ) == dt.datetime(2024, 7, 1, tzinfo=TZ)


def test_a_unit_with_late_work_an_overdue_task_and_half_its_prompts_answered() -> None:
    """A: 1 due 06-10 done 06-09 (on time); 2 due 06-20 done 06-22 (late, not overdue); 3 due 05-31 and open
    (overdue 30 days). Prompts: 2 on 06-15 09:00 answered 06-22 08:00 (within 7 days); 3 on 06-05, never answered.
    On time 1/2, reply 1/2: 100 − 30×0.5 − 20×0.5 − (5×1 + 0.2×30) = 64."""
    inputs = RankingInputs(
        [
            fact(1, "A", "2024-06-10", Status.DONE, last="2024-06-09"),
            fact(2, "A", "2024-06-20", Status.DONE, last="2024-06-22"),
            fact(3, "A", "2024-05-31"),
        ],
        [report(1, "2024-06-09", "done"), report(2, "2024-06-22", "done", hour=8)],
        [prompt(2, "2024-06-15"), prompt(3, "2024-06-05")],
    )
    (a,) = rank_units(inputs, JUNE, TZ)
    assert (a.due, a.on_time, a.prompted, a.answered, a.overdue_count, a.days_overdue) == (2, 1, 2, 1, 1, 30)
    assert (a.on_time_rate, a.reply_rate, a.score, a.rank) == (0.5, 0.5, 64.0, 1)
    assert [(o.ref, o.days) for o in a.overdue] == [("示例 3", 30)]


def test_an_extension_moves_the_deadline_the_rate_is_measured_against() -> None:
    """The store hands over the effective deadline: extended from 06-10 to 06-25 and done 06-20, the
    assignment is due in June and on time; extended into July it is not due in June at all."""
    done = [report(1, "2024-06-20", "done")]
    extended = rank_units(
        RankingInputs([fact(1, "A", "2024-06-25", Status.DONE, last="2024-06-20")], done, []), JUNE, TZ
    )
    assert (extended[0].due, extended[0].on_time) == (1, 1)
    original = rank_units(
        RankingInputs([fact(1, "A", "2024-06-10", Status.DONE, last="2024-06-20")], done, []), JUNE, TZ
    )
    assert (original[0].due, original[0].on_time) == (1, 0)
    assert rank_units(RankingInputs([fact(1, "A", "2024-07-31")], [], []), JUNE, TZ) == []


def test_banjie_counts_as_done_when_the_task_was_closed() -> None:
    """C: 1 due 06-15, never reported, its task closed 06-14: on time; 2 due 06-05, closed 06-12: late but
    not overdue; a report of 已完成 after the 办结 does not move the moment it was done."""
    inputs = RankingInputs(
        [
            fact(1, "C", "2024-06-15", closed="2024-06-14"),
            fact(2, "C", "2024-06-05", Status.DONE, closed="2024-06-12", last="2024-06-13"),
        ],
        [report(2, "2024-06-13", "done")],
        [],
    )
    (c,) = rank_units(inputs, JUNE, TZ)
    assert (c.due, c.on_time, c.overdue_count) == (2, 1, 0)
    assert state_at(inputs.assignments[1], [(cst("2024-06-13"), "done")], JUNE.ends(TZ)).done_at == cst("2024-06-12")


def test_done_counts_from_the_last_run_of_done_reports() -> None:
    """Done 06-05, corrected to 进行中 06-07, done again 06-12: done on 06-12, late for a 06-10 deadline."""
    history = [(cst("2024-06-05"), "done"), (cst("2024-06-07"), "in_progress"), (cst("2024-06-12"), "done")]
    inputs = RankingInputs(
        [fact(1, "H", "2024-06-10", Status.DONE, last="2024-06-12")], [ReportFact(1, at, s) for at, s in history], []
    )
    (h,) = rank_units(inputs, JUNE, TZ)
    assert (h.due, h.on_time) == (1, 0)
    assert state_at(inputs.assignments[0], history, JUNE.ends(TZ)) == State(Status.DONE, cst("2024-06-12"))


def test_only_what_was_known_at_the_end_of_the_period_counts() -> None:
    """Reported done on 07-02 (the store says done now): at the end of June it was open and 10 days overdue;
    a report without a status word moves 未报告 to 进行中, 尚未启动 leaves it 未报告."""
    late = fact(1, "I", "2024-06-20", Status.DONE, last="2024-07-02")
    inputs = RankingInputs(
        [
            late,
            fact(2, "I", None, Status.IN_PROGRESS, last="2024-06-03"),
            fact(3, "I", None, Status.PENDING, last="2024-06-04"),
        ],
        [report(1, "2024-07-02", "done"), report(2, "2024-06-03", None), report(3, "2024-06-04", "not_started")],
        [],
    )
    summary = summarize(History(inputs), JUNE, TZ)
    (i,) = summary.standings
    assert (i.due, i.on_time, i.overdue_count, i.days_overdue) == (1, 0, 1, 10)
    assert summary.counts == {Status.PENDING: 2, Status.IN_PROGRESS: 1, Status.BLOCKED: 0, Status.DONE: 0}
    july = rank_units(inputs, period_ending(BulletinPeriod.MONTH, dt.date(2024, 7, 31)), TZ)
    assert july == []  # done in July: nothing due, overdue or prompted then


def test_the_store_status_is_the_truth_when_nothing_was_reported_since() -> None:
    """A status the store holds without a matching report (set by a coordinator, say) counts from the newest
    report; with no report at all, done counts as done in time."""
    inputs = RankingInputs(
        [fact(1, "S", "2024-06-10", Status.DONE, last="2024-06-11"), fact(2, "S", "2024-06-10", Status.DONE)],
        [report(1, "2024-06-11", "in_progress")],
        [],
    )
    (s,) = rank_units(inputs, JUNE, TZ)
    assert (s.due, s.on_time, s.overdue_count) == (2, 1, 0)


def test_a_prompt_counts_in_the_period_its_seven_days_end_in() -> None:
    """June counts the prompts whose 7 days end in June: 05-28 (answered 06-02), 06-01 (answered 06-09, too
    late); not 06-02, whose task was closed 06-04 within its 7 days. 06-27 (answered 06-29) and 06-28 (never
    answered) end in July and count there. A duplicate counts once; a prompt about an assignment that is not
    ranked counts for nobody."""
    inputs = RankingInputs(
        [
            fact(1, "P", None),
            fact(2, "P", None),
            fact(3, "P", None),
            fact(4, "P", None, closed="2024-06-04"),
            fact(5, "P", None),
        ],
        [report(2, "2024-06-29", None), report(3, "2024-06-09", None), report(5, "2024-06-02", "in_progress")],
        [
            prompt(1, "2024-06-28"),
            prompt(2, "2024-06-27"),
            prompt(3, "2024-06-01"),
            prompt(4, "2024-06-02"),
            prompt(5, "2024-05-28"),
            prompt(5, "2024-05-28"),
            prompt(9, "2024-06-05"),
        ],
    )
    (june,) = rank_units(inputs, JUNE, TZ)
    assert (june.prompted, june.answered, june.score) == (2, 1, 90.0)
    (july,) = rank_units(inputs, period_ending(BulletinPeriod.MONTH, dt.date(2024, 7, 31)), TZ)
    assert (july.prompted, july.answered) == (2, 1)


def test_a_unit_with_no_prompts_has_no_reply_rate_and_loses_nothing_for_it() -> None:
    inputs = RankingInputs(
        [fact(1, "D", "2024-06-20", Status.DONE, last="2024-06-19")], [report(1, "2024-06-19", "done")], []
    )
    (d,) = rank_units(inputs, JUNE, TZ)
    assert (d.reply_rate, d.on_time_rate, d.score) == (None, 1.0, 100.0)


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    """D, E, F: one item due and done on time each (100, nothing overdue): rank 1, listed by name; G with
    the same score but one overdue item is listed after them and shares their rank (issue 22: equal scores
    share a rank, 1, 1, 3; it used to rank 3); H lower still ranks 4. A unit with nothing to measure
    (Z: due next year, no prompt) is not ranked; a 督查 assignment counts for nobody."""
    facts, reports = [], []
    for n, unit in enumerate(("F", "D", "E"), 1):
        facts.append(fact(n, unit, "2024-06-20", Status.DONE, last="2024-06-19"))
        reports.append(report(n, "2024-06-19", "done"))
    facts += [fact(10, "Z", "2025-06-30"), fact(11, "X", "2024-05-31", role="supervise")]
    ranked = rank_units(RankingInputs(facts, reports, []), JUNE, TZ)
    assert [(s.unit, s.rank) for s in ranked] == [("D", 1), ("E", 1), ("F", 1)]
    more = [
        Standing("G", score=100.0, overdue=[Overdue("示例 9", "任务", 1)]),
        Standing("H", score=90.0),
        Standing("D", score=100.0),
        Standing("E", score=100.0),
    ]
    assert [(s.unit, s.rank) for s in rank(more)] == [("D", 1), ("E", 1), ("G", 1), ("H", 4)]


@pytest.mark.parametrize(
    ("on_time", "reply", "overdue", "days", "expected"),
    [
        (None, None, 0, 0, 100.0),
        (1.0, 1.0, 0, 0, 100.0),
        (2 / 3, None, 0, 0, 90.0),  # 100 − 30/3
        (0.9, 0.95, 0, 0, 96.0),  # 100 − 3 − 1
        (0.0, 0.0, 0, 0, 50.0),
        (1.0, 1.0, 3, 41, 76.8),  # 5×3 + 0.2×41 = 23.2
        (1.0, 1.0, 20, 500, 50.0),  # the overdue deduction stops at 50
        (0.0, 0.0, 20, 500, 0.0),
    ],
)
def test_the_score(on_time: float | None, reply: float | None, overdue: int, days: int, expected: float) -> None:
    assert score(on_time, reply, overdue, days) == expected


def test_a_period_summary_adds_up_the_units() -> None:
    inputs = RankingInputs(
        [
            fact(1, "A", "2024-06-10", Status.DONE, last="2024-06-09"),
            fact(2, "B", "2024-05-31"),
            fact(3, "B", "2024-06-30", Status.BLOCKED, last="2024-06-03"),
        ],
        [report(1, "2024-06-09", "done"), report(3, "2024-06-03", "blocked")],
        [prompt(2, "2024-06-03")],
    )
    summary = summarize(History(inputs), JUNE, TZ)
    assert (
        summary.tasks,
        summary.assignments,
        summary.due,
        summary.on_time,
        summary.prompted,
        summary.answered,
        summary.overdue,
    ) == (3, 3, 2, 1, 1, 0, 1)
    assert summary.counts[Status.BLOCKED] == 1 and summary.on_time_rate == 0.5 and summary.reply_rate == 0.0
    assert [s.unit for s in summary.standings] == ["A", "B"]
    assert isinstance(summary.period, Period)
