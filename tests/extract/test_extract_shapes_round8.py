"""The shapes of the round-8 corpus (see tests/data/extract/round8/README.md, P1-P15), each on a short text of
its own (invented places and units, not the corpus's words): numbered sub-items in one task cell, one row per
task × unit with a 角色 column, "X、Y（按职责分工）" leads, a long "请A牵头…" sentence, block headings naming
their 牵头单位, a reporting rule inside a dated item. No registry."""

from __future__ import annotations

import io

from bot.extract import extract_text, to_yaml
from bot.extract.model import ExtractedTask
from bot.extract.reader import parse_bytes
from bot.extract.units import UnitBook
from tests.extract.support import roles, tasks_of

HEAD = "岚溪县人民政府办公室\n岚政办发〔2026〕8号\n各乡镇人民政府，县政府各部门：\n"


def _html_tasks(body: str) -> dict[str, ExtractedTask]:
    page = f"<html><body><p>岚溪镇人民政府</p><p>各村（社区）：</p>{body}<p>2026年3月2日</p></body></html>"
    source = parse_bytes(page.encode(), "page.html", ".html")
    extraction = extract_text(source.text, source.name, UnitBook())
    assert to_yaml(extraction)
    return {task.id: task for task in extraction.document.tasks}


def test_numbered_sub_items_in_one_cell_are_tasks_with_their_own_dates() -> None:
    tasks = _html_tasks(
        "<table><tr><th>序号</th><th>工作任务</th><th>责任站所</th><th>完成时限</th></tr>"
        "<tr><td>1</td><td>1.修缮村道5公里；<br>2.建成文化广场1处。</td><td>镇建设办（牵头）<br>镇财政所</td>"
        "<td>1.2026年5月底前<br>2.2026年9月底前</td></tr>"
        "<tr><td>2</td><td>开展农技培训。</td><td>镇农业站</td><td>2026年10月底前</td></tr></table>"
    )
    assert set(tasks) == {"1.1", "1.2", "2"}  # P15: row.sub, a cell without sub-items keeps the row's 序号
    assert tasks["1.1"].title == "修缮村道5公里"
    assert roles(tasks["1.1"]) == (["镇建设办"], ["镇财政所"], "2026年5月底前")
    assert roles(tasks["1.2"]) == (["镇建设办"], ["镇财政所"], "2026年9月底前")


def test_one_row_per_task_and_unit_is_regrouped_by_role() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["岚溪县招商攻坚任务分解表"])
    sheet.append(["序号", "攻坚任务", "责任单位", "角色", "完成时限"])
    sheet.append([1, "建成物流园一期", "县商务局", "牵头", "2026年10月31日"])
    sheet.append([None, "建成物流园一期", "县交通运输局", "牵头", "2026年10月31日"])
    sheet.append([None, "建成物流园一期", "县财政局", "配合", "2026年10月31日"])
    sheet.append([2, "编制产业地图", "县发展改革局", "牵头", "2026年6月30日"])
    out = io.BytesIO()
    book.save(out)
    source = parse_bytes(out.getvalue(), "sheet.xlsx", ".xlsx")
    tasks = {t.id: t for t in extract_text(source.text, source.name, UnitBook()).document.tasks}
    assert set(tasks) == {"1", "2"}  # P12: the rows without 序号 are units of the task above
    assert roles(tasks["1"])[:2] == (["县商务局", "县交通运输局"], ["县财政局"])


def test_a_lead_column_note_by_duty_is_no_part_of_a_name() -> None:
    tasks = tasks_of(
        HEAD + "岚溪县人民政府办公室\n2026年3月2日\n"
        "序号\t整治任务\t牵头单位\t责任单位\t完成时限\n"
        "1\t排查老旧管网\t县住建局、县应急局（按职责分工）\t各乡镇人民政府\t2026年9月30日\n"
    )
    assert roles(tasks["1"])[:2] == (["县住建局", "县应急局"], ["各乡镇人民政府"])  # P5


def test_roles_inside_a_long_request_sentence() -> None:
    tasks = tasks_of(
        "中共岚溪县委办公室\n关于落实调研事项的通知\n各乡镇党委，县直有关单位：\n"
        "　　一、关于山塘排查。请县水利局牵头，县应急管理局、县自然资源局配合，开展排查，于5月25日前报送结果。\n"
        "　　二、关于停车问题。请县住建局牵头会同县城管局，制定停车设施方案，6月底前提请研究。\n"
        "　　三、关于污水站问题。请溪口乡党委负责，县生态环境局给予技术指导，7月15日前恢复运行。\n"
        "　　四、关于寄递网点。请县商务局牵头，县邮政管理局配合，年内建成服务站30个，推进情况于每月10日前报送。\n"
        "中共岚溪县委办公室\n2026年5月8日\n"
    )
    assert roles(tasks["1"])[:2] == (["县水利局"], ["县应急管理局", "县自然资源局"])  # P3: 应急 is a name's
    assert roles(tasks["2"])[:2] == (["县住建局"], ["县城管局"])  # 牵头会同, glued
    assert roles(tasks["3"])[:2] == (["溪口乡党委"], ["县生态环境局"])  # 请X负责: X leads
    assert tasks["4"].recurrence is None  # P4: a reporting rule inside a dated item
    assert str(tasks["4"].deadline) == "2026-12-31"


def test_block_headings_name_the_lead_of_their_items() -> None:
    tasks = tasks_of(
        HEAD + "岚溪县人民政府办公室\n2026年3月2日\n岚溪县攻坚行动作战图\n\n"
        "行动一　道路提升攻坚\n牵头县领导：副县长 林一　　牵头单位：县交通运输局\n\n"
        "（1）改造县道12公里。\n责任单位：县公路中心\n时间节点：9月底前\n\n"
        "行动二　供水保障攻坚\n牵头县领导：副县长 周二　　牵头单位：县水利局\n\n"
        "（2）新建水厂1座。\n责任单位：县城投公司\n时间节点：11月底前\n"
    )
    assert roles(tasks["1"])[:2] == (["县交通运输局"], ["县公路中心"])  # P8: the block's lead, not a person
    assert roles(tasks["2"])[:2] == (["县水利局"], ["县城投公司"])
    assert "行动二" not in tasks["1"].body  # the item ends where the next block begins


def test_a_role_line_of_filled_fields_is_no_table_header() -> None:
    tasks = tasks_of(
        HEAD + "一、产业项目\n1.建成园区污水处理厂。\n"
        "牵头领导：副县长 林一　　牵头单位：县住建局　　配合单位：县财政局　　完成时限：2026年9月底前\n"
        "2.新建标准厂房5万平方米。\n"
        "牵头领导：副县长 林一　　牵头单位：县工信局　　配合单位：无　　完成时限：2026年11月底前\n"
        "二、工作要求\n　　各牵头单位于每月5日前报送进展。\n岚溪县人民政府办公室\n2026年2月16日\n"
    )
    assert set(tasks) == {"1.1", "1.2"}  # the 工作要求 paragraph is no task row (P9)
    assert roles(tasks["1.1"]) == (["县住建局"], ["县财政局"], "2026年9月底前")
    assert roles(tasks["1.2"]) == (["县工信局"], [], "2026年11月底前")


def test_work_from_today_to_a_date_is_the_period() -> None:
    import datetime as dt

    from tests.extract.support import document

    doc = document(
        "岚溪县安委会办公室\n岚安办〔2026〕2号\n各乡镇人民政府：\n　　整治工作自即日起至2026年11月30日。\n"
        "一、重点任务\n1.排查燃气管网。（牵头单位：县住建局；完成时限：2026年9月底前）\n"
        "岚溪县安委会办公室\n2026年3月18日\n"
    )
    assert doc.period == (dt.date(2026, 3, 18), dt.date(2026, 11, 30))  # P7: from the signature date


def test_a_bracketed_date_under_the_title_is_not_signed_by_the_title() -> None:
    from tests.extract.support import document

    doc = document(
        "中共岚溪县委办公室\n关于落实调研事项的通知\n（2026年5月8日）\n各乡镇党委：\n"
        "　　一、关于山塘排查。请县水利局牵头，县应急管理局配合，于5月25日前报送结果。\n"
    )
    assert doc.issuer == "中共岚溪县委办公室"  # the office over the title, not the title (P2's notice)
