"""Target values in chat, rendered from plain values (pure): the 更正 buttons under an answer, the 更正
question and its outcome, /target's list (by document, TARGETS_PAGE_SIZE targets a page, ◀ ▶) and its
answers. A target's line is the digest's (bot/reporting/digest.target_line: value/goal, the pace, ⚠️)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import Any

from bot.chat.target_command import ListedTarget, TargetCommand
from bot.chat.target_values import TargetMove, ValueChange, ValueView
from bot.core.numerals import plain
from bot.core.vocab import TargetOutcome
from bot.render import callback_data
from bot.render import messages as m
from bot.replies.quantities import kind_of, stated
from bot.reporting.digest import target_line

TARGETS_PAGE_SIZE = 10


def correct_buttons(moves: Sequence[TargetMove]) -> list[dict[str, Any]]:
    """One 更正 button per value a report recorded (tv:<value id>)."""
    return [
        callback_data.button(
            m.BUTTON_TARGET_CORRECT.format(value=plain(t.value), measure=t.measure),
            callback_data.make(callback_data.TARGET_VALUE, t.value_id),
        )
        for t in moves
        if t.value_id
    ]


def value_question(view: ValueView) -> tuple[str, dict[str, Any]]:
    """The 更正 question: reply with the right number, or 不是这个指标 (tv:<id>:no). A reply to this message is
    read as the number (handlers find the value id in its button)."""
    text = m.TARGET_VALUE_QUESTION.format(
        text=escape(view.text),
        ref=escape(view.ref),
        value=plain(view.value),
        goal=plain(view.goal),
        measure=escape(view.measure),
    )
    button = callback_data.button(
        m.BUTTON_TARGET_VOID, callback_data.make(callback_data.TARGET_VALUE, view.id, callback_data.NO)
    )
    return text, callback_data.keyboard([button])


def value_changed(change: ValueChange, written: str = "") -> tuple[str, dict[str, Any] | None]:
    """What a 更正 did (a new 更正 button for the new value), or why not (`written`: the reply as typed)."""
    view = change.view
    if change.outcome == TargetOutcome.RECORDED and view is not None and change.value is not None:
        text = m.TARGET_VALUE_CORRECTED.format(
            text=escape(view.text),
            ref=escape(view.ref),
            old=plain(view.value),
            value=plain(change.value),
            goal=plain(view.goal),
            measure=escape(view.measure),
        )
        move = TargetMove(view.target_id, view.text, change.value, view.goal, view.measure, change.value_id or 0)
        return text, callback_data.keyboard(correct_buttons([move]))
    if change.outcome == TargetOutcome.VOIDED and view is not None:
        return m.TARGET_VALUE_VOIDED.format(
            text=escape(view.text), ref=escape(view.ref), old=plain(view.value), measure=escape(view.measure)
        ), None
    return refusal(
        change.outcome, measure=view.measure if view else "", written=written, text=view.text if view else ""
    ), None


def refusal(
    outcome: TargetOutcome,
    *,
    measure: str = "",
    written: str = "",
    text: str = "",
    name: str = "",
    known: Sequence[str] = (),
    document: str = "",
    which: str = "",
    numbers: Sequence[str] = (),
) -> str:
    """Why a value was not recorded; `written` is the value as typed (its kind is named when it does not fit)."""
    template = m.TARGET_REFUSED.get(outcome, m.BUTTON_STALE)
    quantity = stated(written) if written else None
    kind = kind_of(quantity.measure) if quantity is not None else ""
    return template.format(
        measure=escape(measure or m.TARGET_MEASURE_KINDS[""]),
        written=escape(written.strip()),
        text=escape(text),
        kind=m.TARGET_MEASURE_KINDS.get(kind, escape(kind)),
        name=escape(name),
        known="、".join(escape(k) for k in known) or m.NEVER,
        document=escape(document),
        which=escape(which),
        numbers="、".join(numbers) or m.NEVER,
    )


def example(entries: Sequence[ListedTarget]) -> str:
    """「成果转化 1 12」: a /target line that fits the first listed target."""
    if not entries:
        return "成果转化 1 12"
    first = entries[0]
    return f"{first.document_name} {first.number} {plain(first.row.latest or 0)}{first.row.measure or ''}"


def target_list(
    title: str, entries: Sequence[ListedTarget], today: dt.date, page: int = 0
) -> tuple[str, dict[str, Any] | None]:
    """/target: the header (how many, how many behind pace), then the targets by document with their numbers,
    value/goal and pace; TARGETS_PAGE_SIZE a page with ◀ ▶ (tl:<page>)."""
    pages = max(1, (len(entries) + TARGETS_PAGE_SIZE - 1) // TARGETS_PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    behind = sum(1 for e in entries if e.row.behind(today) > 0)
    lines = [
        m.TARGET_LIST_HEADER.format(
            title=escape(title),
            date=today.isoformat(),
            n=len(entries),
            behind=m.TARGET_LIST_BEHIND.format(n=behind) if behind else "",
        )
    ]
    if pages > 1:
        lines[0] += m.MYTASKS_PAGE.format(page=page + 1, pages=pages)
    shown = entries[page * TARGETS_PAGE_SIZE : (page + 1) * TARGETS_PAGE_SIZE]
    document = None
    for entry in shown:
        if entry.document_id != document:
            document = entry.document_id
            lines.append(m.TARGET_LIST_DOCUMENT.format(document=escape(entry.document_name)))
        line = target_line(entry.row, today).removeprefix("· ")
        lines.append(m.TARGET_LIST_LINE.format(number=entry.number, line=line))
    lines.append("\n" + m.TARGET_LIST_HINT.format(example=escape(example(shown))))
    nav = []
    if page > 0:
        nav.append(callback_data.button(m.SHEET_PREVIOUS, callback_data.make(callback_data.TARGET_PAGE, page)))
    if page < pages - 1:
        nav.append(callback_data.button(m.SHEET_NEXT, callback_data.make(callback_data.TARGET_PAGE, page + 2)))
    return "\n".join(lines), callback_data.keyboard(nav) if nav else None


def recorded(
    result: TargetCommand, words: Sequence[str], today: dt.date, entries: Sequence[ListedTarget] = ()
) -> tuple[str, dict[str, Any] | None]:
    """The answer to `/target 简称 编号 数值` (`words`: those three as typed): the value recorded (with its 更正
    button), or why not."""
    entry = result.entry
    if result.outcome == TargetOutcome.RECORDED and entry is not None and result.value is not None:
        row = entry.row
        measure = escape(row.measure or "")
        expected = row.expected(today)
        pace = ""
        if expected is not None:
            pace = m.TARGET_PACE.format(expected=plain(expected), measure=measure)
            pace += m.TARGET_BEHIND if expected > result.value else ""
        text = m.TARGET_RECORDED.format(
            text=escape(row.text),
            ref=escape(row.ref),
            value=plain(result.value),
            goal=plain(row.value),
            measure=measure,
            pace=pace,
        )
        move = TargetMove(entry.id, row.text, result.value, row.value, row.measure or "", result.value_id or 0)
        return text, callback_data.keyboard(correct_buttons([move]))
    if result.outcome == TargetOutcome.NO_NUMBER and len(words) < 3:
        return m.TARGET_USAGE.format(example=escape(example(entries))), None
    if result.outcome == TargetOutcome.NOT_ALLOWED and entry is not None:
        if entry.row.task_key is None:
            return m.TARGET_NOT_ISSUER.format(text=escape(entry.row.text), document=escape(entry.document_name)), None
        return m.TARGET_NOT_LEAD.format(ref=escape(entry.row.ref)), None
    name, which, written = (*words, "", "", "")[:3]
    return refusal(
        result.outcome,
        measure=(entry.row.measure or "") if entry else "",
        written=written,
        text=entry.row.text if entry else "",
        name=name,
        known=result.names,
        document=entry.document_name if entry else "",
        which=which,
        numbers=result.names,
    ), None
