"""The 台账 (task ledger) as an Excel workbook: a pure builder from store rows, and an openpyxl writer.

`build_ledger` (pure, no file, no clock) turns the store's `LedgerRow`s into sheet data: the cell values
of every row, the light of every row, and one summary row per unit. `build_workbook` lays that out with
openpyxl and `write_xlsx` saves it atomically (a temporary file in the target's directory, renamed over
the target, so a failure never leaves a partial or truncated 台账 behind).

Sheets:
- "台账": one row per live assignment (task × unit × role), in document order, leads first. The issue's
  columns 序号 文件 任务 牵头单位 责任单位 完成时限 状态 进度 最新进展 更新时间, plus three more:
  承办单位 and 角色 (whose row this is — 牵头单位/责任单位 are the task's own lists, as the document writes
  them, a group unit such as 各县(市、区)人民政府 once rather than its members; without the row's unit the
  rows of one task would be indistinguishable), and 亮灯 (the light as a word, because a printed 台账 is
  black and white and a word can be filtered on).
- "单位汇总": one row per unit: 牵头 and 责任 assignment counts, counts by status (a task marked 办结
  counts as 已完成, as in the digest), 逾期, and the unit's light (the worst of its rows); red units first,
  the most overdue first within a light.

"a summary sheet per unit" in the issue is read as a summary sheet *by* unit (按单位汇总): one sheet,
one row per unit. One sheet per unit would mean 60+ tabs for the seed documents alone, which nobody
navigates; the 承办单位 column's filter gives any one unit's own ledger in two clicks.

Lights are the digest's (`bot.reporting.digest.light_of` with `unit_last_heard`, docs/scheduling.md: red — overdue or
blocked; yellow — due within 7 days and not done, or the unit silent for 30 days; green — the rest); the
whole row is filled with its light's colour. Dates are real Excel dates, 更新时间 is a date and time in
the configured zone, 进度 a number formatted as a percentage (a done assignment with no reported
percentage shows 100%). An open-ended deadline shows its phrase (长期坚持).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.vocab import Light, Role, Status
from bot.render import messages as m
from bot.reporting.digest import GREEN, LIGHT_ORDER, DigestRow, is_done, light_of, unit_last_heard
from bot.reporting.output_file import check_target, staged

if TYPE_CHECKING:
    from openpyxl import Workbook

# Excel's own "good / neutral / bad" fills, readable with black text and when printed in grey.
FILLS = {Light.RED: "FFC7CE", Light.YELLOW: "FFEB9C", Light.GREEN: "C6EFCE"}
HEADER_FILL = "D9D9D9"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0%"
MAX_WIDTH = 50  # Excel width units (about one Latin digit; a Chinese character takes two)
MIN_WIDTH = 6
SEPARATOR = "、"
SUMMARY_STATUSES = (Status.DONE, Status.IN_PROGRESS, Status.BLOCKED, Status.PENDING)


@dataclass(frozen=True)
class LedgerRow:
    """One live assignment, as the ledger needs it: the digest's row plus the task's unit lists and the
    newest report."""

    row: DigestRow
    lead_units: tuple[str, ...]  # the task's 牵头单位, as the document lists them
    responsible_units: tuple[str, ...]  # the task's 责任单位 (a group unit once, not its members)
    deadline_text: str | None  # the phrase as written (2025年底前, 长期坚持)
    latest_text: str | None  # the newest report's text (最新进展)
    latest_at: dt.datetime | None  # and its time (aware, UTC)


@dataclass
class Ledger:
    as_of: dt.date
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    lights: list[Light] = field(default_factory=list)  # red | yellow | green, one per row
    summary_headers: tuple[str, ...] = ()
    summary: list[tuple[Any, ...]] = field(default_factory=list)
    summary_lights: list[Light] = field(default_factory=list)


# --- the pure part -------------------------------------------------------------------------------------


def build_ledger(rows: Iterable[LedgerRow], as_of: dt.date, tz: dt.tzinfo) -> Ledger:
    """Sheet data for the 台账 and the 单位汇总 as of a date; times shown in `tz` (Excel has no zones)."""
    rows = list(rows)
    heard = unit_last_heard(r.row for r in rows)
    ledger = Ledger(as_of=as_of, headers=m.LEDGER_HEADERS, summary_headers=m.LEDGER_SUMMARY_HEADERS)
    per_unit: dict[str, dict[str, Any]] = {}
    for number, lr in enumerate(rows, start=1):
        r = lr.row
        light = light_of(r, as_of, heard[r.unit])
        ledger.rows.append(
            (
                number,
                r.document,
                f"{r.task_key} {r.task_title}",
                SEPARATOR.join(lr.lead_units),
                SEPARATOR.join(lr.responsible_units),
                r.unit,
                m.ROLE_LABELS.get(r.role, r.role),
                r.deadline if r.deadline is not None else (lr.deadline_text or m.NO_DEADLINE),
                _status_label(r),
                _fraction(r),
                lr.latest_text or "",
                _local(lr.latest_at, tz),
                m.LEDGER_LIGHTS[light],
            )
        )
        ledger.lights.append(light)
        unit = per_unit.setdefault(
            r.unit, {"lead": 0, "responsible": 0, "overdue": 0, "light": GREEN, **{s: 0 for s in SUMMARY_STATUSES}}
        )
        unit[r.role] = unit.get(r.role, 0) + 1
        unit[Status.DONE if is_done(r) else r.status] += 1
        if not is_done(r) and r.deadline is not None and r.deadline < as_of:
            unit["overdue"] += 1
        if LIGHT_ORDER[light] < LIGHT_ORDER[unit["light"]]:
            unit["light"] = light
    worst_first = sorted(per_unit.items(), key=lambda kv: (LIGHT_ORDER[kv[1]["light"]], -kv[1]["overdue"], kv[0]))
    for name, c in worst_first:
        ledger.summary.append(
            (
                name,
                c[Role.LEAD],
                c[Role.RESPONSIBLE],
                *(c[s] for s in SUMMARY_STATUSES),
                c["overdue"],
                m.LEDGER_LIGHTS[c["light"]],
            )
        )
        ledger.summary_lights.append(c["light"])
    return ledger


def _status_label(r: DigestRow) -> str:
    if r.closed and r.status != Status.DONE:
        return m.LEDGER_CLOSED
    return m.STATUS_LABELS.get(r.status, r.status)


def _fraction(r: DigestRow) -> float | None:
    if r.percent is not None:
        return r.percent / 100
    return 1.0 if r.status == Status.DONE else None


def _local(when: dt.datetime | None, tz: dt.tzinfo) -> dt.datetime | None:
    return None if when is None else when.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)


def display_width(value: Any) -> int:
    """Columns a value takes in Excel's default font: a wide (Chinese) character counts two."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return len(DATE_FORMAT)
    if isinstance(value, float):
        return 5
    text = str(value)
    return max(
        (sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in text.splitlines()),
        default=0,
    )


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], display_width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


# --- the writer ----------------------------------------------------------------------------------------


def build_workbook(ledger: Ledger) -> Workbook:
    """The workbook in memory (a handler can save it to bytes and send it as a document)."""
    from openpyxl import Workbook  # imported here: the rest of the bot need not pay for loading openpyxl

    wb = Workbook()
    as_of = m.LEDGER_AS_OF.format(date=ledger.as_of.isoformat())
    wb.properties.title = f"{m.LEDGER_TITLE}（{as_of}）"
    wb.properties.creator = "taskbot"
    _fill_sheet(wb.active, m.LEDGER_SHEET, ledger.headers, ledger.rows, ledger.lights, as_of)
    _fill_sheet(
        wb.create_sheet(), m.LEDGER_SUMMARY_SHEET, ledger.summary_headers, ledger.summary, ledger.summary_lights, as_of
    )
    return wb


def _fill_sheet(
    ws: Any, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], lights: Sequence[Light], as_of: str
) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.title = title
    ws.append(list(headers))
    bold, centre = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in ws[1]:
        cell.font, cell.alignment, cell.fill = bold, centre, PatternFill("solid", fgColor=HEADER_FILL)
    widths = column_widths(headers, rows)
    wrap = [w >= MAX_WIDTH for w in widths]
    fills = {light: PatternFill("solid", fgColor=colour) for light, colour in FILLS.items()}
    top, top_wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    for row, light in zip(rows, lights, strict=True):
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        for i, cell in enumerate(ws[ws.max_row]):
            if cell.data_type == "f":  # report text is the user's: "=HYPERLINK(…)" stays text, never a formula
                cell.data_type = "s"
            cell.fill = fills[light]
            cell.alignment = top_wrap if wrap[i] else top
            value = row[i]
            if isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, float):
                cell.number_format = PERCENT_FORMAT
    last = get_column_letter(len(headers))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = f"{m.LEDGER_TITLE}　{title}　{as_of}"
    ws.oddFooter.center.text = "&P / &N"


def xlsx_bytes(ledger: Ledger) -> bytes:
    """The workbook as the bytes of an .xlsx file (what /export sends as a document)."""
    buffer = io.BytesIO()
    build_workbook(ledger).save(buffer)
    return buffer.getvalue()


def write_xlsx(ledger: Ledger, path: Path) -> None:
    """Save the ledger to `path`, atomically: the target is either the old file or the complete new one."""
    path = check_target(path)
    wb = build_workbook(ledger)
    with staged(path) as tmp:
        wb.save(tmp)
