"""The 台账 export: the pure builder, the store query (SQLite and PostgreSQL), the workbook as Excel sees
it (opened again with openpyxl), the atomic write and the CLI command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.errors import TaskbotError
from bot.core.models import Assignment, Document, Report, Task, Unit
from bot.render.messages import LEDGER_HEADERS, LEDGER_SUMMARY_HEADERS
from bot.reporting.digest import GREEN, RED, YELLOW, DigestRow, build_digest
from bot.reporting.ledger import FILLS, LedgerRow, build_ledger, display_width, write_xlsx
from bot.reporting.output_file import check_target
from bot.store.overview import ledger_rows
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from tests.conftest import DATA, ROOT
from tests.support.cli import run_cli

TZ = ZoneInfo("Asia/Shanghai")
AS_OF = dt.date(2025, 6, 2)
MINI = DATA / "mini.yaml"
PROGRESS_TEXT = "项目库已建成初版，入库项目45个，完成60%"
RECENT = dt.datetime(2025, 5, 30, 9, 0, tzinfo=TZ)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


async def load(engine: AsyncEngine, path: Path) -> None:
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(path))


async def report(
    engine: AsyncEngine,
    task_key: str,
    unit: str,
    when: dt.datetime,
    text: str,
    status: str,
    percent: int | None = None,
    override: dt.date | None = None,
) -> None:
    """A report as the reply handler stores it: the Report row, and the assignment follows it."""
    async with db.session_scope(engine) as session:
        assignment = (
            await session.execute(
                select(Assignment)
                .join(Unit, Unit.id == Assignment.unit_id)
                .join(Task, Task.id == Assignment.task_id)
                .where(Task.key == task_key, Unit.name == unit)
            )
        ).scalar_one()
        session.add(Report(assignment_id=assignment.id, created_at=when, text=text, status=status, percent=percent))
        assignment.status, assignment.percent, assignment.last_report_at = status, percent, when
        if override is not None:
            assignment.deadline_override = override


async def seed(engine: AsyncEngine) -> None:
    """mini.yaml (8 assignments) and a week of replies, as of 2025-06-02:
    市发展改革局 60% on 1.1 (green), 蓬江区 blocked (red), 新会区 extended to 2025-06-05 (yellow, due soon),
    江海区 never reported (yellow, silent), 市科技局 done 1.2, 市财政局 overdue on 1.2 (red)."""
    await load(engine, MINI)
    await report(engine, "1.1", "市发展改革局", local(2025, 4, 1, 9, 0), "启动项目库建设", "in_progress", 20)
    await report(engine, "1.1", "市发展改革局", local(2025, 5, 30, 10, 0), PROGRESS_TEXT, "in_progress", 60)
    await report(engine, "1.1", "蓬江区人民政府", local(2025, 5, 28, 15, 30), "场地未落实，受阻", "blocked")
    await report(
        engine,
        "1.1",
        "新会区人民政府",
        local(2025, 5, 20, 11, 0),
        "正在推进",
        "in_progress",
        override=dt.date(2025, 6, 5),
    )
    await report(engine, "1.2", "市科技局", local(2025, 5, 31, 16, 0), "已完成登记机制修订", "done")


async def export(engine: AsyncEngine, path: Path, as_of: dt.date = AS_OF) -> int:
    async with db.session_scope(engine) as session:
        rows = await ledger_rows(session)
    write_xlsx(build_ledger(rows, as_of, TZ), path)
    return len(rows)


def find(ws, task: str, unit: str) -> int:  # type: ignore[no-untyped-def]
    """The sheet row of (任务, 承办单位)."""
    col_task, col_unit = LEDGER_HEADERS.index("任务") + 1, LEDGER_HEADERS.index("承办单位") + 1
    matches = [
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, col_task).value.startswith(task + " ") and ws.cell(r, col_unit).value == unit
    ]
    assert len(matches) == 1, (task, unit, matches)
    return matches[0]


def cells(ws, row: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {h: ws.cell(row, i).value for i, h in enumerate(LEDGER_HEADERS, start=1)}


def fill_of(ws, row: int) -> str:  # type: ignore[no-untyped-def]
    rgbs = {ws.cell(row, col).fill.fgColor.rgb for col in range(1, len(LEDGER_HEADERS) + 1)}
    assert len(rgbs) == 1, rgbs  # the whole row takes its light's colour
    return rgbs.pop()[-6:]


# --- the workbook from the store, on both backends -------------------------------------------------------


async def test_ledger_workbook_cells_colours_filter_and_summary(engine: AsyncEngine, tmp_path: Path) -> None:
    await seed(engine)
    path = tmp_path / "台账.xlsx"
    count = await export(engine, path)
    assert count == 8

    wb = load_workbook(path)
    assert wb.sheetnames == ["台账", "单位汇总"]
    ws = wb["台账"]
    assert [c.value for c in ws[1]] == list(LEDGER_HEADERS)
    assert all(c.font.b for c in ws[1])
    assert ws.max_row == 1 + 8
    assert [ws.cell(r, 1).value for r in range(2, 10)] == list(range(1, 9))
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:M9"
    # leads first, then the units in the order the task lists them (the group's members in its order)
    assert [ws.cell(r, 6).value for r in range(2, 7)] == [
        "市科技局",
        "市发展改革局",
        "蓬江区人民政府",
        "江海区人民政府",
        "新会区人民政府",
    ]

    row = find(ws, "1.1", "市发展改革局")
    assert cells(ws, row) == {
        "序号": 2,
        "文件": "示例行动方案",
        "任务": "1.1 建立科技成果转化项目库",
        "牵头单位": "市科技局",
        "责任单位": "市发展改革局、各县(市、区)人民政府",
        "承办单位": "市发展改革局",
        "角色": "责任",
        "完成时限": dt.datetime(2025, 12, 31),
        "状态": "进行中",
        "进度": 0.6,
        "最新进展": PROGRESS_TEXT,
        "更新时间": dt.datetime(2025, 5, 30, 10, 0),
        "亮灯": "绿灯",
    }
    deadline, percent, updated = (ws.cell(row, LEDGER_HEADERS.index(h) + 1) for h in ("完成时限", "进度", "更新时间"))
    assert deadline.is_date and deadline.number_format == "yyyy-mm-dd"
    assert percent.data_type == "n" and percent.number_format == "0%"
    assert updated.is_date and updated.number_format == "yyyy-mm-dd hh:mm"
    assert fill_of(ws, row) == FILLS[GREEN]

    overdue = find(ws, "1.2", "市财政局")
    assert cells(ws, overdue)["状态"] == "未报告" and cells(ws, overdue)["亮灯"] == "红灯"
    assert cells(ws, overdue)["牵头单位"] == "市科技局" and cells(ws, overdue)["责任单位"] == "市财政局"
    assert cells(ws, overdue)["最新进展"] is None and cells(ws, overdue)["更新时间"] is None
    assert fill_of(ws, overdue) == FILLS[RED]
    assert fill_of(ws, find(ws, "1.1", "蓬江区人民政府")) == FILLS[RED]  # blocked
    extended = find(ws, "1.1", "新会区人民政府")
    assert cells(ws, extended)["完成时限"] == dt.datetime(2025, 6, 5)  # the approved extension wins
    assert fill_of(ws, extended) == FILLS[YELLOW]
    assert fill_of(ws, find(ws, "1.1", "江海区人民政府")) == FILLS[YELLOW]  # never reported
    done = cells(ws, find(ws, "1.2", "市科技局"))
    assert (done["状态"], done["进度"], done["亮灯"]) == ("已完成", 1.0, "绿灯")
    assert cells(ws, find(ws, "2.1", "市财政局"))["完成时限"] == "长期坚持"

    summary = wb["单位汇总"]
    assert [c.value for c in summary[1]] == list(LEDGER_SUMMARY_HEADERS)
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref == f"A1:I{summary.max_row}"
    units = {summary.cell(r, 1).value: [c.value for c in summary[r]] for r in range(2, summary.max_row + 1)}
    assert len(units) == 6
    assert units["市财政局"] == ["市财政局", 0, 2, 0, 0, 0, 2, 1, "红灯"]
    assert units["市科技局"] == ["市科技局", 2, 0, 1, 0, 0, 1, 0, "绿灯"]
    assert summary.cell(2, 9).value == "红灯"  # red units first
    assert summary.cell(summary.max_row, 9).value == "绿灯"


async def test_ledger_query_is_a_fixed_number_of_statements(engine: AsyncEngine) -> None:
    """Two SELECTs for the 8 rows of mini.yaml and for the hundreds of the seed documents."""
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    async def count_for() -> tuple[int, int]:
        statements.clear()
        async with db.session_scope(engine) as session:
            rows = await ledger_rows(session)
        return len(rows), sum(s.lstrip().upper().startswith("SELECT") for s in statements)

    await seed(engine)
    small, small_selects = await count_for()
    await load(engine, ROOT / "data" / "tasks.yaml")  # the seed documents; mini's document is archived
    large, large_selects = await count_for()
    async with db.session_scope(engine) as session:
        live = (
            await session.execute(
                select(func.count())
                .select_from(Assignment)
                .join(Task, Task.id == Assignment.task_id)
                .join(Document, Document.id == Task.document_id)
                .where(~Assignment.archived, ~Task.archived, ~Document.archived)
            )
        ).scalar_one()
    assert (small, large) == (8, live) and large > 100
    assert small_selects == large_selects == 2


async def test_seed_documents_export_one_row_per_live_assignment(engine: AsyncEngine, tmp_path: Path) -> None:
    await load(engine, ROOT / "data" / "tasks.yaml")
    path = tmp_path / "seed.xlsx"
    rows = await export(engine, path)
    wb = load_workbook(path)
    assert wb["台账"].max_row == rows + 1
    assert wb["台账"].auto_filter.ref == f"A1:M{rows + 1}"
    assert sum(sum(c.value for c in r[1:3]) for r in wb["单位汇总"].iter_rows(min_row=2)) == rows


# --- the pure builder --------------------------------------------------------------------------------------


def lrow(
    aid: int,
    unit: str,
    status: str = "in_progress",
    deadline: dt.date | None = dt.date(2025, 12, 31),
    role: str = "responsible",
    closed: bool = False,
    percent: int | None = None,
    text: str | None = None,
    last: dt.datetime | None = RECENT,
) -> LedgerRow:
    return LedgerRow(
        row=DigestRow(
            assignment_id=aid,
            unit=unit,
            document_id="d",
            document="方案",
            task_key=f"1.{aid}",
            task_title=f"任务{aid}",
            role=role,
            status=status,
            percent=percent,
            deadline=deadline,
            closed=closed,
            last_report_at=last,
            issued=dt.date(2025, 1, 1),
        ),
        lead_units=("牵头局",),
        responsible_units=(unit,),
        deadline_text=None,
        latest_text=text,
        latest_at=last,
    )


def test_builder_lights_agree_with_the_digest_and_summary_counts() -> None:
    rows = [
        lrow(1, "甲局", deadline=dt.date(2025, 5, 1)),
        lrow(2, "甲局", status="done"),
        lrow(3, "乙局", deadline=dt.date(2025, 6, 5)),
        lrow(4, "丙局", role="lead", percent=30),
        lrow(5, "丁局", status="pending", deadline=dt.date(2025, 5, 1), closed=True),
        lrow(6, "戊局", status="blocked"),
        lrow(7, "戊局", deadline=dt.date(2025, 1, 1)),
    ]
    ledger = build_ledger(rows, AS_OF, TZ)
    assert ledger.lights == [RED, GREEN, YELLOW, GREEN, GREEN, RED, RED]
    by_unit = {s[0]: s for s in ledger.summary}
    digest = build_digest([r.row for r in rows], [], AS_OF)
    assert {
        u: light for u, light in zip((s[0] for s in ledger.summary), ledger.summary_lights, strict=True)
    } == digest.lights
    assert by_unit["甲局"] == ("甲局", 0, 2, 1, 1, 0, 0, 1, "红灯")
    assert by_unit["丁局"] == ("丁局", 0, 1, 1, 0, 0, 0, 0, "绿灯")  # 办结 counts as done, is not overdue
    assert [s[0] for s in ledger.summary] == ["戊局", "甲局", "乙局", "丁局", "丙局"]  # red (most overdue first)
    closed = ledger.rows[4]
    assert closed[LEDGER_HEADERS.index("状态")] == "已办结"
    assert ledger.rows[3][LEDGER_HEADERS.index("进度")] == 0.3
    assert ledger.rows[3][LEDGER_HEADERS.index("角色")] == "牵头"
    assert ledger.rows[0][LEDGER_HEADERS.index("更新时间")] == dt.datetime(2025, 5, 30, 9, 0)


def test_builder_with_no_rows_is_an_empty_sheet_with_headers(tmp_path: Path) -> None:
    ledger = build_ledger([], AS_OF, TZ)
    assert ledger.rows == [] and ledger.summary == []
    write_xlsx(ledger, tmp_path / "empty.xlsx")
    ws = load_workbook(tmp_path / "empty.xlsx")["台账"]
    assert ws.max_row == 1 and ws.auto_filter.ref == "A1:M1"


def test_report_text_is_text_never_a_formula_and_control_characters_go(tmp_path: Path) -> None:
    rows = [lrow(1, "甲局", text='=HYPERLINK("http://evil","点我")'), lrow(2, "乙局", text="进展\x0b顺利")]
    write_xlsx(build_ledger(rows, AS_OF, TZ), tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx")["台账"]
    col = LEDGER_HEADERS.index("最新进展") + 1
    assert ws.cell(2, col).data_type == "s" and ws.cell(2, col).value == '=HYPERLINK("http://evil","点我")'
    assert ws.cell(3, col).value == "进展顺利"


def test_column_widths_count_chinese_characters_twice(tmp_path: Path) -> None:
    assert display_width("市科技局") == 8 and display_width("1.1 abc") == 7
    write_xlsx(build_ledger([lrow(1, "江门市科学技术局")], AS_OF, TZ), tmp_path / "w.xlsx")
    ws = load_workbook(tmp_path / "w.xlsx")["台账"]
    assert ws.column_dimensions["F"].width == 2 * len("江门市科学技术局") + 2
    assert ws.column_dimensions["H"].width >= len("2025-12-31")


# --- the target file ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ledger.csv", "ledger", "no/such/dir/ledger.xlsx"])
def test_bad_targets_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(TaskbotError):
        check_target(tmp_path / name)


def test_a_directory_is_not_a_target(tmp_path: Path) -> None:
    (tmp_path / "d.xlsx").mkdir()
    with pytest.raises(TaskbotError, match="is a directory"):
        check_target(tmp_path / "d.xlsx")
    assert check_target(Path("plain.xlsx")) == Path("plain.xlsx")  # the current directory


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl.workbook.workbook import Workbook

    target = tmp_path / "ledger.xlsx"
    target.write_bytes(b"the old ledger")

    def half_written(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", half_written)
    with pytest.raises(TaskbotError, match="No space left on device"):
        write_xlsx(build_ledger([lrow(1, "甲局")], AS_OF, TZ), target)
    assert target.read_bytes() == b"the old ledger"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.xlsx"]


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "ledger.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_xlsx(build_ledger([lrow(1, "甲局")], AS_OF, TZ), target)
    assert target.stat().st_mode & 0o777 == 0o640
    assert load_workbook(target)["台账"].max_row == 2


# --- the CLI ------------------------------------------------------------------------------------------------


def test_cli_export_writes_the_workbook(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}
    assert run_cli("import", str(MINI), env=env).exit_code == 0
    target = tmp_path / "out" / "台账.xlsx"
    target.parent.mkdir()
    result = run_cli("export", "--xlsx", str(target), "--as-of", "2025-06-02", env=env)
    assert result.exit_code == 0, result.stderr
    assert "8 rows, 6 units, as of 2025-06-02" in result.stdout
    wb = load_workbook(target)
    assert wb["台账"].max_row == 9
    assert wb["台账"].cell(find(wb["台账"], "1.2", "市财政局"), 13).value == "红灯"  # overdue as of that day
    assert [p.name for p in target.parent.iterdir()] == ["台账.xlsx"]


def test_cli_export_of_one_lead_unit_and_an_unknown_unit(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}
    assert run_cli("import", str(MINI), env=env).exit_code == 0
    target = tmp_path / "lead.xlsx"
    result = run_cli("export", "--xlsx", str(target), "--unit", "市科学技术局", env=env)  # an alias
    assert result.exit_code == 0, result.stderr
    assert "7 rows" in result.stdout  # 1.1 and 1.2 with all their units; not 2.1
    tasks = {row[2].split()[0] for row in load_workbook(target)["台账"].iter_rows(min_row=2, values_only=True)}
    assert tasks == {"1.1", "1.2"}
    unknown = run_cli("export", "--xlsx", str(tmp_path / "x.xlsx"), "--unit", "市科技", env=env)
    assert unknown.exit_code == 2 and "市科技局" in unknown.stderr and not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(("target", "says"), [("missing/dir/t.xlsx", "does not exist"), ("t.csv", "ending in .xlsx")])
def test_cli_export_bad_target_is_one_line_exit_2(tmp_path: Path, target: str, says: str) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}
    result = run_cli("export", "--xlsx", str(tmp_path / target), env=env)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and says in result.stderr
    assert not (tmp_path / "cli.db").exists()  # refused before the store is touched


def test_cli_export_bad_as_of_is_one_line_exit_2(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}
    result = run_cli("export", "--xlsx", str(tmp_path / "t.xlsx"), "--as-of", "June", env=env)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "--as-of" in result.stderr
