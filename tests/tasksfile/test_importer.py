"""Import into the store, on SQLite and PostgreSQL alike (the `engine` fixture runs each test on both)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.generate import generate
from bot.core import db
from bot.core.models import Assignment, AuditLog, Document, Report, Target, Task, Unit, UnitAlias
from bot.core.vocab import Role
from bot.tasksfile import importer
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from tests.conftest import DATA, ROOT
from tests.support.cli import snapshot

MINI = (DATA / "mini.yaml").read_text(encoding="utf-8")


async def run_import(engine: AsyncEngine, text: str, path: str = "tasks.yaml") -> importer.ImportResult:
    catalog = load_catalog(Path(path), text=text)
    async with db.session_scope(engine) as session:
        return await import_catalog(session, catalog)


async def task_row(engine: AsyncEngine, key: str) -> Task:
    async with db.session_scope(engine) as session:
        return (await session.execute(select(Task).where(Task.key == key))).scalar_one()


async def assignments_of(engine: AsyncEngine, key: str) -> dict[tuple[str, str], Assignment]:
    async with db.session_scope(engine) as session:
        rows = (
            await session.execute(
                select(Unit.name, Assignment)
                .join(Assignment, Assignment.unit_id == Unit.id)
                .join(Task, Task.id == Assignment.task_id)
                .where(Task.key == key)
            )
        ).all()
        return {(name, a.role): a for name, a in rows}


async def test_import_then_reimport_changes_nothing(engine: AsyncEngine) -> None:
    first = await run_import(engine, MINI)
    assert first.counts["tasks added"] == 3
    assert first.counts["assignments added"] == 8
    before = await snapshot(engine)
    second = await run_import(engine, MINI)
    assert second.changes == 0
    assert await snapshot(engine) == before


async def test_group_expands_to_members_and_lead_is_not_also_responsible(engine: AsyncEngine) -> None:
    await run_import(engine, MINI)
    task_11 = await assignments_of(engine, "1.1")
    assert set(task_11) == {
        ("市科技局", Role.LEAD),
        ("市发展改革局", Role.RESPONSIBLE),
        ("蓬江区人民政府", Role.RESPONSIBLE),
        ("江海区人民政府", Role.RESPONSIBLE),
        ("新会区人民政府", Role.RESPONSIBLE),
    }
    assert task_11[("蓬江区人民政府", Role.RESPONSIBLE)].via_group_id is not None
    assert task_11[("市发展改革局", Role.RESPONSIBLE)].via_group_id is None
    # task 1.2 lists 市科技局 as lead and as responsible: one assignment, as lead
    assert set(await assignments_of(engine, "1.2")) == {("市科技局", Role.LEAD), ("市财政局", Role.RESPONSIBLE)}


async def test_deadline_phrases_are_resolved_and_kept(engine: AsyncEngine) -> None:
    await run_import(engine, MINI)
    t11, t21 = await task_row(engine, "1.1"), await task_row(engine, "2.1")
    assert (str(t11.deadline), t11.deadline_text) == ("2025-12-31", "2025年底前")
    assert (t21.deadline, t21.deadline_text, t21.recurrence) == (None, "长期坚持", "yearly:01-31")


async def test_changed_task_is_updated_in_place_and_keeps_its_reports(engine: AsyncEngine) -> None:
    await run_import(engine, MINI)
    original = await task_row(engine, "1.1")
    assignment = (await assignments_of(engine, "1.1"))[("市科技局", Role.LEAD)]
    async with db.session_scope(engine) as session:
        session.add(Report(assignment_id=assignment.id, text="已完成60%", status="in_progress", percent=60))
    result = await run_import(engine, MINI.replace("建立科技成果转化项目库\n", "建立全市科技成果转化项目库\n"))
    assert result.counts == {"tasks updated": 1}
    updated = await task_row(engine, "1.1")
    assert updated.id == original.id and updated.title == "建立全市科技成果转化项目库"
    async with db.session_scope(engine) as session:
        reports = (await session.execute(select(Report))).scalars().all()
        audit = (await session.execute(select(AuditLog).where(AuditLog.action == "import.task.update"))).scalars().all()
    assert [r.assignment_id for r in reports] == [assignment.id]
    assert audit[0].detail["old"]["title"] == "建立科技成果转化项目库"
    assert audit[0].detail["new"]["title"] == "建立全市科技成果转化项目库"


async def test_task_that_left_the_file_is_archived_then_restored(engine: AsyncEngine) -> None:
    await run_import(engine, MINI)
    without = MINI[: MINI.index('      - id: "2.1"')]
    result = await run_import(engine, without)
    assert result.counts == {"tasks archived": 1}
    assert (await task_row(engine, "2.1")).archived
    back = await run_import(engine, MINI)
    assert back.counts == {"tasks restored": 1}
    assert not (await task_row(engine, "2.1")).archived


async def test_unit_removed_from_task_archives_its_assignment(engine: AsyncEngine) -> None:
    await run_import(engine, MINI)
    result = await run_import(engine, MINI.replace("responsible: [市财政局, 市科技局]", "responsible: []"))
    assert result.counts == {"assignments archived": 1}
    rows = await assignments_of(engine, "1.2")
    assert rows[("市财政局", Role.RESPONSIBLE)].archived and not rows[("市科技局", Role.LEAD)].archived


async def test_document_that_left_the_file_is_archived_with_its_tasks(engine: AsyncEngine) -> None:
    await run_import(engine, MINI)
    other = MINI.replace("id: demo-2023", "id: demo-2024")
    result = await run_import(engine, other)
    assert result.counts["documents archived"] == 1 and result.counts["tasks archived"] == 3
    async with db.session_scope(engine) as session:
        docs = {d.id: d.archived for d in (await session.execute(select(Document))).scalars()}
        targets = {(t.document_id, t.archived) for t in (await session.execute(select(Target))).scalars()}
    assert docs == {"demo-2023": True, "demo-2024": False}
    assert targets == {("demo-2023", True), ("demo-2024", False)}


async def test_a_partial_import_adds_its_documents_beside_the_others(engine: AsyncEngine) -> None:
    """`whole=False` (the 看板's review of one extraction): the other document stays live, the units already
    there keep their aliases, a new unit comes with its alias, and importing it again changes nothing."""
    await run_import(engine, MINI)
    other = MINI
    for was, now in (
        ("id: demo-2023", "id: demo-2024"),
        ("aliases: [市科学技术局, 江门市科学技术局]", "aliases: []"),  # what a sheet's 单位表 might lack
        ("units:\n", "units:\n  - name: 市数据局\n    aliases: [数据局]\n"),
        ("responsible: [市财政局]\n", "responsible: [市财政局, 数据局]\n"),
        ("lead: [市科学技术局]", "lead: [市科技局]"),
        ("issuer: 江门市科学技术局", "issuer: 市科技局"),
    ):
        other = other.replace(was, now, 1)
    catalog = load_catalog(Path("one.yaml"), text=other)
    async with db.session_scope(engine) as session:
        result = await import_catalog(session, catalog, actor="web", whole=False)
    assert result.counts["documents added"] == 1 and result.counts["tasks added"] == 3
    assert "documents archived" not in result.counts and "tasks archived" not in result.counts
    assert result.counts["units added"] == 1 and result.counts["aliases changed"] == 1
    async with db.session_scope(engine) as session:
        docs = {d.id: d.archived for d in (await session.execute(select(Document))).scalars()}
        aliases = dict((await session.execute(select(UnitAlias.alias, UnitAlias.unit_id))).all())
        units = dict((await session.execute(select(Unit.name, Unit.id))).all())
        again = await import_catalog(session, catalog, actor="web", whole=False)
    assert docs == {"demo-2023": False, "demo-2024": False}
    assert aliases["市科学技术局"] == units["市科技局"] and aliases["数据局"] == units["市数据局"]
    assert again.changes == 0
    assert {name for name, _ in await assignments_of(engine, "2.1")} == {"市财政局", "市数据局"}


async def test_a_whole_import_archives_only_what_the_tasks_file_brought(engine: AsyncEngine) -> None:
    """A document imported on its own (the web review, `taskbot import --add`) is not archived by a later whole
    import of a tasks file that never held it — a month's new 分工方案 kept its tasks, where before it was
    archived with them. Once the file holds it, the file is its truth: leaving the file archives it."""
    await run_import(engine, MINI)
    new_unit = "units:\n  - name: 市数据局\n    aliases: [数据局]\n"  # its names stay too: the file does not hold it
    added = load_catalog(
        Path("new.yaml"), text=MINI.replace("id: demo-2023", "id: demo-2024").replace("units:\n", new_unit, 1)
    )
    async with db.session_scope(engine) as session:
        await import_catalog(session, added, actor="cli", whole=False)
    kept = await run_import(engine, MINI)  # the tasks file as it was: without demo-2024 and 市数据局
    assert kept.changes == 0
    async with db.session_scope(engine) as session:
        assert (await session.execute(select(UnitAlias.alias).where(UnitAlias.alias == "数据局"))).scalar() == "数据局"

    async def live() -> dict[str, tuple[bool, str, int]]:
        async with db.session_scope(engine) as session:
            rows = await session.execute(
                select(Document.id, Document.archived, Document.origin, Task.archived).join(
                    Task, Task.document_id == Document.id
                )
            )
            found: dict[str, tuple[bool, str, int]] = {}
            for doc_id, archived, origin, task_archived in rows.all():
                live_tasks = found.get(doc_id, (archived, origin, 0))[2] + (not task_archived)
                found[doc_id] = (archived, origin, live_tasks)
            return found

    assert await live() == {"demo-2023": (False, "tasks_file", 3), "demo-2024": (False, "on_its_own", 3)}
    both = MINI + MINI[MINI.index("  - id: demo-2023") :].replace("id: demo-2023", "id: demo-2024")
    taken = await run_import(engine, both)  # the file takes it in: now its truth
    assert taken.counts == {"documents updated": 1}
    assert (await live())["demo-2024"] == (False, "tasks_file", 3)
    left = await run_import(engine, MINI)
    assert left.counts["documents archived"] == 1 and left.counts["tasks archived"] == 3
    assert (await live())["demo-2024"] == (True, "tasks_file", 0)


async def test_import_is_all_or_nothing(engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    await run_import(engine, MINI)
    before = await snapshot(engine)

    async def broken(*_args: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(importer, "_sync_targets", broken)
    with pytest.raises(RuntimeError):
        await run_import(engine, MINI.replace("建立科技成果转化项目库\n", "改过的标题\n").replace("demo-2023", "d2"))
    assert await snapshot(engine) == before


async def test_statement_count_does_not_grow_with_the_task_count(tmp_path: Path) -> None:
    """Bulk writes only: a cold import of 10× the tasks costs the same number of SQL statements."""
    counts = []
    for docs in (2, 20):
        engine = db.make_engine(f"sqlite+aiosqlite:///{tmp_path / f'g{docs}.db'}")
        await db.ensure_schema(engine)
        catalog = load_catalog(generate(tmp_path / f"g{docs}.yaml", documents=docs, tasks_per_doc=10, units=60))
        statements = 0

        def count(*_args: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(engine.sync_engine, "before_cursor_execute", count)
        async with db.session_scope(engine) as session:
            await import_catalog(session, catalog)
        await engine.dispose()
        counts.append((len(catalog.tasks), statements))
    (small_tasks, small), (large_tasks, large) = counts
    assert large_tasks == 10 * small_tasks
    assert small == large, counts


async def test_the_seed_data_imports_and_reimports_unchanged(engine: AsyncEngine) -> None:
    text = (ROOT / "data" / "tasks.yaml").read_text(encoding="utf-8")
    first = await run_import(engine, text, "data/tasks.yaml")
    assert first.counts["documents added"] == 5
    assert first.counts["tasks added"] == len(load_catalog(ROOT / "data" / "tasks.yaml").tasks)
    assert (await run_import(engine, text, "data/tasks.yaml")).changes == 0
