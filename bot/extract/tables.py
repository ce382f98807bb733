"""A 任务分工表 (task table: 序号 | 任务 | 牵头单位 | 责任单位 | 完成时限) → numbered items with markers.

Tables arrive from .docx and .html. Rewriting each row as `N.任务(牵头单位:…;责任单位:…;完成时限:…)`
lets the one marker parser read both layouts; any other table becomes plain lines of cells.
"""

from __future__ import annotations

import re

_COLUMNS = {
    "task": re.compile(r"任务|工作内容|事项|措施|内容|工作"),
    "lead": re.compile(r"牵头"),
    "responsible": re.compile(r"责任|配合|参与|协办|承办"),
    "deadline": re.compile(r"时限|时间|进度|期限"),
    "number": re.compile(r"^(序号|编号)$"),
}
_LABEL = {"lead": "牵头单位", "responsible": "责任单位", "deadline": "完成时限"}


def _columns(header: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        text = re.sub(r"\s+", "", cell)
        for key in ("number", "lead", "responsible", "deadline", "task"):
            if key not in found and _COLUMNS[key].search(text):
                found[key] = i
                break
    if "task" in found and ("lead" in found or "responsible" in found):
        return found
    return None


def table_lines(rows: list[list[str]]) -> list[str]:
    """Rows of cells → text lines; a task table's rows become numbered items with markers."""
    rows = [[re.sub(r"\s*\n\s*", "", cell).strip() for cell in row] for row in rows if any(c.strip() for c in row)]
    columns = None
    start = 0
    for i, row in enumerate(rows[:3]):
        columns = _columns(row)
        if columns:
            start = i + 1
            break
    if columns is None:
        return [" ".join(dict.fromkeys(cell for cell in row if cell)) for row in rows]
    lines: list[str] = []
    counter = 0
    for row in rows[start:]:
        cells = list(dict.fromkeys(cell for cell in row if cell))
        if len(cells) == 1:              # a merged row: a section heading such as 一、xxx
            lines.append(cells[0])
            continue
        task = row[columns["task"]] if columns["task"] < len(row) else ""
        if not task:
            continue
        counter += 1
        number = row[columns["number"]] if "number" in columns and columns["number"] < len(row) else ""
        number = number if number.isdigit() else str(counter)
        fields = [f"{_LABEL[key]}:{row[columns[key]]}" for key in ("lead", "responsible", "deadline")
                  if key in columns and columns[key] < len(row) and row[columns[key]]]
        marker = f"({';'.join(fields)})" if fields else ""
        lines.append(f"{number}.{task.rstrip('。')}。{marker}")
    return lines
