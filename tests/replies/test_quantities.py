"""The quantity reader and the target matcher, sentence by sentence (bot/replies/quantities.py)."""

from __future__ import annotations

import pytest

from bot.replies.quantities import TargetRef, match_targets, quantities, stated, value_in

JBGS = TargetRef(1, "实施“揭榜挂帅”制科技攻关项目20项", 20, "项")
CXLM = TargetRef(2, "组建产业技术创新联盟10家", 10, "家")
TZ = TargetRef(3, "完成固定资产投资5亿元", 5, "亿元")
FGL = TargetRef(4, "5G网络覆盖率达到95%", 95, "%")
JJR = TargetRef(5, "培养技术经纪人100名", 100, "名")
GXQY = TargetRef(6, "高新技术企业达到250家", 250, "家")
ZJ = TargetRef(7, "设立专项资金3000万元", 3000, "万元")
MJ = TargetRef(8, "新增孵化面积2万平方米", 2, "万平方米")
ALL = [JBGS, CXLM, TZ, FGL, JJR, GXQY, ZJ, MJ]

# (sentence, the task's targets, expected {target id: value in the target's measure})
CASES = [
    ("已实施揭榜挂帅项目12项", [JBGS], {1: 12}),
    ("已完成12项", [JBGS], {1: 12}),
    ("完成投资3.2亿元", [TZ], {3: 3.2}),
    ("完成投资3200万元", [TZ], {3: 0.32}),
    ("累计完成投资320000000元", [TZ], {3: 3.2}),
    ("完成投资3.2亿，进展顺利", [TZ], {3: 3.2}),
    ("覆盖率达到85%", [FGL], {4: 85}),
    ("覆盖率达到85％", [FGL], {4: 85}),
    ("5G覆盖率已达百分之九十", [FGL], {4: 90}),
    ("进展60%，12月底前完成", [FGL], {}),
    ("已完成60%", [FGL], {}),
    ("组建创新联盟6家", [CXLM], {2: 6}),
    ("已组建联盟十二家", [CXLM], {2: 12}),
    ("已培养技术经纪人1,200名", [JJR], {5: 1200}),
    ("培养经纪人１２０名", [JJR], {5: 120}),
    ("新认定高新技术企业两百家", [GXQY], {6: 200}),
    ("高新技术企业已达1.2万家", [GXQY], {6: 12000}),
    ("目标20项，已完成12项", [JBGS], {1: 12}),
    ("计划实施20项", [JBGS], {}),
    ("力争年底前达到20项", [JBGS], {}),
    ("3个月内完成", [JBGS], {}),
    ("第3批项目已启动", [JBGS], {}),
    ("12月底前完成", [JBGS], {}),
    ("已落实专项资金1500万元", [ZJ], {7: 1500}),
    ("已落实专项资金0.15亿元", [ZJ], {7: 1500}),
    ("新增孵化面积8000平方米", [MJ], {8: 0.8}),
    ("揭榜挂帅项目12项，创新联盟6家", [JBGS, CXLM], {1: 12, 2: 6}),
    ("创新联盟6家，揭榜挂帅项目12项", ALL, {1: 12, 2: 6}),
    ("高新技术企业新增30家", [CXLM, GXQY], {6: 30}),
    ("新增5家", [CXLM, GXQY], {}),  # two 家 targets and no word to choose: none
    ("完成投资3.2亿元，经纪人80名", [TZ, JJR], {3: 3.2, 5: 80}),
    ("已完成12项", [FGL], {}),  # 项 is not a rate
    ("补贴500万元", [TZ], {}),
    ("项目推进中", [JBGS], {}),
    ("实施项目12个", [JBGS], {1: 12}),  # 个 counts against a 项 target when it is the only count
]


@pytest.mark.parametrize(("text", "targets", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_report_states_values_for_the_right_targets(
    text: str, targets: list[TargetRef], expected: dict[int, float]
) -> None:
    found = {m.target.id: m.value for m in match_targets(text, targets)}
    assert found == pytest.approx(expected)


def test_the_table_is_long_enough() -> None:
    assert len(CASES) >= 25


def test_quantities_keep_the_words_before_them() -> None:
    [q] = quantities("今年以来，已组建产业技术创新联盟6家。")
    assert (q.value, q.measure, q.context) == (6, "家", "已组建产业技术创新联盟")


# The number a person gives when asked for a target's value (更正, /target): written → value in the measure.
STATED = [
    ("15项", "项", 15),
    ("15", "项", 15),
    ("十五", "项", 15),
    ("１５个", "项", 15),
    ("已实施15项", "项", 15),
    ("3200万元", "亿元", 0.32),
    ("3.2亿", "亿元", 3.2),
    ("85%", "%", 85),
    ("百分之八十五", "%", 85),
    ("1,200家", "家", 1200),
    ("1.2万家", "家", 12000),
    ("0.6万名", "名", 6000),
    ("12", None, 12),
    ("3.2亿元", "项", None),
    ("85%", "项", None),
    ("15项", "%", None),
    ("15项", None, None),
]


@pytest.mark.parametrize(("written", "measure", "value"), STATED)
def test_a_stated_value_in_the_targets_measure(written: str, measure: str | None, value: float | None) -> None:
    quantity = stated(written)
    assert quantity is not None
    assert value_in(quantity, measure) == value


@pytest.mark.parametrize("written", ["", "还在统计", "15项和20个", "第3批"])
def test_no_single_number_is_no_value(written: str) -> None:
    assert stated(written) is None


def test_a_count_in_another_measure_word_with_no_word_in_common_is_not_the_only_target() -> None:
    """「培育技术经纪人70名」 on a task whose one target is 「揭榜挂帅项目20项」: not recorded as 70 of it; the
    same sentence in 项, or with the target's words, is; money in 万元 for a target in 亿元 still is."""
    only = [TargetRef(1, "实施揭榜挂帅项目20项", 20, "项")]
    assert match_targets("已培育技术经纪人70名", only) == []
    assert [m.value for m in match_targets("已完成12项", only)] == [12]
    assert [m.value for m in match_targets("揭榜挂帅项目已有12个", only)] == [12]
    money = [TargetRef(2, "完成固定资产投资3亿元", 3, "亿元")]
    assert [m.value for m in match_targets("累计到位3200万元", money)] == [0.32]


@pytest.mark.parametrize("written", ["-5项", "负5项", "减少5项", "−5"])
def test_a_stated_sign_is_kept(written: str) -> None:
    quantity = stated(written)
    assert quantity is not None and quantity.value == -5


def test_a_decrease_in_a_report_is_no_value_reached() -> None:
    target = TargetRef(1, "实施揭榜挂帅项目20项", 20, "项")
    assert [q.value for q in quantities("揭榜挂帅项目减少5项")] == [-5]
    assert match_targets("揭榜挂帅项目减少5项", [target]) == []
    assert match_targets("揭榜挂帅项目负5项", [target]) == []
    assert [m.value for m in match_targets("已实施揭榜挂帅项目8项", [target])] == [8]


def test_an_absurd_magnitude_is_no_value() -> None:
    nines = "9" * 320
    quantity = stated(nines + "项")
    assert quantity is not None and quantity.absurd  # float() of it is inf
    assert stated("1200万元") is not None and not stated("1200万元").absurd  # type: ignore[union-attr]
    target = TargetRef(1, "实施揭榜挂帅项目20项", 20, "项")
    assert match_targets(f"已实施揭榜挂帅项目{nines}项", [target]) == []
