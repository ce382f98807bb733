"""The shapes of the round-12 corpus (see tests/data/extract/round12/README.md, T1-T14), each on a short input of
its own (invented places and units, not the corpus's words): a CSS grid of flat cells, nested `<ol>` numbered by
CSS, soft line breaks in a cell, a PDF row split by a page break, month-labelled milestones, a parent's roles
sentence for its children. No registry."""

from __future__ import annotations

import datetime as dt

from bot.extract.css import grid_tracks, list_label
from bot.extract.deadline_phrases import milestone_due
from bot.extract.reader import _pdf_lines, html_to_text
from bot.extract.soft_breaks import soft_lines
from tests.extract.support import roles, tasks_of

HEAD = "柳川县水利局文件\n柳水〔2026〕8号\n各乡镇人民政府：\n现将工作安排印发给你们。\n柳川县水利局\n2026年2月10日\n"


def test_grid_tracks_count_the_columns() -> None:
    assert grid_tracks("40px 2fr 1fr 1fr") == 4
    assert grid_tracks("repeat(3, 1fr) 80px") == 4
    assert grid_tracks("[start] minmax(60px, 1fr) [mid] 2fr [end]") == 2
    assert grid_tracks("repeat(auto-fill, minmax(120px, 1fr))") == 0  # no fixed width: a layout, not a table


def test_a_css_grid_of_flat_cells_is_a_table_an_empty_cell_keeping_its_place() -> None:
    page = (
        "<style>.g { display: grid; grid-template-columns: 40px 3fr 1fr 1fr 1fr; }</style>"
        '<div class="g"><div>序号</div><div>工作任务</div><div>牵头单位</div><div>配合单位</div><div>完成时限</div>'
        "<div>1</div><div>整修河堤</div><div>县水利局</div><div></div><div>5月底前</div>"
        "<div>2</div><div>清理河道</div><div>县水利局</div><div>各乡镇人民政府</div><div>6月底前</div></div>"
    )
    text = html_to_text(page)
    assert "1.整修河堤。(牵头单位:县水利局;完成时限:5月底前)" in text
    assert "2.清理河道。(牵头单位:县水利局;责任单位:各乡镇人民政府;完成时限:6月底前)" in text


def test_nested_ordered_lists_get_the_numbers_their_list_style_shows() -> None:
    assert list_label("cjk-ideographic", 3) == "三、"
    assert list_label("decimal", 2) == "2."
    assert list_label("disc", 1) == ""
    page = (
        "<style>ol.a { list-style-type: cjk-ideographic; } ol.b { list-style-type: decimal; }</style>"
        '<ol class="a"><li>防汛准备<ol class="b"><li>检查闸站。</li><li>储备物资。</li></ol></li>'
        '<li>水源保护<ol class="b"><li>划定保护区。</li></ol></li></ol>'
    )
    assert html_to_text(page).split("\n") == [
        "一、防汛准备",
        "1.检查闸站。",
        "2.储备物资。",
        "二、水源保护",
        "1.划定保护区。",
    ]


def test_a_soft_break_separates_units_but_a_names_tail_or_a_dates_month_continues() -> None:
    assert soft_lines(["县水利局", "柳岸供水", "有限公司"]) == ["县水利局", "柳岸供水有限公司"]
    assert soft_lines(["2026年", "10月底前"]) == ["2026年10月底前"]
    assert soft_lines(["设计：4月前", "完工：9月前"]) == ["设计：4月前", "完工：9月前"]


def test_a_pdf_row_split_by_a_page_break_is_joined_cell_by_cell() -> None:
    header = ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"]
    page1 = [
        header,
        ["1", "整修河堤", "县水利局", "柳岸镇人民政府", "5月底前"],
        ["2", "清理河道，", "县水利局", "县财政局、", ""],
    ]
    page2 = [
        header,
        ["", "恢复水生态", "", "各乡镇人民政府", "9月底前"],
        ["3", "建设水文站", "县水利局", "县气象局", "10月底前"],
    ]
    lines = _pdf_lines([page1, "— 1 —", page2])
    assert "2.清理河道，恢复水生态。(牵头单位:县水利局;责任单位:县财政局、各乡镇人民政府;完成时限:9月底前)" in lines
    assert sum(1 for line in lines if line[:2] in ("1.", "2.", "3.")) == 3


def test_the_last_labelled_milestone_is_the_deadline() -> None:
    issued = dt.date(2026, 2, 10)
    assert milestone_due("进度安排:3月:完成设计;11月:通过验收。", issued).value == dt.date(2026, 11, 30)  # type: ignore[union-attr]
    assert milestone_due("进度安排:二季度:开工;三季度:完工。", issued).value == dt.date(2026, 9, 30)  # type: ignore[union-attr]
    assert milestone_due("3月:完成设计。", issued) is None  # one label is no schedule
    text = HEAD + "一、河道整治\n牵头单位：县水利局\n进度安排：4月：完成设计；7月：完成施工。\n"
    text += "二、水源保护\n牵头单位：县生态环境局\n进度安排：3月：划定范围；6月底前全面完成。\n"
    tasks = tasks_of(text)
    assert tasks["1"].deadline == dt.date(2026, 7, 31)
    assert tasks["2"].deadline == dt.date(2026, 6, 30)


def test_a_parents_roles_sentence_holds_for_its_children_and_a_childs_own_helper_is_added() -> None:
    text = (
        HEAD
        + "柳川县2026年水利重点工作\n一、水利建设\n（一）推进河道整治。由县水利局牵头，县财政局、各乡镇人民政府配合。\n"
    )
    text += "1. 整修河堤5公里（5月底前）。\n2. 清理河道淤泥（县自然资源局配合，9月底前）。\n"
    text += "（二）加强水源保护。由县生态环境局牵头，县水利局配合。\n1. 划定水源保护区（长期坚持）。\n"
    tasks = tasks_of(text)
    assert sorted(tasks) == ["1.1", "1.2", "2.1"]  # one task section: its number left out, as in the plan's ids
    assert roles(tasks["1.1"]) == (["县水利局"], ["县财政局", "各乡镇人民政府"], dt.date(2026, 5, 31))
    assert roles(tasks["1.2"])[:2] == (["县水利局"], ["县财政局", "各乡镇人民政府", "县自然资源局"])
    assert roles(tasks["2.1"]) == (["县生态环境局"], ["县水利局"], "长期坚持")


def test_an_ordered_list_counts_from_its_start_and_a_typed_number_is_not_doubled() -> None:
    page = '<ol start="3"><li>检查闸站。</li><li>储备物资。</li></ol><ol><li>1.划定保护区。</li></ol>'
    assert html_to_text(page).split("\n") == ["3.检查闸站。", "4.储备物资。", "1.划定保护区。"]


def test_a_word_table_continued_after_a_page_break_joins_its_split_row() -> None:
    import io

    import docx

    from bot.extract.reader import docx_to_text

    word = docx.Document()
    word.add_paragraph("柳川县水利局关于印发《2026年水利工作任务分工》的通知")
    header = ("序号", "工作任务", "牵头单位", "责任单位", "完成时限")
    parts = [
        [header, ("1", "整修河堤", "县水利局", "柳岸镇", "5月底前"), ("2", "清理河道，", "县水利局", "县财政局、", "")],
        [header, ("", "恢复水生态", "", "各乡镇人民政府", "9月底前")],
    ]
    for rows in parts:
        table = word.add_table(rows=len(rows), cols=5)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        word.add_paragraph("")
    out = io.BytesIO()
    word.save(out)
    lines = docx_to_text(out.getvalue(), "doc.docx").split("\n")
    assert "2.清理河道，恢复水生态。(牵头单位:县水利局;责任单位:县财政局、各乡镇人民政府;完成时限:9月底前)" in lines
