"""Several tasks in one reply: each part resolved to one of the unit's assignments and stored as its own
report, all in one transaction, answered once, every part on its own line.

Resolution of a part (bot/replies/multipart.py splits the text), against the unit's live tasks (open or
not: a bare 「1.2」 that is unique among the open ones but not among all is a question, not a jump):
- a 督办单 item (①, 第1项, (1)), when the reply answers a 督办单: that item, if it is one of the unit's own
  tasks (an escalation line is another unit's task and is refused by name);
- 「6.」 in reply to a 督办单 may be item 6 or task 6: the one that exists, or a question (ITEM_OR_TASK)
  with both offered as buttons;
- a task reference (bot/core/references.py): one match is the task. A bare number that fits several takes
  the document of the part before it, else the 督办单's own tasks; still several is a question with the
  candidates as buttons, never a request to retype. None is named as unknown.
Then the parts on one task are taken together (`merge_repeats`): the same status is one report, two
statuses are a question (CONFLICT) and store nothing for that task.
A part that resolves to nothing is named in the answer; the others are stored all the same. A part that
opens with nothing (a preamble such as 「各项进展如下：」) is passed over when other parts name tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat.reports import ReportResult, submit_report
from bot.core.references import matching
from bot.core.vocab import PartProblem, ReportedStatus, ReportOutcome, ReportSource
from bot.replies.multipart import ReplyPart
from bot.replies.multipart import split_reply as split_reply  # for handlers/, which import chat, not bot/replies/
from bot.replies.parser import parse_reply
from bot.store.assignment_views import AssignmentView


@dataclass(frozen=True)
class Resolution:
    part: ReplyPart
    named: str  # the part's marker as the contact wrote it (for the answer)
    assignment_id: int | None = None
    problem: PartProblem | None = None
    candidates: tuple[AssignmentView, ...] = ()  # the tasks an ambiguous reference may mean (buttons)
    index: int = 0  # the part's place among the reply's parts (a button names it)
    repeats: int = 1  # parts on this one task taken together
    statuses: tuple[ReportedStatus | None, ...] = ()  # CONFLICT: the statuses the parts gave (None: none)


@dataclass
class PartOutcome:
    resolution: Resolution
    result: ReportResult | None = None  # None when the part named no task


@dataclass
class MultiReport:
    outcomes: list[PartOutcome] = field(default_factory=list)

    @property
    def stored(self) -> list[PartOutcome]:
        return [
            o
            for o in self.outcomes
            if o.result is not None and o.result.view is not None and o.result.outcome == ReportOutcome.STORED
        ]


def _named(part: ReplyPart) -> str:
    if part.reference is not None and part.item is None:
        return part.reference.written.replace(" ", "")
    return str(part.item) if part.item is not None else ""


@dataclass(frozen=True)
class _Context:
    """What a part is read against: the unit's live tasks, the 督办单's items, the document of the part before."""

    views: Sequence[AssignmentView]
    items: dict[int, dict[str, Any]] | None
    sheet_ids: frozenset[int]


def resolve(
    parts: Sequence[ReplyPart],
    views: Sequence[AssignmentView],
    sheet_items: Sequence[dict[str, Any]] | None,
    at: dt.datetime | None = None,
) -> list[Resolution]:
    """Pure: which assignment each addressed part is about (`views`: the unit's live assignments). With the
    message time `at`, an opening part that names no task but says something (「示例 1.2 已完成」 where 示例 is
    no document) is answered as UNADDRESSED instead of passed over like a preamble."""
    items = {int(item["n"]): item for item in sheet_items} if sheet_items is not None else None
    sheet_ids = frozenset(int(i["assignment_id"]) for i in sheet_items or () if i.get("own", True))
    context = _Context(views, items, sheet_ids)
    by_id = {v.id: v for v in views}
    out: list[Resolution] = _unaddressed(parts, at)
    previous: str | None = None  # the document of the part before
    addressed = [p for p in parts if p.addressed]
    for index, part in enumerate(addressed):
        resolution = _resolve_one(part, context, previous, index)
        out.append(resolution)
        view = by_id.get(resolution.assignment_id or 0)
        previous = view.document_id if view is not None else previous
    return out


def _unaddressed(parts: Sequence[ReplyPart], at: dt.datetime | None) -> list[Resolution]:
    """The opening part when it names no task while others do, and states something: it gets a line."""
    if at is None or len(parts) < 2 or parts[0].addressed or not parse_reply(parts[0].text, at).understood:
        return []
    text = parts[0].text
    named = text if len(text) <= NAMED_CHARS else text[: NAMED_CHARS - 1] + "…"
    return [Resolution(parts[0], named, problem=PartProblem.UNADDRESSED)]


NAMED_CHARS = 16


def _resolve_one(part: ReplyPart, context: _Context, previous: str | None, index: int) -> Resolution:
    named = _named(part)
    if part.item is not None and context.items is not None:
        return _item_or_task(part, named, context, previous, index)
    if part.reference is None:  # (1), ①, 第1项 without a 督办单 to number against
        return Resolution(part, named, problem=PartProblem.UNKNOWN, index=index)
    return _by_reference(part, named, context, previous, index)


def _item_or_task(part: ReplyPart, named: str, context: _Context, previous: str | None, index: int) -> Resolution:
    """①/第6项/(6) is the 督办单's item; 「6.」 is the item or task 6, whichever exists, else a question."""
    assert context.items is not None
    item = context.items.get(part.item or 0)
    tasks = matching(part.reference, context.views) if part.reference is not None else []
    if item is None:
        if tasks:
            return _by_reference(part, named, context, previous, index)
        return Resolution(part, named, problem=PartProblem.UNKNOWN, index=index)
    if not item.get("own", True):
        return Resolution(part, named, problem=PartProblem.NOT_OWN, index=index)
    item_id = int(item["assignment_id"])
    others = [v for v in tasks if v.id != item_id]
    if not others:
        return Resolution(part, named, assignment_id=item_id, index=index)
    item_view = [v for v in context.views if v.id == item_id]
    return Resolution(part, named, problem=PartProblem.ITEM_OR_TASK, candidates=tuple(item_view + others), index=index)


def _by_reference(part: ReplyPart, named: str, context: _Context, previous: str | None, index: int) -> Resolution:
    assert part.reference is not None
    found = matching(part.reference, context.views)
    bare = not part.reference.short and part.reference.document_id is None
    if len(found) > 1 and bare:
        found = _narrowed(found, previous, context.sheet_ids)
    if len(found) == 1:
        return Resolution(part, named, assignment_id=found[0].id, index=index)
    problem = PartProblem.AMBIGUOUS if found else PartProblem.UNKNOWN
    return Resolution(part, named, problem=problem, candidates=tuple(found), index=index)


def _narrowed(found: list[AssignmentView], previous: str | None, sheet_ids: frozenset[int]) -> list[AssignmentView]:
    """A bare number that fits several tasks: the one of the previous part's document, else the one the
    督办单 lists; all of them when neither picks exactly one."""
    same_document = [v for v in found if v.document_id == previous]
    if len(same_document) == 1:
        return same_document
    on_sheet = [v for v in found if v.id in sheet_ids]
    return on_sheet if len(on_sheet) == 1 else found


def merge_repeats(resolutions: Sequence[Resolution], at: dt.datetime) -> list[Resolution]:
    """Parts on one task taken together, in the place of the first: the same status (or none) is one report
    of their texts joined, so 200 lines on one task are one report and one 更正 button; different statuses
    are one CONFLICT line and nothing stored for that task, since guessing which one holds is wrong either way."""
    groups: dict[int, list[Resolution]] = {}
    for resolution in resolutions:
        if resolution.assignment_id is not None:
            groups.setdefault(resolution.assignment_id, []).append(resolution)
    out: list[Resolution] = []
    for resolution in resolutions:
        group = groups.get(resolution.assignment_id or 0) if resolution.assignment_id is not None else None
        if group is None:
            out.append(resolution)
        elif group[0] is resolution:
            out.append(_merged(group, at))
    return out


def _merged(group: list[Resolution], at: dt.datetime) -> Resolution:
    if len(group) == 1:
        return group[0]
    first = group[0]
    statuses = tuple(dict.fromkeys(parse_reply(r.part.text, at).status for r in group))
    if len(statuses) > 1:
        return replace(first, assignment_id=None, problem=PartProblem.CONFLICT, repeats=len(group), statuses=statuses)
    text = "；".join(dict.fromkeys(r.part.text for r in group if r.part.text))
    return replace(first, part=replace(first.part, text=text), repeats=len(group))


async def submit_parts(
    session: AsyncSession,
    resolutions: Sequence[Resolution],
    *,
    chat_id: int,
    source: ReportSource,
    user_id: int | None,
    user_name: str | None,
    at: dt.datetime,
) -> MultiReport:
    """Store every resolved part (each checked as a report of its own: the chat's unit, duplicates,
    impossible values) in the caller's transaction."""
    report = MultiReport()
    for resolution in merge_repeats(resolutions, at):
        if resolution.assignment_id is None:
            report.outcomes.append(PartOutcome(resolution))
            continue
        text = resolution.part.text
        result = await submit_report(
            session,
            chat_id=chat_id,
            assignment_id=resolution.assignment_id,
            text=text,
            parsed=parse_reply(text, at),
            source=source,
            user_id=user_id,
            user_name=user_name,
            at=at,
        )
        report.outcomes.append(PartOutcome(resolution, result))
    return report
