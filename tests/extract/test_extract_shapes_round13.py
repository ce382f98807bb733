"""The shapes of the round-13 corpus (see tests/data/extract/round13/README.md, U1-U13), each on a short input of
its own (invented places and units, not the corpus's words): several numbered 举措 in one cell beside an 改革事项,
bold leads in a Word units cell with "person（unit）" entries, a development zone's bare departments, an OA export's
dates and 合计 row, ①②③ items with roles and time in one closing bracket, a 民生实事 list after the notice's
signature with a 任务分解 line. No registry."""

from __future__ import annotations

import datetime as dt
import io

from bot.extract.tables import table_lines
from tests.extract.support import document, roles, tasks_of

HEAD = "柳川县水利局文件\n柳水〔2026〕8号\n各乡镇人民政府：\n现将工作安排印发给你们。\n柳川县水利局\n2026年2月10日\n"


def test_numbered_measures_in_one_cell_beside_the_matter_are_tasks_each_with_its_numbered_time() -> None:
    rows = [
        ["序号", "改革事项", "具体举措", "牵头单位", "配合单位", "完成时限"],
        ["1", "河长制改革", "1.建立巡河台账；\n2.推行河长积分", "县水利局", "各乡镇人民政府", "1.5月底前；\n2.9月底前"],
        ["2", "水价改革", "推行阶梯水价。", "县发改局", "县水利局", "年底前"],
    ]
    lines = table_lines(rows)
    assert "1.河长制改革。(1)建立巡河台账。(牵头单位:县水利局;责任单位:各乡镇人民政府;完成时限:5月底前)" in lines[1]
    assert "(2)推行河长积分。(牵头单位:县水利局;责任单位:各乡镇人民政府;完成时限:9月底前)" in lines[1]
    assert lines[2] == "2.推行阶梯水价。(牵头单位:县发改局;责任单位:县水利局;完成时限:年底前)"
    tasks = tasks_of(HEAD + "\n".join(lines))
    assert sorted(tasks) == ["1.1", "1.2", "2"]
    assert tasks["1.2"].title == "推行河长积分" and tasks["1.2"].section == "1.河长制改革"
    assert tasks["1.2"].deadline == dt.date(2026, 9, 30)


def test_bold_entries_of_a_word_units_cell_lead_and_a_persons_bracketed_unit_takes_the_role() -> None:
    import docx

    from bot.extract.reader import docx_to_text

    word = docx.Document()
    word.add_paragraph("柳川县人民政府办公室关于印发《2026年重点项目包联分工》的通知")
    table = word.add_table(rows=2, cols=4)
    for c, value in enumerate(("序号", "项目名称", "包联县领导及责任单位", "完成时限")):
        table.cell(0, c).text = value
    for c, value in enumerate(("1", "柳岸水厂", "", "10月底前")):
        table.cell(1, c).text = value
    cell = table.cell(1, 2)
    cell.paragraphs[0].add_run("张明（县水利局）").bold = True
    cell.add_paragraph("李华（县住建局）")
    cell.add_paragraph("柳岸镇人民政府")
    out = io.BytesIO()
    word.save(out)
    text = docx_to_text(out.getvalue(), "doc.docx")
    assert "张明(县水利局)(牵头)" in text.replace("（", "(").replace("）", ")")
    tasks = tasks_of(HEAD + text)
    assert roles(tasks["1"])[:2] == (["县水利局"], ["县住建局", "柳岸镇人民政府"])


def test_a_development_zones_departments_carry_no_level_word() -> None:
    text = "柳川高新区管委会文件\n柳高管〔2026〕3号\n管委会各部门：\n现将工作安排印发给你们。\n"
    text += "柳川高新区管委会\n2026年2月10日\n"
    text += "一、安全生产\n1.开展隐患排查（牵头单位：应急管理局；责任单位：建设管理局；完成时限：5月底前）。\n"
    assert roles(tasks_of(text)["1.1"])[:2] == (["应急管理局"], ["建设管理局"])


def test_slashed_dates_and_a_total_row_by_its_number_cell() -> None:
    rows = [
        ["序号", "项目名称", "牵头处室", "配合单位", "完成时限"],
        ["1.0", "新建码头2个", "水运处", "各市交通运输局", "2026/9/30"],
        ["合计", "", "1项", "", ""],
    ]
    text = HEAD + "\n".join(table_lines(rows))
    tasks = tasks_of(text)
    assert sorted(tasks) == ["1"]
    assert tasks["1"].deadline == dt.date(2026, 9, 30)


def test_circled_items_with_roles_and_time_in_one_closing_bracket() -> None:
    text = HEAD + "柳川县2026年水利工作要点\n一、河道治理\n"
    text += "①整修河堤5公里（县水利局牵头，县财政局按职责分工负责，9月底前完成）。\n"
    text += "②清理河道淤泥（县水利局牵头，各乡镇人民政府按职责分工负责，年底前完成）。\n"
    tasks = tasks_of(text)
    assert roles(tasks["1.1"]) == (["县水利局"], ["县财政局"], dt.date(2026, 9, 30))
    assert roles(tasks["1.2"]) == (["县水利局"], ["各乡镇人民政府"], dt.date(2026, 12, 31))


def test_a_list_after_the_notices_signature_with_a_task_split_among_the_towns() -> None:
    text = "柳川县人民政府办公室文件\n柳政办发〔2026〕2号\n各乡镇人民政府，县政府各部门：\n"
    text += "现将民生实事项目下达给你们。\n"
    text += "一、责任单位为项目的牵头实施单位，配合单位按职责做好配合。\n二、各责任单位每月5日前报送进展。\n"
    text += "柳川县人民政府办公室\n2026年2月10日\n\n2026年县级民生实事项目\n"
    text += "1.新建村级养老站10个\n牵头县领导：副县长　张明\n责任单位：县民政局\n配合单位：县财政局\n"
    text += "任务分解：柳岸镇6个，河口镇4个\n完成时间：10月底前\n"
    text += "2.改造农村公路20公里\n责任单位：县交通运输局\n完成时间：年底前\n"
    extracted = document(text)
    assert extracted.issued == dt.date(2026, 2, 10)
    tasks = {task.id: task for task in extracted.tasks}
    assert sorted(tasks) == ["1", "2"]
    assert roles(tasks["1"]) == (["县民政局"], ["县财政局", "柳岸镇", "河口镇"], dt.date(2026, 10, 31))
    assert roles(tasks["2"])[:2] == (["县交通运输局"], [])
