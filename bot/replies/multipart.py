"""A reply that reports on several tasks at once, split into one part per task.

A contact answering a 督办单 of twelve tasks writes one message, not twelve:

    1. 已完成
    成果转化1.2 进展60%，12月底前完成
    ③受阻，资金未到位

Parts are separated by line breaks or by ；/;. A part opens with what it is about:

- a 督办单 number — 「1.」「1、」「1)」「(1)」「（1）」「①」「第1项」 — meaning the n-th item of the 督办单 the
  reply answers (without a 督办单 the same 「1.」 is read as task number 1);
- a task reference — 「成果转化 1.2」, 「成果1.2」, 「1.2」, 「doc-id/1.2」 (bot/core/references.py) —
  resolved against the unit's tasks by the caller.

A segment that opens with neither continues the part before it (「进展60%；预计12月底完成」 stays one
part), so a message without any marker is one part with no reference, and the single-task flow applies.
Pure: no store, no clock; what each part says is read by the reply parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.references import TaskReference, read_reference

_SEPARATORS = re.compile(r"[\n\r；;]+")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_ITEM = re.compile(
    r"^\s*(?:第\s*(?P<nth>\d{1,3})\s*项\s*[:：,，、.]?"  # 第1项
    r"|[(（]\s*(?P<paren>\d{1,3})\s*[)）]"  # (1) （1）
    rf"|(?P<circled>[{_CIRCLED}])\s*[:：,，、.]?"  # ①
    r"|(?P<dotted>\d{1,3})\s*(?:[、)）:：]|[.．](?![\d０-９])))"  # 1、 1. 1) 1:
)
_LEAD_PUNCTUATION = re.compile(r"^[\s:：,，、.。\-—]+")
_TRAILING_SEPARATORS = re.compile(r"[\s；;]+$")


@dataclass(frozen=True)
class ReplyPart:
    """One task's share of a reply: the 督办单 number and/or task reference it opens with, and its text."""

    text: str  # what is said about the task, the opening marker removed
    item: int | None = None  # 督办单 number
    reference: TaskReference | None = None  # task reference (for 「1.」 both are set: the caller chooses)

    @property
    def addressed(self) -> bool:
        return self.item is not None or self.reference is not None


def _opening(segment: str, shorts: Sequence[str]) -> ReplyPart | None:
    """The part a segment opens, or None if it opens with no marker."""
    folded = segment.translate(_WIDE_DIGITS)
    item = _ITEM.match(folded)
    if item is not None:
        rest = _LEAD_PUNCTUATION.sub("", segment[item.end() :])
        if item["circled"]:
            return ReplyPart(rest, item=_CIRCLED.index(item["circled"]) + 1)
        number = item["nth"] or item["paren"] or item["dotted"]
        reference = TaskReference("", number, item.end()) if item["dotted"] else None
        return ReplyPart(rest, item=int(number), reference=reference)
    reference = read_reference(segment)
    if reference is None or (reference.short and shorts and not any(reference.short in s for s in shorts)):
        return None
    rest = segment[reference.end :]
    if rest and not (rest[0].isspace() or rest[0] in ":：,，、.。" or "\u4e00" <= rest[0] <= "\u9fff"):
        return None
    return ReplyPart(_LEAD_PUNCTUATION.sub("", rest), reference=reference)


def split_reply(text: str, shorts: Sequence[str] = ()) -> list[ReplyPart]:
    """The parts of a reply, in order; one unaddressed part when it names no task or item.

    A part's text is the original text from after its marker to the next part (separators inside it
    kept as written), so a one-part reply is stored verbatim. With the unit's document `shorts`, words
    before a number that are no short name's prefix (「已召开3次」, 「其中2.1」) do not open a part."""
    starts: list[tuple[int, int, ReplyPart]] = []  # (segment start, text start, part)
    position = 0
    for separator in [*_SEPARATORS.finditer(text), None]:
        end = separator.start() if separator else len(text)
        segment = text[position:end]
        stripped = segment.strip()
        if stripped:
            offset = position + len(segment) - len(segment.lstrip())
            opened = _opening(stripped, shorts)
            if opened is not None:
                starts.append((offset, offset + len(stripped) - len(opened.text), opened))
            elif not starts:
                starts.append((offset, offset, ReplyPart(stripped)))
        position = separator.end() if separator else len(text)
    parts = []
    for i, (_, text_start, part) in enumerate(starts):
        until = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        body = text[text_start:until]
        body = (_TRAILING_SEPARATORS.sub("", body) if i + 1 < len(starts) else body).strip()
        parts.append(ReplyPart(body, part.item, part.reference))
    return parts
