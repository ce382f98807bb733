"""The one reference reader (bot/core/references.py) every command and every reply part uses: a table of
what people write, as the bot prints it (「成果转化 1.2」), with or without the space, a unique prefix of
the short name, a bare number, and the internal 「doc-id/1.5」."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.core.references import matching, read_leading, resolve


@dataclass(frozen=True)
class Task:
    document_id: str
    document_short: str
    task_key: str


TASKS = [
    Task("jm-2023-cgzh", "成果转化", "1.2"),
    Task("jm-2023-cgzh", "成果转化", "1.5"),
    Task("jm-2023-cxqd", "创新驱动", "1.2"),
    Task("demo-2023", "示例", "6"),
]

# what a command's arguments open with → (the tasks it may mean, the rest)
LEADING = [
    ("成果转化 1.5 2027-06-30 理由", ["jm-2023-cgzh/1.5"], "2027-06-30 理由"),  # the bot's own /extend example
    ("成果转化1.5 2027-06-30 理由", ["jm-2023-cgzh/1.5"], "2027-06-30 理由"),
    ("成果1.5 2027-06-30", ["jm-2023-cgzh/1.5"], "2027-06-30"),
    ("1.5 2027-06-30", ["jm-2023-cgzh/1.5"], "2027-06-30"),  # unique among the tasks
    ("1.2 已完成", ["jm-2023-cgzh/1.2", "jm-2023-cxqd/1.2"], "已完成"),  # not unique: the caller asks
    ("成果转化 1.2", ["jm-2023-cgzh/1.2"], ""),
    ("创新驱动　１．２：已完成", ["jm-2023-cxqd/1.2"], "已完成"),  # ideographic space, full-width digits
    ("jm-2023-cgzh/1.5 2027-06-30 理由", ["jm-2023-cgzh/1.5"], "2027-06-30 理由"),
    ("jm-2023-cxqd/1.5", [], ""),  # the internal form names its document: no 1.5 there
    ("示例 6 已完成", ["demo-2023/6"], "已完成"),
    ("示例6", ["demo-2023/6"], ""),
    ("2027-06-30 资金未到位", None, "2027-06-30 资金未到位"),  # a date is no reference
    ("12月底前完成", None, "12月底前完成"),
    ("60% 推进中", None, "60% 推进中"),
    ("已完成", None, "已完成"),
]


@pytest.mark.parametrize(("text", "meant", "rest"), LEADING, ids=[row[0] for row in LEADING])
def test_a_command_reads_the_reference_it_opens_with(text: str, meant: list[str] | None, rest: str) -> None:
    leading = read_leading(text)
    assert leading.rest == rest
    if meant is None:
        assert leading.reference is None
        return
    assert leading.reference is not None
    assert [f"{t.document_id}/{t.task_key}" for t in matching(leading.reference, TASKS)] == meant


def test_a_whole_reference_resolves_with_the_space_the_bot_prints() -> None:
    assert resolve("成果转化 1.2", TASKS) == [TASKS[0]]
    assert resolve("成果转化1.2", TASKS) == [TASKS[0]]
    assert resolve("成果 1.2", TASKS) == [TASKS[0]]
    assert resolve("jm-2023-cxqd/1.2", TASKS) == [TASKS[2]]
    assert resolve("成果转化 1.2 已完成", TASKS) == []  # resolve is for a reference and nothing after it
    assert resolve("转化 1.2", TASKS) == []  # a piece of the short name that is no prefix


def test_the_written_form_reads_back() -> None:
    assert read_leading("成果1.2 x").reference.written == "成果 1.2"  # type: ignore[union-attr]
    assert read_leading("jm-2023-cgzh/1.2").reference.written == "jm-2023-cgzh/1.2"  # type: ignore[union-attr]
