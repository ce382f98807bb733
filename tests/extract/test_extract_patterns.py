"""The shapes real 分工方案 are published in (issue 13), each on a short document of its own: tables pasted
as text, marker lines, traditional characters, prose roles, 下同, sub-items, implicit units, the notice's
defaults, another region's document against this registry; and .xlsx / .docx task tables end to end
(extract → validate → import). No registry unless a test says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import openpyxl

from bot.extract import extract_text, to_yaml
from bot.extract.model import ExtractedTask
from bot.extract.units import UnitBook
from bot.tasksfile.loader import UnitEntry, load_catalog
from tests.support.cli import run_cli

NOTICE = (
    "安澜市发展和改革局关于印发《安澜市2024年重点工作任务分工》的通知\n安发改〔2024〕3号\n"
    "各县（区）人民政府，市直有关单位：\n现将《安澜市2024年重点工作任务分工》印发给你们，请认真落实。\n"
    "安澜市发展和改革局\n2024年3月5日\n安澜市2024年重点工作任务分工\n"
)


def tasks_of(text: str, book: UnitBook | None = None) -> dict[str, ExtractedTask]:
    extraction = extract_text(text, "doc.txt", book or UnitBook())
    assert to_yaml(extraction)
    return {task.id: task for task in extraction.document.tasks}


def roles(task: ExtractedTask) -> tuple[list[str], list[str], object]:
    return task.lead, task.responsible, task.deadline


def test_text_table_one_row_a_line_columns_in_any_order_and_a_wrapped_cell() -> None:
    table = (
        "序号\t工作内容\t责任单位\t牵头单位\t完成时间\t备注\n"
        "一、稳增长\t\t\t\t\t\n"
        "1\t新增规上工业企业40家\t市统计局、市税务局\t市工信局\t2024年11月底前\t年度考核\n"
        "2\t推进重大项目建设，完成投资80亿元\t市财政局、\t市发改局\t持续推进\t\n"
        "各县（区）人民政府\n"
        "二、惠民生\t\t\t\t\t\n"
        "3\t新增城镇就业1.2万人\t各县（区）人民政府\t市人社局\t2024年12月底前\t\n\n"
        "抄送：市委办公室。\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert list(tasks) == ["1.1", "1.2", "2.1"]
    assert roles(tasks["1.1"]) == (["市工信局"], ["市统计局", "市税务局"], "2024年11月底前")
    assert roles(tasks["1.2"]) == (["市发改局"], ["市财政局", "各县(区)人民政府"], "持续推进")
    assert tasks["1.2"].title == "推进重大项目建设，完成投资80亿元"
    assert tasks["2.1"].lead == ["市人社局"]


def test_text_table_with_full_width_spaces_and_no_sections_has_flat_ids() -> None:
    table = (
        "序号　　重点任务　　牵头单位　　配合单位\n"
        "1　　建成智慧停车平台　　市城管局　　市公安局\n"
        "2　　改造老旧管网30公里　　市水务局　　—\n\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert {k: roles(t)[:2] for k, t in tasks.items()} == {"1": (["市城管局"], ["市公安局"]), "2": (["市水务局"], [])}


def test_text_table_one_cell_a_line() -> None:
    table = (
        "序号\n工作任务\n牵头单位\n责任单位\n时间节点\n1\n开展消费季活动\n市商务局\n市财政局、市文旅局\n5月底前\n"
        "2\n建设一刻钟便民生活圈\n市商务局\n各县（区）人民政府\n2024年12月底前\n\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert roles(tasks["1"]) == (["市商务局"], ["市财政局", "市文旅局"], dt.date(2024, 5, 31))
    assert roles(tasks["2"])[:2] == (["市商务局"], ["各县(区)人民政府"])


PLAN = (
    "安澜市人民政府办公室关于印发《安澜市数字乡村建设方案》的通知\n安政办〔2024〕8号\n"
    "各县（区）人民政府，市直有关单位：\n现将方案印发给你们。\n安澜市人民政府办公室\n2024年6月1日\n"
    "安澜市数字乡村建设方案\n一、主要任务\n"
)


def test_marker_lines_without_brackets() -> None:
    text = PLAN + (
        "（一）建设乡村信息基础设施。推进5G网络向乡村延伸。\n"
        "　　牵头单位：市通信管理办\n　　责任单位：市工信局、各县（区）人民政府\n"
        "　　完成时限：2025年6月底前\n"
        "（二）发展农村电商。培育电商主体。\n　　牵头单位：市商务局\n　　时限要求：持续推进\n"
        "（三）加强宣传引导。广泛宣传数字乡村建设成效。\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"]) == (["市通信管理办"], ["市工信局", "各县(区)人民政府"], "2025年6月底前")
    assert roles(tasks["1.2"]) == (["市商务局"], [], "持续推进")
    # no unit named: the issuer leads and the addressees are responsible (the SPEC default)
    assert roles(tasks["1.3"])[:2] == (["市人民政府办公室"], ["各县(区)人民政府", "市直有关单位"])
    assert "牵头单位" not in tasks["1.1"].body


def test_first_unit_leads_note_is_a_convention_not_a_unit() -> None:
    text = PLAN + (
        "（一）整治村容村貌。\n责任单位：市农业农村局、市住建局（第一责任单位为牵头单位，下同）\n"
        "（二）治理农村污水。\n责任单位：市生态环境局、各县（区）人民政府\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"])[:2] == (["市农业农村局"], ["市住建局"])
    assert roles(tasks["1.2"])[:2] == (["市生态环境局"], ["各县(区)人民政府"])


def test_traditional_characters_read_and_kept_as_written() -> None:
    text = (
        "安瀾市民政局關於印發《安瀾市養老服務方案》的通知\n各區民政局：\n安瀾市民政局\n2024年2月1日\n"
        "一、主要任務\n（一）擴大服務供給。新增床位500張。（牽頭單位：市民政局；責任單位：市財政局、各區人民政府；"
        "完成時限：長期堅持）\n"
    )
    extraction = extract_text(text, "doc.txt", UnitBook())
    (task,) = extraction.document.tasks
    assert roles(task) == (["市民政局"], ["市財政局", "各區人民政府"], "长期坚持")
    assert extraction.document.title == "安瀾市養老服務方案" and task.title == "擴大服務供給"
    assert "市財政局" in to_yaml(extraction)


def test_prose_roles_inside_an_item_and_carried_by_the_same_below_note() -> None:
    text = PLAN + (
        "（一）建设物流园区。该项工作由市商务局牵头，市发改局、市自然资源局配合。\n"
        "（二）发展冷链物流。市农业农村局负责，市市场监管局予以支持。\n"
        "（三）扩大就业。开发公益岗位。（市人社局牵头，市医保局、市税务局按职责分工负责，下同）\n"
        "（四）开展技能培训。培训3万人次。\n"
        "（五）筛查两癌。由市卫生健康委会同市妇联组织实施。\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"])[:2] == (["市商务局"], ["市发改局", "市自然资源局"])
    assert roles(tasks["1.2"])[:2] == (["市农业农村局"], ["市市场监管局"])
    assert roles(tasks["1.3"])[:2] == roles(tasks["1.4"])[:2] == (["市人社局"], ["市医保局", "市税务局"])
    assert roles(tasks["1.5"])[:2] == (["市卫生健康委"], ["市妇联"])
    assert not any("下同" in unit or "按职责" in unit for t in tasks.values() for unit in t.lead + t.responsible)


def test_sub_items_with_markers_of_their_own_are_tasks() -> None:
    text = PLAN + (
        "（一）推进一件事改革。\n（1）推出集成服务10项。（牵头单位：市政务服务局；责任单位：市直有关部门）\n"
        "（2）9月底前上线移动端专区。（牵头单位：市大数据局）\n（二）深化证照分离。（牵头单位：市市场监管局）\n"
    )
    tasks = tasks_of(text)
    assert list(tasks) == ["1.1.1", "1.1.2", "1.2"]
    assert tasks["1.1.2"].deadline == dt.date(2024, 9, 30) and tasks["1.1.1"].section == "（一）推进一件事改革"


def test_implicit_units_for_every_task() -> None:
    text = PLAN + (
        "本方案各项任务，各乡镇、园区管委会均要抓好落实，以下不再一一列出。\n"
        "（一）精准招商。（责任单位：市投资促进局）\n（二）驻点招商。（责任单位：市商务局）\n"
    )
    tasks = tasks_of(text)
    assert tasks["1.1"].responsible == ["市投资促进局", "各乡镇", "园区管委会"]
    assert tasks["1.2"].responsible == ["市商务局", "各乡镇", "园区管委会"]


def test_header_dates_and_the_notices_default_deadline() -> None:
    text = (
        "安澜市人民政府办公室关于印发安澜市大气治理方案的通知\n颁布时间：2016-04-06\n文　　号：安政办〔2016〕12号\n"
        "市直各委、办、局：\n除明确时限外，各项任务均须于2016年11月20日前完成。\n一、主要任务\n"
        "（一）排查燃煤锅炉。5月底前完成。（市环保局牵头，市质监局配合）\n"
        "（二）治理扬尘。（市住建局牵头）\n"
    )
    extraction = extract_text(text, "doc.txt", UnitBook())
    assert extraction.document.issued == dt.date(2016, 4, 6)
    assert extraction.document.addressees == ["市直各委、办、局"]
    tasks = {t.id: t for t in extraction.document.tasks}
    assert tasks["1.1"].deadline == dt.date(2016, 5, 31)
    assert tasks["1.2"].deadline == "2016年11月20日前"
    undated = (
        "湖滨区水利局关于做好冬修工作的通知\n湖水〔2019〕2号\n各镇人民政府：\n"
        "一、抓紧清淤。各镇要10月底前完成。\n二、加强管护。各镇要落实管护经费。\n"
    )
    extraction = extract_text(undated, "doc.txt", UnitBook())
    assert extraction.document.issued == dt.date(2019, 1, 1)
    assert extraction.document.tasks[0].deadline == dt.date(2019, 10, 31)
    assert any("PLACEHOLDER" in w for w in extraction.document.warnings)


def test_another_regions_units_are_never_swapped_for_this_registry() -> None:
    book = UnitBook(
        [
            UnitEntry("区发改委"),
            UnitEntry("市发展改革局"),
            UnitEntry("各县(市、区)人民政府", members=("蓬江区人民政府", "江海区人民政府")),
        ]
    )
    text = (
        "云州省人民政府办公厅关于印发《云州省招商方案》的通知\n各市（州）人民政府，省直有关单位：\n"
        "云州省人民政府办公厅\n2024年1月2日\n一、主要任务\n（一）招商。（牵头单位：区发改局；责任单位：市发改委、各市（州）人民政府）\n"
    )
    extraction = extract_text(text, "doc.txt", book)
    (task,) = extraction.document.tasks
    assert roles(task)[:2] == (["区发改局"], ["市发改委", "各市(州)人民政府"])
    proposed = {unit.name: unit for unit in extraction.units}
    assert proposed["区发改局"].new and "区发改委" in (proposed["区发改局"].note or "")
    assert "蓬江区人民政府" not in to_yaml(extraction)


def _xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["安澜县2024年乡村振兴任务分解表"])
    sheet.append(["安澜县乡村振兴局　　　　2024年3月8日"])
    sheet.append(["序号", "类别", "重点任务", "牵头单位", "责任单位", "完成时限"])
    sheet.append([1, "粮食安全", "新建高标准农田2万亩", "县农业农村局", "县财政局、各乡镇人民政府", "2024年12月底前"])
    sheet.append([2, None, "落实耕地保护补贴", None, "县财政局", dt.datetime(2024, 6, 30)])
    sheet.append([3, "乡村建设", "完成农村户厕改造3000户", "县卫生健康委", "各乡镇人民政府", "持续推进"])
    for merged in ("A1:F1", "A2:F2", "B4:B5", "D4:D5"):
        sheet.merge_cells(merged)
    book.save(path)
    return path


def _docx(path: Path) -> Path:
    document = docx.Document()
    for line in NOTICE.splitlines():
        document.add_paragraph(line)
    rows = [
        ("序号", "重点任务", "牵头单位", "责任单位", "完成时限"),
        ("1", "新增高新技术企业50家", "市科技局\n市工信局", "各县（区）人民政府", "2024年12月底前"),
        ("2", "建设中试基地", "市科技局", "市财政局、市发改局", "每季度末"),
    ]
    table = document.add_table(rows=0, cols=5)
    heading = table.add_row().cells
    heading[0].merge(heading[4]).text = "一、科技创新"
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            first, *more = value.split("\n")
            cell.text = first
            for extra in more:
                cell.add_paragraph(extra)
    document.save(str(path))
    return path


def test_xlsx_and_docx_task_tables_import_end_to_end(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"}
    for source, tasks in ((_xlsx(tmp_path / "rw.xlsx"), 3), (_docx(tmp_path / "fg.docx"), 2)):
        out = tmp_path / f"{source.stem}.yaml"
        extracted = run_cli("extract", str(source), "-o", str(out), env=env)
        assert extracted.exit_code == 0, extracted.stderr
        assert f"{tasks} tasks" in extracted.stdout
        validated = run_cli("validate", str(out), env=env)
        assert validated.exit_code == 0, validated.stderr
        imported = run_cli("import", str(out), env=env)
        assert imported.exit_code == 0, imported.stderr
        assert f"tasks added: {tasks}" in imported.stdout
    rw = {t.key: t for t in load_catalog(tmp_path / "rw.yaml").tasks}
    # the merged 牵头单位 cell holds for row 2; the date cell is its deadline
    assert (rw["2"].lead, rw["2"].deadline) == (("县农业农村局",), dt.date(2024, 6, 30))
    fg = {t.key: t for t in load_catalog(tmp_path / "fg.yaml").tasks}
    assert fg["1.1"].lead == ("市科技局", "市工信局") and fg["1.2"].recurrence == "quarterly"


def test_notes_inside_a_marker_are_never_units() -> None:
    text = PLAN + (
        "（一）稳就业。（牵头单位：市人社局；责任单位：市医保局、市税务局按职责分工负责。"
        "以上单位下同，不再做分工。）\n（二）促创业。\n（三）扩内需。（牵头单位：市商务局）\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"])[:2] == roles(tasks["1.2"])[:2] == (["市人社局"], ["市医保局", "市税务局"])
    assert roles(tasks["1.3"])[:2] == (["市商务局"], [])


def test_working_days_are_counted_on_the_official_calendar() -> None:
    """「办理时限：5个工作日」 from a hand-over on Tuesday 2026-09-29: 国庆 (10-01…10-07) is no working day and its 调休
    Saturday 10-10 is one, so the fifth is Monday 10-12 — Monday to Friday alone gave 10-06, in the holiday. A year
    the calendar does not know yet counts Monday to Friday."""
    from bot.extract.deadline_phrases import working_days

    handed = "派单时间:2026年9月29日"  # as the extractor reads it: full-width punctuation folded
    due = working_days("5个工作日", handed, dt.date(2026, 9, 28))
    assert due is not None and due.date == dt.date(2026, 10, 12)
    later = working_days(
        "3个工作日内办结", "派单时间:2031年3月7日", dt.date(2031, 3, 7)
    )  # a Friday, beyond the package
    assert later is not None and later.date == dt.date(2031, 3, 12)
