"""The shapes of the round-11 corpus (see tests/data/extract/round11/README.md, S1-S16), each on a short text of
its own (invented places and units, not the corpus's words): "项目一　X" blocks with 实施单位 / 行业主管部门 /
计划完成时间 lines (a 项目库 plan, as in a `<pre>` block). No registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.extract.support import roles, tasks_of

HEAD = "柳川县水利局文件\n柳水〔2026〕8号\n各乡镇人民政府：\n现将项目计划下达给你们。\n柳川县水利局\n2026年2月10日\n"

PROJECTS = """柳川县2026年度水利项目实施计划
项目一　柳岸村灌溉渠道改造
    建设内容：改造灌溉渠道3公里
    实施单位：柳岸镇人民政府
    行业主管部门：县水利局
    计划完成时间：2026年10月底前
项目二　河湾村饮水工程维修
    建设内容：维修供水管网2公里
    实施单位：河湾乡人民政府
    行业主管部门：县水利局、县卫健局
    计划完成时间：2026年8月底前
"""


def test_project_blocks_are_tasks_the_implementer_leads_under_its_supervising_department() -> None:
    tasks = tasks_of(HEAD + PROJECTS)
    assert sorted(tasks) == ["1", "2"]  # S12: 项目一 … → "1" …
    assert tasks["1"].title.startswith("柳岸村灌溉渠道改造")
    assert roles(tasks["1"])[:2] == (["柳岸镇人民政府"], ["县水利局"])  # S11
    assert roles(tasks["2"])[:2] == (["河湾乡人民政府"], ["县水利局", "县卫健局"])
    assert str(tasks["2"].deadline) == "2026年8月底前"  # a phrase with a year, as written


def test_an_implementing_unit_alone_stays_responsible() -> None:
    text = HEAD + "一、重点工作\n1.改造灌溉渠道。\n牵头单位：县水利局\n实施单位：柳岸镇人民政府\n"
    text += "完成时限：2026年10月底前\n"
    assert roles(tasks_of(text)["1.1"])[:2] == (["县水利局"], ["柳岸镇人民政府"])


def test_one_field_table_per_task_between_section_headings(tmp_path: Path) -> None:
    import docx

    from bot.extract import extract_path
    from bot.extract.units import UnitBook

    word = docx.Document()
    for line in ("柳川学院关于印发《2026年建设任务分解》的通知", "柳川学院", "2026年2月10日", "2026年建设任务分解"):
        word.add_paragraph(line)
    forms = {
        "一、专业建设": [("1-1", "修订人才培养方案", "教务处", "信息学院、招生处", "2026年9月30日前")],
        "二、师资建设": [
            ("2-1", "实施教师培训计划", "人事处", "无", "2026年10月31日前"),
            ("2-2", "选派教师企业实践", "人事处", "合作办公室", "2026年11月30日前"),
        ],
    }
    for heading, tasks in forms.items():
        word.add_paragraph(heading)
        for number, title, lead, partners, due in tasks:
            labels = ("任务编号", "任务名称", "牵头部门", "协同部门", "责任人", "完成时间")
            values = (number, title, lead, partners, "副院长　柳青", due)
            grid = word.add_table(rows=len(labels), cols=2)
            for r, (label, value) in enumerate(zip(labels, values, strict=True)):
                grid.cell(r, 0).text, grid.cell(r, 1).text = label, value
            word.add_paragraph("")
    path = tmp_path / "field_tables.docx"
    word.save(str(path))
    tasks = {t.id: t for t in extract_path(path, UnitBook()).document.tasks}
    assert sorted(tasks) == ["1.1", "2.1", "2.2"]  # S7: a table a task, the headings its sections
    assert tasks["1.1"].title.startswith("修订人才培养方案")
    assert roles(tasks["1.1"])[:2] == (["教务处"], ["信息学院", "招生处"])
    assert roles(tasks["2.1"])[:2] == (["人事处"], [])  # 协同部门 | 无: none; 责任人 a person
    assert tasks["2.2"].section is not None and "师资建设" in tasks["2.2"].section


def test_a_half_year_without_a_year_is_its_last_day_in_the_issue_year() -> None:
    from bot.extract.deadline_phrases import field_deadline

    issued = dt.date(2026, 2, 10)
    for phrase, day in (
        ("上半年", dt.date(2026, 6, 30)),
        ("年中前", dt.date(2026, 6, 30)),
        ("下半年", dt.date(2026, 12, 31)),
    ):
        due = field_deadline(phrase, issued)
        assert due is not None and due.date == day  # S5


def test_a_role_label_with_a_bracketed_qualifier_is_still_that_label() -> None:
    text = (
        HEAD
        + "一、重点工作\n1.改造灌溉渠道\n牵头科室：规划科\n"
        + "配合科室（单位）：财务科、县水文站\n完成时限：2026年10月底前\n"
    )
    assert roles(tasks_of(text)["1.1"])[:2] == (["规划科"], ["财务科", "县水文站"])  # S15's lines


def test_a_date_in_chinese_numerals_with_zero_reads_as_arabic_and_a_community_label_names_units() -> None:
    text = HEAD + "一、重点工作\n１．改造灌溉渠道\n　　责任科室：规划科（牵头）、财务科\n　　责任社区：东湖社区\n"
    tasks = tasks_of(text + "　　完成时限：二〇二六年十月底前\n")
    assert roles(tasks["1.1"])[:2] == (["规划科"], ["财务科", "东湖社区"])
    assert str(tasks["1.1"].deadline) == "2026年10月底前"  # S13: as written, in Arabic digits


MINUTES = """柳川县人民政府
县长办公会议纪要
〔2026〕第2期
柳川县人民政府办公室　　2026年3月10日
　　现将会议议定事项纪要如下：
　　一、关于城区供水工作
　　会议听取了县水利局的汇报。会议明确：一是完成城北水厂扩建，由县水利局负责，县财政局配合，9月底前完成；\
二是由县住建局牵头改造老旧供水管网，县水利局配合，10月31日前完成。
出席：柳青　柳白
列席：县水利局、县住建局、县财政局负责同志
"""


def test_a_meetings_ordinal_clauses_are_its_tasks_and_the_attendance_lines_end_it() -> None:
    tasks = tasks_of(MINUTES)
    assert sorted(tasks) == ["1.1", "1.2"]  # S3: 一是 / 二是, under the 议题
    assert roles(tasks["1.1"])[:2] == (["县水利局"], ["县财政局"])  # S4
    assert roles(tasks["1.2"])[:2] == (["县住建局"], ["县水利局"])  # 列席 units are no responsible units


def test_a_year_less_half_or_quarter_end_in_running_text_is_a_deadline() -> None:
    from bot.extract.deadline_phrases import find_deadline

    issued = dt.date(2026, 3, 10)
    for text, day in (
        ("县财政局统筹安排资金，上半年拨付到位", dt.date(2026, 6, 30)),
        ("加快办理报批手续，年中前完成报批", dt.date(2026, 6, 30)),
        ("做好前期论证，第三季度末完成", dt.date(2026, 9, 30)),
    ):
        due = find_deadline(text, issued)
        assert due is not None and due.date == day  # S5


def test_each_unit_with_its_own_time_makes_all_responsible_and_the_latest_the_deadline() -> None:
    from bot.extract.tables import table_lines

    rows = [
        ["序号", "工作任务", "牵头科室", "责任科室（单位）及完成时限"],
        ["1", "开展校舍安全排查", "安全科", "后勤中心（8月底前）、各中学（10月底前（含））、财务科（6月底前）"],
        ["2", "开展安全教育", "基教科", "各中学（长期坚持）"],
    ]
    lines = table_lines(rows)
    assert "责任单位:后勤中心、各中学、财务科" in lines[1]  # S10: the brackets no part of the names
    assert (
        "完成时限:8月底前、10月底前(含)、6月底前" in lines[1] or "完成时限:8月底前、10月底前（含）、6月底前" in lines[1]
    )
    tasks = tasks_of(HEAD + "\n".join(lines) + "\n")
    assert tasks["1"].deadline == dt.date(2026, 10, 31)  # the latest of them
    assert roles(tasks["2"])[:2] == (["基教科"], ["各中学"])


def test_a_colleges_own_office_takes_no_government_level() -> None:
    head = (
        "柳川职业学院文件\n柳职院发〔2026〕3号\n学院各部门：\n现将任务分解印发给你们。\n柳川职业学院\n2026年2月10日\n"
    )
    text = (
        head + "一、重点工作\n1.修订人才培养方案\n牵头部门：校企合作办公室\n配合部门：教务处\n完成时限：2026年9月底前\n"
    )
    assert roles(tasks_of(text)["1.1"])[:2] == (["校企合作办公室"], ["教务处"])  # no 市 in front
