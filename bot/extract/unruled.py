"""A PDF table drawn without ruling lines (R13): pdfplumber finds no table, the text stands at column positions.

The header line is the one whose words make a task table's header (`tables.columns_of`); each word's left edge
starts a column. The lines below are cut into columns by those edges, a wrapped piece joining its column's text
with no space (as K16's layout copy); a wider gap between lines (or text in the first column) starts a new row,
a much wider one (a footer, the page's end) ends the table. A row whose first two cells are empty continues the
row above (a 问题 with several 整改措施, R14): those cells are filled down, as if merged.
"""

from __future__ import annotations

import itertools
from typing import Any

from bot.extract.tables import columns_of

Word = dict[str, Any]  # pdfplumber's word: text, x0, x1, top, bottom


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by their top, top to bottom, left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _header(lines: list[list[Word]]) -> int | None:
    return next(
        (i for i, line in enumerate(lines) if len(line) >= 3 and columns_of([w["text"] for w in line]) is not None),
        None,
    )


def _cells(line: list[Word], starts: list[float]) -> list[str]:
    cells = [""] * len(starts)
    for word in line:
        column = max((k for k, x in enumerate(starts) if x <= word["x0"] + 2), default=0)
        cells[column] += word["text"]
    return cells


def unruled_table(words: list[Word]) -> tuple[float, float, list[list[str]]] | None:
    """(top, bottom, rows with the header first) of a table without rules on a page, or None."""
    lines = _lines(words)
    head = _header(lines)
    if head is None or head + 1 >= len(lines):
        return None
    starts = [w["x0"] for w in lines[head]]
    body = lines[head + 1 :]
    gaps = [b[0]["top"] - a[0]["top"] for a, b in itertools.pairwise(body)]
    step = min(gaps, default=0.0)
    rows: list[list[str]] = []
    bottom = body[0][0]["bottom"]
    for k, line in enumerate(body):
        cells = _cells(line, starts)
        gap = gaps[k - 1] if k else 0.0
        if k and step and gap > 3 * step:
            break
        if not rows or (step and gap > 1.3 * step) or cells[0]:
            rows.append(cells)
        else:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
        bottom = max(w["bottom"] for w in line)
    if len(rows) < 2 or len(starts) < 3:
        return None
    for above, row in itertools.pairwise(rows):
        if not row[0] and not row[1]:
            row[0], row[1] = above[0], above[1]  # a 问题's next 整改措施: the 序号 and 问题 merged down (R14)
    header = [w["text"] for w in lines[head]]
    return lines[head][0]["top"], bottom, [header, *rows]
