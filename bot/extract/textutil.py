"""Small text helpers shared by the extractor's parsers: width folding, clauses, brackets.

`fold()` is length-preserving on purpose: every parser works on the folded text, and an offset found
there is also an offset into the original, so bodies are cut from the text as the document wrote it.
It also folds traditional characters to simplified ones (牽頭單位 → 牵头单位), one character for one,
with OpenCC's own character table, so one set of patterns reads documents from Hong Kong, Macao and
Taiwan and copies run through a converter; the output keeps the characters as written.
"""

from __future__ import annotations

import functools
import re

_WIDE = "（）：；，！？［］．　０１２３４５６７８９"
_NARROW = "():;,!?[]. 0123456789"
_FOLD = str.maketrans(_WIDE, _NARROW)
OPENS = "([〔【"
CLOSES = ")]〕】"
CJK = r"\u4e00-\u9fff"


@functools.cache
def _t2s_table() -> dict[int, str]:
    """Every CJK character OpenCC converts to a single other character (one call over the whole block:
    each character stands on its own line, so no phrase rule applies)."""
    import opencc

    block = "\n".join(chr(c) for c in range(0x4E00, 0xA000))
    converted = opencc.OpenCC("t2s").convert(block).split("\n")
    table = {ord(a): b for a, b in zip(block.split("\n"), converted, strict=True) if len(b) == 1 and a != b}
    table.update(_FOLD)
    return table


def fold(text: str) -> str:
    """Full-width punctuation and digits → ASCII and traditional → simplified, one character for one."""
    return text.translate(_t2s_table())


def one_line(text: str) -> str:
    """A paragraph as one line: line breaks and the indentation around them go, inner spaces stay."""
    return re.sub(r"\s*\n\s*", "", text).strip()


def split_outside_brackets(text: str, separators: str) -> list[tuple[str, int]]:
    """Split at any separator character that is not inside brackets; returns (piece, offset) pairs.

    Only brackets, quotes and separators are visited (one regex scan), not every character."""
    pieces: list[tuple[str, int]] = []
    depth, start = 0, 0
    for m in _stops(separators).finditer(text):
        char, i = m.group(), m.start()
        if char in OPENS or char == "“":
            depth += 1
        elif (char in CLOSES or char == "”") and depth:
            depth -= 1
        elif depth == 0 and char in separators:
            pieces.append((text[start:i], start))
            start = i + 1
    pieces.append((text[start:], start))
    return pieces


@functools.cache
def _stops(separators: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(OPENS + CLOSES + "“”" + separators) + "]")


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


def fold_width(text: str) -> str:
    """Only the width folding of `fold()`: full-width punctuation and digits → ASCII."""
    return text.translate(_FOLD)


def spelling(original: str, folded: str) -> dict[int, str]:
    """A document's own spelling of the characters `fold()` simplified: 区 → 區 where the document writes
    區 more often than 区. Applied to the names the extractor writes (titles, new units), so a
    traditional-character document comes out in its own characters; a stray 區 in a simplified one does
    not."""
    changed = _changed(original, folded)
    table: dict[int, str] = {}
    for simple, forms in changed.items():
        forms[simple] = folded.count(simple) - sum(forms.values())
        best = max(forms, key=lambda form: forms[form])
        if best != simple:
            table[ord(simple)] = best
    return table


def _changed(original: str, folded: str) -> dict[str, dict[str, int]]:
    """{simplified: {traditional form: count}} of the CJK characters `fold()` changed, found by one regex
    scan for characters the table converts (a simplified document has none to visit)."""
    found: dict[str, dict[str, int]] = {}
    for m in _traditional().finditer(original):
        simple = folded[m.start()]
        forms = found.setdefault(simple, {})
        forms[m.group()] = forms.get(m.group(), 0) + 1
    return found


@functools.cache
def _traditional() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(c)) for c in _t2s_table() if 0x4E00 <= c < 0xA000) + "]")
