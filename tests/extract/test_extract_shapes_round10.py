"""The shapes of the round-10 corpus (see tests/data/extract/round10/README.md, R1-R15), each on a short text of
its own (invented places and units, not the corpus's words): a "列第一位者为工作牵头单位" note stated once,
"X、Y（双牵头）" in a 牵头单位 field, "按省统一部署" as an item's time. No registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.extract.support import roles, tasks_of

HEAD = (
    "苇城市人民政府办公室文件\n苇政办发〔2026〕3号\n市政府各部门：\n现将分解方案印发给你们。\n"
    "苇城市人民政府办公室\n2026年2月10日\n"
)

FIRST_LISTED = """一、重点工作
1.推进老旧小区改造。完成改造小区80个。
责任单位：市住建局、市财政局（列第一位者为工作牵头单位或汇总单位，下同）
完成时限：2026年11月底前
2.建设口袋公园。新建口袋公园12个。
责任单位：市园林局、市自然资源局
完成时限：2026年10月底前
3.开展水质监测。
责任单位：市生态环境局
完成时限：2026年9月30日前
"""


def test_the_first_listed_unit_leads_once_the_note_says_so_a_lone_unit_too() -> None:
    tasks = tasks_of(HEAD + FIRST_LISTED)
    assert roles(tasks["1.1"])[:2] == (["市住建局"], ["市财政局"])  # R10: 列第一位者为工作牵头单位, 下同
    assert roles(tasks["1.2"])[:2] == (["市园林局"], ["市自然资源局"])
    assert roles(tasks["1.3"])[:2] == (["市生态环境局"], [])  # a one-unit line: its unit is 列第一位


JOINT = """一、民生实事
1.（牵头单位：市教育局、市体育局（双牵头）；配合单位：市财政局；时限：2026年底前）新建社区运动场地20处。
2.（牵头单位：市民政局；配合单位：市卫健委；时限：按省统一部署）推进养老服务设施建设。
"""


def test_a_joint_lead_mark_makes_both_lead_and_is_no_part_of_the_name() -> None:
    tasks = tasks_of(HEAD + "（2026年1月至12月）\n" + JOINT)
    assert roles(tasks["1.1"])[:2] == (["市教育局", "市体育局"], ["市财政局"])  # R2


def test_a_time_set_by_the_upper_level_is_no_deadline() -> None:
    tasks = tasks_of(HEAD + JOINT)
    assert tasks["1.2"].deadline is None  # R7: 按省统一部署, the period's end would be a guess


UNIT_FIRST = """一、工作目标
全年完成路灯改造3000盏。
二、职责分工
县交通局：负责国省道沿线路灯改造，会同县供电公司落实电力接入，10月底前完成。
县城管局、县财政局：负责城区路灯节能改造，8月底前完成并长期坚持。
县发展改革局：负责核定路灯电价，县审计局配合做好审核工作，2026年5月31日前出台。
县统计局：负责汇总改造进度，每月10日前报送上月进展。
三、工作要求
各单位要加强协调。
"""


def test_paragraphs_opening_with_their_unit_are_tasks_led_by_it() -> None:
    tasks = tasks_of(HEAD + UNIT_FIRST)
    assert set(tasks) == {"2.1", "2.2", "2.3", "2.4"}  # R5, R6: heading number . position
    assert tasks["2.1"].title == "国省道沿线路灯改造，会同县供电公司落实电力接入"
    assert roles(tasks["2.1"])[:2] == (["县交通局"], ["县供电公司"])  # 会同X: responsible, the clause stays
    assert roles(tasks["2.2"])[:2] == (["县城管局", "县财政局"], [])  # "A、B:" both lead
    assert tasks["2.3"].title == "核定路灯电价"  # another unit's "Y配合…" clause is its role, not the title
    assert roles(tasks["2.3"])[:2] == (["县发展改革局"], ["县审计局"])
    assert tasks["2.4"].title == "汇总改造进度，报送上月进展"
    assert tasks["2.4"].recurrence == "monthly:10"  # the paragraph's only time (P14)


def test_a_time_counted_from_the_handing_over_is_that_day_months_later() -> None:
    from bot.extract.deadline_phrases import counted_from_handing, handed_on

    notice = "各件建议已于2026年4月10日召开的交办会上交办。各承办单位须在时限内办结。"
    handed = handed_on(notice)
    assert handed == dt.date(2026, 4, 10)
    due = counted_from_handing("交办之日起3个月内", handed)  # R8: the same day three months later
    assert due is not None and due.date == dt.date(2026, 7, 10)
    due = counted_from_handing("交办之日起两个月内", handed)
    assert due is not None and due.date == dt.date(2026, 6, 10)
    assert counted_from_handing("交办之日起3个月内", None) is None  # no 交办 day named: no date


def test_roles_in_a_table_nested_in_a_cell_are_its_labelled_fields(tmp_path: Path) -> None:
    import docx

    from bot.extract import extract_path
    from bot.extract.units import UnitBook

    word = docx.Document()
    word.add_paragraph("苇城市人民政府办公室关于印发《苇城市2026年重点工作分工》的通知")
    word.add_paragraph("苇城市人民政府办公室")
    word.add_paragraph("2026年2月10日")
    grid = word.add_table(rows=3, cols=4)
    rows = [("序号", "工作任务", "责任分工", "完成时限"), ("1", "建成城北污水厂", "", "2026年10月底前")]
    rows.append(("2", "改造背街小巷30条", "", "2026年12月底前"))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            grid.cell(r, c).text = value
    for r, (lead, partners) in ((1, ("市水务局", "市财政局、市自然资源局")), (2, ("市住建局", "无"))):
        inner = grid.cell(r, 2).add_table(rows=2, cols=2)
        for k, (label, units) in enumerate((("牵头", lead), ("配合", partners))):
            inner.cell(k, 0).text, inner.cell(k, 1).text = label, units
    path = tmp_path / "nested_roles.docx"
    word.save(str(path))
    tasks = {t.id: t for t in extract_path(path, UnitBook()).document.tasks}
    assert set(tasks) == {"1", "2"}  # R11: the nested rows are no rows of the outer table
    assert roles(tasks["1"])[:2] == (["市水务局"], ["市财政局", "市自然资源局"])
    assert roles(tasks["2"])[:2] == (["市住建局"], [])  # 配合 | 无: none


def _word(text: str, x0: float, top: float) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x0 + 10 * len(text), "top": top, "bottom": top + 10}


def test_a_table_without_ruling_lines_is_read_by_column_positions() -> None:
    from bot.extract.unruled import unruled_table

    xs = (30, 60, 180, 330, 450)
    header = [_word(t, x, 90) for t, x in zip(("序号", "问题", "整改措施", "责任单位", "整改时限"), xs, strict=True)]
    lines = [
        (108, ["1", "食堂账目公示", "建立食堂收支月度公示", "区教育局（牵", "2026年6月30日"]),
        (120, ["", "不及时", "制度", "头）、区财政局", "前"]),
        (139, ["", "", "开展食堂专项审计", "区审计局", "立行立改"]),
        (158, ["2", "校车管理不规范", "更新校车安全台账", "区交通运输局", "长期坚持"]),
        (600, ["", "", "— 2 —", "", ""]),
    ]
    words = header + [_word(t, x, top) for top, texts in lines for t, x in zip(texts, xs, strict=True) if t]
    found = unruled_table(words)
    assert found is not None
    rows = found[2]
    assert rows[1] == [
        "1",
        "食堂账目公示不及时",
        "建立食堂收支月度公示制度",
        "区教育局（牵头）、区财政局",
        "2026年6月30日前",
    ]
    assert rows[2][:3] == ["1", "食堂账目公示不及时", "开展食堂专项审计"]  # R14: 序号 and 问题 merged down
    assert len(rows) == 4  # the page number far below is no row


def test_a_problem_column_merged_over_its_measures_groups_them() -> None:
    from bot.extract.tables import table_lines

    rows = [
        ["序号", "问题", "整改措施", "责任单位", "整改时限"],
        ["1", "食堂账目公示不及时", "建立食堂收支月度公示制度", "区教育局", "2026年6月30日前"],
        ["1", "食堂账目公示不及时", "开展食堂专项审计", "区审计局", "2026年5月31日前"],
        ["2", "校车管理不规范", "更新校车安全台账", "区交通运输局", "长期坚持"],
    ]
    tasks = tasks_of(HEAD + "\n".join(table_lines(rows)) + "\n")
    assert set(tasks) == {"1.1", "1.2", "2.1"}  # R14, K12: 问题序号.k, a one-measure problem too
    assert tasks["1.2"].section is not None and "食堂账目公示不及时" in tasks["1.2"].section


def test_a_bare_name_after_a_prefixed_one_takes_the_level_even_the_market_bureau() -> None:
    province = (
        "岚州省人民政府办公厅文件\n岚政办发〔2026〕2号\n各市人民政府，省直各单位：\n现将要点印发给你们。\n"
        "岚州省人民政府办公厅\n2026年3月1日\n一、重点工作\n"
        "1.推行证照联办。〔牵头单位：省政务服务局、市场监管局；配合单位：省公安厅、税务局〕\n"
        "2.清理政策措施。〔牵头单位：省司法厅；配合单位：省发展改革委〕\n"
    )
    tasks = tasks_of(province)
    assert roles(tasks["1.1"])[:2] == (["省政务服务局", "省市场监管局"], ["省公安厅", "省税务局"])  # R3


def test_a_campaign_over_whole_months_of_the_title_year_is_the_period() -> None:
    from tests.extract.support import document

    text = (
        "苇城县人民政府办公室关于印发苇城县2026年河道清障专项行动方案的通知\n苇政办发〔2026〕5号\n各乡镇人民政府：\n"
        "现将方案印发给你们。\n苇城县人民政府办公室\n2026年3月2日\n苇城县2026年河道清障专项行动方案\n"
        "县政府决定于2026年4月至10月在全县开展河道清障专项行动。\n一、职责分工\n"
        "县水利局：负责河道清障，6月底前完成。\n县农业农村局：负责沟渠整治，8月底前完成。\n"
    )
    assert document(text).period == (dt.date(2026, 4, 1), dt.date(2026, 10, 31))  # K10 within the title's year


def test_an_inspectorate_checking_the_whole_work_supervises_every_task() -> None:
    checked = HEAD.replace("现将分解方案印发给你们。", "现将分解方案印发给你们。市政府督查室将对落实情况开展专项督查。")
    tasks = tasks_of(checked + FIRST_LISTED)
    assert all(task.supervise == ["市政府督查室"] for task in tasks.values())  # M10, R15
    later = HEAD.replace("现将分解方案印发给你们。", "现将分解方案印发给你们。市政府督查室将适时开展专项督查。")
    assert all(task.supervise == [] for task in tasks_of(later + FIRST_LISTED).values())  # as round5's l03
