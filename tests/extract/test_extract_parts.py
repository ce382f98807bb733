"""The extractor's pure parts, each on the conventions it reads (no seed text needed)."""

from __future__ import annotations

import datetime as dt

from bot.core.numerals import cn_number, to_cn
from bot.extract.clean import clean
from bot.extract.deadline_phrases import field_deadline, find_deadline, find_recurrence, year_range
from bot.extract.markers import find_markers
from bot.extract.roles import read_roles
from bot.extract.structure import parse_outline
from bot.extract.tables import TABLE_MARK, table_lines
from bot.extract.textutil import fold
from bot.extract.units import Context, UnitBook, split_names
from bot.tasksfile.loader import UnitEntry

BOOK = UnitBook(
    [
        UnitEntry("市科技局", ("市科学技术局", "江门市科学技术局")),
        UnitEntry("各县(市、区)人民政府", ("各县(市、区)",), ("蓬江区人民政府", "江海区人民政府")),
        UnitEntry("区财政局", ("财政局",)),
        UnitEntry("各镇、园区", (), ("各镇人民政府", "园区管委会")),
        UnitEntry("区委组织部(人才办)"),
        UnitEntry("示范区"),
    ]
)
CITY = Context("市", "江门市")
DISTRICT = Context("区", "江都区")


def test_chinese_numerals_round_trip() -> None:
    assert [cn_number(to_cn(n)) for n in (1, 10, 11, 20, 99, 100, 105, 120)] == [1, 10, 11, 20, 99, 100, 105, 120]


def outline_of(text: str) -> list[tuple[str, int]]:
    return [(n.style, n.number) for n in parse_outline(fold(text)).nodes]


def test_numbering_at_line_starts() -> None:
    text = (
        "一、总体要求\n内容。\n二、主要任务\n（一）第一节\n1.甲。\n2.乙。\n"
        "（二）第二节\n3.丙。\n（1）细项；\n三、保障措施\n"
    )
    assert outline_of(text) == [
        ("l1", 1),
        ("l1", 2),
        ("l2", 1),
        ("l3", 1),
        ("l3", 2),
        ("l2", 2),
        ("l3", 3),
        ("l4", 1),
        ("l1", 3),
    ]


def test_numbering_run_into_the_text() -> None:
    text = (
        "制定本方案。一、指导思想坚持创新。二、总体目标到2025年。三、重点任务"
        "(一)以更优的规划引领发展1 .聚力新建一批。内容。(责任部门:区科技局)2 .整合提升。内容。"
    )
    assert outline_of(text) == [("l1", 1), ("l1", 2), ("l1", 3), ("l2", 1), ("l3", 1), ("l3", 2)]


def test_words_that_look_like_numbering_are_not() -> None:
    text = "一、任务\n（一）建立统一、高效的机制，见附件1、2。\n奖励省一、二、三等奖。\n（二）二项。\n"
    assert outline_of(text) == [("l1", 1), ("l2", 1), ("l2", 2)]


def test_markers_in_any_bracket_and_width() -> None:
    full_width = find_markers(fold("做好。（牵头单位：市科技局；责任单位：市财政局、各县（市、区）人民政府）"))
    assert full_width.lead == ["市科技局"]
    marker = find_markers(fold("做好。[责任单位:相关高校,各县(市、区)人民政府]"))
    assert marker.responsible == ["相关高校,各县(市、区)人民政府"] and marker.spans == [(3, 26)]
    unclosed = find_markers(fold("做好。(责任部门:区科技局、市监局(知识产权局)"))
    assert unclosed.responsible == ["区科技局、市监局(知识产权局)"]
    assert find_markers(fold("做好。（市科技局牵头，市财政局配合）")).lead == ["市科技局"]
    timed = find_markers(fold("做好。（责任单位：市科技局，完成时限：长期坚持）"))
    assert timed.deadline == "长期坚持" and timed.responsible == ["市科技局"]
    noted = find_markers(fold("做好。(责任部门:区科技局。以下均需各镇、园区落实,不再列出。)"))
    assert noted.inherit == ["各镇、园区"] and noted.responsible == ["区科技局"]


def test_unit_lists_keep_brackets_and_registered_names_whole() -> None:
    names = split_names("区科技局、财政局,各镇、园区、区委组织部(人才办)及市科技局（牵头）", BOOK, DISTRICT)
    assert names == [
        ("区科技局", False),
        ("财政局", False),
        ("各镇、园区", False),
        ("区委组织部(人才办)", False),
        ("市科技局", True),
    ]


def test_unit_normalisation() -> None:
    assert BOOK.resolve("江门市科学技术局", CITY).name == "市科技局"
    assert BOOK.resolve("县(市、区)人民政府", CITY).name == "各县(市、区)人民政府"
    assert BOOK.resolve("财政局", DISTRICT).name == "区财政局"
    assert BOOK.resolve("区委组织部(人才力、", DISTRICT, fuzzy=True).how == "garbled"
    assert not BOOK.resolve("江都区人民政府", DISTRICT, fuzzy=True).known  # not 蓬江区: another place
    new = BOOK.resolve("住房和城乡建设局", DISTRICT)
    assert (new.known, new.name) == (False, "区住房城乡建设局")
    assert not BOOK.resolve("佛山市科学技术局", Context("市", "佛山市")).known  # not Jiangmen's 市科技局


def test_roles_in_prose() -> None:
    roles = read_roles(fold("由市科技局牵头，市财政局、市教育局配合。市住房和城乡建设局负责用地。"), BOOK, CITY, None)
    assert roles.leads == ["市科技局", "市住房城乡建设局"] and roles.responsible == ["市财政局", "市教育局"]
    roles = read_roles(fold("各县（市、区）要将工作纳入日程，向市科技局报送。"), BOOK, CITY, "市科技局")
    assert roles.responsible == ["各县(市、区)人民政府"] and not roles.issuer_acts
    roles = read_roles(fold("市科技局要做好统筹协调，市有关部门要高度重视。"), BOOK, CITY, "市科技局")
    assert roles.leads == ["市科技局"] and roles.responsible == []
    district = UnitBook([UnitEntry("区科技局")])
    roles = read_roles(fold("加强科技部门管理指导和牵头推进全区工作。"), district, DISTRICT, None)
    assert roles.leads == ["区科技局"]
    text = fold("区科技局组织示范区于每年1月底前报送，区财政局会同区审计局开展检查。")
    roles = read_roles(text, BOOK, DISTRICT, None)
    assert roles.leads == ["区科技局", "区财政局"] and roles.responsible == ["示范区", "区审计局"]


def test_deadlines() -> None:
    issued = dt.date(2023, 8, 31)
    assert find_deadline("力争到2017年,全市达到", issued).value == "到2017年"
    assert find_deadline("2024年6月30日前完成", issued).date == dt.date(2024, 6, 30)
    assert find_deadline("第三季度前完成部署", issued).value == dt.date(2023, 9, 30)
    assert find_deadline("本年度内完成", issued).value == dt.date(2023, 12, 31)
    assert find_deadline("对其三年内新增投入", issued) is None
    assert find_deadline("持续推进重大平台建设", issued) is None
    assert field_deadline("长期坚持", issued).date is None
    assert find_recurrence("于每年1月底前报送") == ("yearly:01-31", "每年1月底前")
    assert find_recurrence("每季度至少举办一场")[0] == "quarterly"
    assert year_range("行动方案(2023—2025年)") == (2023, 2025) == year_range("行动方案(20232025年)")


def test_cleaning_joins_page_split_lines_and_drops_boilerplate() -> None:
    raw = (
        "您现在的位置：首页 > 通知\n【字体：大 中 小】\n1、正文开头，一、总体\n2、要求写到这里。二、任务\n"
        "3、继续推\n4、进工作。\n— 2 —\n打印本页\n关闭窗口\n"
    )
    cleaned = clean(raw)
    assert cleaned.text == "正文开头，一、总体要求写到这里。二、任务继续推进工作。"
    assert cleaned.line_at(cleaned.text.index("进工作")) == 6


def test_task_table_rows_become_marked_items() -> None:
    rows = [
        ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"],
        ["一、甲"] * 5,
        ["1", "做好A", "市科技局", "市财政局", "长期坚持"],
    ]
    assert table_lines(rows) == [
        TABLE_MARK,
        "一、甲",
        "1.做好A。(牵头单位:市科技局;责任单位:市财政局;完成时限:长期坚持)",
    ]
