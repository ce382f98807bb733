"""Several tasks in one reply: each part resolved to one of the unit's assignments and stored as its own
report, all in one transaction, answered once.

Resolution of a part (bot/replies/multipart.py splits the text):
- a 督办单 number, when the reply answers a 督办单: that item, if it is one of the unit's own tasks (an
  escalation line is another unit's task and is refused by name);
- otherwise its task reference, against the unit's open assignments (bot/core/references.py): one match
  is the task, several are named back with their references so the contact can write the short name,
  none is named as unknown.
A part that resolves to nothing is named in the answer; the others are stored all the same. A part that
opens with nothing (a preamble such as 「各项进展如下：」) is passed over when other parts name tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat.reports import ReportResult, submit_report
from bot.core.references import matching
from bot.core.vocab import PartProblem, ReportOutcome, ReportSource
from bot.replies.multipart import ReplyPart
from bot.replies.parser import parse_reply
from bot.store.assignment_views import AssignmentView


@dataclass(frozen=True)
class Resolution:
    part: ReplyPart
    named: str  # the part's marker as the contact wrote it (for the answer)
    assignment_id: int | None = None
    problem: PartProblem | None = None
    candidates: tuple[AssignmentView, ...] = ()  # the tasks an ambiguous reference may mean


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
        return f"{part.reference.short}{part.reference.number}"
    return str(part.item) if part.item is not None else ""


def resolve(
    parts: Sequence[ReplyPart], open_views: Sequence[AssignmentView], sheet_items: Sequence[dict[str, Any]] | None
) -> list[Resolution]:
    """Pure: which assignment each addressed part is about."""
    by_number = {int(item["n"]): item for item in sheet_items or ()}
    out: list[Resolution] = []
    for part in parts:
        if not part.addressed:
            continue
        named = _named(part)
        if part.item is not None and sheet_items is not None:
            item = by_number.get(part.item)
            if item is None:
                out.append(Resolution(part, named, problem=PartProblem.UNKNOWN))
            elif not item.get("own", True):
                out.append(Resolution(part, named, problem=PartProblem.NOT_OWN))
            else:
                out.append(Resolution(part, named, assignment_id=int(item["assignment_id"])))
            continue
        if part.reference is None:  # (1), ①, 第1项 without a 督办单 to number against
            out.append(Resolution(part, named, problem=PartProblem.UNKNOWN))
            continue
        found = matching(part.reference, open_views)
        if len(found) == 1:
            out.append(Resolution(part, named, assignment_id=found[0].id))
        else:
            out.append(
                Resolution(
                    part,
                    named,
                    problem=PartProblem.AMBIGUOUS if found else PartProblem.UNKNOWN,
                    candidates=tuple(found),
                )
            )
    return out


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
    for resolution in resolutions:
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
