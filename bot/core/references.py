"""Task references as people write them: 「成果转化 1.2」, 「成果1.2」, 「1.2」, and the numbers of a 督办单.

A task is shown everywhere as its document's short name and its number, because a unit with tasks from
four documents has three tasks numbered 1.1. Input is read the same way back:

- the full reference (short name + number, with or without a space, full-width digits allowed);
- a prefix of the short name that only one of the candidate documents has, plus the number;
- the bare number, when only one candidate task has it;
- the internal form 「jm-2023-cgzh/1.5」 (document id, a slash, the number), as tasks.yaml and the CLI write it.

Every command that names a task (/report, /status, /extend, /reopen, /target) and every part of a reply
reads its reference here (`read_leading` for a command's arguments: the reference, then the rest), so a
reference the bot prints is a reference the bot reads. Candidates are the unit's live tasks, not only its
open ones: a number that is unique among the open tasks but not among all of them (the other one was
reported done a minute ago) is a question, never a silent jump to another document.

Anything else matches nothing or several candidates, and the caller asks with buttons for exactly those.
Pure: the candidates are handed in, nothing is read from the store.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

_WIDE_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
# a task number: 1, 1.2, 7.4.1, bz.3 (保障措施); letters only as a prefix such as bz.
TASK_NUMBER = r"(?:[a-z]{1,4}\.)?\d{1,3}(?:\.\d{1,3}){0,3}"
# the internal form: document id / number (the id is ASCII: jm-2023-cgzh, demo-2023)
_INTERNAL = re.compile(rf"^\s*(?P<document>[A-Za-z0-9][A-Za-z0-9_.\-]*)/(?P<number>{TASK_NUMBER})(?![\d.]*\d)")
_REFERENCE = re.compile(
    rf"^\s*(?P<short>[^\s\d.,，、。:：;；()（）【】\[\]]{{0,12}}?)\s*(?P<number>{TASK_NUMBER})"
    r"(?![\d.]*\d)(?!\s*[年月日号天周%％成项个家名万亿元次批期条户前后])"
)  # 12月底, 60%, 3项: not tasks


class Referable(Protocol):
    """What a candidate task must offer (store views and planner views both do)."""

    @property
    def document_short(self) -> str: ...
    @property
    def task_key(self) -> str: ...


R = TypeVar("R", bound="Referable")


@dataclass(frozen=True)
class TaskReference:
    """A reference read from text: the short-name part as typed (may be empty) and the task number."""

    short: str
    number: str
    end: int  # where the reference ends in the text it was read from
    document_id: str | None = None  # the internal form names the document by its id

    @property
    def written(self) -> str:
        """The reference as it reads back to the person (for 「没有找到任务「…」」)."""
        if self.document_id is not None:
            return f"{self.document_id}/{self.number}"
        return label(self.short, self.number)


def label(short: str, task_key: str) -> str:
    """「成果转化 1.2」: how a task is named to people."""
    return f"{short} {task_key}" if short else task_key


def read_reference(text: str) -> TaskReference | None:
    """The task reference at the start of `text`, if there is one."""
    folded = text.translate(_WIDE_DIGITS)
    internal = _INTERNAL.match(folded)
    if internal is not None:
        return TaskReference("", internal["number"], internal.end(), internal["document"])
    match = _REFERENCE.match(folded)
    if match is None:
        return None
    return TaskReference(match["short"].strip(), match["number"], match.end())


def _fits(reference: TaskReference, candidate: Referable) -> bool:
    if candidate.task_key != reference.number:
        return False
    if reference.document_id is not None:
        return getattr(candidate, "document_id", None) == reference.document_id
    return candidate.document_short.startswith(reference.short)


def matching(reference: TaskReference, candidates: Sequence[R]) -> list[R]:
    """The candidates the reference can mean: the number must be equal, the short name a prefix of the
    candidate's (an empty short name matches every document), or the document id the one written."""
    return [c for c in candidates if _fits(reference, c)]


@dataclass(frozen=True)
class Leading:
    """What a command's arguments open with: the reference (None when they open with none) and the rest."""

    reference: TaskReference | None
    rest: str


def read_leading(text: str) -> Leading:
    """A command's arguments read as 「reference rest」: 「成果转化 1.5 2027-06-30 理由」, 「成果转化1.5 …」,
    「成果1.5 …」, 「1.5 …」, 「jm-2023-cgzh/1.5 …」. The reference must end at a space, the end, or a
    punctuation mark (「1.5：已完成」), so 「2027-06-30」 or 「60%」 never reads as one."""
    reference = read_reference(text)
    if reference is None:
        return Leading(None, text.strip())
    rest = text.translate(_WIDE_DIGITS)[reference.end :]
    if rest and not (rest[0].isspace() or rest[0] in _AFTER_REFERENCE or "\u4e00" <= rest[0] <= "\u9fff"):
        return Leading(None, text.strip())
    return Leading(reference, _LEAD_PUNCTUATION.sub("", text[reference.end :]).strip())


_AFTER_REFERENCE = ":：,，、.。"
_LEAD_PUNCTUATION = re.compile(r"^[\s:：,，、.。]+")


def resolve(text: str, candidates: Sequence[R]) -> list[R]:
    """All candidates `text` (a whole reference, nothing after it) may mean; the caller decides what one,
    none or several mean."""
    reference = read_reference(text)
    if reference is None or text.translate(_WIDE_DIGITS)[reference.end :].strip():
        return []
    return matching(reference, candidates)
