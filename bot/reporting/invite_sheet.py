"""The invitation sheet of `taskbot invite --all --xlsx FILE`: one row per unit with its one-time link and
code, for a coordinator to send out (a 通知 with the sheet attached, or one row per contact).

Layout: a title row with the date it was made and the number of units; a header row (单位 邀请链接 邀请码
有效期至 类型), frozen with the title so both stay in view; one row per unit, by name. The link is a real
hyperlink; 有效期至 is an Excel date and time in the configured zone; 类型 says 个人 (open in a private
chat with the bot) or 群组 (add the bot to the unit's group). Widths follow the content (the 台账's rule,
a Chinese character counts two).

Writing: the sheet is saved to a temporary file in the target's directory and renamed over the target
only when the block that made the codes ends without error (`staged`), so the codes' transaction and the
file succeed or fail together as far as a file system allows: a failed commit leaves no file, a failed
save no codes. The file holds live codes, so it is readable by its owner only (0600), also when it
replaces an older sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.errors import TaskbotError
from bot.render import messages as m
from bot.reporting.ledger import DATETIME_FORMAT, HEADER_FILL, column_widths

if TYPE_CHECKING:
    from openpyxl import Workbook

LINK_COLOUR = "0563C1"  # Excel's own hyperlink blue
FILE_MODE = 0o600


@dataclass(frozen=True)
class InviteRow:
    unit: str
    link: str
    code: str
    expires_at: dt.datetime  # aware
    for_group: bool


def sheet_values(rows: Sequence[InviteRow], tz: dt.tzinfo) -> list[tuple[str, str, str, dt.datetime, str]]:
    """The cells of each row (pure): Excel has no time zones, so 有效期至 is local time without one."""
    return [
        (
            r.unit,
            r.link,
            r.code,
            r.expires_at.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0),
            m.INVITE_KINDS[r.for_group],
        )
        for r in rows
    ]


def build_workbook(rows: Sequence[InviteRow], made: dt.date, tz: dt.tzinfo) -> Workbook:
    from openpyxl import Workbook  # imported here: the rest of the bot need not pay for loading openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    headers = m.INVITE_SHEET_HEADERS
    values = sheet_values(rows, tz)
    title = m.INVITE_SHEET_TITLE.format(date=made.isoformat(), n=len(rows))
    wb = Workbook()
    wb.properties.title, wb.properties.creator = title, "taskbot"
    ws = wb.active
    if not isinstance(ws, Worksheet):  # a new Workbook() starts with one worksheet; openpyxl types it loosely
        raise TypeError("a new workbook has no worksheet")
    ws.title = m.INVITE_SHEET
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=14), Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 24
    ws.append(list(headers))
    bold, centre, grey = (
        Font(bold=True),
        Alignment(horizontal="center", vertical="center"),
        PatternFill("solid", fgColor=HEADER_FILL),
    )
    for cell in ws[2]:
        cell.font, cell.alignment, cell.fill = bold, centre, grey
    link_font = Font(color=LINK_COLOUR, underline="single")
    for row in values:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        unit, link, code, expires, kind = ws[ws.max_row]
        unit.data_type = "s"  # a unit named "=…" stays text, never a formula
        if row[1].startswith("https://"):
            link.hyperlink, link.font = row[1], link_font
        expires.number_format = DATETIME_FORMAT
        code.font = Font(name="Consolas")
        kind.alignment = centre
    for i, width in enumerate(column_widths(headers, values), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    page = ws.sheet_properties.pageSetUpPr
    if page is None:  # a new worksheet has its page set-up properties; openpyxl types them as optional
        raise TypeError("a new worksheet has no page set-up properties")
    page.fitToPage = True
    return wb


def save(workbook: Workbook, tmp: Path) -> None:
    try:
        workbook.save(tmp)
    except OSError as exc:
        raise TaskbotError(f"cannot write {tmp.parent}: {exc.strerror or exc}") from None
