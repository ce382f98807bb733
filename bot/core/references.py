"""Task references as people write them: 「成果转化 1.2」, 「成果1.2」, 「1.2」, and the numbers of a 督办单.

A task is shown everywhere as its document's short name and its number, because a unit with tasks from
four documents has three tasks numbered 1.1. Input is read the same way back:

- the full reference (short name + number, with or without a space, full-width digits allowed);
- a prefix of the short name that only one of the candidate documents has, plus the number;
- the bare number, when only one candidate task has it.

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


def label(short: str, task_key: str) -> str:
    """「成果转化 1.2」: how a task is named to people."""
    return f"{short} {task_key}" if short else task_key


def read_reference(text: str) -> TaskReference | None:
    """The task reference at the start of `text`, if there is one."""
    folded = text.translate(_WIDE_DIGITS)
    match = _REFERENCE.match(folded)
    if match is None:
        return None
    return TaskReference(match["short"].strip(), match["number"], match.end())


def matching(reference: TaskReference, candidates: Sequence[R]) -> list[R]:
    """The candidates the reference can mean: the number must be equal, the short name a prefix of the
    candidate's (an empty short name matches every document)."""
    return [c for c in candidates if c.task_key == reference.number and c.document_short.startswith(reference.short)]


def resolve(text: str, candidates: Sequence[R]) -> list[R]:
    """All candidates `text` (a whole reference, nothing after it) may mean; the caller decides what one,
    none or several mean."""
    reference = read_reference(text)
    if reference is None or text.translate(_WIDE_DIGITS)[reference.end :].strip():
        return []
    return matching(reference, candidates)
