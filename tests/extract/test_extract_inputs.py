"""`taskbot extract` end to end: formats, encodings, --against, and bad input (one line, exit 2, no file)."""

from __future__ import annotations

import html
import os
import zipfile
from pathlib import Path

import pytest

from bot.extract import extract_path, to_yaml
from bot.extract.units import UnitBook
from bot.extract.writer import write_atomic
from tests.extract.support import OWN, REFERENCE, SEEDS
from tests.support.cli import run_cli

SEED = SEEDS / "000_fdf9fde8afa6cb17.txt"


def test_writes_a_file_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    result = run_cli("extract", str(SEED), "--registry", str(REFERENCE), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "13 tasks" in result.stdout
    checked = run_cli("validate", str(out))
    assert checked.exit_code == 0, checked.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_prints_the_tasks_file_without_output_option() -> None:
    result = run_cli("extract", str(OWN / "jiangxi_cgzh.txt"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Extracted by `taskbot extract` from jiangxi_cgzh.txt")
    assert "- id: '2.1'" in result.stdout and "省科技厅  # NEW" in result.stdout


def test_against_prints_differences_per_task_and_field(tmp_path: Path) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    old = "responsible: [相关高校, 各县(市、区)人民政府, 市教育局, 市科技局]\n        deadline: 2024-12-31"
    changed = tmp_path / "reference.yaml"  # the first of these is task 1.1 of document 000
    new = "responsible: [相关高校, 各县(市、区)人民政府, 市教育局]\n        deadline: 2024-06-30"
    changed.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_cli("extract", str(SEED), "--against", str(changed))
    assert result.exit_code == 0, result.stderr
    assert "task 1.1: responsible: extra 市科技局" in result.stdout
    assert "task 1.1: deadline: 2024-12-31 / none (reference 2024-06-30 / none)" in result.stdout
    assert "jm-2022-dxkjy" in result.stdout and "precision/recall" in result.stdout


def test_gbk_and_html_copies_of_a_seed_give_the_same_tasks(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    gbk = tmp_path / "000.txt"
    gbk.write_bytes(text.encode("gbk"))
    page = tmp_path / "000.html"
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
    page.write_text(
        f"<html><head><meta charset='utf-8'><script>x=1</script></head><body><div>您现在的位置：首页</div>"
        f"{body}<div>打印本页 关闭窗口</div></body></html>",
        encoding="utf-8",
    )
    book = UnitBook()
    expected = [(t.id, t.lead, t.responsible, t.deadline) for t in extract_path(SEED, book).document.tasks]
    for copy in (gbk, page):
        assert [(t.id, t.lead, t.responsible, t.deadline) for t in extract_path(copy, book).document.tasks] == expected


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")


def _broken_xlsx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook>not really</workbook>")


def _bomb(member: str):
    """A .docx/.xlsx whose one member unpacks to 20 MB of zeros from ~20 KB: refused from the ZIP
    directory's sizes, before any XML parser sees it."""

    def make(path: Path) -> None:
        with (
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            archive.open(member, "w") as handle,
        ):
            for _ in range(20):
                handle.write(b"\x00" * 1024 * 1024)

    return make


def _far_cell(path: Path) -> None:
    """A workbook whose used range reads A1:XFD1048576 (one stray cell far out) and holds no task: it is
    read in the time of its two cells, not of its 17 billion positions, and refused for having no task."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "会议纪要"
    book.active["XFD1048576"] = "x"
    book.save(path)


BAD = {
    "zip-bomb-docx": (_bomb("word/document.xml"), "a zip bomb?"),
    "zip-bomb-xlsx": (_bomb("xl/workbook.xml"), "a zip bomb?"),
    "xfd1048576": (_far_cell, "no numbered tasks"),
    "empty": (lambda p: p.write_bytes(b""), "file is empty"),
    "blank": (lambda p: p.write_text("  \n\n \u3000\n"), "no text in the document"),
    "binary": (lambda p: p.write_bytes(bytes(range(256)) * 40), "binary data"),
    "image": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100), "an image"),
    "zip": (_zip, "not a Word .docx"),
    "broken-xlsx": (_broken_xlsx, "cannot be read as .xlsx"),
    "no-tasks": (
        lambda p: p.write_text("市科技局召开会议。\n会议强调要抓好落实。\n", encoding="utf-8"),
        "no numbered tasks",
    ),
    "encrypted-pdf": (lambda p: p.write_bytes((OWN / "encrypted.pdf").read_bytes()), "encrypted PDF"),
    "scanned-pdf": (lambda p: p.write_bytes((OWN / "scanned.pdf").read_bytes()), "no text layer"),
    "broken-pdf": (lambda p: p.write_bytes(b"%PDF-1.4\n garbage"), "cannot be read as PDF"),
    "100MB": (lambda p: _sparse(p, 100 * 1024 * 1024), "over the 50 MB limit"),
}


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        handle.truncate(size)


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_one_line_exit_2_and_no_file(case: str, tmp_path: Path) -> None:
    make, message = BAD[case]
    source = tmp_path / f"input-{case}.doc"
    make(source)
    out = tmp_path / "out.yaml"
    result = run_cli("extract", str(source), "-o", str(out))
    assert result.exit_code == 2, result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name]


@pytest.mark.parametrize("target", ["missing.txt", "."])
def test_missing_file_or_directory(target: str, tmp_path: Path) -> None:
    result = run_cli("extract", str(tmp_path / target), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_failed_write_leaves_neither_file_nor_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = to_yaml(extract_path(SEED, UnitBook()))

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "out.yaml", text)
    assert list(tmp_path.iterdir()) == []
