"""Small text helpers shared by the extractor's parsers: width folding, clauses, brackets.

`fold()` is length-preserving on purpose: every parser works on the folded text, and an offset found
there is also an offset into the original, so bodies are cut from the text as the document wrote it.
"""

from __future__ import annotations

import re

_WIDE = "（）：；，！？［］．　０１２３４５６７８９"
_NARROW = "():;,!?[]. 0123456789"
_FOLD = str.maketrans(_WIDE, _NARROW)
OPENS = "([〔【"
CLOSES = ")]〕】"
CJK = r"\u4e00-\u9fff"



def fold(text: str) -> str:
    """Full-width punctuation and digits → ASCII, one character for one character."""
    return text.translate(_FOLD)


def one_line(text: str) -> str:
    """A paragraph as one line: line breaks and the indentation around them go, inner spaces stay."""
    return re.sub(r"\s*\n\s*", "", text).strip()


def split_outside_brackets(text: str, separators: str) -> list[tuple[str, int]]:
    """Split at any separator character that is not inside brackets; returns (piece, offset) pairs."""
    pieces: list[tuple[str, int]] = []
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char in OPENS or char == "“":
            depth += 1
        elif (char in CLOSES or char == "”") and depth:
            depth -= 1
        elif depth == 0 and char in separators:
            pieces.append((text[start:i], start))
            start = i + 1
    pieces.append((text[start:], start))
    return pieces


def bracket_end(text: str, start: int) -> int | None:
    """Index just past the bracket that closes the one opened at `start`, or None if it never closes."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in OPENS:
            depth += 1
        elif text[i] in CLOSES:
            depth -= 1
            if depth == 0:
                return i + 1
    return None
