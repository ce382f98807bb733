"""Text helpers for Telegram messages."""

from __future__ import annotations

import html
import re
import unicodedata

from telegram.constants import MessageLimit

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4096
MAX_CAPTION = MessageLimit.CAPTION_LENGTH  # 1024: a photo's or a document's caption
# Letters that render as nothing: Hangul fillers and the blank Braille pattern (category Lo / So, not format).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_blank(text: str) -> bool:
    """True when nothing of `text` would be seen: only spaces, controls, format characters (zero-width
    space and joiners, direction marks and overrides, the BOM, soft hyphen) and blank letters. A report,
    reason or broadcast of such text says nothing, so it counts as empty."""
    return all(unicodedata.category(ch)[0] in "CZ" or ch in _BLANK_LETTERS for ch in text)


def visible_length(text: str) -> int:
    """How long Telegram finds an HTML message: after entity parsing (tags dropped, `&lt;` one character),
    in UTF-16 code units as Telegram counts (an emoji beyond the BMP is two). Its 4,096 limit is on this,
    not on the HTML source: escaped user text is up to six times longer than what is shown."""
    plain = html.unescape(_TAG.sub("", text))
    return len(plain) + sum(1 for ch in plain if ord(ch) > 0xFFFF)


def caption(text: str) -> str:
    """A file's caption: `text` if Telegram takes it as one, else its first 1,024 visible characters, cut on a
    line boundary (a caption too long is refused with the whole file; the file matters more than its caption)."""
    return split_message(text, MAX_CAPTION)[0] if text else ""


def split_message(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split into parts of at most `limit` visible characters (`visible_length`), on line boundaries where
    a line fits in a part; a longer line is cut hard.

    Telegram refuses longer texts ("message is too long"); cutting between lines keeps a list or a digest
    readable. A line longer than a part first fills the part it would start (so a header such as
    【督办通知】 never goes out alone), and a hard cut never falls inside an entity or a tag (Telegram refuses
    the whole part: "can't parse entities"): tags open at the cut are closed at the end of the part and
    opened again at the start of the next."""
    parts: list[str] = []
    current: str | None = None
    used = 0
    for line in text.split("\n"):
        size = visible_length(line)
        if current is not None and used + 1 + size <= limit:
            current, used = f"{current}\n{line}", used + 1 + size
            continue
        if size > limit and current is not None and limit - used - 1 > 0:
            head, line = _hard_cut(line, limit - used - 1, may_be_empty=True)
            if visible_length(head):
                current = f"{current}\n{head}"
        if current is not None:
            parts.append(current)
        while visible_length(line) > limit:
            head, line = _hard_cut(line, limit)
            parts.append(head)
        current, used = line, visible_length(line)
    if current is not None:
        parts.append(current)
    return parts


_TOKEN = re.compile(r"<[^<>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|[\s\S]")
_OPEN_TAG = re.compile(r"<([a-zA-Z][\w-]*)[^>]*>")


def _hard_cut(line: str, room: int, *, may_be_empty: bool = False) -> tuple[str, str]:
    """(head, rest) of a line: the head as long as fits in `room` visible characters (unless `may_be_empty`,
    at least one character, so the cutting always moves on), never through an entity or a tag, with the
    tags still open at the cut closed in the head and opened again in the rest."""
    stack: list[tuple[str, str]] = []  # (name, the opening tag as written)
    used = cut = 0
    for token in _TOKEN.finditer(line):
        piece = token[0]
        if piece.startswith("<") and len(piece) > 1:
            if piece.startswith("</"):
                if stack:
                    stack.pop()
            elif (opening := _OPEN_TAG.fullmatch(piece)) is not None:
                stack.append((opening[1], piece))
            cut = token.end()
            continue
        width = (2 if ord(piece) > 0xFFFF else 1) if len(piece) == 1 else visible_length(piece)
        if used + width > room and (used > 0 or may_be_empty):
            break
        used += width
        cut = token.end()
    head, rest = line[:cut], line[cut:]
    if rest and stack:
        head += "".join(f"</{name}>" for name, _ in reversed(stack))
        rest = "".join(tag for _, tag in stack) + rest
    return head, rest


_TAG = re.compile(r"</?[a-z][^>]*>")


def html_to_plain(text: str) -> str:
    """Telegram HTML → plain text for a terminal (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", text))
