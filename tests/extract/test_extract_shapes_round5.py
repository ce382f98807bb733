"""The shapes of the round-5 corpus (see tests/data/extract/round5/README.md, L1-L23), each on a short text of
its own (invented places and units, not the corpus's words): key–value 督办通知单 forms, a web table built of
<div>s, Word's automatic numbering, a workbook with a two-row header, month-formatted date cells and a 合计
row, lead marks after a name (X（牵头）, X*), short 时限 fields (4.10前, 本月底前, 本周五前, 2026.6, 全年),
officials named by post before the units, and an item number run into a month (2.6月底前). No registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import openpyxl

from bot.extract import extract_path
from bot.extract.reader import html_to_text
from bot.extract.units import UnitBook
from tests.extract.support import roles, tasks_of

HEAD = "岚溪县人民政府办公室\n岚政办〔2026〕5号\n各乡镇人民政府，县直各单位：\n岚溪县人民政府办公室\n2026年3月9日\n"


def test_key_value_forms_are_rows_of_a_task_table() -> None:
    form = (
        "交办事项 {task}。\n交办依据 县政府常务会议\n主办单位 {lead}\n协办单位 {partner}\n"
        "办结时限：{due}\n督办单位 县政府督查室\n"
    )
    text = HEAD + (
        "附件\n"
        + form.format(task="建成城北公交首末站", lead="县交通局", partner="县住建局、县城投公司", due="2026年8月底前")
        + "督办要求 每月10日前报送进展。\n"
        + form.format(task="完成农贸市场改造2个", lead="县商务局", partner="城关镇人民政府", due="长期坚持")
    )
    tasks = tasks_of(text)
    assert set(tasks) == {"1", "2"}
    assert (tasks["1"].title, roles(tasks["1"])) == (
        "建成城北公交首末站",
        (["县交通局"], ["县住建局", "县城投公司"], "2026年8月底前"),
    )
    assert tasks["2"].supervise == ["县政府督查室"]


def test_a_web_table_built_of_divs() -> None:
    page = (
        "<html><head><style>.grid{display:table}.line{display: table-row}.c,.h{display:table-cell}</style></head>"
        "<body><div class='meta'>发布日期：2026-03-09</div>"
        "<div class='grid'><div class='line'><div class='h'>序号</div><div class='h'>工作任务</div>"
        "<div class='h'>牵头单位</div><div class='h'>完成时限</div></div>"
        "<div class='line'><div class='c'>1</div><div class='c'>新建口袋公园3个</div>"
        "<div class='c'>县住建局</div><div class='c'>2026年9月底前</div></div></div></body></html>"
    )
    text = html_to_text(page)
    assert "1.新建口袋公园3个。(牵头单位:县住建局;完成时限:2026年9月底前)" in text
    assert "发布日期：2026-03-09" in text  # the metadata <div>s stay lines


def test_word_automatic_numbering_is_read_as_the_items_numbers(tmp_path: Path) -> None:
    word = docx.Document()
    for line in ("岚溪县人民政府办公室", "2026年3月9日", "岚溪县2026年重点任务分解方案", "一、抓好基层建设"):
        word.add_paragraph(line)
    word.add_paragraph("建成便民服务站6个。", style="List Number")
    word.add_paragraph("牵头单位：县民政局")
    word.add_paragraph("二、抓好安全生产")
    word.add_paragraph("整治隐患点位20处。", style="List Number")
    word.add_paragraph("牵头单位：县应急局")
    path = tmp_path / "numbered.docx"
    word.save(str(path))
    tasks = {t.id: t for t in extract_path(path, UnitBook()).document.tasks}
    assert {k: t.lead for k, t in tasks.items()} == {"1.1": ["县民政局"], "2.1": ["县应急局"]}


def test_a_project_plan_with_a_two_row_header_month_cells_and_a_total(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["岚溪县2026年重点项目计划表"])
    ws.append(["岚溪县人民政府办公室 2026年3月9日"])
    ws.append(["序号", "项目名称", "时间节点", None, "行业主管部门", "建设单位"])
    ws.append([None, None, "开工时间", "竣工时间", None, None])
    ws.append([1, "城南污水处理厂", dt.datetime(2026, 3, 1), dt.datetime(2026, 11, 1), "县水务局", "县城投公司"])
    ws.append(["合计", None, None, None, None, None])
    for cell in ("C5", "D5"):
        ws[cell].number_format = 'yyyy"年"m"月"'
    ws.merge_cells("C3:D3")
    for column in "ABEF":
        ws.merge_cells(f"{column}3:{column}4")
    path = tmp_path / "projects.xlsx"
    book.save(str(path))
    tasks = {t.id: t for t in extract_path(path, UnitBook()).document.tasks}
    assert [roles(t) for t in tasks.values()] == [(["县水务局"], ["县城投公司"], "2026年11月")]


def test_lead_marks_after_a_name() -> None:
    text = HEAD + (
        "1. 春耕备耕：完成农资储备检查。\n   责任：县农业局（牵头）、县供销社；包片领导：王明；时限：2026年4月底前\n"
        "2. 校园安全：排查校园周边隐患。\n   责任：县教育局*、县公安局*、县市场监管局\n"
        "3. 河道保洁：清理河道垃圾。\n   责任：县水务局、各乡镇人民政府\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1"])[:2] == (["县农业局"], ["县供销社"])
    assert roles(tasks["2"])[:2] == (["县教育局", "县公安局"], ["县市场监管局"])
    assert roles(tasks["3"])[:2] == ([], ["县水务局", "各乡镇人民政府"])


def test_short_deadline_fields_read_against_the_issue_date() -> None:
    dues = ("4.10前", "本月底前", "本周五前", "2026.6", "2026.09.30", "全年")
    text = HEAD + "".join(
        f"{k}. 完成第{k}项工作。\n   责任单位：县财政局；时限：{due}\n" for k, due in enumerate(dues, 1)
    )
    tasks = tasks_of(text)
    assert [tasks[str(k)].deadline for k in range(1, 7)] == [
        dt.date(2026, 4, 10),
        dt.date(2026, 3, 31),
        dt.date(2026, 3, 13),  # 2026-03-09 is a Monday
        dt.date(2026, 6, 30),
        dt.date(2026, 9, 30),
        dt.date(2026, 12, 31),
    ]


def test_officials_by_post_before_the_units_are_persons() -> None:
    text = (
        "岚川省人民政府关于落实2026年《政府工作报告》重点工作分工的意见\n岚川省人民政府\n2026年2月20日\n"
        "一、稳增长\n"
        "1.新增就业50万人。（常务副省长、协管副秘书长负责，省人力资源社会保障厅牵头，省财政厅参与）\n"
        "2.6月底前出台稳外贸措施。（分管副省长负责，省商务厅负责）\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"])[:2] == (["省人力资源社会保障厅"], ["省财政厅"])
    assert roles(tasks["1.2"]) == (["省商务厅"], [], dt.date(2026, 6, 30))
