"""督查单位 (`supervise:`) in tasks.yaml: resolved and expanded like lead/responsible, refused on a unit that
works on the task, imported as `supervise` assignments that a re-import leaves alone and a removal archives."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.errors import InputError
from bot.core.models import Assignment, Task, Unit
from bot.core.vocab import Role
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import TaskEntry, load_catalog
from tests.conftest import DATA
from tests.support.cli import snapshot

SUPERVISE = (DATA / "supervise.yaml").read_text(encoding="utf-8")


def _task(text: str, key: str) -> TaskEntry:
    return next(t for t in load_catalog(Path("t.yaml"), text=text).tasks if t.key == key)


def test_supervising_units_are_resolved_through_aliases_and_become_supervise_assignments() -> None:
    task = _task(SUPERVISE, "1.1")
    assert task.supervise == ("市委督查室",)  # written as its alias 中共江门市委督查室
    assert set(task.assignments) == {
        ("市科技局", Role.LEAD, None),
        ("市财政局", Role.RESPONSIBLE, None),
        ("市委督查室", Role.SUPERVISE, None),
    }
    assert {(u, r) for u, r, _ in _task(SUPERVISE, "1.2").assignments} == {
        ("市发展改革局", Role.RESPONSIBLE),
        ("市委督查室", Role.SUPERVISE),
        ("市科技局", Role.SUPERVISE),
    }


def test_a_group_supervises_through_each_member() -> None:
    text = SUPERVISE.replace("supervise: [市委督查室, 市科技局]", "supervise: [各县(市、区)人民政府]")
    assert {a for a in _task(text, "1.2").assignments if a[1] == Role.SUPERVISE} == {
        ("蓬江区人民政府", Role.SUPERVISE, "各县(市、区)人民政府"),
        ("江海区人民政府", Role.SUPERVISE, "各县(市、区)人民政府"),
    }


def _problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_catalog(Path("t.yaml"), text=text)
    return [str(p) for p in caught.value.problems]


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_an_unknown_supervising_unit_is_named_at_its_line_with_the_closest_unit() -> None:
    text = SUPERVISE.replace("supervise: [市委督查室, 市科技局]", "supervise: [市委督查室, 市委督察室]")
    [problem] = _problems(text)
    line = _line_of(text, "市委督察室")
    assert problem.startswith(f"t.yaml:{line}:")
    assert "unknown unit '市委督察室'; did you mean '市委督查室'?" in problem


@pytest.mark.parametrize(
    ("task_key", "supervise", "role"),
    [
        ("1.1", "[中共江门市委督查室, 市科技局]", "lead"),  # the lead
        ("1.1", "[市科学技术局]", "lead"),  # the lead, by its alias
        ("2.1", "[蓬江区人民政府]", "responsible"),  # a member of the responsible group
    ],
)
def test_a_unit_may_not_supervise_a_task_it_works_on(task_key: str, supervise: str, role: str) -> None:
    text = SUPERVISE
    if task_key == "1.1":
        text = text.replace("supervise: [中共江门市委督查室]", f"supervise: {supervise}")
    else:
        text = text.replace(
            "        responsible: [各县(市、区)人民政府]\n",
            f"        responsible: [各县(市、区)人民政府]\n        supervise: {supervise}\n",
        )
    [problem] = _problems(text)
    assert problem.startswith(f"t.yaml:{_line_of(text, 'supervise: ' + supervise)}:")
    assert f"is named in both `{role}:` and `supervise:` of task '{task_key}'" in problem
    assert "may not supervise a task it works on" in problem


def test_a_group_that_brings_in_a_working_unit_is_refused_naming_the_member() -> None:
    text = SUPERVISE.replace(
        "        responsible: [各县(市、区)人民政府]\n",
        "        responsible: [蓬江区人民政府]\n        supervise: [各县(市、区)人民政府]\n",
    )
    [problem] = _problems(text)
    assert "unit '蓬江区人民政府' (a member of '各县(市、区)人民政府') is named in both `responsible:`" in problem


def test_a_task_only_supervised_names_no_unit() -> None:
    text = SUPERVISE.replace(
        "        lead: [市财政局]\n        responsible: [各县(市、区)人民政府]\n", "        supervise: [市委督查室]\n"
    )
    [problem] = _problems(text)
    assert "task '2.1' names no unit" in problem


# --- the import -------------------------------------------------------------------------------------------


async def _import(engine: AsyncEngine, text: str) -> dict[str, int]:
    async with db.session_scope(engine) as session:
        return (await import_catalog(session, load_catalog(Path("t.yaml"), text=text))).counts


async def _roles(engine: AsyncEngine, key: str) -> dict[tuple[str, str], bool]:
    """(unit, role) → archived, for one task."""
    async with db.session_scope(engine) as session:
        rows = (
            await session.execute(
                select(Unit.name, Assignment.role, Assignment.archived)
                .join(Assignment, Assignment.unit_id == Unit.id)
                .join(Task, Task.id == Assignment.task_id)
                .where(Task.key == key)
            )
        ).all()
    return {(name, role): archived for name, role, archived in rows}


async def test_import_stores_supervise_assignments_and_a_re_import_changes_nothing(engine: AsyncEngine) -> None:
    first = await _import(engine, SUPERVISE)
    assert first["assignments added"] == 9
    assert await _roles(engine, "1.2") == {
        ("市发展改革局", Role.RESPONSIBLE): False,
        ("市委督查室", Role.SUPERVISE): False,
        ("市科技局", Role.SUPERVISE): False,
    }
    before = await snapshot(engine)
    assert await _import(engine, SUPERVISE) == {}
    assert await snapshot(engine) == before


async def test_a_supervising_unit_removed_from_a_task_is_archived_and_restored_when_it_comes_back(
    engine: AsyncEngine,
) -> None:
    await _import(engine, SUPERVISE)
    removed = SUPERVISE.replace("supervise: [市委督查室, 市科技局]", "supervise: [市委督查室]")
    assert await _import(engine, removed) == {"assignments archived": 1}
    assert (await _roles(engine, "1.2"))[("市科技局", Role.SUPERVISE)] is True
    assert await _import(engine, SUPERVISE) == {"assignments restored": 1}
    assert (await _roles(engine, "1.2"))[("市科技局", Role.SUPERVISE)] is False


async def test_a_supervising_unit_that_becomes_responsible_swaps_its_assignment(engine: AsyncEngine) -> None:
    await _import(engine, SUPERVISE)
    moved = SUPERVISE.replace(
        "        responsible: [市发展改革局]\n        supervise: [市委督查室, 市科技局]\n",
        "        responsible: [市发展改革局, 市科技局]\n        supervise: [市委督查室]\n",
    )
    assert await _import(engine, moved) == {"assignments added": 1, "assignments archived": 1}
    roles = await _roles(engine, "1.2")
    assert roles[("市科技局", Role.SUPERVISE)] is True and roles[("市科技局", Role.RESPONSIBLE)] is False
