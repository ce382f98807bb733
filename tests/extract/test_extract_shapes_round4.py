"""The layouts of the round-4 corpus (see tests/data/extract/round4/README.md, K1-K19), each on a short text
of its own (invented places and units, not the corpus's words): a .docx task table nested in a layout table,
a workbook split into one sheet per 牵头单位 with a hidden column, prose paragraphs holding several tasks each
closed by its own role bracket, a PDF copied as text in layout mode, one 序号 over two rows, a header naming
its task column by the plan's subject, the first-unit rule scoped to lists of two or more, holiday deadlines
and the notice's work period. No registry."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import openpyxl

from bot.extract import extract_path
from bot.extract.reader import html_to_text
from bot.extract.units import UnitBook
from tests.extract.support import document, roles, tasks_of

NOTICE = (
    "岚溪县人民政府办公室关于印发《岚溪县2025年重点工作清单》的通知\n岚政办〔2025〕9号\n"
    "各乡镇人民政府，县直各单位：\n现将《岚溪县2025年重点工作清单》印发给你们，请认真落实。\n"
    "岚溪县人民政府办公室\n2025年3月6日\n岚溪县2025年重点工作清单\n"
)


def test_a_docx_task_table_nested_in_a_layout_table(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("岚溪县人民政府办公室关于印发《岚溪县2025年重点工作清单》的通知")
    word.add_paragraph("岚溪县人民政府办公室")
    word.add_paragraph("2025年3月6日")
    frame = word.add_table(rows=3, cols=1)
    frame.cell(0, 0).text = "附件"
    frame.cell(2, 0).text = "注：本清单由县政府办负责解释。"
    inner = frame.cell(1, 0).add_table(rows=3, cols=4)
    for row, values in enumerate(
        [
            ("序号", "工作任务", "责任单位", "完成时限"),
            ("1", "建成城东污水处理厂", "牵头：县水务局；配合：县财政局", "2025年10月底前"),
            ("2", "改造农村公路20公里", "县交通局", "年内"),
        ]
    ):
        for col, value in enumerate(values):
            inner.cell(row, col).text = value
    inner.cell(1, 2).paragraphs[0].text = "牵头：县水务局"
    inner.cell(1, 2).add_paragraph("配合：县财政局、县自然资源局")
    path = tmp_path / "nested.docx"
    word.save(str(path))
    tasks = {t.id: t for t in extract_path(path, UnitBook()).document.tasks}
    assert roles(tasks["1"]) == (["县水务局"], ["县财政局", "县自然资源局"], "2025年10月底前")
    assert roles(tasks["2"]) == ([], ["县交通局"], dt.date(2025, 12, 31))
    assert set(tasks) == {"1", "2"}  # 附件 and 注 are not rows


def test_a_docx_task_table_cut_in_two_by_a_page_break(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("岚溪县人民政府办公室关于印发《岚溪县2025年重点工作清单》的通知")
    word.add_paragraph("岚溪县人民政府办公室")
    word.add_paragraph("2025年3月6日")
    parts = [
        [("序号", "工作任务", "牵头单位", "完成时限"), ("1", "建成城东污水处理厂", "县水务局", "2025年10月底前")],
        [("序号", "工作任务", "牵头单位", "完成时限"), ("2", "改造农村公路20公里", "县交通局", "2025年11月底前")],
        [("3", "新建公办幼儿园2所", "县教育局", "2025年8月底前")],
    ]
    for k, part in enumerate(parts):
        if k:
            word.add_paragraph("")
            word.add_paragraph("岚政办〔2025〕9号 重点工作清单（续）" if k == 1 else "")
        grid = word.add_table(rows=len(part), cols=4)
        for row, values in enumerate(part):
            for col, value in enumerate(values):
                grid.cell(row, col).text = value
    path = tmp_path / "split.docx"
    word.save(str(path))
    tasks = {t.id: t for t in extract_path(path, UnitBook()).document.tasks}
    assert {k: t.lead for k, t in tasks.items()} == {"1": ["县水务局"], "2": ["县交通局"], "3": ["县教育局"]}


def test_a_workbook_with_one_sheet_per_lead_and_a_hidden_column(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes["A1"] = "岚溪县2025年民生工程任务台账"
    notes["A2"] = "岚溪县人民政府办公室　　2025年3月6日"
    number = 0
    for sheet, lead, rows in (
        ("教育", "县教育局", [("新建幼儿园2所", "县住建局", "2025年8月底前")]),
        (
            "卫健",
            "县卫生健康局",
            [("改造村卫生室15个", "各乡镇人民政府", "2025年11月底前"), ("建成胸痛中心", "", "年内")],
        ),
    ):
        ws = book.create_sheet(sheet)
        ws["A1"] = f"牵头单位：{lead}"
        for col, head in zip("ABCDE", ("序号", "工作任务", "配合单位", "完成时限", "内部备注"), strict=True):
            ws[f"{col}2"] = head
        for r, (task, partners, due) in enumerate(rows, start=3):
            number += 1
            ws[f"A{r}"], ws[f"B{r}"], ws[f"C{r}"], ws[f"D{r}"] = number, task, partners or None, due
            ws[f"E{r}"] = "配合：县民政局"
        ws.column_dimensions["E"].hidden = True
    path = tmp_path / "ledger.xlsx"
    book.save(str(path))
    extracted = extract_path(path, UnitBook()).document
    tasks = {t.id: t for t in extracted.tasks}
    assert {k: roles(t) for k, t in tasks.items()} == {
        "1": (["县教育局"], ["县住建局"], "2025年8月底前"),
        "2": (["县卫生健康局"], ["各乡镇人民政府"], "2025年11月底前"),
        "3": (["县卫生健康局"], [], dt.date(2025, 12, 31)),
    }
    assert (extracted.issuer, extracted.issued) == ("岚溪县人民政府办公室", dt.date(2025, 3, 6))


def test_several_tasks_in_one_paragraph_each_closed_by_its_bracket() -> None:
    text = NOTICE + (
        "一、培育新兴产业\n"
        "（一）发展数字经济。建成数据中心1个（县工信局牵头，县发改局配合）。引进数字企业5家（县商务局负责）。\n"
        "（二）扩大有效投资。完成固定资产投资50亿元（县发改局牵头，各乡镇人民政府配合）。\n"
        "二、工作要求\n各牵头单位要细化措施，按月报送进展。\n"
    )
    tasks = tasks_of(text)
    assert set(tasks) == {"1.1.1", "1.1.2", "1.2.1"}
    assert (tasks["1.1.1"].title, roles(tasks["1.1.1"])[:2]) == ("建成数据中心1个", (["县工信局"], ["县发改局"]))
    assert roles(tasks["1.1.2"])[:2] == (["县商务局"], [])
    assert roles(tasks["1.2.1"])[:2] == (["县发改局"], ["各乡镇人民政府"])


def _layout(*cells: str) -> str:
    """A line of a layout copy: each cell padded out to its column's start (2, 10, 32, 48, 68)."""
    line = ""
    for start, cell in zip((2, 10, 32, 48, 68), cells, strict=False):
        line = line.ljust(start) + cell if cell else line
    return line


def test_tasks_of_a_paragraph_cut_by_semicolons_after_their_brackets() -> None:
    text = NOTICE + (
        "一、重点任务\n（一）改善人居环境。完成厕所改造500户（县农业农村局牵头，各乡镇人民政府配合）；"
        "清理河道30公里（县水利局负责）。\n（二）加强组织保障。建立月调度机制（县政府办负责）。\n"
    )
    tasks = tasks_of(text)
    assert {k: roles(t)[:2] for k, t in tasks.items()} == {
        "1.1.1": (["县农业农村局"], ["各乡镇人民政府"]),
        "1.1.2": (["县水利局"], []),
        "1.2.1": (["县政府办"], []),
    }


def test_a_table_copied_in_layout_mode_with_wrapped_cells_and_a_page_break() -> None:
    header = _layout("序号", "工作任务", "牵头单位", "责任单位", "完成时限")
    rows = [
        header,
        "",
        _layout("1", "建设城区智慧停车系", "县城管局", "县公安局、县自", "2025年9月底前"),
        _layout("", "统", "", "然资源局"),
        "",
        "                            — 1 —",
        "\f岚溪县2025年重点工作清单                        岚政办〔2025〕9号",
        header,
        _layout("2", "完成老旧小区改造6个", "县住房和城乡", "各乡镇人民政府", "2025年12月31"),
        _layout("", "", "建设局", "", "日前"),
        "",
    ]
    tasks = tasks_of(NOTICE + "\n".join(rows) + "\n")
    assert roles(tasks["1"]) == (["县城管局"], ["县公安局", "县自然资源局"], "2025年9月底前")
    assert tasks["1"].title == "建设城区智慧停车系统"
    assert roles(tasks["2"])[1:] == (["各乡镇人民政府"], "2025年12月31日前")
    assert set(tasks) == {"1", "2"}
    without_header = [line for k, line in enumerate(rows) if k != 7]  # page 2 under its running head only
    assert set(tasks_of(NOTICE + "\n".join(without_header) + "\n")) == {"1", "2"}
    wrapped = [_layout("序号", "工作任务", "牵头单位", "责任单位", "完成"), _layout("", "", "", "", "时限"), *rows[1:7]]
    assert roles(tasks_of(NOTICE + "\n".join(wrapped) + "\n")["1"])[2] == "2025年9月底前"  # the header wraps too


def test_a_layout_copy_with_blank_lines_between_rows_that_do_not_wrap() -> None:
    rows = [_layout("序号", "工作任务", "牵头单位", "责任单位", "完成时限"), ""]
    for number, task, lead, due in (("1", "建设城东公园", "县住建局", "9"), ("2", "改造农贸市场", "县商务局", "10")):
        rows += [_layout(number, task, lead, "县财政局", f"2025年{due}月底前"), ""]
    tasks = tasks_of(NOTICE + "\n".join(rows) + "\n")
    assert {k: t.lead for k, t in tasks.items()} == {"1": ["县住建局"], "2": ["县商务局"]}


def test_one_number_over_two_rows_and_a_header_named_by_the_subject() -> None:
    text = NOTICE.replace(
        "印发给你们，请认真落实。", "印发给你们。责任单位有两个及以上的，排在第一位的为牵头单位。"
    ) + (
        "序号\t民生实事\t责任单位\t完成时限\n"
        "1\t新建口袋公园3个\t县城管局\t9月投入使用\n"
        "2\t改造农贸市场2个\t县商务局、县市场监管局\t10月底前\n"
        "2\t建成便民服务中心\t县民政局\t11月底前\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1"]) == ([], ["县城管局"], dt.date(2025, 9, 30))  # one unit: the note is for two or more
    assert roles(tasks["2.1"]) == (["县商务局"], ["县市场监管局"], dt.date(2025, 10, 31))
    assert roles(tasks["2.2"]) == ([], ["县民政局"], dt.date(2025, 11, 30))


def test_holiday_deadlines_and_the_work_period_of_the_notice() -> None:
    text = (
        "岚溪县人民政府办公室关于做好冬春保供工作的通知\n岚政办〔2025〕30号\n各乡镇人民政府：\n"
        "本轮工作时间为2025年11月20日至2026年3月10日。\n岚溪县人民政府办公室\n2025年11月15日\n"
        "序号\t工作任务\t牵头单位\t完成时限\n"
        "1\t落实煤炭储备\t县发改局\t元旦前\n"
        "2\t保障节日市场供应\t县商务局\t春节前\n"
        "3\t开展安全检查\t县应急局\t2027年春节前\n"
        "4\t加强道路巡查\t县交通局\t每月\n"
        "5\t完成景区安全检查\t县文旅局\t国庆节前\n"
        "6\t完成供暖设备检修\t县住建局\t12月中旬前\n"
    )
    extracted = document(text)
    tasks = {t.id: t for t in extracted.tasks}
    assert extracted.period == (dt.date(2025, 11, 20), dt.date(2026, 3, 10))
    assert tasks["1"].deadline == dt.date(2025, 12, 31)
    assert tasks["2"].deadline == dt.date(2026, 2, 16)
    assert tasks["3"].deadline == dt.date(2027, 2, 5)
    assert (tasks["4"].deadline, tasks["4"].recurrence) == (None, "monthly")
    assert (tasks["5"].deadline, tasks["6"].deadline) == (dt.date(2026, 9, 30), dt.date(2025, 12, 20))


def test_marker_lines_ending_in_a_full_stop_and_a_collective_of_levels() -> None:
    text = NOTICE + (
        "一、主要预期目标\n"
        "1. 粮食产量稳定在30万吨。\n牵头负责领导：李明。\n牵头责任单位：县农业农村局。\n"
        "协同责任单位：县水利局、县气象局等，各乡、镇、街道。\n"
        "2. 城镇新增就业3000人。\n牵头责任单位：县人社局。\n协同责任单位：各乡、镇人民政府。\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"])[:2] == (["县农业农村局"], ["县水利局", "县气象局", "各乡、镇、街道"])
    assert roles(tasks["1.2"])[:2] == (["县人社局"], ["各乡、镇人民政府"])


def test_a_web_table_cell_with_paragraphs_holds_one_unit_each(tmp_path: Path) -> None:
    html = (
        "<html><body><p>岚溪县人民政府办公室关于印发《岚溪县2025年重点工作清单》的通知</p><p>岚溪县人民政府办公室</p>"
        "<p>2025年3月6日</p><table><tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>配合单位</td></tr>"
        "<tr><td>1</td><td><p>建设</p><p>智慧校园</p></td><td><p>县教育局</p></td>"
        "<td><p>县残联</p><p>县科技局</p></td></tr></table></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(io.BytesIO(html.encode()).getvalue())
    tasks = {t.id: t for t in extract_path(path, UnitBook()).document.tasks}
    assert (tasks["1"].title, tasks["1"].lead, tasks["1"].responsible) == (
        "建设智慧校园",
        ["县教育局"],
        ["县残联", "县科技局"],
    )


def test_a_web_task_table_nested_in_a_layout_table() -> None:
    html = (
        "<html><body><p>岚溪县人民政府办公室关于印发《岚溪县2025年重点工作清单》的通知</p><p>岚溪县人民政府办公室</p>"
        "<p>2025年3月6日</p><table><tr><td>附件</td></tr><tr><td>岚溪县2025年重点工作清单</td></tr><tr><td><table>"
        "<tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>完成时限</td></tr>"
        "<tr><td>1</td><td>建设城东公园</td><td>县住建局</td><td>2025年9月底前</td></tr></table></td></tr>"
        "<tr><td>注：由县政府办负责解释。</td></tr></table></body></html>"
    )
    lines = html_to_text(html).split("\n")
    assert lines[3:] == [
        "附件",
        "岚溪县2025年重点工作清单",
        "【任务表】",
        "1.建设城东公园。(牵头单位:县住建局;完成时限:2025年9月底前)",
        "注：由县政府办负责解释。",
    ]
