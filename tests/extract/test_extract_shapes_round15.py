"""The shapes of the round-15 corpus (see tests/data/extract/round15/README.md, W1-W13), each on a short input of
its own (invented places and units, not the corpus's words): a 牵头/配合 column joined by "/", month node columns
written in words, a 实施主体 column, a table with no unit column whose roles stand in a 注 under it by item range,
bullet shapes before headings and items, an item opening with its deadline, a 文号 after the signature. No
registry."""

from __future__ import annotations

import datetime as dt

from bot.extract.tables import table_lines, text_tables
from tests.extract.support import document, tasks_of


def test_a_joined_lead_and_partner_column_is_split_at_the_slash() -> None:
    rows = [
        ["序号", "工作任务", "牵头科室/配合科室", "完成时间"],
        ["1", "完善病历质控", "质控科/信息科、病案室", "6月底前"],
        ["2", "开展护理培训", "护理部", "9月底前"],
    ]
    assert table_lines(rows)[1:] == [
        "1.完善病历质控。(牵头单位:质控科;责任单位:信息科、病案室;完成时限:6月底前)",
        "2.开展护理培训。(牵头单位:护理部;完成时限:9月底前)",
    ]


def test_month_nodes_in_words_are_due_at_the_last_month_holding_one() -> None:
    header = ["序号", "项目名称", "牵头单位", *[f"{n}月" for n in range(1, 13)]]
    row = ["1", "建设游客中心", "县文旅局", "", "完成招标", "", "开工建设", "主体完工", *[""] * 7]
    assert table_lines([header, row])[1] == "1.建设游客中心。(牵头单位:县文旅局;完成时限:5月底前)"


def test_a_marked_month_grid_is_still_due_at_its_last_completion_mark() -> None:
    header = ["序号", "项目名称", "牵头单位", *[f"{n}月" for n in range(1, 13)]]
    row = ["1", "改造管网", "县住建局", "●", "●", "★", "●", *[""] * 8]
    assert table_lines([header, row])[1] == "1.改造管网。(牵头单位:县住建局;完成时限:3月底前)"


def test_an_implementing_body_is_responsible_beside_its_supervising_department() -> None:
    rows = [["序号", "项目名称", "所在区域", "实施主体", "行业主管部门", "计划完成时间"]]
    rows.append(["1", "改造老旧街区", "北湖区", "北湖区人民政府", "市住建局", "2026年10月"])
    assert table_lines(rows)[1] == ("1.改造老旧街区。(牵头单位:市住建局;责任单位:北湖区人民政府;完成时限:2026年10月)")


def test_roles_in_a_note_under_a_table_without_unit_columns_by_item_range() -> None:
    rows = [["序号", "重点任务", "完成时限"], ["1", "建设产业园", "6月底前"], ["2", "改造学校", "9月底前"]]
    rows.append(["3", "修建公路", "12月底前"])
    note = ["注：1.第1—2项由市发改委牵头，市财政局、市自然资源", "局配合；2.第3项由市交通局牵头，各县人民政府负责。"]
    lines = text_tables("\n".join([*table_lines(rows), *note])).split("\n")
    assert lines[:4] == [
        "【任务表】",
        "1.建设产业园。(完成时限:6月底前)。(牵头单位:市发改委;责任单位:市财政局、市自然资源局)",
        "2.改造学校。(完成时限:9月底前)。(牵头单位:市发改委;责任单位:市财政局、市自然资源局)",
        "3.修建公路。(完成时限:12月底前)。(牵头单位:市交通局;责任单位:各县人民政府)",
    ]
    assert not any(line.startswith("注") for line in lines)


def test_bullet_shapes_before_headings_and_items_are_decoration() -> None:
    text = (
        "关于做好燃气安全整治的通知\n各社区居委会：\n▶ 一、隐患排查\n◆1. 排查餐饮场所\n🔹牵头：城管办\n⏰时限：6.30前\n"
        "◆2. 入户安全检查\n🔹牵头：应急办\n⏰时限：5.31前\n某街道办事处\n2026年4月7日\n"
    )
    tasks = tasks_of(text)
    assert [t.title for t in tasks.values()] == ["排查餐饮场所", "入户安全检查"]
    assert {t.section for t in tasks.values()} == {"一、隐患排查"}
    assert tasks["1.1"].deadline == dt.date(2026, 6, 30)


def test_an_item_opening_with_its_deadline_is_titled_by_its_work() -> None:
    text = (
        "某县2026年供水工作要点\n一、工程建设\n1.4月底前，完成初步设计审批。（责任单位：县水利局）\n"
        "2.长期坚持，做好水质巡检和群众诉求办理。（责任单位：县卫健局）\n"
    )
    tasks = tasks_of(text)
    assert [t.title for t in tasks.values()] == ["完成初步设计审批", "做好水质巡检和群众诉求办理"]
    assert tasks["1.1"].deadline == dt.date(2026, 4, 30)


def test_a_bracketed_number_after_the_signature_is_the_documents() -> None:
    text = (
        "关于做好排查工作的通知\n各社区居委会，街道各办（所、中心）：\n一、排查\n1.排查隐患。（牵头单位：城管办）\n"
        "某街道办事处\n2026年4月7日\n（某街办发〔2026〕3号）\n"
    )
    doc = document(text)
    assert doc.number == "某街办发〔2026〕3号"
    assert doc.addressees == ["各社区居委会", "街道各办(所、中心)"]


def test_a_table_without_unit_columns_and_no_roles_by_number_stays_plain_text() -> None:
    rows = [["序号", "工作内容", "完成时限"], ["1", "动员部署", "3月底前"], ["2", "总结验收", "12月底前"]]
    lines = text_tables("\n".join(["三、实施步骤", *table_lines(rows)])).split("\n")
    assert lines == ["三、实施步骤", "", "1 动员部署 3月底前", "2 总结验收 12月底前"]


def test_an_office_checking_every_task_supervises_and_its_sentence_is_no_task() -> None:
    text = (
        "关于做好排查工作的通知\n各社区居委会：\n一、排查\n1.排查隐患。（牵头单位：城管办）\n"
        "2.入户检查。（牵头单位：应急办）\n二、工作要求\n街道党政办公室将对各项任务落实情况开展督查，每月通报一次。\n"
        "青禾街道办事处\n2026年4月7日\n"
    )
    tasks = tasks_of(text)
    assert list(tasks) == ["1.1", "1.2"]
    assert tasks["1.1"].supervise == ["街道党政办公室"]
