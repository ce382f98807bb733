"""The review sheet (任务分解表): extract model → sheet → read gives the tasks file's catalog; every problem names
its cell; hostile workbooks are refused before openpyxl inflates them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from bot.core.errors import InputError
from bot.extract.model import ExtractedDocument, ExtractedTarget, ExtractedTask, Extraction, ProposedUnit
from bot.extract.review_writer import build_workbook, write_review
from bot.extract.writer import render
from bot.render import messages as m
from bot.tasksfile import review_book
from bot.tasksfile.loader import Catalog, load_catalog
from bot.tasksfile.review_book import split_names
from tests.conftest import DATA
from tests.support.cli import run_cli

REGISTRY = load_catalog(DATA / "mini.yaml").units.values()
KNOWN = ["市科技局", "市科学技术局", "市财政局", "市发展改革局", "各县(市、区)人民政府", "蓬江区人民政府"]
NEW = "市数据局"
# the units each name brings in (an alias its unit, a group its members): a 督查单位 may bring in none of the task's
COVERS = {"市科学技术局": {"市科技局"}, "各县(市、区)人民政府": {"蓬江区人民政府", "江海区人民政府", "新会区人民政府"}}
# text a document may hold: Chinese, Latin, digits, the punctuation of offices, `=` (never a formula), line breaks
TEXT = (
    st.text(
        alphabet=st.sampled_from(list("发展科技成果转化项目库工作ABCxyz0123456789（）()、，。；：“”\"'=+-% \n")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
DEADLINES = st.one_of(
    st.none(),
    st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)),
    st.sampled_from(["2025年底前", "长期坚持", "2026年6月30日前", "到2027年"]),
)


@st.composite
def extractions(draw: st.DrawFn) -> Extraction:
    ids = draw(st.lists(st.from_regex(r"\A[1-9]\d?(\.[1-9]){0,2}\Z"), min_size=1, max_size=6, unique=True))
    tasks = []
    for key in ids:
        lead = draw(st.lists(st.sampled_from([*KNOWN, NEW]), max_size=2, unique=True))
        responsible = draw(st.lists(st.sampled_from([*KNOWN, NEW]), min_size=0 if lead else 1, max_size=3, unique=True))
        doing = {u for name in [*lead, *responsible] for u in COVERS.get(name, {name})}
        free = [name for name in [*KNOWN, NEW] if not COVERS.get(name, {name}) & doing]
        supervise = draw(st.sampled_from([[], *([name] for name in free)]))
        tasks.append(
            ExtractedTask(
                id=key,
                section=draw(st.none() | TEXT),
                title=draw(TEXT),
                body=draw(st.none() | TEXT),
                lead=lead,
                responsible=responsible,
                deadline=draw(DEADLINES),
                recurrence=draw(st.sampled_from([None, "quarterly", "yearly:01-31", "monthly:15"])),
                source_line=None,
                deadline_note=draw(st.sampled_from([None, "document period"])),
                warnings=draw(st.lists(st.sampled_from(["names no unit: the issuer leads"]), max_size=1)),
                supervise=supervise,
            )
        )
    targets = [
        ExtractedTarget(f"t{i}", draw(TEXT), draw(st.integers(1, 500)), draw(st.sampled_from([None, "项", "%"])),
                        draw(st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2030, 1, 1))),
                        draw(st.none() | st.sampled_from(ids)))
        for i in range(draw(st.integers(0, 2)))
    ]  # fmt: skip
    start = draw(st.dates(dt.date(2020, 1, 1), dt.date(2026, 1, 1)))
    document = ExtractedDocument(
        id="prop-doc",
        title=draw(TEXT) + "行动方案",
        issuer="江门市科学技术局",
        number=draw(st.none() | st.just("江科〔2023〕9号")),
        issued=start,
        period=draw(st.none() | st.just((start, start + dt.timedelta(days=900)))),
        addressees=draw(st.lists(st.sampled_from(KNOWN), max_size=2, unique=True)),
        source="prop.txt",
        targets=targets,
        tasks=tasks,
        mode=draw(st.sampled_from(["markers", "prose"])),
    )
    used = {n for t in tasks for n in [*t.lead, *t.responsible, *t.supervise]}
    units = [ProposedUnit(u.name, list(u.aliases), list(u.members)) for u in REGISTRY]  # as the extractor copies them
    return Extraction(document, units + ([ProposedUnit(NEW, new=True)] if NEW in used else []), "mini.yaml")


def _same(catalog: Catalog) -> tuple:
    """What a catalog says, without where it says it (a YAML line is no sheet row)."""
    return (
        [dataclasses.replace(t, line=None) for t in catalog.tasks],
        catalog.targets,
        catalog.documents,
        catalog.units,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(extraction=extractions())
def test_a_sheet_reads_back_as_the_tasks_file_of_the_same_extraction(extraction: Extraction, tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write_review([extraction], REGISTRY, path)
    from_yaml = load_catalog(Path("x.yaml"), text=render(extraction))
    from_sheet = load_catalog(path)
    assert _same(from_sheet) == _same(from_yaml)
    assert {t.key for t in from_sheet.tasks} == {t.id for t in extraction.document.tasks}


def test_split_names_keeps_a_bracketed_list_in_one_name() -> None:
    assert split_names("市发展改革局、各县(市、区)人民政府，市财政局\n市科技局") == [
        "市发展改革局",
        "各县(市、区)人民政府",
        "市财政局",
        "市科技局",
    ]


# --- every problem at its cell -----------------------------------------------------------------------------


def _extraction() -> Extraction:
    task = ExtractedTask("1.1", "（一）总体", "建立项目库", "建立项目库，定期更新。", ["市科技局"], ["市财政局"],
                         dt.date(2026, 6, 30), None, 3)  # fmt: skip
    other = ExtractedTask("1.2", None, "完善登记机制", "", [], ["市发展改革局"], "2026年底前", None, 4)
    target = ExtractedTarget("jbgs", "实施项目20项", 20, "项", dt.date(2026, 12, 31), "1.1")
    document = ExtractedDocument("demo-2026", "示例行动方案", "市科技局", None, dt.date(2026, 1, 5),
                                 (dt.date(2026, 1, 5), dt.date(2027, 12, 31)), ["市财政局"], "demo.txt",
                                 [target], [task, other], "markers")  # fmt: skip
    return Extraction(document, [], "mini.yaml")


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "review.xlsx"
    write_review([_extraction()], REGISTRY, path)
    return path


def _cell_of(path: Path, text: str) -> tuple[str, str]:
    """(sheet, coordinate) of the first cell holding `text`."""
    book = load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == text:
                    return ws.title, cell.coordinate
    raise AssertionError(f"{text!r} not in the sheet")


def _edit(path: Path, change: Callable[..., None]) -> None:
    book = load_workbook(path)
    change(book[book.sheetnames[0]])
    book.save(path)


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_catalog(path)
    return [str(p) for p in caught.value.problems]


def _header_cell(path: Path, label: str, row_of: str) -> str:
    """The coordinate of column `label` in the row of the cell holding `row_of`."""
    sheet_name, coordinate = _cell_of(path, row_of)
    _, header = _cell_of(path, label)
    column, row = re.sub(r"\d", "", header), re.sub(r"\D", "", coordinate)
    return f"{sheet_name}!{column}{row}"


def test_the_written_sheet_validates_as_it_stands(sheet: Path) -> None:
    catalog = load_catalog(sheet)
    assert [(t.key, t.lead, t.responsible, t.deadline_text) for t in catalog.tasks] == [
        ("1.1", ("市科技局",), ("市财政局",), "2026-06-30"),
        ("1.2", (), ("市发展改革局",), "2026年底前"),
    ]
    assert catalog.targets[0].task_key == "1.1" and catalog.documents[0].period_end == dt.date(2027, 12, 31)


@pytest.mark.parametrize(
    ("label", "row_of", "value", "message"),
    [
        ("责任单位", "建立项目库", "市不存在局", "unknown unit '市不存在局'; add it to the sheet 单位表"),
        ("牵头单位", "建立项目库", "市科枝局", "unknown unit '市科枝局'; did you mean"),
        ("完成时限", "完善登记机制", "明年吧", "deadline '明年吧' is neither a date"),
        ("周期", "建立项目库", "每年", "documents[0].tasks[0].recurrence: expected yearly:MM-DD"),
        ("序号", "完善登记机制", "1.1", "task id '1.1' is used twice"),
        ("任务", "完善登记机制", None, "documents[0].tasks[1].title: expected text"),
    ],
)
def test_a_bad_task_cell_is_named(sheet: Path, label: str, row_of: str, value: str | None, message: str) -> None:
    where = _header_cell(sheet, label, row_of)
    _edit(sheet, lambda ws: ws.__setitem__(where.split("!")[1], value))
    (problem,) = _problems(sheet)
    assert problem.startswith(f"{where}: ") and message in problem


@pytest.mark.parametrize(
    ("label", "value", "message"),
    [
        ("发文日期", "2026-13-01", "documents[0].issued:"),
        ("发文单位", "市不存在局", "unknown unit '市不存在局'"),
        ("文件编号", "Demo 2026", "documents[0].id: expected lower-case letters"),
        ("到期归档", "也许", "到期归档: expected 是, 否 or empty, got '也许'"),
    ],
)
def test_a_bad_header_field_is_named_at_its_value(sheet: Path, label: str, value: str, message: str) -> None:
    name, label_cell = _cell_of(sheet, label)
    value_cell = "B" + label_cell[1:]
    _edit(sheet, lambda ws: ws.__setitem__(value_cell, value))
    (problem,) = _problems(sheet)
    assert problem.startswith(f"{name}!{value_cell}: ") and message in problem


def test_a_target_of_a_task_that_is_not_there_is_named_at_its_cell(sheet: Path) -> None:
    name, text_cell = _cell_of(sheet, "jbgs")
    task_cell = "F" + text_cell[1:]
    _edit(sheet, lambda ws: ws.__setitem__(task_cell, "9.9"))
    (problem,) = _problems(sheet)
    assert problem.startswith(f"{name}!{task_cell}: ") and "points at task '9.9'" in problem


def test_an_unknown_column_and_an_unknown_field_are_named(sheet: Path) -> None:
    name, notes = _cell_of(sheet, m.REVIEW_COLUMNS["notes"])
    _, source = _cell_of(sheet, m.REVIEW_FIELDS["source"])

    def change(ws: object) -> None:
        ws[notes] = "备注"  # type: ignore[index]
        ws[source] = "来源"  # type: ignore[index]

    _edit(sheet, change)
    problems = _problems(sheet)
    assert any(p.startswith(f"{name}!{notes}: unknown column '备注'") for p in problems), problems
    assert any(p.startswith(f"{name}!{source}: unknown field '来源'") for p in problems), problems


def test_the_explicit_archived_field_reaches_the_catalog(sheet: Path) -> None:
    _, label_cell = _cell_of(sheet, m.REVIEW_FIELDS["archived"])
    _edit(sheet, lambda ws: ws.__setitem__("B" + label_cell[1:], m.REVIEW_YES))
    assert load_catalog(sheet).documents[0].archived is True


def test_formula_text_stays_text_and_colours_mark_the_guesses(tmp_path: Path) -> None:
    extraction = _extraction()
    extraction.document.tasks[0].title = '=HYPERLINK("http://x")'
    extraction.document.tasks[1].deadline_note = "document period"
    extraction.document.tasks[1].responsible = [NEW]
    extraction.units = [ProposedUnit(NEW, new=True)]
    book = build_workbook([extraction], REGISTRY)
    ws = book[book.sheetnames[0]]
    at = list(m.REVIEW_COLUMNS).index
    rows = {row[at("title")].value: row for row in ws.iter_rows() if len(row) > 6}
    assert rows['=HYPERLINK("http://x")'][at("title")].data_type == "s"
    guessed = rows["完善登记机制"]
    assert guessed[at("deadline")].fill.fgColor.rgb.endswith("FFEB9C")  # 完成时限 from the period: yellow
    assert guessed[at("responsible")].fill.fgColor.rgb.endswith("FFC7CE")  # a unit the registry lacks: red
    assert "完成时限：document period" in guessed[at("notes")].value
    units = book[m.REVIEW_UNITS_SHEET]
    assert units.sheet_state == "hidden" and units["A2"].value == "市科技局"
    (rule,) = ws.data_validations.dataValidation
    assert rule.formula1.startswith(f"'{m.REVIEW_UNITS_SHEET}'!$A$2")
    assert ws.freeze_panes and ws.print_title_rows


def test_the_supervising_units_go_round_the_sheet_and_a_bad_one_is_named_at_its_cell(tmp_path: Path) -> None:
    extraction = _extraction()
    extraction.document.tasks[0].supervise = ["市发展改革局"]
    path = tmp_path / "review.xlsx"
    write_review([extraction], REGISTRY, path)
    catalog = load_catalog(path)
    assert [(t.key, t.supervise) for t in catalog.tasks] == [("1.1", ("市发展改革局",)), ("1.2", ())]
    where = _header_cell(path, m.REVIEW_COLUMNS["supervise"], "建立项目库")
    _edit(path, lambda ws: ws.__setitem__(where.split("!")[1], "市科技局"))  # it leads 1.1
    (problem,) = _problems(path)
    assert problem.startswith(f"{where}: ") and "may not supervise a task it works on" in problem


def test_a_sheet_without_the_supervising_column_still_reads(sheet: Path) -> None:
    _, header = _cell_of(sheet, m.REVIEW_COLUMNS["supervise"])
    _edit(sheet, lambda ws: ws.delete_cols(ws[header].column))  # a sheet written before the column
    assert [t.supervise for t in load_catalog(sheet).tasks] == [(), ()]


def test_several_documents_get_a_sheet_each(tmp_path: Path) -> None:
    first, second = _extraction(), _extraction()
    second.document.id, second.document.title = "other-2026", "另一个工作方案"
    path = tmp_path / "two.xlsx"
    write_review([first, second], REGISTRY, path)
    assert len(load_workbook(path).sheetnames) == 3
    assert [d.id for d in load_catalog(path).documents] == ["demo-2026", "other-2026"]


# --- hostile workbooks ----------------------------------------------------------------------------------


def _rezip(
    path: Path, change: Callable[[str, bytes], bytes], extra: Callable[[zipfile.ZipFile], None] | None = None
) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            archive.writestr(name, change(name, data))
        if extra is not None:
            extra(archive)
    path.write_bytes(buffer.getvalue())


def test_a_zip_bomb_is_refused_from_the_zip_directory(sheet: Path) -> None:
    def bomb(archive: zipfile.ZipFile) -> None:
        with archive.open("xl/media/padding.bin", "w") as part:
            chunk = bytes(1024 * 1024)
            for _ in range(review_book.MAX_UNZIPPED // len(chunk) + 1):
                part.write(chunk)

    _rezip(sheet, lambda _name, data: data, bomb)
    assert sheet.stat().st_size < 2 * 1024 * 1024
    (problem,) = _problems(sheet)
    assert problem.startswith(f"{sheet}: the workbook unpacks to 129 MB") and "zip bomb" in problem


def test_a_used_range_of_xfd1048576_reads_as_far_as_the_rows_go(sheet: Path) -> None:
    def widen(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/sheet"):
            return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
        return data

    _rezip(sheet, widen)
    assert b"XFD1048576" in zipfile.ZipFile(sheet).read("xl/worksheets/sheet1.xml")
    assert [t.key for t in load_catalog(sheet).tasks] == ["1.1", "1.2"]


def test_too_many_rows_are_refused_at_the_first_row_past_the_limit(
    sheet: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_book, "MAX_ROWS", 30)
    name = load_workbook(sheet).sheetnames[0]

    def grow(ws: object) -> None:
        for n in range(40, 80):
            ws[f"C{n}"] = f"任务{n}"  # type: ignore[index]

    _edit(sheet, grow)
    (problem,) = _problems(sheet)
    assert re.match(rf"{name}!A\d+: more than 30 rows", problem), problem


def test_not_a_workbook_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("序号,任务\n1,x\n", encoding="utf-8")
    assert _problems(path) == [f"{path}: not an .xlsx workbook (not a zip archive)"]


# --- the command line ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.txt", "b.txt"], "2 documents: several go into one review sheet with --xlsx FILE"),
        (["a.txt", "--xlsx", "r.xlsx", "-o", "x.yaml"], "--xlsx writes the review sheet; -o goes without it"),
        (["a.txt", "b.txt", "--xlsx", "r.xlsx", "--id", "x"], "--id names one document"),
        (["a.txt", "--xlsx", "r.csv"], "r.csv: give a file name ending in .xlsx"),
    ],
)
def test_extract_arguments_that_do_not_go_together_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("一、任务\n1. 建立项目库（牵头单位：市科技局）\n", encoding="utf-8")
    paths = [str(tmp_path / a) if a.endswith((".txt", ".xlsx", ".csv")) else a for a in args]
    result = run_cli("extract", *paths, "--registry", str(DATA / "mini.yaml"))
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert message in line and not (tmp_path / "r.xlsx").exists()
