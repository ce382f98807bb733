"""The layouts of issue 21, each on a short text of its own (invented places and units): task tables pasted
as text in every shape (single spaces, pipes, mixed tabs and spaces, one cell a line, a merged category cell
on its group's first row, 责任单位 before 牵头单位), .html tables with rowspan/colspan, .xlsx workbooks with a
table per sheet or a stray far cell, the role wording (牵头落实, 负责落实, 部门分工:, 牵头责任单位:/协同责任单位:),
markers separated by two spaces, the notice's own rules and a page's metadata list, document-wide notes, and
the header's own facts. No registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from bot.extract import extract_path, extract_text, to_yaml
from bot.extract.reader import sheet_rows, span_grid
from bot.extract.tables import table_lines
from bot.extract.units import UnitBook
from tests.extract.support import document, roles, tasks_of

NOTICE = (
    "青禾市发展和改革局关于印发《青禾市2024年重点工作任务分工》的通知\n青发改〔2024〕7号\n"
    "各县（区）人民政府，市直有关单位：\n现将《青禾市2024年重点工作任务分工》印发给你们，请认真落实。\n"
    "青禾市发展和改革局\n2024年3月5日\n青禾市2024年重点工作任务分工\n"
)


def test_single_space_cells_with_a_unit_list_cut_by_spaces() -> None:
    table = (
        "序号 指标 牵头单位 责任单位 完成时限\n"
        "1 居民消费价格涨幅3%左右 市发展改革委 市统计局 2024年12月底前\n"
        "2 新增城镇就业1万人 市人社局 市财政局 各县（区）人民政府 2024年11月底前\n\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert roles(tasks["1"]) == (["市发展改革委"], ["市统计局"], "2024年12月底前")
    assert roles(tasks["2"]) == (["市人社局"], ["市财政局", "各县(区)人民政府"], "2024年11月底前")


def test_pipes_between_cells() -> None:
    table = (
        "| 序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限 |\n|---|---|---|---|---|\n"
        "| 1 | 建设智慧停车平台 | 市城管局 | 市公安局 | 2024年6月底前 |\n"
        "| 2 | 改造老旧管网 | 市水务局 | — | 持续推进 |\n\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert {k: roles(t) for k, t in tasks.items()} == {
        "1": (["市城管局"], ["市公安局"], "2024年6月底前"),
        "2": (["市水务局"], [], "持续推进"),
    }


def test_rows_typed_with_spaces_under_a_tab_header_are_rows_not_wraps() -> None:
    table = (
        "序号\t改革任务\t牵头单位\t责任单位\t完成时限\n"
        "1\t推行企业开办全程网办，压缩至1个工作日以内\t市市场监管局\t市政务服务局\t2024年6月底前\n"
        '2  深化"一件事一次办"改革  市政务服务局  市发改委、市司法局\t2024年12月底前\n\n'
    )
    tasks = tasks_of(NOTICE + table)
    assert list(tasks) == ["1", "2"]
    assert tasks["1"].title == "推行企业开办全程网办，压缩至1个工作日以内"
    assert roles(tasks["2"]) == (["市政务服务局"], ["市发改委", "市司法局"], "2024年12月底前")


def test_category_cell_on_the_first_row_of_its_group_and_responsible_before_lead() -> None:
    table = (
        "章节 序号 改革任务 责任单位 牵头单位 完成时限\n"
        "1.便利市场准入退出 1 推行企业开办全程网办 市政务服务局 市市场监管局 2024年6月底前\n"
        "2 深化简易注销改革 市税务局 市市场监管局 2024年9月底前\n"
        "2.优化审批服务 3 推进工程审批改革 市自然资源局 市住建局 2024年12月底前\n\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert {k: roles(t)[:2] for k, t in tasks.items()} == {
        "1": (["市市场监管局"], ["市政务服务局"]),
        "2": (["市市场监管局"], ["市税务局"]),
        "3": (["市住建局"], ["市自然资源局"]),
    }


def test_one_cell_a_line_with_a_person_column_and_a_lead_written_in_the_cell() -> None:
    table = (
        "序号\n重点工作\n责任领导\n责任单位\n完成时限\n"
        "1\n开展消费季活动\n张明\n市商务局牵头落实，市文旅局配合\n5月底前\n"
        "2\n建设便民生活圈\n李华\n市商务局\n2024年12月底前\n\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert roles(tasks["1"]) == (["市商务局"], ["市文旅局"], dt.date(2024, 5, 31))
    assert roles(tasks["2"])[:2] == ([], ["市商务局"])


ITEMS = NOTICE + "一、主要任务\n"


def test_role_wording_and_item_numbers_with_a_space_or_a_comma() -> None:
    text = ITEMS + (
        "1. 推进重点项目建设。市发改委负责落实。\n"
        "2. 加快数字乡村建设（牵头单位：市商务局  责任单位：市编办、市发改委）\n"
        "3、优化营商环境。（责任领导：张某；牵头单位：市政务服务局；责任单位：区发改局、相关乡镇办）\n"
        "4. 推进招商引资。部门分工：市商务局牵头，各地、各部门配合。\n"
        "5. 完善工作机制。\n牵头责任单位：市司法局\n协同责任单位：市公安局\n"
        "6. 做好政务公开。（市政务公开办牵头落实，市政府各部门配合，长期坚持）\n"
    )
    tasks = tasks_of(text)
    assert {k: roles(t)[:2] for k, t in tasks.items()} == {
        "1.1": (["市发改委"], []),
        "1.2": (["市商务局"], ["市编办", "市发改委"]),
        "1.3": (["市政务服务局"], ["区发改局", "相关乡镇办"]),  # no ) left, and 张某 is a person
        "1.4": (["市商务局"], ["各地", "各部门"]),
        "1.5": (["市司法局"], ["市公安局"]),
        "1.6": (["市政务公开办"], ["市政府各部门"]),
    }
    assert tasks["1.6"].deadline == "长期坚持"


def test_a_bare_unit_list_in_brackets_and_the_first_unit_leads() -> None:
    text = NOTICE.replace("请认真落实。", "请认真落实。列第一位的单位为牵头单位。") + (
        "一、扩大投资\n1．实施重点项目200个。（市发展改革委、市财政局、各县（区）人民政府）\n"
        "2．建设港口二期。（市交通运输局、青禾港务集团）\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"])[:2] == (["市发展改革委"], ["市财政局", "各县(区)人民政府"])
    assert roles(tasks["1.2"])[:2] == (["市交通运输局"], ["青禾港务集团"])


def test_notice_rules_above_a_table_are_not_tasks_and_its_date_is_the_header_s() -> None:
    text = (
        "青禾区人民政府关于下达2023年重点工作任务的通知\n青政发〔2022〕9号\n各街道办事处，区政府各部门：\n"
        "现将任务分解表印发给你们，并就有关事项通知如下：\n"
        "一、提高思想认识。各责任单位要高度重视，主要负责同志亲自抓。\n"
        "二、细化落实方案。各责任单位要制定实施方案，于2023年1月15日前报送区政府督查室。\n"
        "青禾区人民政府\n2022年12月30日\n青禾区2023年重点工作任务分解表\n"
        "序号  重点工作  牵头单位  责任单位  完成时限\n"
        "1  地区生产总值增长6%左右  区发改局  区统计局  2023年12月底前\n"
        "2  引进产业项目25个  区投资促进局  青禾高新区管委会  2023年12月底前\n\n"
    )
    doc = document(text)
    assert [t.id for t in doc.tasks] == ["1", "2"]
    assert doc.issued == dt.date(2022, 12, 30)
    assert roles(doc.tasks[1]) == (["区投资促进局"], ["青禾高新区管委会"], "2023年12月底前")


def test_a_page_metadata_list_and_the_closing_request_are_not_tasks() -> None:
    text = (
        "首页 > 政务公开\n1.索引号：11420825/2023-00005\n2.发布机构：青禾县人民政府\n3.发文日期：2023-01-03\n"
        "4.文号：青政发〔2023〕1号\n5.主题分类：社会保障\n6.有效性：有效\n\n"
        "青禾县人民政府关于印发2023年公共服务重点任务的通知\n各乡镇人民政府，县直各单位：\n现将重点任务印发给你们。\n"
        "青禾县2023年公共服务重点任务\n"
        "1、发展普惠托育服务。9月底前新增托位300个。由县卫生健康局负责落实，县发改局配合。\n"
        "2、扩大学前教育资源。由县教育局负责落实，县住建局配合。\n\n"
        "　　各乡镇、各单位要高度重视，于每月10日前将上月工作进展情况报送县政府办公室。\n"
    )
    doc = document(text)
    assert doc.issued == dt.date(2023, 1, 3)
    assert {t.id: roles(t) for t in doc.tasks} == {
        "1": (["县卫生健康局"], ["县发改局"], dt.date(2023, 9, 30)),
        "2": (["县教育局"], ["县住建局"], dt.date(2023, 12, 31)),  # the plan's year
    }


def test_document_wide_notes_add_their_units_to_every_task() -> None:
    text = ITEMS.replace("一、主要任务\n", "（责任单位：各街道办事处，以下不再单独列出）\n一、主要任务\n") + (
        "1.改造老旧小区30个。（牵头单位：市住建局；责任单位：市财政局等有关部门）\n"
        "2.建设口袋公园10个。（牵头单位：市城管局）\n"
        "二、保障措施\n（具体任务均涉及各县（区）人民政府，不再做分工，下同）\n"
        "1.完善停车设施。（牵头单位：市公安局）\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"])[:2] == (["市住建局"], ["市财政局", "有关部门", "各街道办事处"])
    assert roles(tasks["1.2"])[:2] == (["市城管局"], ["各街道办事处"])
    assert roles(tasks["2.1"])[:2] == (["市公安局"], ["各街道办事处", "各县(区)人民政府"])


def test_a_national_issuer_gets_no_city_prefix() -> None:
    text = (
        "国务院办公厅关于印发全国深化放管服改革重点任务分工方案的通知\n国办发〔2019〕39号\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n现将方案印发给你们。\n国务院办公厅\n2019年8月1日\n"
        "全国深化放管服改革重点任务分工方案\n一、重点任务\n"
        "（一）压减审批事项。部门分工：国务院审改办牵头，各地区、各部门配合。\n"
        "（二）优化外贸服务。部门分工：商务部、海关总署牵头，各地区配合。\n"
    )
    doc = document(text)
    assert doc.issuer == "国务院办公厅"
    assert doc.tasks[1].lead == ["商务部", "海关总署"]


HTML = """<html><body><p>青禾县人民政府办公室</p><p>2024年4月1日</p><p>青禾县2024年人居环境整治任务分工表</p>
<table>
<tr><td rowspan="2">序号</td><td rowspan="2">重点任务</td><td colspan="2">责任分工</td>
<td rowspan="2">完成时限</td></tr>
<tr><td>牵头单位</td><td>责任单位</td></tr>
<tr><td colspan="5">一、农村生活垃圾治理</td></tr>
<tr><td>1</td><td>完善收运体系</td><td rowspan="3">县城管局</td><td>各乡镇人民政府</td>
<td rowspan="2">2024年6月底前</td></tr>
<tr><td>2</td><td>新建转运站3座</td><td>县财政局</td></tr>
<tr><td>3</td><td>开展分类示范</td><td>县农业农村局</td><td>2024年10月底前</td></tr>
<tr><td colspan="5">二、农村污水治理</td></tr>
<tr><td>4</td><td>治理生活污水</td><td>县生态环境分局</td><td>县住建局</td><td>2024年11月底前</td></tr>
</table>
<p>附件2</p><p>重点项目表</p>
<table><tr><td>序号</td><td>项目</td><td>牵头单位</td><td>责任单位</td><td>完成时限</td></tr>
<tr><td>1</td><td>污水管网延伸工程</td><td>县住建局</td><td>青禾镇人民政府</td><td>2024年8月底前</td></tr></table>
</body></html>"""


def test_html_spans_hold_for_every_row_and_a_second_table_gets_its_own_ids(tmp_path: Path) -> None:
    source = tmp_path / "page.html"
    source.write_text(HTML, encoding="utf-8")
    tasks = {t.id: t for t in extract_path(source, UnitBook()).document.tasks}
    assert {k: roles(t) for k, t in tasks.items()} == {
        "1.1": (["县城管局"], ["各乡镇人民政府"], "2024年6月底前"),
        "1.2": (["县城管局"], ["县财政局"], "2024年6月底前"),
        "1.3": (["县城管局"], ["县农业农村局"], "2024年10月底前"),
        "2.1": (["县生态环境分局"], ["县住建局"], "2024年11月底前"),
        "fj2.1": (["县住建局"], ["青禾镇人民政府"], "2024年8月底前"),
    }


def test_span_grid_keeps_later_cells_in_their_columns() -> None:
    rows = [[("a", 3, 1), ("b", 1, 1)], [("c", 1, 1)], [("d", 1, 2)]]
    assert span_grid(rows) == [["a", "b"], ["a", "c"], ["a", "d", "d"]]


def _sheet(book: openpyxl.Workbook, title: str, heading: str, rows: list[list[object]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append([heading])
    sheet.append(["序号", "重点任务", "牵头单位", "责任单位", "完成时限"])
    for row in rows:
        sheet.append(row)


def test_every_sheet_of_a_workbook_is_a_section_of_its_own(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["青禾县2024年乡村振兴重点任务分解表"])
    book.active.append(["青禾县人民政府办公室"])
    book.active.append(["2024年3月1日"])
    book.active.title = "说明"
    _sheet(book, "产业", "一、产业振兴", [[1, "新建茶园5000亩", "县农业农村局", "各乡镇人民政府", "2024年10月底前"]])
    _sheet(book, "生态", "二、生态宜居", [[1, "改造户厕1800户", "县农业农村局", "县卫生健康局", "2024年9月底前"]])
    source = tmp_path / "book.xlsx"
    book.save(source)
    tasks = {t.id: t for t in extract_path(source, UnitBook()).document.tasks}
    assert {k: roles(t)[:2] for k, t in tasks.items()} == {
        "1.1": (["县农业农村局"], ["各乡镇人民政府"]),
        "2.1": (["县农业农村局"], ["县卫生健康局"]),
    }


def test_a_sheet_is_read_by_its_filled_cells_not_its_declared_range() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["C1"] = "序号", "任务"
    sheet["A2"], sheet["C2"] = "1", "甲"
    sheet["XFD1048576"] = "远"
    sheet.merge_cells("A1:B1")
    assert sheet_rows(sheet) == [["序号", "任务", ""], ["1", "甲", ""], ["", "", "远"]]


def test_the_notice_s_own_numbered_rules_end_at_the_plan_s_title() -> None:
    text = (
        "青禾市人民政府办公厅关于印发2023年目标任务责任分解方案的通知\n青政办〔2023〕2号\n各区人民政府：\n"
        "现将方案印发给你们，并就有关事项通知如下：\n"
        "一、精心组织。牵头单位（无牵头单位的，责任单位即为牵头单位，下同）要逐项研究。\n"
        "二、加强督办。各牵头单位每季度报送完成情况。\n"
        "青禾市人民政府办公厅\n2023年1月20日\n2023年目标任务责任分解方案\n"
        "一、经济发展\n1.地区生产总值增长6.5%左右。（牵头单位：市发展改革委；责任单位：市统计局）\n"
        "2.新签约项目150个。（责任单位：市招商局，各区人民政府）\n"
    )
    doc = document(text)
    assert doc.issued == dt.date(2023, 1, 20)
    assert {t.id: roles(t)[:2] for t in doc.tasks} == {
        "1.1": (["市发展改革委"], ["市统计局"]),
        "1.2": (["市招商局", "各区人民政府"], []),  # no 牵头单位: the 责任单位 lead (the notice's rule)
    }


def test_main_responsible_column_leads_and_a_wrapped_unit_name_stays_whole() -> None:
    rows = [
        ["序号", "工作任务", "牵头县领导", "主要责任单位", "其他责任单位", "完成时限"],
        ["1", "建设标准厂房", "王某", "县发改局", "县安委\n会各成员单位", "2024年9月底前"],
        ["2", "新建学校2所", "李某", "县教育局", "县住建局\n县财政局", "2024年8月底前"],
    ]

    text = NOTICE + "\n".join(table_lines(rows)) + "\n"
    tasks = tasks_of(text)
    assert roles(tasks["1"])[:2] == (["县发改局"], ["县安委会各成员单位"])
    assert roles(tasks["2"])[:2] == (["县教育局"], ["县住建局", "县财政局"])


def test_a_collective_split_by_a_comma_is_one_unit() -> None:
    table = "序号\t任务名称\t牵头单位\t配合单位\n1\t建设政务云\t省数据局\t各市、县（区）人民政府\n\n"
    tasks = tasks_of(NOTICE + table)
    assert roles(tasks["1"])[:2] == (["省数据局"], ["各市、县(区)人民政府"])


def test_one_marker_after_a_group_of_sub_items_holds_for_each_of_them() -> None:
    text = NOTICE + (
        "一、夯实防灾基础\n1.整治河道隐患\n（1）清理行洪障碍物，2024年5月底前完成。\n（2）加固病险堤段。\n"
        "（责任单位：市水 利局、各县（区）人民政府）\n2.完善监测网络\n（1）新建雨量站20个。\n"
        "（责任单位：市气象局、市水利局）\n"
    )
    tasks = tasks_of(text)
    assert sorted(tasks) == ["1.1.1", "1.1.2", "1.2.1"]
    assert roles(tasks["1.1.1"]) == ([], ["市水利局", "各县(区)人民政府"], "2024年5月底前")
    assert roles(tasks["1.1.2"])[:2] == ([], ["市水利局", "各县(区)人民政府"])
    assert tasks["1.1.2"].title == "加固病险堤段"
    assert tasks["1.2.1"].section == "2.完善监测网络"
    assert roles(tasks["1.2.1"])[:2] == ([], ["市气象局", "市水利局"])


def test_a_pdf_table_with_single_spaces_rows_wrapped_inside_names_and_page_numbers() -> None:
    table = (
        "序号 整改任务 牵头单位 责任单位 整改时限\n"
        "1 清理河道沿岸违规堆场。 市水利局 市城市管\n理局、各县（区）人民政府 2024年9月底前\n"
        "2 改造城区雨污管网30公里。 市城市管理局 市财政局 2024年10月底前完成20公里；2025年5月底前全面完成\n"
        "— 2 —\n"
        "3 严格落实禁烧制度。 市农业农村局 各县（区）人民政府 立行立改，长期坚持\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert sorted(tasks) == ["1", "2", "3"]
    assert roles(tasks["1"]) == (["市水利局"], ["市城市管理局", "各县(区)人民政府"], "2024年9月底前")
    assert roles(tasks["2"]) == (["市城市管理局"], ["市财政局"], "2025年5月底前")
    assert roles(tasks["3"]) == (["市农业农村局"], ["各县(区)人民政府"], "长期坚持")


def test_a_verb_before_a_province_keeps_the_title_s_own_place() -> None:
    text = NOTICE.replace("青禾市2024年重点工作任务分工", "青禾市贯彻落实省环保督察反馈意见整改清单") + (
        "一、重点任务\n1.整治工业园区废水。（牵头单位：青禾工业园区管理委员会）\n"
    )
    doc = document(text)
    assert doc.tasks[0].lead == ["青禾工业园区管理委员会"]


GROUPED_HTML = """<html><body><p>青禾县人民政府办公室关于印发青禾县2024年营商环境重点任务分工的通知</p>
<p>各乡镇人民政府，县直各部门：</p><p>现印发给你们，请认真落实。</p><p>青禾县人民政府办公室</p><p>2024年3月5日</p>
<p>青禾县2024年营商环境重点任务分工</p>
<table>
<tr><td>序号</td><td>重点任务</td><td>具体措施</td><td>牵头单位</td><td>责任单位</td><td>完成时限</td></tr>
<tr><td rowspan="2">1</td><td rowspan="2">便利企业开办</td><td>推行开办一网通办。首套印章免费发放</td>
<td rowspan="2">县&nbsp;市场监管局</td><td>县税务局</td><td>2024年6月底前</td></tr>
<tr><td>推行住所申报承诺制</td><td>县自然资源局</td><td>2024年9月底前</td></tr>
<tr><td>2</td><td>强化要素保障</td><td>开展银企对接活动</td><td>县金融服务中心</td><td>县财政局</td><td>2024年12月底前</td></tr>
</table></body></html>"""


def test_a_task_cell_spanning_its_measure_rows_groups_them(tmp_path: Path) -> None:
    source = tmp_path / "page.html"
    source.write_text(GROUPED_HTML, encoding="utf-8")
    tasks = {t.id: t for t in extract_path(source, UnitBook()).document.tasks}
    assert {k: roles(t) for k, t in tasks.items()} == {
        "1.1": (["县市场监管局"], ["县税务局"], "2024年6月底前"),
        "1.2": (["县市场监管局"], ["县自然资源局"], "2024年9月底前"),
        "2.1": (["县金融服务中心"], ["县财政局"], "2024年12月底前"),
    }
    assert tasks["1.2"].section == "一、便利企业开办"
    assert tasks["1.1"].title.startswith("推行开办一网通办")


def test_a_work_goal_column_beside_the_task_is_no_group() -> None:
    rows = [
        ["序号", "重点工作", "工作目标", "牵头单位", "完成时限"],
        ["1", "改造供水管网", "管网漏损率降到9%", "县水利局", "2025年6月底前"],
        ["2", "新建水厂", "—", "县水利局", "2025年10月底前"],
    ]
    lines = table_lines(rows)
    assert lines[1].startswith("1.改造供水管网。") and lines[2].startswith("2.新建水厂。")


def test_units_cut_by_spaces_in_a_cell_and_the_lead_marked_in_it() -> None:
    rows = [
        ["序号", "重点任务", "责任单位", "时间节点"],
        ["1", "新建学校2所", "县教育局（牵头） 县财政局 县自然资源局", "2025年8月底前"],
        ["2", "改造供水管网", "县 水利局", "2025年10月底前"],
        ["3", "开展银企对接", "人行 青禾支行 县财政局", "2025年12月底前"],
    ]
    tasks = tasks_of(NOTICE + "\n".join(table_lines(rows)) + "\n")
    assert roles(tasks["1"])[:2] == (["县教育局"], ["县财政局", "县自然资源局"])
    assert roles(tasks["2"])[:2] == ([], ["县水利局"])
    assert roles(tasks["3"])[:2] == ([], ["人行青禾支行", "县财政局"])


def test_role_labels_written_inside_the_units_cell() -> None:
    rows = [
        ["序号", "任务内容", "责任单位", "完成时限"],
        ["1", "创建旅游景区1家", "牵头单位：县文旅局\n配合单位：县住建局、县财政局", "2024年9月底前"],
        ["2", "修缮文物建筑", "牵头单位：县文旅局\n配合单位：无", "2024年10月底前"],
    ]
    tasks = tasks_of(NOTICE + "\n".join(table_lines(rows)) + "\n")
    assert roles(tasks["1"])[:2] == (["县文旅局"], ["县住建局", "县财政局"])
    assert roles(tasks["2"])[:2] == (["县文旅局"], [])


def _wrap(text: str, width: int) -> str:
    """A PDF's copy: each paragraph broken every `width` characters."""
    return "\n".join(p[i : i + width] for p in text.split("\n") for i in range(0, max(len(p), 1), width))


def test_prose_hard_wrapped_by_a_pdf_inside_names_and_labels_with_a_page_footer() -> None:
    body = (
        "　　一、市容环境\n"
        "　　1.开展背街小巷环境整治，完成整治背街小巷20条。（牵头单位：县城市管理局；"
        "责任单位：县住建局、各街道办事处；完成时限：2025年10月底前）\n"
        "　　2.规范户外招牌设置，拆除违规广告设施，建立巡查长效机制。（牵头单位：各街道办事处；"
        "责任单位：县城市管理局、县市场监管局；完成时限：2025年8月底前）\n"
        "　　3.推进生活垃圾分类，城区生活垃圾回收利用率达到35%。（牵头单位：县城市管理局；"
        "责任单位：县教育局、各街道办事处）\n"
    )
    wrapped = _wrap(body, 23).split("\n")
    wrapped.insert(5, "－ 1 －")
    tasks = tasks_of(NOTICE + "\n".join(wrapped) + "\n")
    assert sorted(tasks) == ["1.1", "1.2", "1.3"]
    assert roles(tasks["1.1"]) == (["县城市管理局"], ["县住建局", "各街道办事处"], "2025年10月底前")
    assert roles(tasks["1.2"]) == (["各街道办事处"], ["县城市管理局", "县市场监管局"], "2025年8月底前")
    assert roles(tasks["1.3"])[:2] == (["县城市管理局"], ["县教育局", "各街道办事处"])


def test_a_span_of_dates_is_due_at_its_end() -> None:
    table = (
        "| 序号 | 重点工作 | 牵头单位 | 责任单位 | 完成时限 |\n|---|---|---|---|---|\n"
        "| 1 | 落实汛期值班制度 | 县应急管理局 | 县水利局 | 6月1日至9月30日 |\n\n"
    )
    task = tasks_of(NOTICE.replace("青禾市", "青禾县") + table)["1"]
    assert task.deadline == dt.date(2024, 9, 30)


def test_specific_implementation_by_a_unit_makes_it_responsible() -> None:
    text = NOTICE + (
        "一、重点任务\n（一）开展安全隐患排查。每季度开展一次排查，由各县（区）人民政府具体实施。\n"
        "（二）建设养老服务中心。由市民政局负责，市财政局配合。\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"])[1] == ["各县(区)人民政府"]
    assert roles(tasks["1.2"])[:2] == (["市民政局"], ["市财政局"])


def test_a_bare_marker_line_after_the_group_but_not_after_a_sentence_listing_its_parts() -> None:
    text = NOTICE + (
        "一、夯实防灾基础\n1.整治河道隐患\n（1）清理行洪障碍物。\n（2）加固病险堤段。\n"
        "责任单位：市水利局、各县（区）人民政府\n2.完善监测网络\n（1）新建雨量站20个。\n（2）升级预警平台。\n"
        "（责任单位：市气象局）\n"
    )
    tasks = tasks_of(text)
    assert sorted(tasks) == ["1.1.1", "1.1.2", "1.2.1", "1.2.2"]
    assert roles(tasks["1.1.2"])[:2] == ([], ["市水利局", "各县(区)人民政府"])
    assert roles(tasks["1.2.1"])[:2] == ([], ["市气象局"])
    listing = NOTICE + (
        "一、夯实防灾基础\n1.加强人才引进。\n（1）实施英才计划；\n（2）完善配套服务。\n（责任单位：市人社局）\n"
        "2.强化督查考核\n（1）开展年度考核。\n（2）通报考核结果；\n（责任单位：市政府督查室）\n"
    )
    assert sorted(tasks_of(listing)) == ["1.1", "1.2"]


def test_the_notice_s_end_date_for_the_whole_work_sets_the_period() -> None:
    notice = (
        "青禾市整改工作领导小组办公室关于印发青禾市督察反馈问题整改清单的通知\n青整改办〔2024〕2号\n"
        "各县（区）人民政府，市直有关单位：\n现将整改清单印发给你们，整改工作于2025年底前全面完成。\n"
        "青禾市整改工作领导小组办公室\n2024年5月10日\n青禾市督察反馈问题整改清单\n"
    )
    table = "序号 整改任务 牵头单位 责任单位\n1 清理违规堆场。 市水利局 市城市管理局\n\n"
    doc = document(notice + table)
    assert doc.period == (dt.date(2024, 5, 10), dt.date(2025, 12, 31))
    assert doc.tasks[0].deadline == dt.date(2025, 12, 31)


def test_a_table_saved_as_csv_with_quoted_cells_empty_cells_and_a_note_row() -> None:
    table = (
        "序号,分类,工作任务,牵头单位,配合单位,完成时限\n"
        '1,产业,"建成标准厂房5栋，新增企业12家",市工信局,"市财政局、市自然资源局",2024年9月底前\n'
        "2,,新增高新技术企业8家,市科技局,,2024年12月底前\n"
        "注：牵头单位为第一责任单位。,,,,,\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert sorted(tasks) == ["1", "2"]
    assert tasks["1"].title.startswith("建成标准厂房5栋，新增企业12家")
    assert roles(tasks["1"]) == (["市工信局"], ["市财政局", "市自然资源局"], "2024年9月底前")
    assert roles(tasks["2"]) == (["市科技局"], [], "2024年12月底前")


def test_a_rectification_list_in_labelled_blocks_one_task_per_problem() -> None:
    blocks = (
        "问题1：河道沿线存在违规堆场。\n整改目标：清理堆场4处。\n整改措施：逐处核查，限期清理。\n"
        "责任领导：周某\n牵头单位：市水利局\n责任单位：市城市管理局、市公安局\n整改时限：2024年8月底前\n\n"
        "问题2：部分餐饮店油烟直排。\n整改目标：全部安装净化设施。\n牵头单位：市生态环境局\n"
        "责任单位：市市场监管局\n整改时限：2024年10月底前\n"
    )
    tasks = tasks_of(NOTICE + blocks)
    assert sorted(tasks) == ["1", "2"]
    assert tasks["1"].title == "河道沿线存在违规堆场"
    assert roles(tasks["1"]) == (["市水利局"], ["市城市管理局", "市公安局"], "2024年8月底前")
    assert roles(tasks["2"]) == (["市生态环境局"], ["市市场监管局"], "2024年10月底前")


def test_roles_written_inside_a_responsible_label() -> None:
    text = NOTICE + (
        "一、优化营商环境\n1.推行惠企政策免申即享。（责任单位：市财政局牵头，市直各部门按职责分工负责；"
        "完成时间：2024年9月底前）\n2.清理拖欠企业账款。（责任单位：市工信局负责；完成时间：2024年10月底前）\n"
        "3.开展营商环境评价。（责任单位：市统计局、市发改委；完成时间：2024年11月底前）\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"]) == (["市财政局"], ["市直各部门"], "2024年9月底前")
    assert roles(tasks["1.2"])[:2] == (["市工信局"], [])
    assert roles(tasks["1.3"])[:2] == ([], ["市统计局", "市发改委"])


def test_square_bracket_labels_run_together_after_the_task() -> None:
    text = NOTICE + (
        "一、重点任务\n（一）整治燃气隐患。排查餐饮场所燃气设施。【牵头部门】市城管局【协办部门】市住建局、"
        "市市场监管局【完成时限】2024年9月底前\n（二）加强消防培训。培训企业负责人500人次。【牵头部门】市消防救援支队"
        "【协办部门】市人社局\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"]) == (["市城管局"], ["市住建局", "市市场监管局"], "2024年9月底前")
    assert roles(tasks["1.2"])[:2] == (["市消防救援支队"], ["市人社局"])
    assert "【" not in tasks["1.1"].title + tasks["1.2"].title


def test_a_safety_committee_issuer_is_proposed_by_its_short_name() -> None:
    notice = (
        "青禾市安全生产委员会关于印发《青禾市2024年安全生产工作要点》的通知\n青安委〔2024〕1号\n"
        "各县（区）人民政府，市安委会各成员单位：\n现将工作要点印发给你们。\n青禾市安全生产委员会\n2024年3月5日\n"
        "青禾市2024年安全生产工作要点\n一、保障措施\n（一）加强宣传引导。营造安全生产良好氛围。\n"
    )
    assert roles(tasks_of(notice)["1.1"])[0] == ["市安委会"]


def test_a_staged_schedule_cell_is_due_at_its_last_stage() -> None:
    table = (
        "序号｜工作事项｜责任单位｜进度安排｜完成情况\n"
        "1｜建设城市书房｜市文旅局（牵头）、市财政局｜①4月底前，完成选址。②8月底前，完成装修。③11月底前，开放运营。｜\n"
        "2｜新增公共充电桩500个｜市发改委｜①6月底前，新增200个。②9月底前，累计新增500个。｜\n\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert sorted(tasks) == ["1", "2"]
    assert tasks["1"].deadline == dt.date(2024, 11, 30)
    assert tasks["2"].deadline == dt.date(2024, 9, 30)
    assert roles(tasks["1"])[:2] == (["市文旅局"], ["市财政局"])


def test_quarter_columns_without_a_deadline_column_and_a_lead_on_its_own_line(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["青禾市人民政府办公室关于印发2024年民生实事推进计划的通知"])
    sheet.append(["青禾市人民政府办公室 2024年3月5日"])
    sheet.append(["序号", "项目名称", "责任单位", "一季度", "二季度", "三季度", "四季度"])
    sheet.append(["1", "新建口袋公园8个", "市园林局（牵头）\n市财政局、各区政府", "选址", "开工", "建成8个", "—"])
    sheet.append(["2", "改造老旧管网30公里", "市水务局", "设计", None, None, "完成30公里"])
    sheet.append(["注：每季度末将进展报市政府督查室。"])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    tasks = {t.id: t for t in extract_path(path, UnitBook()).document.tasks}
    assert sorted(tasks) == ["1", "2"]
    assert roles(tasks["1"]) == (["市园林局"], ["市财政局", "各区政府"], dt.date(2024, 9, 30))
    assert roles(tasks["2"]) == ([], ["市水务局"], dt.date(2024, 12, 31))
    assert tasks["2"].recurrence is None


def test_a_grid_table_joins_each_row_s_lines_even_inside_names_and_dates() -> None:
    table = (
        "+----+--------------+----------+----------+------------+\n"
        "| 序号 | 工作任务     | 牵头单位 | 配合单位 | 完成时限   |\n"
        "+====+==============+==========+==========+============+\n"
        "| 1  | 建设智慧停车 | 市城市管 | 市公安局 | 2024年8月底 |\n"
        "|    | 平台         | 理局     |          | 前         |\n"
        "+----+--------------+----------+----------+------------+\n"
        "| 2  | 新建5G基站   | 市工业和 | 市住建局、 | 持续推进 |\n"
        "|    | 300个        | 信息化局 | 各区政府 |            |\n"
        "+----+--------------+----------+----------+------------+\n\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert sorted(tasks) == ["1", "2"]
    assert tasks["1"].title == "建设智慧停车平台"
    assert roles(tasks["1"]) == (["市城市管理局"], ["市公安局"], "2024年8月底前")
    assert roles(tasks["2"])[:2] == (["市工业和信息化局"], ["市住建局", "各区政府"])


def test_a_supervising_unit_column_or_line_supervises_and_never_leads() -> None:
    table = (
        "序号｜工作任务｜牵头单位｜配合单位｜完成时限｜督办单位\n"
        "1｜建设城市书房｜市文旅局｜市财政局｜2024年11月底前｜市政府督查室\n"
        "2｜新增公共充电桩500个｜市发改委｜市住建局｜2024年9月底前｜\n\n"
    )
    tasks = tasks_of(NOTICE + table)
    assert (tasks["1"].supervise, tasks["2"].supervise) == (["市政府督查室"], [])
    assert roles(tasks["1"])[:2] == (["市文旅局"], ["市财政局"])
    lines = NOTICE + (
        "一、重点任务\n1.整治河道垃圾。\n牵头单位：市水利局\n配合单位：市城管局\n督查单位：市委督查室\n"
        "时间节点：2024年6月底前\n2.清理违规广告牌。\n牵头单位：市城管局\n时间节点：2024年8月底前\n"
    )
    extraction = extract_text(lines, "doc.txt", UnitBook())
    found = {task.id: task for task in extraction.document.tasks}
    assert (found["1.1"].supervise, found["1.2"].supervise) == (["市委督查室"], [])
    assert roles(found["1.1"]) == (["市水利局"], ["市城管局"], "2024年6月底前")
    assert "supervise: [市委督查室]" in to_yaml(extraction)
