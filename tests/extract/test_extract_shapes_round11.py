"""The shapes of the round-11 corpus (see tests/data/extract/round11/README.md, S1-S16), each on a short text of
its own (invented places and units, not the corpus's words): "项目一　X" blocks with 实施单位 / 行业主管部门 /
计划完成时间 lines (a 项目库 plan, as in a `<pre>` block). No registry."""

from __future__ import annotations

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
