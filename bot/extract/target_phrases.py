"""Quantified targets (指标): 到2025年…培养技术经纪人100名 → value 100, unit 名, due 2025-12-31.

Read from the goal sections (linked to no task), from task bodies after a 到20xx年 (linked to that
task), and from the title of a task that has a dated deadline of its own (a table row: due at that
deadline). A number counts when it ends its clause (…达到250家以上) or follows a verb of building
(新建1-2家…, a range taken at its upper bound); grants and thresholds (给予…万元, 超过100万元的) do not.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.extract.model import ExtractedTarget, ExtractedTask
from bot.extract.plan import Item, goal_text
from bot.extract.structure import Outline
from bot.extract.textutil import split_outside_brackets
from bot.tasksfile.deadlines import resolve_deadline

_MEASURE = r"万平方米|平方米|亿元|万元|个|家|项|名|人|件|场|所|座|条|次|%|倍|户|套|台|亩|公顷|公里|万人|支|批|处"
_QUANTITY = re.compile(rf"(\d+(?:\.\d+)?)(?:\s*[-—~至]\s*(\d+(?:\.\d+)?))?\s*({_MEASURE})(以上|左右|以内)?")
_BUILD = re.compile(
    r"(新建|新增|成立|建设|建成|培育|引进|组建|打造|选派|培养|实施|认定|创建|达到|超过|"
    r"突破|增长|提高到|力争)"
)
_FINISH = re.compile(r"(?:完成|新建|建成|新增|改造)")
_NOT_A_GOAL = re.compile(r"给予|补贴|奖励|补助|最高|不超过|资助|的,|以上的|支持$")
_DUE = re.compile(r"到(\d{4})年")


def find_targets(
    text: str,
    outline: Outline,
    items: list[Item],
    tasks: list[ExtractedTask],
    issued: dt.date,
    period_end: dt.date | None,
) -> list[ExtractedTarget]:
    found: list[ExtractedTarget] = []
    goals = goal_text(text, outline)
    _scan(goals, None, period_end, found, require_due=False)
    ids = {task.id.split(".")[0] + "." + task.id.split(".")[1] if task.id.count(".") > 1 else task.id for task in tasks}
    parents = {".".join(task.id.split(".")[:k]) for task in tasks for k in range(1, task.id.count(".") + 1)}
    for item in items:  # an item that is a task, or whose sub-items are (a set: linear in the tasks)
        if item.id in ids or item.id in parents:
            _scan(text[item.start : item.end], item.id, period_end, found, require_due=True)
    _task_rows(tasks, found)
    for i, target in enumerate(found, start=1):
        target.id = f"t{i}"
    return found


def _task_rows(tasks: list[ExtractedTask], found: list[ExtractedTarget]) -> None:
    """A task with a dated deadline of its own and no 到20xx年 in its text (a table row: 完成时限 in its own
    cell): the numbers to reach in its title are due at that deadline (H6, F9)."""
    linked = {t.task for t in found}
    for task in tasks:
        if task.id in linked or not isinstance(task.deadline, (str, dt.date)):
            continue
        due = _date_of(task.deadline)
        if due is None:
            continue
        _scan(task.title, task.id, due, found, require_due=False)


def _date_of(value: str | dt.date) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return resolve_deadline(value).date
    except ValueError:
        return None


def _scan(
    text: str, task: str | None, period_end: dt.date | None, found: list[ExtractedTarget], *, require_due: bool
) -> None:
    for sentence, _ in split_outside_brackets(text.replace("\n", ""), "。;"):
        due_match = _DUE.search(sentence)
        if require_due and not due_match:
            continue
        due = dt.date(int(due_match.group(1)), 12, 31) if due_match else period_end
        tail = sentence[due_match.end() :] if due_match else sentence
        for clause, _ in split_outside_brackets(tail, ",:"):
            clause = clause.strip()
            if not clause or _NOT_A_GOAL.search(clause):
                continue
            for value, measure in _quantities(clause):
                found.append(ExtractedTarget("", clause, value, measure, due, task))


def _quantities(clause: str) -> list[tuple[float, str]]:
    matches = list(_QUANTITY.finditer(clause))
    if not matches:
        return []
    if "分别" in clause:
        return [(_value(m), m.group(3)) for m in matches]
    last = matches[-1]
    ends = clause[last.end() :].strip() == ""
    built = bool(_BUILD.search(clause[: last.start()][-6:]))
    # 完成城东、城西2个农贸市场提升改造: a clause opening with the work to finish counts its one number
    built = built or (len(matches) == 1 and bool(_FINISH.match(clause)))
    return [(_value(last), last.group(3))] if ends or built else []


def _value(match: re.Match[str]) -> float:
    value = float(match.group(2) or match.group(1))
    return int(value) if value.is_integer() else value
