"""One task table per chapter (a 政府工作报告 责任分解 pasted from Word, V1): each chapter's heading, then a
table repeating the same header row, its 序号 running straight through the chapters.

Read table by table, every table restarts the numbering and the chapter headings stand outside the tables.
The clerk reads one table whose chapters are section rows: so a table whose header repeats the previous
table's, with only short heading lines between them, is joined to it, the heading lines becoming merged
section rows."""

from bot.extract.tables import columns_of

_MAX_HEADING = 60  # a chapter heading is one short line
_MAX_BETWEEN = 3  # lines between two tables of one list


def chapter_rows(
    previous: list[list[str]], between: list[str], rows: list[list[str]], above: str | None
) -> list[list[str]] | None:
    """The previous table's grid continued by this one's body, the lines between as section rows (and the
    heading `above` the first table, when the previous grid is that table alone, as its first); None when
    the two tables are not one list (another header, no table before, prose between them)."""
    if not previous or not rows or previous[0] != rows[0] or columns_of(rows[0]) is None:
        return None
    if not between or not all(_heading(line) for line in between):
        return None
    width = len(rows[0])
    first = [[above] * width] if above is not None and _heading(above) else []
    return [previous[0], *first, *previous[1:], *([line] * width for line in between), *rows[1:]]


def _heading(line: str) -> bool:
    """A chapter heading: one short line, no sentence."""
    return 0 < len(line) <= _MAX_HEADING and "。" not in line


def between_count(lines: int) -> bool:
    """Few enough lines between two tables for them to be one list."""
    return lines <= _MAX_BETWEEN
