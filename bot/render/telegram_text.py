"""Text helpers for Telegram messages."""

from __future__ import annotations

import html
import re
import unicodedata

from telegram.constants import MessageLimit

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4096
# Letters that render as nothing: Hangul fillers and the blank Braille pattern (category Lo / So, not format).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_blank(text: str) -> bool:
    """True when nothing of `text` would be seen: only spaces, controls, format characters (zero-width
    space and joiners, direction marks and overrides, the BOM, soft hyphen) and blank letters. A report,
    reason or broadcast of such text says nothing, so it counts as empty."""
    return all(unicodedata.category(ch)[0] in "CZ" or ch in _BLANK_LETTERS for ch in text)


def split_message(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split on line boundaries into parts of at most `limit` characters; a longer line is cut hard.

    Telegram refuses longer texts ("message is too long"); cutting between lines keeps a list or a
    digest readable, and HTML tags in this project never span lines. A hard cut never falls inside an
    entity or a tag: escaped user text (a broadcast of one long line of `<` and `&`) would otherwise be
    cut in `&lt;`, and Telegram refuses the whole part ("can't parse entities")."""
    parts: list[str] = []
    current: str | None = None
    for line in text.split("\n"):
        while len(line) > limit:
            if current is not None:
                parts.append(current)
                current = None
            cut = _hard_cut(line, limit)
            parts.append(line[:cut])
            line = line[cut:]
        if current is None:
            current = line
        elif len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}"
    if current is not None:
        parts.append(current)
    return parts


_LONGEST_ENTITY = len("&#x10ffff;")


def _hard_cut(line: str, limit: int) -> int:
    """Where to cut a line longer than `limit`: at `limit`, or before an entity or tag that `limit` would split."""
    cut = limit
    amp = line.rfind("&", max(0, cut - _LONGEST_ENTITY + 1), cut)
    if amp > 0 and ";" not in line[amp:cut]:
        cut = amp
    tag = line.rfind("<", 0, cut)
    if tag > 0 and ">" not in line[tag:cut]:
        cut = tag
    return cut


_TAG = re.compile(r"</?[a-z][^>]*>")


def html_to_plain(text: str) -> str:
    """Telegram HTML → plain text for a terminal (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", text))
