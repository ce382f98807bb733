"""Small text helpers shared by the extractor's parsers: width folding, Chinese numerals, clauses.

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

_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
_UNITS = {"十": 10, "百": 100}


def fold(text: str) -> str:
    """Full-width punctuation and digits → ASCII, one character for one character."""
    return text.translate(_FOLD)


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None when it is not a numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _NUMERALS:
            current = _NUMERALS[char]
        elif char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            return None
    return total + current


def to_cn(number: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五 (for generated test documents and benchmarks)."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number - 10] if number > 10 else "")
    if number < 100:
        tens, ones = divmod(number, 10)
        return digits[tens] + "十" + (digits[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + digits[rest]
    else:
        tail = to_cn(rest) if rest >= 20 else "一" + to_cn(rest)
    return digits[hundreds] + "百" + tail


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
