"""What the bot answers, rendered from plain values: HTML text (escaped) and button JSON. Pure.

Handlers fetch views (bot/store/assignment_views.py), call these, and send the result (split at 4,096 characters
by bot.render.telegram_text). Keeping rendering pure lets the tests check every answer without Telegram.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from bot.chat.chase import Preview
from bot.chat.lead_notices import quote, return_button
from bot.chat.multi_report import MultiReport, PartOutcome, Resolution
from bot.chat.reports import ReportResult
from bot.chat.returns import MAX_REASON_CHARS, ReturnResult
from bot.chat.target_values import TargetMove
from bot.core.numerals import plain
from bot.core.vocab import InviteProblem, Refusal, ReplyProblem, ReportOutcome, ReturnOutcome, Status
from bot.presenters import target_answers as targets_render
from bot.render import callback_data
from bot.render import messages as m
from bot.render.prompts import days_phrase, report_buttons
from bot.replies.dates import MAX_YEARS_AHEAD
from bot.replies.parser import ParsedReply
from bot.reporting.bulletin import day_label, rate
from bot.reporting.rankings import Period, Standing
from bot.store.assignment_views import AssignmentView, UnitRow

TASK_BUTTON_TITLE = 16
MAX_TASK_BUTTONS = 30
PICK_PAGE_SIZE = 15  # the 哪项任务 picker: tasks a page (one a row)
OVERDUE_PAGE_UNITS = 20  # /overdue: unit buttons a page (two a row)
NEAR_DAYS = 7  # /mytasks: due within a week counts as near
MYTASKS_PAGE_SIZE = 15
STATUS_QUOTE_CHARS = 60  # /status: a unit's newest report, shortened


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else m.NO_DEADLINE


def local_day(at: dt.datetime | None, tz: ZoneInfo) -> str:
    if at is None:
        return m.NEVER
    aware = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(tz).date().isoformat()


def _percent(value: int | None) -> str:
    return f"{value}%" if value is not None else m.NOT_STATED


def _understood_status(parsed: ParsedReply, view: AssignmentView) -> str:
    """The status a report was read as, or the one the assignment keeps when it named none."""
    return (
        m.PARSED_STATUS_LABELS[parsed.status]
        if parsed.status
        else m.STATUS_KEPT.format(status=m.STATUS_LABELS[view.status])
    )


def ack(
    view: AssignmentView,
    parsed: ParsedReply,
    report_id: int | None,
    targets: Sequence[TargetMove] = (),
    *,
    absurd: bool = False,
) -> tuple[str, dict[str, Any]]:
    """The answer to a stored report: what was understood (and the target values it recorded, or that a
    figure was too large to count: `absurd`), with 更正 (and 申请延期 when it was asked)."""
    status = _understood_status(parsed, view)
    expected = parsed.expected_date.isoformat() if parsed.expected_date else m.NOT_STATED
    lines = [
        m.REPORT_SAVED.format(
            unit=escape(view.unit),
            task=escape(view.ref),
            task_title=escape(view.task_title),
            status=status,
            percent=_percent(parsed.percent),
            expected=expected,
        )
    ]
    lines += [
        (m.REPORT_TARGET_LINE if t.counts else m.REPORT_TARGET_CONTRIBUTION).format(
            text=escape(t.text), value=plain(t.value), goal=plain(t.goal), measure=escape(t.measure)
        )
        for t in targets
    ]
    if absurd:
        lines.append(m.REPORT_VALUE_TOO_LARGE)
    if not parsed.understood and not targets:
        lines.append(m.REPORT_NOT_UNDERSTOOD)
    row = [callback_data.button(m.BUTTON_CORRECT, callback_data.make(callback_data.CORRECT, view.id))]
    if parsed.extension and report_id is not None:
        lines.append(m.REPORT_EXTENSION_HINT)
        row.append(callback_data.button(m.BUTTON_EXTEND, callback_data.make(callback_data.EXTEND_REPORT, report_id)))
    else:
        lines.append(m.REPORT_CORRECT_HINT)
    return "\n".join(lines), callback_data.keyboard(row, targets_render.correct_buttons(targets))


def correction(view: AssignmentView) -> tuple[str, dict[str, Any]]:
    return (m.CORRECT_PROMPT.format(task=escape(view.ref), task_title=escape(view.task_title)), report_buttons(view.id))


def task_buttons(views: Sequence[AssignmentView], kind: str = callback_data.PICK, page: int = 0) -> dict[str, Any]:
    """One button per assignment, labelled with the task number and title, PICK_PAGE_SIZE a page with ◀ ▶
    (pp:<page>) under them. Only a unit's open tasks make a list longer than a page (a 督办单's or a
    reference's candidates that many are offered as all of them: handlers/reports.py), so the next page is
    read again from the pressing chat's open tasks, in the same order (handlers/reports.py `pick_page`)."""
    pages = max(1, (len(views) + PICK_PAGE_SIZE - 1) // PICK_PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    rows = []
    for view in views[page * PICK_PAGE_SIZE : (page + 1) * PICK_PAGE_SIZE]:
        title = view.task_title
        if len(title) > TASK_BUTTON_TITLE:
            title = title[:TASK_BUTTON_TITLE] + "…"
        rows.append(
            [callback_data.button(m.TASK_BUTTON.format(task=view.ref, title=title), callback_data.make(kind, view.id))]
        )
    pager = _pager(callback_data.PICK_PAGE, page, pages)
    return callback_data.keyboard(*rows, *(pager["inline_keyboard"] if pager else []))


def extend_usage(ref: str, today: dt.date) -> str:
    """/extend's usage with an example that works as printed: the task's reference as the bot writes it and a
    date ahead (31 March of next year), never a date that has passed."""
    return m.EXTEND_USAGE.format(task=escape(ref), date=example_date(today))


def example_date(today: dt.date) -> str:
    return dt.date(today.year + 1, 3, 31).isoformat()


def problem(parsed: ParsedReply) -> str:
    """The refusal for a report the parser found impossible (a percent outside 0-100, a date that does not
    exist, is past or is years ahead): the first of its problems, with what was written."""
    first = parsed.problems[0] if parsed.problems else None
    written = escape(parsed.written or "")
    if first == ReplyProblem.QUESTION:
        return m.REPORT_QUESTION.format(text=written)
    if first == ReplyProblem.PERCENT_NEGATIVE:
        return m.REPORT_PERCENT_NEGATIVE.format(text=written)
    if first == ReplyProblem.PERCENT_OVER_100:
        return m.REPORT_PERCENT_OVER.format(percent=parsed.percent)
    if first == ReplyProblem.DATE_INVALID:
        return m.REPORT_DATE_INVALID.format(text=written)
    if first == ReplyProblem.DATE_TOO_FAR:
        return m.REPORT_DATE_FAR.format(text=written, years=MAX_YEARS_AHEAD)
    return m.REPORT_DATE_PAST.format(date=_date(parsed.past_date))


def refusal(reason: Refusal, view: AssignmentView | None) -> str:
    template = m.REPORT_REFUSED.get(reason, m.BUTTON_STALE)
    return template.format(task=escape(view.ref) if view else "")


def _urgency(view: AssignmentView, today: dt.date) -> int:
    """0 overdue, 1 due within NEAR_DAYS, 2 the rest (no deadline last)."""
    if view.deadline is None:
        return 2
    return 0 if view.deadline < today else 1 if (view.deadline - today).days <= NEAR_DAYS else 2


def mytasks(
    unit: str, views: Sequence[AssignmentView], today: dt.date, page: int = 0
) -> tuple[str, dict[str, Any] | None]:
    """/mytasks for a phone: the counts first, then the tasks — overdue, near their deadline, the rest —
    grouped by document, MYTASKS_PAGE_SIZE a page with ◀ ▶ (mt:<page>)."""
    if not views:
        return m.MYTASKS_NONE.format(unit=escape(unit)), None
    ordered = sorted(views, key=lambda v: (_urgency(v, today), v.document_short, v.deadline or dt.date.max, v.task_key))
    urgent = [sum(1 for v in views if _urgency(v, today) == u) for u in (0, 1)]
    counts = [
        m.MYTASKS_COUNT.format(label=m.MYTASKS_URGENT["overdue"], n=urgent[0]),
        m.MYTASKS_COUNT.format(label=m.MYTASKS_URGENT["near"].format(days=NEAR_DAYS), n=urgent[1]),
    ]
    counts += [
        m.MYTASKS_COUNT.format(label=m.STATUS_LABELS[s], n=n)
        for s in (Status.IN_PROGRESS, Status.BLOCKED, Status.PENDING)
        if (n := sum(1 for v in views if v.status == s))
    ]
    pages = (len(ordered) + MYTASKS_PAGE_SIZE - 1) // MYTASKS_PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    lines = [m.MYTASKS_HEADER.format(unit=escape(unit), n=len(views), counts=" · ".join(counts))]
    if pages > 1:
        lines.append(m.MYTASKS_PAGE.format(page=page + 1, pages=pages))
    document = None
    for view in ordered[page * MYTASKS_PAGE_SIZE : (page + 1) * MYTASKS_PAGE_SIZE]:
        if view.document_short != document:
            document = view.document_short
            lines.append(m.MYTASKS_DOCUMENT.format(short=escape(document)))
        lines.append(
            m.MYTASKS_LINE.format(
                key=escape(view.task_key),
                task_title=escape(view.task_title),
                role=m.ROLE_LABELS[view.role],
                deadline=_date(view.deadline),
                days=days_phrase(view.deadline, today),
                status=m.STATUS_LABELS[view.status],
                percent=f" {view.percent}%" if view.percent is not None else "",
            )
        )
    return "\n".join(lines), _pager(callback_data.MYTASKS_PAGE, page, pages)


def _pager(kind: str, page: int, pages: int) -> dict[str, Any] | None:
    """◀ ▶ for page `page` (0-based) of `pages`; the button data counts from 1 (ids are positive)."""
    if pages <= 1:
        return None
    row = []
    if page > 0:
        row.append(callback_data.button(m.SHEET_PREVIOUS, callback_data.make(kind, page)))
    if page < pages - 1:
        row.append(callback_data.button(m.SHEET_NEXT, callback_data.make(kind, page + 2)))
    return callback_data.keyboard(row)


def task_status(
    views: Sequence[AssignmentView],
    closed_at: dt.datetime | None,
    tz: ZoneInfo,
    supervisors: Sequence[str] = (),
    newest: Mapping[int, tuple[dt.datetime, str]] | None = None,
) -> str:
    """/status: a task across its units, leads first, its 督查单位 named under the header, each unit with its
    newest report that counts (`newest`: assignment id → when and what, returned reports left out)."""
    first = views[0]
    head = m.STATUS_HEADER.format(
        task=escape(first.ref),
        task_title=escape(first.task_title),
        document=escape(first.document),
        deadline=_date(first.deadline),
    )
    if closed_at is not None:
        head += m.STATUS_CLOSED.format(date=local_day(closed_at, tz))
    lines = [head]
    if supervisors:
        lines.append(m.STATUS_SUPERVISORS.format(units="、".join(escape(name) for name in supervisors)))
    for view in views:
        lines.append(
            m.STATUS_LINE.format(
                unit=escape(view.unit),
                role=m.ROLE_LABELS[view.role],
                status=m.STATUS_LABELS[view.status],
                percent=m.STATUS_PERCENT.format(percent=view.percent) if view.percent is not None else "",
                expected=m.STATUS_EXPECTED.format(date=view.expected_date.isoformat()) if view.expected_date else "",
                last=local_day(view.last_report_at, tz),
            )
        )
        if newest and view.id in newest:
            at, text = newest[view.id]
            lines.append(m.STATUS_REPORT.format(date=local_day(at, tz), text=quote(text, STATUS_QUOTE_CHARS)))
    return "\n".join(lines)


def status_buttons(
    task_id: int | None, *, can_close: bool, returnable: Sequence[tuple[str, int]] = ()
) -> dict[str, Any] | None:
    """Under /status: 退回 <unit> for each report the viewer may send back (unit name, report id), two a row,
    then 标记办结 for a lead of an open task."""
    buttons = [
        return_button(report_id, m.BUTTON_RETURN_UNIT.format(unit=unit))
        for unit, report_id in returnable[:MAX_TASK_BUTTONS]
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if can_close and task_id is not None:
        rows.append([callback_data.button(m.BUTTON_CLOSE, callback_data.make(callback_data.CLOSE, task_id))])
    return callback_data.keyboard(*rows) if rows else None


def return_question(result: ReturnResult, tz: ZoneInfo) -> tuple[str, dict[str, Any]]:
    """退回 pressed: the question asking for the reason, with 取消 (`rt:<report>:no`, which also marks the
    message as the question a reply answers)."""
    report, view = result.report, result.view
    assert report is not None and report.id is not None and view is not None
    text = m.RETURN_ASK.format(
        unit=escape(view.unit), task=escape(view.ref), date=local_day(report.created_at, tz), text=quote(report.text)
    )
    cancel = callback_data.make(callback_data.RETURN, report.id, callback_data.NO)
    return text, callback_data.keyboard([callback_data.button(m.BUTTON_CANCEL, cancel)])


def return_answer(result: ReturnResult, tz: ZoneInfo, reason: str = "") -> str:
    """What the lead or coordinator is told after 退回, 取消 or the reason."""
    view, report = result.view, result.report
    if result.outcome == ReturnOutcome.RETURNED:
        assert view is not None
        return m.RETURN_DONE.format(unit=escape(view.unit), task=escape(view.ref), status=m.STATUS_LABELS[view.status])
    template = m.RETURN_REFUSED.get(result.outcome, m.BUTTON_STALE)
    return template.format(
        unit=escape(view.unit) if view else "",
        task=escape(view.ref) if view else "",
        key=escape(view.task_key) if view else "",
        n=len(reason),
        limit=MAX_REASON_CHARS,
        date=local_day(report.returned_at if report else None, tz),
    )


def overdue_by_unit(
    views: Sequence[AssignmentView], today: dt.date, page: int = 0
) -> tuple[str, dict[str, Any] | None]:
    """/overdue for a lead or a coordinator: per unit, the count and the longest delay, most overdue first;
    a unit's details behind its button (od:<unit id>), OVERDUE_PAGE_UNITS buttons a page with ◀ ▶ (op:<page>):
    every unit listed has its button on some page."""
    if not views:
        return m.OVERDUE_NONE, None
    per_unit: dict[int, list[AssignmentView]] = {}
    for view in views:
        per_unit.setdefault(view.unit_id, []).append(view)
    worst = {u: max((today - v.deadline).days for v in vs if v.deadline) for u, vs in per_unit.items()}
    order = sorted(per_unit, key=lambda u: (-len(per_unit[u]), -worst[u], per_unit[u][0].unit))
    lines = [m.OVERDUE_BY_UNIT_HEADER.format(n=len(views), units=len(per_unit))]
    lines += [
        m.OVERDUE_UNIT_LINE.format(unit=escape(per_unit[u][0].unit), n=len(per_unit[u]), days=worst[u]) for u in order
    ]
    pages = (len(order) + OVERDUE_PAGE_UNITS - 1) // OVERDUE_PAGE_UNITS
    page = min(max(page, 0), pages - 1)
    buttons = [
        callback_data.button(per_unit[u][0].unit, callback_data.make(callback_data.OVERDUE_UNIT, u))
        for u in order[page * OVERDUE_PAGE_UNITS : (page + 1) * OVERDUE_PAGE_UNITS]
    ]
    pager = _pager(callback_data.OVERDUE_PAGE, page, pages)
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)] + (pager["inline_keyboard"] if pager else [])
    return "\n".join(lines), callback_data.keyboard(*rows)


def overdue(views: Sequence[AssignmentView], today: dt.date) -> str:
    if not views:
        return m.OVERDUE_NONE
    lines = [m.OVERDUE_HEADER.format(n=len(views))]
    for view in sorted(views, key=lambda v: (v.deadline or today, v.unit, v.task_key)):
        lines.append(
            m.OVERDUE_LINE.format(
                unit=escape(view.unit),
                task=escape(view.ref),
                task_title=escape(view.task_title),
                deadline=_date(view.deadline),
                days=(today - view.deadline).days if view.deadline else 0,
                status=m.STATUS_LABELS[view.status],
            )
        )
    return "\n".join(lines)


def units(
    rows: Sequence[UnitRow],
    tz: ZoneInfo,
    chased: dict[str, int] | None = None,
    ranking: tuple[Period, Sequence[Standing]] | None = None,
) -> str:
    """/units: counts first, then what needs the coordinator: the units with no chat (to invite), the units
    with a chat that blocked the bot (those without a live chat first), then the bound ones; last the
    month's ranking (its first and last RANK_SHOWN)."""
    unbound = [r.unit for r in rows if not r.chats]
    blocked = sorted((r for r in rows if r.chats and r.blocked), key=lambda r: r.blocked < r.chats)
    bound = [r for r in rows if r.chats and not r.blocked]
    lines = [
        m.UNITS_HEADER.format(n=len(rows)),
        m.UNITS_COUNTS.format(unbound=len(unbound), blocked=len(blocked), bound=len(bound)),
    ]
    if unbound:
        lines.append(m.UNITS_UNBOUND.format(n=len(unbound)))
        lines += [m.UNITS_UNBOUND_LINE.format(unit=escape(u)) for u in unbound]
        lines.append(m.UNITS_INVITE_HINT)
    if blocked:
        lines.append(m.UNITS_BLOCKED_HEADER.format(n=len(blocked)))
        lines.extend(_unit_line(row, tz, chased) for row in blocked)
    if bound:
        lines.append(m.UNITS_BOUND_HEADER.format(n=len(bound)))
        lines.extend(_unit_line(row, tz, chased) for row in bound)
    if ranking is not None:
        lines += ranking_lines(*ranking)
    return "\n".join(lines)


RANK_SHOWN = 5  # /units names the first and the last five of the ranking: 300 units do not fit a phone


def ranking_lines(period: Period, standings: Sequence[Standing]) -> list[str]:
    """The ranking in /units: all of it up to 2 × RANK_SHOWN units, else the first and the last RANK_SHOWN."""
    if not standings:
        return [m.UNITS_RANK_NONE]
    lines = [m.UNITS_RANK_HEADER.format(start=day_label(period.start), end=day_label(period.end), n=len(standings))]
    if len(standings) <= 2 * RANK_SHOWN:
        return lines + [_rank_line(u) for u in standings]
    return (
        lines
        + [m.UNITS_RANK_TOP.format(n=RANK_SHOWN)]
        + [_rank_line(u) for u in standings[:RANK_SHOWN]]
        + [m.UNITS_RANK_BOTTOM.format(n=RANK_SHOWN)]
        + [_rank_line(u) for u in standings[-RANK_SHOWN:]]
    )


def _rank_line(unit: Standing) -> str:
    return m.UNITS_RANK_LINE.format(
        rank=unit.rank,
        unit=escape(unit.unit),
        score=f"{unit.score:g}",
        on_time=rate(unit.on_time_rate),
        reply=rate(unit.reply_rate),
        overdue=unit.overdue_count,
    )


def _unit_line(row: UnitRow, tz: ZoneInfo, chased: dict[str, int] | None = None) -> str:
    """A bound unit's line; 「本周催办N次」 when coordinators chased it this week (/remind)."""
    line = m.UNITS_LINE.format(
        unit=escape(row.unit),
        chats=row.chats,
        open=row.open,
        blocked=m.UNITS_BLOCKED.format(n=row.blocked) if row.blocked else "",
        last=local_day(row.last_report_at, tz),
    )
    n = (chased or {}).get(row.unit, 0)
    return f"{line}，{m.CHASE_WEEK.format(n=n)}" if n else line


def broadcast_buttons(draft_id: int) -> dict[str, Any]:
    return callback_data.keyboard(
        [
            callback_data.button(
                m.BUTTON_SEND, callback_data.make(callback_data.BROADCAST, draft_id, callback_data.YES)
            ),
            callback_data.button(
                m.BUTTON_CANCEL, callback_data.make(callback_data.BROADCAST, draft_id, callback_data.NO)
            ),
        ]
    )


SHOWN_UNITS = 5  # a 催办's preview names this many units, then 「…… 等N个单位」


def chase_names(preview: Preview) -> str:
    """The units a target reaches (the first few, with their item counts), those it cannot reach, and a
    warning for the ones chased today already."""
    reached = preview.reached
    lines = [m.CHASE_NAME_LINE.format(unit=escape(c.unit), n=len(c.items)) for c in reached[:SHOWN_UNITS]]
    if len(reached) > SHOWN_UNITS:
        lines.append(m.CHASE_MORE.format(n=len(reached)))
    if preview.unbound:
        lines.append(m.CHASE_UNBOUND.format(n=len(preview.unbound), names=names_cut([c.unit for c in preview.unbound])))
    if preview.chased_today:
        lines.append(m.CHASE_WARN_TODAY.format(names="、".join(escape(u) for u in preview.chased_today)))
    return "\n".join(lines)


def names_cut(names: Sequence[str], shown: int = SHOWN_UNITS) -> str:
    """The first `shown` names joined with 、, and 「等」 when some were left out: a cut list must not read as
    the whole list."""
    joined = "、".join(escape(n) for n in names[:shown])
    return m.CHASE_NAMES_CUT.format(names=joined) if len(names) > shown else joined


def chase_preview(preview: Preview, draft_id: int) -> tuple[str, dict[str, Any]]:
    """/remind's question: how many units and chats, who, and the buttons."""
    text = m.CHASE_PREVIEW.format(
        target=preview.label, units=len(preview.reached), chats=preview.chat_count, names=chase_names(preview)
    )
    return f"{text}\n\n{m.CHASE_CONFIRM}", chase_buttons(draft_id)


def chase_buttons(draft_id: int, *, again: bool = False) -> dict[str, Any]:
    """发送/取消; after 「今天已被催办过」 (`again`): 仍然催办, or 取消 for those units only (sk: the others are
    still chased — cancelling the whole 催办 there left every other unit without its 督办单)."""
    send = callback_data.AGAIN if again else callback_data.YES
    cancel = callback_data.SKIP if again else callback_data.NO
    return callback_data.keyboard(
        [
            callback_data.button(
                m.BUTTON_CHASE_AGAIN if again else m.BUTTON_SEND,
                callback_data.make(callback_data.CHASE, draft_id, send),
            ),
            callback_data.button(
                m.BUTTON_CHASE_SKIP if again else m.BUTTON_CANCEL,
                callback_data.make(callback_data.CHASE, draft_id, cancel),
            ),
        ]
    )


MAX_BUTTONS = 100  # Telegram refuses an inline keyboard of more


def multi_ack(unit: str, report: MultiReport) -> tuple[str, dict[str, Any] | None]:
    """The one answer to a several-task reply: every part on a line of its own (stored, or not and why), 更正
    per stored task, and the candidates of a part that is a question as buttons (at most MAX_BUTTONS)."""
    stored = report.stored
    lines = [m.MULTI_SAVED.format(unit=escape(unit), n=len(stored))] if stored else []
    buttons = []
    for i, outcome in enumerate(stored, 1):
        lines.append(_stored_line(i, outcome))
        view = _stored(outcome)[1]
        buttons.append(
            callback_data.button(
                m.MULTI_CORRECT_BUTTON.format(task=view.ref), callback_data.make(callback_data.CORRECT, view.id)
            )
        )
    failed = [o for o in report.outcomes if o not in stored]
    if failed:
        lines.append(m.MULTI_NOT_SAVED)
        lines += [m.MULTI_PROBLEM.format(named=escape(o.resolution.named), reason=_part_reason(o)) for o in failed]
    if stored:
        lines.append(m.MULTI_HINT)
    picks = [_pick_button(o.resolution, v) for o in failed if o.result is None for v in o.resolution.candidates]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    values = targets_render.correct_buttons([t for o in stored for t in _stored(o)[0].targets])
    rows += [values[i : i + 2] for i in range(0, len(values), 2)] + [[b] for b in picks]
    rows, cut = _capped(rows)
    if cut:
        lines.append(m.MULTI_MORE_BUTTONS.format(n=MAX_BUTTONS))
    return "\n".join(lines), callback_data.keyboard(*rows) if rows else None


def _stored(outcome: PartOutcome) -> tuple[ReportResult, AssignmentView, ParsedReply]:
    """A stored part's result, view and reading: MultiReport.stored keeps only parts with a result and a view,
    and submit_report stores a report only with its reading."""
    result = outcome.result
    assert result is not None and result.view is not None and result.parsed is not None, "not a stored part"
    return result, result.view, result.parsed


def _stored_line(i: int, outcome: PartOutcome) -> str:
    result, view, parsed = _stored(outcome)
    repeats = outcome.resolution.repeats
    return (
        m.MULTI_LINE.format(
            i=i,
            task=escape(view.ref),
            status=_understood_status(parsed, view),
            percent=m.MULTI_PERCENT.format(percent=parsed.percent) if parsed.percent is not None else "",
            expected=m.MULTI_EXPECTED.format(date=parsed.expected_date.isoformat()) if parsed.expected_date else "",
        )
        + (m.MULTI_MERGED.format(n=repeats) if repeats > 1 else "")
        + "".join(
            (m.MULTI_TARGET if t.counts else m.MULTI_TARGET_CONTRIBUTION).format(
                value=plain(t.value), goal=plain(t.goal), measure=escape(t.measure)
            )
            for t in result.targets
        )
    )


def _pick_button(resolution: Resolution, view: AssignmentView) -> dict[str, Any]:
    return callback_data.button(
        m.PART_PICK_BUTTON.format(named=resolution.named, task=view.ref),
        callback_data.make(callback_data.PART_PICK, view.id, resolution.index),
    )


def _capped(rows: list[list[dict[str, Any]]]) -> tuple[list[list[dict[str, Any]]], bool]:
    """The rows whose buttons fit in MAX_BUTTONS, and whether some were left out."""
    kept: list[list[dict[str, Any]]] = []
    count = 0
    for row in rows:
        if count + len(row) > MAX_BUTTONS:
            return kept, True
        kept.append(row)
        count += len(row)
    return kept, False


def _part_reason(outcome: PartOutcome) -> str:
    resolution, result = outcome.resolution, outcome.result
    if result is None:
        assert resolution.problem is not None, "a part that named no task has a problem (multi_report.resolve)"
        candidates = resolution.candidates
        return m.PART_PROBLEMS[resolution.problem].format(
            candidates="、".join(escape(v.ref) for v in candidates),
            example=escape(candidates[0].ref) if candidates else "",
            n=resolution.part.item or "",
            repeats=resolution.repeats,
            statuses="、".join(m.PARSED_STATUS_LABELS[s] if s else m.NOT_STATED for s in resolution.statuses),
        )
    if result.outcome == ReportOutcome.DUPLICATE:
        return m.REPORT_DUPLICATE
    if result.outcome == ReportOutcome.PROBLEM and result.parsed is not None:
        return problem(result.parsed)
    if isinstance(result.outcome, Refusal):
        return refusal(result.outcome, result.view)
    # EMPTY (「1.」 alone on its line) or TOO_LONG (parts on one task merged): the text is the reason
    return m.PART_REPORT_PROBLEMS.get(result.outcome, m.BUTTON_STALE).format(n=len(resolution.part.text))


def invite(unit: str, code: str, link: str | None, *, for_group: bool, expires_at: dt.datetime, tz: ZoneInfo) -> str:
    """/invite's private answer: what `taskbot invite` prints, in Chinese (the link, the code, until when)."""
    return m.INVITE_PRIVATE.format(
        unit=escape(unit),
        kind=m.INVITE_KINDS[for_group],
        link=escape(link) if link else m.INVITE_NO_LINK,
        code=code,
        until=expires_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        how=m.INVITE_HOW[for_group],
    )


def invite_refused(
    problem: InviteProblem,
    text: str,
    closest: str | None,
    choices: Sequence[tuple[int, str]] = (),
    *,
    for_group: bool = False,
) -> tuple[str, dict[str, Any] | None]:
    """Why /invite made no code; an unknown unit names the closest one; a name that fits several units asks
    which, a button per unit (iv:<unit id>, :ok for a group invite)."""
    hint = m.INVITE_CLOSEST.format(unit=escape(closest)) if closest else m.INVITE_NO_CLOSEST
    text = m.INVITE_REFUSED[problem].format(text=escape(text), hint=hint, n=len(choices))
    if not choices:
        return text, None
    group = (callback_data.YES,) if for_group else ()
    buttons = [
        callback_data.button(name, callback_data.make(callback_data.INVITE, unit_id, *group))
        for unit_id, name in choices
    ]
    return text, callback_data.keyboard(*[buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def close_question(
    ref: str, task_key: str, task_title: str, task_id: int, unfinished: Sequence[str]
) -> tuple[str, dict[str, Any]]:
    """标记办结 pressed: the question, the units that have not finished, and 确认办结 / 取消."""
    text = m.CLOSE_CONFIRM.format(task=escape(ref), task_key=escape(task_key), task_title=escape(task_title))
    if unfinished:
        names = "、".join(escape(u) for u in unfinished)
        text += "\n" + m.CLOSE_CONFIRM_UNFINISHED.format(n=len(unfinished), units=names)
    yes = callback_data.make(callback_data.CLOSE, task_id, callback_data.YES)
    no = callback_data.make(callback_data.CLOSE, task_id, callback_data.NO)
    return text, callback_data.keyboard(
        [callback_data.button(m.BUTTON_CLOSE_CONFIRM, yes), callback_data.button(m.BUTTON_CANCEL, no)]
    )
