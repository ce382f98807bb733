"""Historical documents (已到期): a plan whose period ended more than a year before the import sends nothing and
is in no light, ranking, overdue count, /mytasks or 通报 — unless `--include-ended` or `archived: false`."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core import db
from bot.core.models import Document
from bot.core.vocab import BulletinPeriod
from bot.reporting.rankings import Period
from bot.store import assignment_views, overview
from bot.store.ranking_inputs import ranking_inputs
from bot.tasksfile.ended import a_year_before, ended_documents, is_ended
from bot.tasksfile.importer import Clock, import_catalog
from bot.tasksfile.loader import DocumentEntry, load_catalog
from scheduler.snapshot import load_snapshot
from tests.support.cli import run_cli
from tests.support.harness import FINANCE, Harness, seeded_harness
from tests.support.store import bind, unit_id

TODAY = dt.date(2026, 12, 6)
TZ = ZoneInfo("Asia/Shanghai")
TASKS = """\
version: 1
units:
  - name: 市科技局
  - name: 市财政局
documents:
  - id: now-2026
    title: 现行科技创新行动方案
    issuer: 市科技局
    issued: 2026-01-05
    period: [2026-01-05, 2099-12-31]
    {now_archived}
    targets:
      - {{id: xm, text: 实施项目10项, value: 10, unit: 项, due: 2099-12-31, task: "1"}}
    tasks:
      - {{id: "1", title: 建设现行项目库, lead: [市科技局], responsible: [市财政局], deadline: 2026-06-30}}
  - id: old-2015
    title: 加快推进创新驱动发展重点工作方案(2015-2017年)
    issuer: 市科技局
    issued: 2015-12-07
    period: [2015-01-01, 2017-12-31]
    {old_archived}
    targets:
      - {{id: gq, text: 高新技术企业500家, value: 500, unit: 家, due: 2017-12-31, task: "1"}}
    tasks:
      - {{id: "1", title: 培育高新技术企业, lead: [市科技局], responsible: [市财政局], deadline: 2017-12-31}}
"""


def tasks_file(tmp_path: Path, *, now_archived: str = "", old_archived: str = "") -> Path:
    path = tmp_path / "tasks.yaml"
    path.write_text(TASKS.format(now_archived=now_archived, old_archived=old_archived), encoding="utf-8")
    return path


def _entry(end: dt.date | None, archived: bool | None = None) -> DocumentEntry:
    return DocumentEntry("d", "", "t", "u", None, dt.date(2015, 1, 1), None, end, (), None, {}, archived)


@pytest.mark.parametrize(
    ("end", "archived", "include", "today", "expected"),
    [
        (dt.date(2025, 12, 5), None, False, TODAY, True),  # a year and a day
        (dt.date(2025, 12, 6), None, False, TODAY, False),  # exactly a year: still in
        (dt.date(2017, 12, 31), None, True, TODAY, False),  # --include-ended
        (dt.date(2017, 12, 31), False, False, TODAY, False),  # archived: false
        (dt.date(2099, 12, 31), True, False, TODAY, True),  # archived: true
        (dt.date(2017, 12, 31), True, True, TODAY, True),  # archived: true beats --include-ended
        (None, None, False, TODAY, False),  # no period: never by the dates
        (dt.date(2017, 12, 31), None, False, None, False),  # no clock: only the file decides
    ],
)
def test_is_ended(
    end: dt.date | None, archived: bool | None, include: bool, today: dt.date | None, expected: bool
) -> None:
    assert is_ended(_entry(end, archived), today, include_ended=include) is expected


def test_a_year_before_29_february() -> None:
    assert a_year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)


async def _import(engine: AsyncEngine, path: Path, clock: Clock) -> int:
    async with db.session_scope(engine) as session:
        return (await import_catalog(session, load_catalog(path), actor="test", clock=clock)).changes


async def _documents_seen(engine: AsyncEngine) -> dict[str, set[str]]:
    """The documents each reader shows."""
    finance = await unit_id(engine, "市财政局")
    month = Period(BulletinPeriod.MONTH, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    async with db.session_scope(engine) as session:
        snapshot = await load_snapshot(session)
        inputs = await ranking_inputs(session, since=month.begins(TZ), until=month.ends(TZ))
        facts = {f.assignment_id for f in inputs.assignments}
        views = await assignment_views.views_of(session, sorted(facts))
        return {
            "planner": {v.document_id for v in snapshot.views.values()},
            "digest": {r.document_id for r in await overview.digest_rows(session)},
            "ledger": {r.row.document_id for r in await overview.ledger_rows(session)},
            "targets": {r.document for r in await overview.target_rows(session)},
            "overdue": {v.document_id for v in await assignment_views.overdue(session, TODAY)},
            "mytasks": {v.document_id for v in await assignment_views.open_assignments(session, finance)},
            "rankings": {v.document_id for v in views},
        }


@pytest.fixture
async def store(engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[tuple[AsyncEngine, Path]]:
    await db.ensure_schema(engine)
    yield engine, tasks_file(tmp_path)


async def test_an_ended_plan_is_in_no_reader(store: tuple[AsyncEngine, Path]) -> None:
    engine, path = store
    await _import(engine, path, Clock(TODAY))
    async with db.session_scope(engine) as session:
        ended = dict((await session.execute(select(Document.id, Document.ended))).all())
    assert ended == {"now-2026": False, "old-2015": True}
    seen = await _documents_seen(engine)
    assert seen["targets"] == {"现行科技创新行动方案"}
    assert {reader: docs for reader, docs in seen.items() if reader != "targets"} == {
        reader: {"now-2026"} for reader in seen if reader != "targets"
    }


async def test_include_ended_brings_it_back_and_a_plain_import_ends_it_again(store: tuple[AsyncEngine, Path]) -> None:
    engine, path = store
    await _import(engine, path, Clock(TODAY, include_ended=True))
    seen = await _documents_seen(engine)
    assert all(len(docs) == 2 for docs in seen.values()), seen
    assert await _import(engine, path, Clock(TODAY)) == 1  # the document row: ended
    assert (await _documents_seen(engine))["overdue"] == {"now-2026"}
    assert await _import(engine, path, Clock(TODAY)) == 0


async def test_the_archived_key_forces_it_either_way(engine: AsyncEngine, tmp_path: Path) -> None:
    await db.ensure_schema(engine)
    path = tasks_file(tmp_path, now_archived="archived: true", old_archived="archived: false")
    await _import(engine, path, Clock(TODAY))
    assert (await _documents_seen(engine))["overdue"] == {"old-2015"}


def test_validate_warns_of_the_plans_it_will_end_and_import_include_ended_keeps_them(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}
    path = tasks_file(tmp_path)
    checked = run_cli("validate", str(path), env=env)
    assert checked.exit_code == 0, checked.stderr
    warned = [line for line in checked.stderr.splitlines() if "已到期" in line]
    assert len(warned) == 1 and "old-2015" in warned[0] and "period ended 2017-12-31" in warned[0]
    assert run_cli("import", "--include-ended", str(path), env=env).exit_code == 0
    assert ended_documents(load_catalog(path).documents, TODAY) == [load_catalog(path).documents[1]]


@pytest.fixture
async def bot(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    async with seeded_harness(sqlite_url) as harness:
        await _import(harness.engine, tasks_file(tmp_path), Clock(TODAY))
        await bind(harness.engine, FINANCE, "市财政局")
        yield harness


async def test_mytasks_leaves_an_ended_plan_out(bot: Harness) -> None:
    (answer,) = await bot.say(FINANCE, "/mytasks")
    assert "建设现行项目库" in answer["text"] and "培育高新技术企业" not in answer["text"]
    assert "逾期1" in answer["text"].splitlines()[0]
