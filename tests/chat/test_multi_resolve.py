"""Which task each part of a several-task reply is about (bot/chat/multi_report.resolve, merge_repeats):
pure, over the unit's live tasks as views. Issue 22, points 2, 3, 4 and 6."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.chat.multi_report import Resolution, merge_repeats, resolve
from bot.core.vocab import PartProblem, Status
from bot.replies.multipart import split_reply
from bot.store.assignment_views import AssignmentView

NOW = dt.datetime(2024, 10, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SHORTS = ["创新驱动", "成果转化", "示例"]
DOCUMENTS = {"cgzh": "成果转化", "cxqd": "创新驱动"}


def _view(ident: int, document: str, key: str, status: str = Status.IN_PROGRESS) -> AssignmentView:
    return AssignmentView(
        ident, ident, document, document, key, f"任务{key}", 1, "市财政局", "responsible", status,
        None, None, None, None, False, False, DOCUMENTS[document],
    )  # fmt: skip


VIEWS = [
    _view(1, "cgzh", "1.2"),
    _view(2, "cgzh", "2.3"),
    _view(3, "cxqd", "1.2"),
    _view(4, "cxqd", "2.3"),
    _view(5, "cgzh", "6"),
    _view(6, "cxqd", "1.9"),
]


def _resolved(text: str, sheet: list[dict] | None = None, views: list[AssignmentView] = VIEWS) -> list[Resolution]:
    return resolve(split_reply(text, SHORTS), views, sheet, NOW)


def _ids(resolutions: list[Resolution]) -> list[int | None]:
    return [r.assignment_id for r in resolutions]


def test_a_bare_number_takes_the_document_of_the_part_before() -> None:
    assert _ids(_resolved("成果转化 1.2 已完成；2.3 进行中60%")) == [1, 2]
    assert _ids(_resolved("创新驱动 1.2 已完成；2.3 进行中60%")) == [3, 4]


def test_else_the_sheet_it_answers() -> None:
    sheet = [{"n": 1, "assignment_id": 4, "own": True, "ref": "创新驱动 2.3"}]
    assert _ids(_resolved("2.3 进行中60%；1.9 已完成", sheet)) == [4, 6]


def test_else_a_question_with_the_candidates_as_buttons() -> None:
    (first, second) = _resolved("2.3 进行中60%；1.9 已完成")
    assert first.problem == PartProblem.AMBIGUOUS and {v.id for v in first.candidates} == {2, 4}
    assert second.assignment_id == 6


def test_a_number_unique_among_open_tasks_but_not_all_is_asked() -> None:
    done = [_view(1, "cgzh", "1.2", Status.DONE), *VIEWS[1:]]
    (only,) = _resolved("1.2 受阻", views=done)
    assert only.problem == PartProblem.AMBIGUOUS and {v.id for v in only.candidates} == {1, 3}


def test_another_documents_task_and_a_piece_of_a_short_name_are_answered() -> None:
    first, second = _resolved("示例 1.2 已完成；成果转化 1.9 进展30%")
    assert first.problem == PartProblem.UNKNOWN and first.named == "示例1.2"
    assert second.problem == PartProblem.UNKNOWN  # 成果转化 has no 1.9 here: named, not merged
    first, second = _resolved("成果 1.2 已完成；转化 1.2 受阻")
    assert first.assignment_id == 1 and second.problem == PartProblem.UNKNOWN and second.named == "转化1.2"


def test_an_opening_part_that_names_no_task_but_says_something_gets_a_line() -> None:
    first, second = resolve(split_reply("其他 1.2 已完成；成果转化 1.2 进展30%", ["成果转化"]), VIEWS, None, NOW)
    assert first.problem == PartProblem.UNADDRESSED and second.assignment_id == 1
    assert len(resolve(split_reply("各项进展如下：\n成果转化 1.2 已完成", SHORTS), VIEWS, None, NOW)) == 1


def test_one_task_twice_with_two_statuses_is_a_question_and_with_one_status_one_report() -> None:
    (conflict,) = merge_repeats(_resolved("成果转化 1.2 已完成；成果转化 1.2 受阻"), NOW)
    assert conflict.problem == PartProblem.CONFLICT and conflict.assignment_id is None and conflict.repeats == 2
    (same,) = merge_repeats(_resolved("成果转化 1.2 已完成；成果1.2 已完成，报告已报送"), NOW)
    assert same.assignment_id == 1 and same.repeats == 2 and "报告已报送" in same.part.text


def test_two_hundred_lines_on_one_task_are_one_part() -> None:
    text = "\n".join(f"成果转化 1.2 进展{n % 90 + 1}%" for n in range(200))
    (merged,) = merge_repeats(_resolved(text), NOW)
    assert merged.assignment_id == 1 and merged.repeats == 200
    lines = "成果转化 1.2 正在推进\n" + "\n".join(f"第{n}批材料已收齐" for n in range(200))
    assert [r.assignment_id for r in _resolved(lines)] == [1]  # lines without a reference belong to the part


def test_a_dotted_number_that_is_both_an_item_and_a_task_is_a_question() -> None:
    sheet = [{"n": n, "assignment_id": i, "own": True} for n, i in [(1, 3), (2, 4), (3, 6), (4, 2), (5, 1), (6, 4)]]
    (both,) = _resolved("6. 已完成", sheet)
    assert both.problem == PartProblem.ITEM_OR_TASK and [v.id for v in both.candidates] == [4, 5]
    assert _ids(_resolved("⑥ 已完成", sheet)) == [4]  # a circled number is the item
    assert _ids(_resolved("第6项 已完成", sheet)) == [4]
    assert _ids(_resolved("5. 已完成", sheet)) == [1]  # no task 5: the item
    assert _ids(_resolved("6. 已完成", None)) == [5]  # no 督办单: the task
