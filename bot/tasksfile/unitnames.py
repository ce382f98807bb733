"""Unit names as people type them: the key that ignores bracket width and spaces, and the closest known name.

Shared by the tasks-file loader (an unknown unit in tasks.yaml names the closest one) and by the store
side (`taskbot invite 市科技厅` answers "did you mean 市科技局?"), so both suggest the same thing.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

CUTOFF = 0.5


def name_key(name: str) -> str:
    """Full-width brackets and spaces are a matter of typing, not of identity."""
    return name.replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "")


def closest(name: str, lookup: Mapping[str, str]) -> str | None:
    """The canonical unit whose name or alias (keys of `lookup`, values canonical) is nearest to `name`."""
    matches = difflib.get_close_matches(name, list(lookup), n=1, cutoff=CUTOFF)
    return lookup[matches[0]] if matches else None
