"""A coordinator's intake, end to end: a document with a task table → `taskbot extract --xlsx` → a 责任单位
corrected in the sheet (openpyxl, as Excel would save it) → `taskbot import` of the sheet → the corrected
unit's /mytasks shows the task. One document each in Word, HTML and PDF (tests/data/review/)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.render import messages as m
from tests.conftest import DATA
from tests.support.cli import run_cli
from tests.support.harness import FINANCE, Harness, seeded_harness
from tests.support.store import bind

REVIEW = DATA / "review"
CASES = [
    pytest.param("review_docx.docx", "设立科技成果转化引导基金", id="docx"),
    pytest.param("review_html.html", "建设市级技术转移服务平台", id="html"),
    pytest.param("review_pdf.pdf", "编制科技服务业发展指引", id="pdf"),
]


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    """mini.yaml's store and units, 市财政局's chat bound."""
    async with seeded_harness(sqlite_url) as harness:
        await bind(harness.engine, FINANCE, "市财政局")
        yield harness


def _give_task_to(sheet: Path, title: str, unit: str) -> None:
    """Set the 责任单位 of the task titled `title`, found by the table's header words."""
    book = load_workbook(sheet)
    ws = book[book.sheetnames[0]]
    header = next(row for row in ws.iter_rows() if row[0].value == m.REVIEW_COLUMNS["id"])
    column = {cell.value: cell.column for cell in header}
    row = next(r for r in ws.iter_rows(min_row=header[0].row + 1) if r[column["任务"] - 1].value == title)
    ws.cell(row=row[0].row, column=column[m.REVIEW_COLUMNS["responsible"]], value=unit)
    book.save(sheet)


@pytest.mark.parametrize(("document", "title"), CASES)
async def test_a_corrected_unit_sees_the_task_in_mytasks(
    bot: Harness, sqlite_url: str, tmp_path: Path, document: str, title: str
) -> None:
    env = {"DATABASE_URL": sqlite_url}
    sheet = tmp_path / "review.xlsx"
    registry = str(DATA / "mini.yaml")
    made = await asyncio.to_thread(
        run_cli, "extract", str(REVIEW / document), "--registry", registry, "--xlsx", str(sheet), env=env
    )
    assert made.exit_code == 0, made.stderr
    (before,) = await bot.say(FINANCE, "/mytasks")
    assert title not in before["text"]

    _give_task_to(sheet, title, "市财政局")
    checked = await asyncio.to_thread(run_cli, "validate", str(sheet), env=env)
    assert checked.exit_code == 0, checked.stderr
    imported = await asyncio.to_thread(run_cli, "import", str(sheet), env=env)
    assert imported.exit_code == 0, imported.stderr

    (after,) = await bot.say(FINANCE, "/mytasks")
    assert title in after["text"]


async def test_a_bad_cell_stops_the_import_and_leaves_the_store(bot: Harness, sqlite_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": sqlite_url}
    sheet = tmp_path / "review.xlsx"
    args = ("extract", str(REVIEW / "review_docx.docx"), "--registry", str(DATA / "mini.yaml"), "--xlsx", str(sheet))
    assert (await asyncio.to_thread(run_cli, *args, env=env)).exit_code == 0
    _give_task_to(sheet, "设立科技成果转化引导基金", "市财正局")
    result = await asyncio.to_thread(run_cli, "import", str(sheet), env=env)
    assert result.exit_code == 2
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert "!F" in line and "unknown unit '市财正局'; did you mean '市财政局'?" in line
    (after,) = await bot.say(FINANCE, "/mytasks")
    assert "设立科技成果转化引导基金" not in after["text"]
