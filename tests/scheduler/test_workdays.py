"""The workday calendar: 调休 from chinese_calendar, the tasks.yaml section, and the Monday–Friday fallback."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from bot.tasksfile.schema import expand_day_range
from scheduler.workdays import WorkCalendar

D = dt.date


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_national_day_2024(cal: WorkCalendar) -> None:
    assert not any(cal.is_workday(D(2024, 10, day)) for day in range(1, 8))
    assert cal.is_workday(D(2024, 9, 29))  # Sunday, 调休 make-up workday
    assert cal.is_workday(D(2024, 10, 12))  # Saturday, 调休 make-up workday
    assert not cal.is_workday(D(2024, 10, 13))  # an ordinary Sunday
    assert cal.previous_workday(D(2024, 10, 5)) == D(2024, 9, 30)
    assert cal.previous_workday(D(2024, 9, 30)) == D(2024, 9, 30)
    assert cal.next_workday(D(2024, 10, 1)) == D(2024, 10, 8)
    assert cal.add_workdays(D(2024, 9, 27), 1) == D(2024, 9, 29)
    assert cal.add_workdays(D(2024, 9, 30), 1) == D(2024, 10, 8)
    assert cal.add_workdays(D(2024, 10, 8), -1) == D(2024, 9, 30)
    assert cal.add_workdays(D(2024, 10, 11), 1) == D(2024, 10, 12)
    assert cal.first_workday_of_week(D(2024, 10, 3)) == D(2024, 9, 30)
    assert cal.first_workday_of_week(D(2024, 10, 13)) == D(2024, 10, 8)
    assert cal.first_workday_of_month(2024, 10) == D(2024, 10, 8)


def test_spring_festival_2025(cal: WorkCalendar) -> None:
    holidays = [D(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)]
    assert holidays[-1] == D(2025, 2, 4)
    assert not any(cal.is_workday(day) for day in holidays)
    assert cal.is_workday(D(2025, 1, 26))  # Sunday make-up
    assert cal.is_workday(D(2025, 2, 8))  # Saturday make-up
    assert cal.add_workdays(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert cal.add_workdays(D(2025, 1, 27), 1) == D(2025, 2, 5)
    assert cal.add_workdays(D(2025, 2, 7), 1) == D(2025, 2, 8)
    assert cal.add_workdays(D(2025, 2, 5), -2) == D(2025, 1, 26)
    assert cal.add_workdays(D(2025, 2, 1), 0) == D(2025, 2, 1)
    assert cal.previous_workday(D(2025, 2, 2)) == D(2025, 1, 27)
    assert cal.first_workday_of_week(D(2025, 2, 6)) == D(2025, 2, 5)
    # Jan 27 (Mon) .. Feb 7 (Fri): Jan 27, Feb 5, 6, 7 — and [start, end) excludes the end
    assert cal.count_workdays(D(2025, 1, 27), D(2025, 2, 8)) == 4
    assert cal.workdays_between(D(2025, 1, 25), D(2025, 1, 29)) == [D(2025, 1, 26), D(2025, 1, 27)]


def test_counting_across_years(cal: WorkCalendar) -> None:
    start = D(2024, 12, 30)
    for n in (1, 5, 40, 300):
        end = cal.add_workdays(start, n)
        assert cal.count_workdays(start, end) == n
        assert cal.add_workdays(end, -n) == start
    assert cal.count_workdays(D(2025, 1, 6), D(2025, 1, 6)) == 0
    assert cal.count_workdays(D(2025, 1, 7), D(2025, 1, 6)) == 0


def test_unknown_year_falls_back_to_weekdays_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    cal = WorkCalendar()
    with caplog.at_level(logging.WARNING, logger="scheduler.workdays"):
        assert cal.is_workday(D(2027, 2, 8))  # a Monday
        assert not cal.is_workday(D(2027, 2, 6))  # a Saturday
        assert cal.next_workday(D(2027, 10, 2)) == D(2027, 10, 4)
        assert cal.add_workdays(D(2027, 1, 1), 10) == D(2027, 1, 15)
    warnings = [r for r in caplog.records if r.name == "scheduler.workdays"]
    assert len(warnings) == 1
    assert "2027" in warnings[0].getMessage()
    assert cal.fallback_years == {2027}


def test_calendar_section_covers_an_unknown_year(caplog: pytest.LogCaptureFixture) -> None:
    holidays = expand_day_range("2027-02-06..2027-02-14")
    cal = WorkCalendar(holidays=holidays, workdays=[D(2027, 2, 20)])
    with caplog.at_level(logging.WARNING, logger="scheduler.workdays"):
        assert not cal.is_workday(D(2027, 2, 8))  # a Monday inside the section's holiday
        assert cal.is_workday(D(2027, 2, 20))  # a Saturday the section makes a workday
        assert cal.is_workday(D(2027, 3, 1))  # an ordinary Monday
        assert cal.next_workday(D(2027, 2, 6)) == D(2027, 2, 15)
    assert not [r for r in caplog.records if r.name == "scheduler.workdays"]


def test_calendar_section_wins_over_the_package() -> None:
    cal = WorkCalendar(holidays=[D(2025, 3, 3)], workdays=[D(2025, 3, 8)])
    assert not cal.is_workday(D(2025, 3, 3))
    assert cal.is_workday(D(2025, 3, 8))
    assert cal.previous_workday(D(2025, 3, 3)) == D(2025, 2, 28)


def test_a_day_cannot_be_both() -> None:
    with pytest.raises(ValueError, match="2027-01-04"):
        WorkCalendar(holidays=[D(2027, 1, 4)], workdays=[D(2027, 1, 4)])


def test_a_week_without_workdays() -> None:
    cal = WorkCalendar(holidays=expand_day_range("2025-03-03..2025-03-09"))
    assert cal.first_workday_of_week(D(2025, 3, 5)) is None
