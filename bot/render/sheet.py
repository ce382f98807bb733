"""The 督办单: everything due for one recipient at one send moment, as one message. Pure.

A contact with forty tasks gets one message a morning, not forty. The items are grouped by urgency
(逾期 → 即将到期 → 进展询问, then 督办通报 about other units' overdue tasks for a lead or the
coordinators) and, inside each group, by document; each line is numbered across the whole 督办单 and
names the task by reference (「成果转化 1.2」), its deadline and days left or overdue. The item numbers are
circled (①…⑳, then 「第21项」) so that they cannot be taken for task numbers (「6.」 may be either: that is a
question, bot/chat/multi_report.py); they are what replies use (「① 已完成」, 「第2项 已完成」) and what the
buttons carry: one button per own task opens that task's
report card; more than `PAGE_SIZE` buttons are paged with ◀ ▶ (the page is edited in place).

A 督办单 of a single own item is the classic prompt (text and 已完成 · 进行中 · 受阻 · 申请延期 buttons),
and one of a single escalation is the classic 督办通报: a unit with one due task sees what it always saw.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

from bot.core.references import label
from bot.core.vocab import MessageKind, Role
from bot.render import callback_data
from bot.render import messages as m
from bot.render.prompts import PromptContext, days_phrase, render_prompt

URGENCY = (MessageKind.OVERDUE, MessageKind.REMINDER, MessageKind.PROMPT, MessageKind.ESCALATION)
PAGE_SIZE = 12  # task buttons per page: four rows of three fit a phone screen
PER_ROW = 3
TITLE_CHARS = 28  # a line's task title is cut here (the card shows it whole)


@dataclass(slots=True)
class SheetLine:
    """One due item as the 督办单 shows it. Not frozen (a frozen dataclass's __init__ sets each field through
    object.__setattr__, and a Monday's tick builds 37,315 lines: issue 23); treat it as read-only."""

    kind: MessageKind
    assignment_id: int
    document: str  # the document's title
    document_short: str
    task_key: str
    task_title: str
    unit: str  # the assignment's unit (for an escalation: the late unit)
    role: Role
    deadline: dt.date | None
    own: bool  # the recipient's own assignment; False for an escalation
    reminders: int = 0  # overdue reminders so far (escalation)

    @property
    def ref(self) -> str:
        return label(self.document_short, self.task_key)


def ordered(lines: Sequence[SheetLine]) -> list[SheetLine]:
    """The display order, which is also the numbering: urgency, then document, then deadline and task."""
    rank = _RANK
    return sorted(
        lines, key=lambda x: (rank[x.kind], x.document_short, x.deadline or dt.date.max, _natural(x.task_key), x.unit)
    )


_RANK = {kind: i for i, kind in enumerate(URGENCY)}


@lru_cache(maxsize=4096)
def _natural(key: str) -> tuple[Any, ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in key.split("."))


def _cut(text: str) -> str:
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


# The pieces of a line that repeat — a task's title and key in each of its units' 督办单, a deadline in many
# lines — escaped and formatted once, not once a line (a Monday's tick renders 37,315 lines: issue 23).
# Bounded: a tick of 10,000 tasks fits, and a bigger one still renders, only with more misses.
@lru_cache(maxsize=1 << 15)
def _title_html(title: str) -> str:
    return escape(_cut(title))


@lru_cache(maxsize=4096)
def _html(text: str) -> str:
    return escape(text)


@lru_cache(maxsize=4096)
def _when(deadline: dt.date | None, today: dt.date) -> tuple[str, str]:
    """(the deadline as a line shows it, its days left or overdue)."""
    return (deadline.isoformat() if deadline else m.NO_DEADLINE), days_phrase(deadline, today)


def render(
    recipient: str, lines: Sequence[SheetLine], today: dt.date, sheet_id: int | None
) -> tuple[str, dict[str, Any] | None]:
    """(HTML text, reply markup) of a 督办单 whose lines are already `ordered`. The markup is its first page
    of buttons (`keyboard`): only the buttons shown are built, the other pages when they are asked for."""
    if len(lines) == 1:
        return _single(lines[0], today)
    counted = Counter(x.kind for x in lines)
    counts = {kind: counted[kind] for kind in URGENCY}
    parts = "，".join(m.SHEET_COUNT_PART.format(label=m.SHEET_SECTION_LABELS[k], n=n) for k, n in counts.items() if n)
    out = [
        m.SHEET_TITLE.format(recipient=escape(recipient), date=today.isoformat()),
        m.SHEET_COUNTS.format(n=len(lines), parts=parts),
    ]
    section = document = None
    own: list[int] = []  # the numbers of the own lines: each has a button
    for n, line in enumerate(lines, 1):
        if line.kind != section:
            section, document = line.kind, None
            out += ["", m.SHEET_SECTIONS[line.kind]]
        if line.document_short != document:
            document = line.document_short
            out.append(m.SHEET_DOCUMENT.format(short=_html(line.document_short), title=_html(line.document)))
        out.append(_line(n, line, today))
        if line.own:
            own.append(n)
    if not own:
        return "\n".join(out), None
    out += ["", m.SHEET_HOW_TO.format(example=escape(lines[own[0] - 1].ref))]
    shown = [TaskButton(n, lines[n - 1].ref, lines[n - 1].assignment_id) for n in own[:PAGE_SIZE]]
    return "\n".join(out), keyboard(shown, sheet_id, 0, total=len(own))


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@lru_cache(maxsize=1024)
def item_mark(n: int) -> str:
    """How a 督办单 numbers its n-th item: ① … ⑳, then 「第21项」 — never 「6.」, which reads as task 6."""
    return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else m.SHEET_ITEM_MARK.format(n=n)


def _line(n: int, line: SheetLine, today: dt.date) -> str:
    deadline, days = _when(line.deadline, today)
    if line.kind == MessageKind.ESCALATION:
        return m.SHEET_ESCALATION_LINE.format(
            n=item_mark(n),
            task=_html(line.task_key),
            title=_title_html(line.task_title),
            unit=_html(line.unit),
            days=days,
            reminders=line.reminders,
        )
    return m.SHEET_LINE.format(
        n=item_mark(n), task=_html(line.task_key), title=_title_html(line.task_title), deadline=deadline, days=days
    )


def _single(line: SheetLine, today: dt.date) -> tuple[str, dict[str, Any] | None]:
    return render_prompt(
        PromptContext(
            kind=line.kind,
            document=line.document,
            ref=line.ref,
            task_title=line.task_title,
            unit=line.unit,
            role=line.role,
            deadline=line.deadline,
            today=today,
            assignment_id=line.assignment_id,
            reminders=line.reminders,
        )
    )


@dataclass(frozen=True)
class TaskButton:
    """A 督办单 line's button: its number, the task's reference, and the assignment its card is for."""

    n: int
    ref: str
    assignment_id: int


def buttons_of(items: Sequence[dict[str, Any]]) -> list[TaskButton]:
    """The task buttons of a stored 督办单 (Sheet.items), for another page."""
    return [TaskButton(int(i["n"]), str(i.get("ref", "")), int(i["assignment_id"])) for i in items if i.get("own")]


def keyboard(
    own: Sequence[TaskButton], sheet_id: int | None, page: int, total: int | None = None
) -> dict[str, Any] | None:
    """One button per own task (its number and reference) on `page`, with ◀ ▶ when there are more pages.

    `own` is every own task's button, or, with `total` (how many there are), only the first page's: a new
    督办单 shows its first page, so `render` builds no button for the others."""
    if not own:
        return None
    count = len(own) if total is None else total
    pages = (count + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = own[page * PAGE_SIZE : (page + 1) * PAGE_SIZE] if total is None else own[:PAGE_SIZE]
    buttons = [
        callback_data.button(
            m.SHEET_BUTTON.format(n=item_mark(b.n), task=b.ref), callback_data.make(callback_data.CARD, b.assignment_id)
        )
        for b in shown
    ]
    rows = [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
    if pages > 1 and sheet_id is not None:
        nav = []
        if page > 0:
            nav.append(
                callback_data.button(m.SHEET_PREVIOUS, callback_data.make(callback_data.SHEET_PAGE, sheet_id, page - 1))
            )
        nav.append(
            callback_data.button(
                m.SHEET_PAGE.format(page=page + 1, pages=pages),
                callback_data.make(callback_data.SHEET_PAGE, sheet_id, page),
            )
        )
        if page < pages - 1:
            nav.append(
                callback_data.button(m.SHEET_NEXT, callback_data.make(callback_data.SHEET_PAGE, sheet_id, page + 1))
            )
        rows.append(nav)
    return callback_data.keyboard(*rows)


def stored_items(lines: Sequence[SheetLine]) -> list[dict[str, Any]]:
    """What the store keeps of a 督办单 (Sheet.items): number, assignment, kind, whether it is the unit's own."""
    return [
        {"n": n, "assignment_id": x.assignment_id, "kind": str(x.kind), "own": x.own, "ref": x.ref}
        for n, x in enumerate(lines, 1)
    ]
