"""The shapes of the round-7 corpus (see tests/data/extract/round7/README.md, N1-N18), each on a short text of
its own (invented places and units, not the corpus's words): three lists joined by their 任务编号, a 立行立改
cell taking the notice's date for such items, the whole work's end date as the period. No registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.extract import extract_path
from bot.extract.units import UnitBook
from tests.extract.support import document, roles, tasks_of

HEAD = "中共岚溪县委办公室\n岚委办〔2026〕3号\n县直各单位：\n"


def test_three_lists_joined_by_their_number() -> None:
    text = HEAD + (
        "　　一、整改工作于2026年9月30日前全面完成。时限为“立行立改”的任务，须于2026年6月15日前整改到位。\n"
        "中共岚溪县委办公室\n2026年5月6日\n"
        "附件1\n问题清单\n1.耕地保护责任落实不到位。\n2.债务管理不规范。\n"
        "附件2\n任务清单\n任务编号　整改任务\n1-1　开展耕地违法占用排查整治。\n2-1　制定隐性债务化解方案。\n"
        "2-2　建立债务风险月度监测机制。\n"
        "附件3\n责任清单\n任务编号　责任领导　牵头单位　责任单位　整改时限\n"
        "1-1　副县长 周明　县自然资源局　各乡镇人民政府　立行立改\n"
        "2-1　副县长 吴刚　县财政局　县发展改革局　2026年8月底前\n"
        "2-2　副县长 吴刚　县财政局　县审计局、县金融办　长期坚持\n"
    )
    doc = document(text)
    tasks = {t.id: t for t in doc.tasks}
    assert set(tasks) == {"1.1", "2.1", "2.2"}
    assert tasks["1.1"].section == "一、耕地保护责任落实不到位"  # the 问题 of number 1, the heading of 1-1
    assert tasks["1.1"].title == "开展耕地违法占用排查整治"
    assert roles(tasks["1.1"]) == (["县自然资源局"], ["各乡镇人民政府"], "2026年6月15日前")  # 立行立改 (N2)
    assert roles(tasks["2.2"]) == (["县财政局"], ["县审计局", "县金融办"], "长期坚持")
    assert doc.period == (dt.date(2026, 5, 6), dt.date(2026, 9, 30))  # the whole work's end (H9)


def test_an_indicator_table_takes_its_tasks_from_the_work_column() -> None:
    text = HEAD + (
        "中共岚溪县委办公室\n2026年5月6日\n附件\n岚溪县2026年营商环境提升任务清单\n"
        "序号\t评价指标\t2026年目标\t重点任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t办理建筑许可\t审批时限压减到30天\t推行工程建设项目联合验收\t县住建局\t县自然资源局\t2026年9月底前\n"
        "2\t获得用水\t—\t推行用水报装“零材料”\t县水务局\t县供水公司\t长期坚持\n"
    )
    tasks = tasks_of(text)
    assert [t.title for t in tasks.values()] == ["推行工程建设项目联合验收", "推行用水报装“零材料”"]  # not 指标
    assert roles(tasks["2"]) == (["县水务局"], ["县供水公司"], "长期坚持")


def test_a_responsible_column_beside_a_partner_column_leads() -> None:
    text = HEAD + (
        "中共岚溪县委办公室\n2026年5月6日\n附件\n岚溪县审计整改台账\n"
        "序号\t整改措施\t整改责任单位\t配合单位\t责任人\t整改时限\n"
        "1\t收回违规拨付资金\t县教育局\t县财政局\t副局长 王平\t2026年7月底前完成，长期坚持\n"
    )
    # 整改责任单位 leads, 配合单位 is responsible (N11); the dated part of "…前完成，长期坚持" is the deadline (N6)
    assert roles(tasks_of(text)["1"]) == (["县教育局"], ["县财政局"], "2026年7月底前")


def test_proposals_with_host_joint_and_shared_units_and_a_sign_for_a_later_date() -> None:
    text = HEAD.replace("中共岚溪县委办公室", "岚溪县人民政府办公室") + (
        "一、提案须于2026年7月31日前办结；表中标注“★”的重点提案，可于2026年9月30日前办结答复。\n"
        "岚溪县人民政府办公室\n2026年5月6日\n附件\n提案交办表\n"
        "序号\t提案号\t案由\t提案者\t主办单位\t会办单位\t分办单位\n"
        "1\t第3号\t关于建设城区停车场的建议★\t民进岚溪县委\t县住建局\t县公安局\t—\n"
        "2\t第7号\t关于加强校园安全的建议\t王明\t—\t—\t县教育局、县卫生健康局\n"
    )
    tasks = tasks_of(text)
    assert tasks["1"].title == "关于建设城区停车场的建议"  # the ★ is no part of the title (N4)
    assert roles(tasks["1"]) == (["县住建局"], ["县公安局"], "2026年9月30日前")  # 主办 leads, 会办 responsible
    assert roles(tasks["2"]) == (["县教育局", "县卫生健康局"], [], "2026年7月31日前")  # each 分办单位 leads (N5)


def test_an_adjusted_deadline_overrides_the_original_one() -> None:
    text = HEAD + (
        "中共岚溪县委办公室\n2026年5月6日\n附件\n重点工作对账表\n"
        "序号\t重点工作\t牵头单位\t原定完成时限\t调整后完成时限\n"
        "1\t建成城东污水处理厂\t县水务局\t2026年6月30日前\t2026年10月31日前\n"
        "2\t完成老旧管网改造\t县住建局\t2026年9月30日前\t—\n"
    )
    tasks = tasks_of(text)
    assert (tasks["1"].deadline, tasks["2"].deadline) == ("2026年10月31日前", "2026年9月30日前")  # N18


def test_next_year_a_year_range_and_a_year_less_quarter_in_a_deadline_cell() -> None:
    text = HEAD + (
        "中共岚溪县委办公室\n2026年5月6日\n附件\n岚溪县2026年民生实事责任分解表\n"
        "序号\t项目名称\t牵头单位\t完成时限\n"
        "1\t改造供热管网10公里\t县住建局\t次年3月底前\n"
        "2\t建设县人民医院新院区\t县卫生健康局\t2026—2027年\n"
        "3\t新建村级养老服务站5个\t县民政局\t第三季度\n"
    )
    tasks = tasks_of(text)
    assert [tasks[k].deadline for k in ("1", "2", "3")] == [  # N12, N13, N17: ISO dates
        dt.date(2027, 3, 31),
        dt.date(2027, 12, 31),
        dt.date(2026, 9, 30),
    ]


def test_a_section_row_naming_the_lead_of_its_rows(tmp_path: Path) -> None:
    page = (
        "<html><body><p>岚溪县人民政府办公室</p><p>岚政办〔2026〕5号</p><p>2026年5月6日</p>"
        "<table><tr><td>序号</td><td>工作任务</td><td>责任单位</td><td>完成时限</td></tr>"
        "<tr><td colspan='4'>一、道路保洁　　牵头单位：县城管局</td></tr>"
        "<tr><td>1</td><td>推行主干道机械化清扫</td><td>县城管局、城关镇人民政府</td><td>2026年6月底前</td></tr>"
        "<tr><td colspan='4'>二、食品安全　　牵头单位：县市场监管局、县商务局</td></tr>"
        "<tr><td>2</td><td>整治小餐饮</td><td>县公安局</td><td>2026年9月底前</td></tr></table></body></html>"
    )
    path = tmp_path / "list.html"
    path.write_text(page, encoding="utf-8")
    tasks = {t.id: t for t in extract_path(path, UnitBook()).document.tasks}
    # the section row's 牵头单位 leads its rows; a lead also in the row's 责任单位 is only the lead (N14)
    assert roles(tasks["1.1"])[:2] == (["县城管局"], ["城关镇人民政府"])
    assert roles(tasks["2.1"])[:2] == (["县市场监管局", "县商务局"], ["县公安局"])
    assert tasks["2.1"].section == "二、食品安全"  # the heading without its 牵头单位 (N15)


def test_named_villages_before_a_count_and_a_dated_field_over_a_monthly_report() -> None:
    text = "岚溪镇党政综合办公室\n岚党政办〔2026〕4号\n各村（社区）：\n" + (
        "　　1.完成东坑村、西坑村等4个村的户厕改造。（责任单位：镇农业服务中心（牵头），东坑村、西坑村等4个村；"
        "完成时限：7月底前）\n"
        "　　2.规范镇区店招店牌。（责任单位：镇规划建设办（牵头），镇市场监管所；完成时限：9月15日前）\n"
        "　　以上事项由镇督查室跟踪督办。各责任单位请于每月25日前将进展报镇党政综合办公室。\n"
        "岚溪镇党政综合办公室\n2026年4月13日\n"
    )
    tasks = tasks_of(text)
    assert tasks["1"].responsible == ["东坑村", "西坑村"]  # "等4个村" counts them, it names no unit (N16)
    assert (tasks["2"].deadline, tasks["2"].recurrence) == (dt.date(2026, 9, 15), None)  # not the 每月25日 report


def test_a_notice_signed_and_dated_after_its_items() -> None:
    text = (
        "岚溪镇党政综合办公室\n岚党政办〔2026〕4号\n关于交办第二季度重点事项的通知\n各村（社区）：\n"
        "　　1.清理河塘垃圾。（责任单位：镇村建办（牵头），各村（社区）；完成时限：6月20日前）\n"
        "岚溪镇党政综合办公室\n2026年4月13日\n"
    )
    doc = document(text)
    assert (doc.issuer, doc.issued) == ("岚溪镇党政综合办公室", dt.date(2026, 4, 13))


def test_a_ledger_labelled_with_its_compiler_and_a_past_year_in_its_title() -> None:
    text = (
        "岚溪县2025年度审计查出问题整改台账\n编制单位：岚溪县审计整改工作领导小组办公室\n编制日期：2026年3月30日\n"
        "序号\t整改措施\t整改责任单位\t整改时限\n1\t收回违规资金\t县财政局\t2026年6月底前\n"
    )
    doc = document(text)
    assert (doc.issuer, doc.issued) == ("岚溪县审计整改工作领导小组办公室", dt.date(2026, 3, 30))
    assert doc.period is None  # 2025年度 names the audited year, not the time of the work


def test_a_title_naming_a_quarter_of_hand_over_sets_no_period() -> None:
    text = (
        "岚溪镇党政综合办公室\n关于交办2026年第二季度重点事项的通知\n各村（社区）：\n"
        "　　1.清理河塘垃圾。（责任单位：镇村建办（牵头），各村（社区）；完成时限：9月15日前）\n"
        "岚溪镇党政综合办公室\n2026年4月13日\n"
    )
    assert document(text).period is None  # N17


def test_the_body_that_checks_every_item_before_closing_it_supervises() -> None:
    text = (
        "岚溪县审计整改台账\n编制单位：岚溪县审计整改工作领导小组办公室\n编制日期：2026年3月30日\n"
        "填表说明：问题整改完成后，经县审计局审核确认后对账销号。\n"
        "序号\t整改措施\t整改责任单位\t整改时限\n1\t收回违规资金\t县财政局\t2026年6月底前\n"
    )
    assert tasks_of(text)["1"].supervise == ["县审计局"]  # N10, though no column names it


def test_a_number_to_reach_in_a_dated_row_is_a_target_due_at_its_deadline() -> None:
    text = HEAD + (
        "中共岚溪县委办公室\n2026年5月6日\n附件\n岚溪县2026年重点任务清单\n"
        "序号\t工作任务\t牵头单位\t完成时限\n1\t新建口袋公园12个\t县住建局\t2026年9月底前\n"
    )
    (target,) = document(text).targets
    assert (target.value, target.unit, target.due, target.task) == (12, "个", dt.date(2026, 9, 30), "1")


def test_a_clause_opening_with_the_work_to_finish_counts_its_number_and_a_scope_does_not() -> None:
    text = HEAD + (
        "中共岚溪县委办公室\n2026年5月6日\n附件\n岚溪县2026年重点任务清单\n"
        "序号\t工作任务\t牵头单位\t完成时限\n"
        "1\t完成城南、城北2个菜市场改造并投入使用\t县商务局\t2026年9月底前\n"
        "2\t对排查出的5个违建项目逐一处置\t县住建局\t2026年10月底前\n"
    )
    assert [(t.value, t.task) for t in document(text).targets] == [(2, "1")]  # the 5 is the scope (N3)
