"""Deadline phrases as documents write them, resolved to a date (or to "no deadline").

tasks.yaml keeps the phrase as written (2025年底前, 长期坚持) so a reviewer sees the document's words;
the store keeps both the phrase and the date it means. Only the forms offices use for a *deadline* are
accepted here; anything else is an error naming the phrase, because a guessed deadline is worse than a
refused file. (Free-text dates in chat replies are the reply parser's business, not this module's.)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.core.months import QUARTER_NUMBERS, month_end, quarter_end

OPEN_ENDED = ("长期坚持", "持续推进", "长期", "持续", "常态化推进", "长期推进")

_DIGITS = "０１２３４５６７８９"
_FULLWIDTH = str.maketrans(_DIGITS, "0123456789")
_SUFFIX = r"(?:前|以前|之前|底前|止)?"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:到|至|于)?(\d{4})年(?:年底|年末|底|末)?" + _SUFFIX + r"(?:完成)?$"), "year_end"),
    (re.compile(r"^(?:到|至|于)?(\d{4})年(上半年)" + _SUFFIX + r"(?:完成)?$"), "half"),
    (re.compile(r"^(?:到|至|于)?(\d{4})年(?:第)?([一二三四1-4])季度(?:末|底)?" + _SUFFIX + r"(?:完成)?$"), "quarter"),
    (re.compile(r"^(?:到|至|于)?(\d{4})年(\d{1,2})月(?:底|末)?" + _SUFFIX + r"(?:完成)?$"), "month_end"),
    (re.compile(r"^(?:到|至|于)?(\d{4})年(\d{1,2})月(\d{1,2})日" + _SUFFIX + r"(?:完成)?$"), "day"),
]
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True, slots=True)
class Deadline:
    """`date` is None for an open-ended task; `text` is the phrase as written (or the ISO date)."""

    date: dt.date | None
    text: str | None


def resolve_deadline(value: dt.date | str | None) -> Deadline:
    """Turn a tasks.yaml `deadline:` value into a date; raises ValueError with a clear message."""
    if value is None:
        return Deadline(None, None)
    if isinstance(value, dt.date):
        return Deadline(value, value.isoformat())
    text = str(value).strip()
    if not text:
        return Deadline(None, None)
    compact = re.sub(r"\s+", "", text).translate(_FULLWIDTH)
    try:
        return Deadline(dt.date.fromisoformat(compact), text)
    except ValueError:
        if _ISO_DATE.match(compact):
            raise ValueError(f"deadline {text!r} names a day that does not exist") from None
    if compact in OPEN_ENDED:
        return Deadline(None, text)
    for pattern, kind in _PATTERNS:
        match = pattern.match(compact)
        if match:
            return Deadline(_date_for(kind, match.groups(), text), text)
    raise ValueError(
        f"deadline {text!r} is neither a date (YYYY-MM-DD) nor a known phrase "
        "(2025年底前, 2025年6月30日前, 2025年6月底前, 2025年第三季度, 2025年上半年, 到2025年, 长期坚持)"
    )


def _date_for(kind: str, groups: tuple[str, ...], text: str) -> dt.date:
    year = int(groups[0])
    try:
        if kind == "year_end":
            return dt.date(year, 12, 31)
        if kind == "half":
            return dt.date(year, 6, 30)
        if kind == "quarter":
            return quarter_end(year, QUARTER_NUMBERS[groups[1]])
        if kind == "month_end":
            return month_end(year, int(groups[1]))
        return dt.date(year, int(groups[1]), int(groups[2]))
    except ValueError:
        raise ValueError(f"deadline {text!r} names a day that does not exist") from None
