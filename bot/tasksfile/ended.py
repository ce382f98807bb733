"""Which documents an import files as 已到期 (ended): a plan whose period ended more than a year before today.

A 2015–2017 plan imported in 2026 would otherwise remind its units daily of 3,000-day-old deadlines and
fill the 通报 with them. So its document is stored with `ended` set: its tasks send nothing and are in no
light, ranking, overdue count or 催办 (every reader filters `Document.ended`); /status and the summary
still show it. A year of grace, because a plan's last tasks are still being reported and chased for months
after its period. Pure: the clock is the caller's (`today`, the import's own moment).

The file may decide: `archived: true` files the document as ended whatever its dates, `archived: false`
keeps it in; `taskbot import --include-ended` keeps in every document the file does not mark `archived: true`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.tasksfile.loader import DocumentEntry


def a_year_before(today: dt.date) -> dt.date:
    """The same day a year earlier (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def is_ended(document: DocumentEntry, today: dt.date | None, *, include_ended: bool = False) -> bool:
    """Whether the import files `document` as 已到期. No `today` (a caller without a clock): only the file's
    own `archived: true` does."""
    if document.archived is not None:
        return document.archived
    if today is None or include_ended or document.period_end is None:
        return False
    return document.period_end < a_year_before(today)


def ended_documents(
    documents: Iterable[DocumentEntry], today: dt.date | None, *, include_ended: bool = False
) -> list[DocumentEntry]:
    return [d for d in documents if is_ended(d, today, include_ended=include_ended)]
