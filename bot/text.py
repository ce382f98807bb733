"""Text helpers for Telegram messages."""

from __future__ import annotations

import html
import re

from telegram.constants import MessageLimit

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4096


def split_message(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split on line boundaries into parts of at most `limit` characters; a longer line is cut hard.

    Telegram refuses longer texts ("message is too long"); cutting between lines keeps a list or a
    digest readable, and HTML tags in this project never span lines."""
    parts: list[str] = []
    current: str | None = None
    for line in text.split("\n"):
        while len(line) > limit:
            if current is not None:
                parts.append(current)
                current = None
            parts.append(line[:limit])
            line = line[limit:]
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


_TAG = re.compile(r"</?[a-z][^>]*>")


def html_to_plain(text: str) -> str:
    """Telegram HTML → plain text for a terminal (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", text))
