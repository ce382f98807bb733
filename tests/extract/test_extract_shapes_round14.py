"""The shapes of the round-14 corpus (see tests/data/extract/round14/README.md, V1-V15), each on a short input of
its own (invented places and units, not the corpus's words): chapter tables with a repeated bold header, a 「」
quoted task cell, an `<iframe srcdoc>` attachment, a numbered measure list before a block's roles, a 分工 per unit
with a shared task, a deadline tied to an event the notice dates. No registry."""

from __future__ import annotations

import datetime as dt

from bot.extract.event_dates import event_due
from bot.extract.quoted import unquoted
from bot.extract.reader import html_to_text
from bot.extract.step_lists import block_number, fold_steps
from tests.extract.support import roles, tasks_of

HEADER = "<tr><td><b>序号</b></td><td><b>工作任务</b></td><td><b>牵头单位</b></td><td><b>完成时限</b></td></tr>"


def test_chapter_tables_with_one_header_are_one_list_their_headings_sections() -> None:
    page = (
        "<h3>一、产业发展</h3><table>" + HEADER + "<tr><td>1</td><td>建设厂房</td><td>县工信局</td>"
        "<td>6月底前</td></tr></table><h3>二、民生保障</h3><table>" + HEADER + "<tr><td>2</td><td>改造学校</td>"
        "<td>县教育局</td><td>9月底前</td></tr></table>"
    )
    lines = html_to_text(page).split("\n")
    assert lines == [
        "【任务表】",
        "一、产业发展",
        "1.建设厂房。(牵头单位:县工信局;完成时限:6月底前)",
        "二、民生保障",
        "2.改造学校。(牵头单位:县教育局;完成时限:9月底前)",
    ]


def test_a_table_of_another_header_stays_a_table_of_its_own() -> None:
    other = "<tr><td>序号</td><td>工作任务</td><td>责任单位</td></tr>"
    page = (
        "<table>" + HEADER + "<tr><td>1</td><td>建设厂房</td><td>县工信局</td><td>6月底前</td></tr></table>"
        "<p>二、其他</p><table>" + other + "<tr><td>1</td><td>修路</td><td>县交通局</td></tr></table>"
    )
    assert html_to_text(page).count("【任务表】") == 2


def test_a_quoted_sentence_is_the_title_without_its_brackets() -> None:
    assert unquoted("「新增就业1万人，建成“小巨人”企业3家。」") == "新增就业1万人，建成“小巨人”企业3家"
    assert unquoted("落实「两个确保」要求") == "落实「两个确保」要求"


def test_an_iframe_srcdoc_is_read_in_place() -> None:
    inner = "<table>" + HEADER + "<tr><td>1</td><td>建设厂房</td><td>县工信局</td><td>6月底前</td></tr></table>"
    escaped = inner.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    text = html_to_text(f'<p>附件</p><iframe srcdoc="{escaped}"></iframe><p>完</p>')
    assert "1.建设厂房。(牵头单位:县工信局;完成时限:6月底前)" in text.split("\n")


def test_a_numbered_measure_list_before_the_roles_folds_into_its_label() -> None:
    lines = ["问题二：河道垃圾清理不及时。", "整改措施：", "1.排查河段；", "2.落实保洁。"]
    lines += ["责任单位：县水利局", "整改时限：6月底前"]
    lines = [block_number(line) for line in lines]
    fold_steps(lines)
    assert lines == ["2.河道垃圾清理不及时。", "整改措施：排查河段；落实保洁。", "", "", lines[4], lines[5]]


def test_a_list_without_role_lines_after_it_stays_as_it_is() -> None:
    lines = ["主要任务：", "1.排查河段。", "2.落实保洁。", "三、保障措施"]
    fold_steps(lines)
    assert lines == ["主要任务：", "1.排查河段。", "2.落实保洁。", "三、保障措施"]


def test_an_event_deadline_is_the_eve_of_the_date_the_notice_gives() -> None:
    notice = "全县农民运动会将于2026年10月8日开幕，请各单位抓紧准备。"
    due = event_due("运动会开幕前完成", notice, dt.date(2026, 3, 1))
    assert due is not None and due.value == dt.date(2026, 10, 7)
    assert event_due("运动会开幕前完成", "请各单位抓紧准备。", dt.date(2026, 3, 1)) is None
    assert event_due("6月底前", notice, dt.date(2026, 3, 1)) is None


def test_a_division_per_unit_makes_the_heading_unit_responsible_and_a_shared_task_one() -> None:
    text = (
        "柳川县爱卫办\n关于印发分工的通知\n各有关单位：\n现印发给你们。\n柳川县爱卫办\n2026年2月10日\n"
        "一、县卫健局\n1.开展病媒生物防制（6月底前完成）。\n2.整治农贸市场环境（与县市场监管局共同负责；9月底前完成）。\n"
        "二、县市场监管局\n1.规范食品摊点（10月底前完成）。\n2.整治农贸市场环境（与县卫健局共同负责；9月底前完成）。\n"
    )
    tasks = tasks_of(text)
    assert roles(tasks["1.1"]) == ([], ["县卫健局"], dt.date(2026, 6, 30))
    assert sorted(tasks["1.2"].responsible) == ["县卫健局", "县市场监管局"]
    assert "2.2" not in tasks and "2.1" in tasks
