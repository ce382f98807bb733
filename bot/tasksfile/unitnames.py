"""Unit names as people type them: the key that ignores bracket width and spaces, and the closest known name.

Shared by the tasks-file loader (an unknown unit in tasks.yaml names the closest one) and by the store
side (`taskbot invite 市科技厅` answers "did you mean 市科技局?"), so both suggest the same thing.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping

CUTOFF = 0.5
# Categories no unit name has: controls (\n, \x01, NUL), format characters (zero-width space and joiners,
# direction marks and overrides such as U+202E, the BOM, soft hyphen), line and paragraph separators,
# surrogates, private use and unassigned code points; and letters that render as nothing (Hangul fillers).
_UNTYPABLE = {
    "Cc": "a control character",
    "Cf": "an invisible format character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Cs": "a surrogate",
    "Co": "a private-use character",
    "Cn": "an unassigned character",
}
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def untypable(name: str) -> str | None:
    """Why `name` cannot be a unit's name (its first character nobody can see or type), or None.

    Such names reach YAML through escapes ("\\u200b", "\\x01"): the unit cannot be named in
    `taskbot invite` from a shell, looks like another unit in every list, and a direction override
    reorders the text after it in the digest and the 台账."""
    for ch in name:
        what = _UNTYPABLE.get(unicodedata.category(ch)) or ("a blank letter" if ch in _BLANK_LETTERS else None)
        if what is not None:
            return f"character U+{ord(ch):04X} ({what}) is not allowed in a unit name"
    return None


def name_key(name: str) -> str:
    """Full-width brackets and spaces are a matter of typing, not of identity."""
    return name.replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "")


def closest(name: str, lookup: Mapping[str, str]) -> str | None:
    """The canonical unit whose name or alias (keys of `lookup`, values canonical) is nearest to `name`."""
    matches = difflib.get_close_matches(name, list(lookup), n=1, cutoff=CUTOFF)
    return lookup[matches[0]] if matches else None


def candidates(name: str, lookup: Mapping[str, str]) -> list[str]:
    """The canonical units `name` may mean (`lookup`: every name and alias → its canonical name), sorted.

    A unit's full name is that unit. An alias is that unit together with every unit whose name or alias ends
    with what was typed: aliases come from many documents, and a district's document calls its own bureau
    「科技局」 as the city's does, so 「科技局」 may be 市科技局 or 区科技局 — a question, never a guess. Empty
    when nothing is known by that name."""
    key = name_key(name)
    for typed in (name, key):
        if lookup.get(typed) == typed:
            return [typed]
    hit = lookup.get(name) or lookup.get(key)
    if hit is None:
        return []
    return sorted({hit} | {canonical for known, canonical in lookup.items() if name_key(known).endswith(key)})
