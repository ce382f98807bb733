"""The shapes of the round-9 corpus (see tests/data/extract/round9/README.md, Q1-Q17), each on a short text of
its own (invented places and units, not the corpus's words): a box-drawing text table with wrapped rows, "X月中旬"
as a table's 时限. No registry."""

from __future__ import annotations

import datetime as dt

from tests.extract.support import roles, tasks_of

HEAD = "岚溪县农业农村局文件\n岚农〔2026〕4号\n机关各股室：\n现将责任清单印发给你们。\n岚溪县农业农村局\n2026年3月2日\n"

BOX = """┌────┬──────────────┬──────────┬──────────┐
│ 序号 │ 重点工作     │ 责任股室 │ 完成时限 │
├────┼──────────────┼──────────┼──────────┤
│ 1  │ 完成高标准农 │ 农田建设 │ 2026年6  │
│    │ 田建设3万亩  │ 股（牵头 │ 月底前   │
│    │              │ ）、计财 │          │
│    │              │ 股       │          │
├────┼──────────────┼──────────┼──────────┤
│ 2  │ 开展农机安全 │ 农机股   │ 11月中旬 │
│    │ 检查         │          │          │
└────┴──────────────┴──────────┴──────────┘
"""


def test_a_box_drawing_table_is_one_row_between_two_rules() -> None:
    tasks = tasks_of(HEAD + BOX)
    assert set(tasks) == {"1", "2"}  # Q6: the rules are no rows, the wrapped lines between two rules one row
    assert tasks["1"].title == "完成高标准农田建设3万亩"
    assert roles(tasks["1"]) == (["农田建设股"], ["计财股"], "2026年6月底前")
    assert roles(tasks["2"])[:2] == ([], ["农机股"])


def test_the_middle_of_a_month_is_its_20th() -> None:
    tasks = tasks_of(HEAD + BOX)
    assert tasks["2"].deadline == dt.date(2026, 11, 20)  # Q4: 中旬 ends on the 20th
