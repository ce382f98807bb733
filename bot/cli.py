"""`taskbot` command line (typer). The composition root for offline work.

Every command turns expected failures (bad input, bad configuration, an unreachable or outdated
database) into one line on stderr and exit status 2; nothing the user typed produces a traceback.
Commands that touch the store create the schema in an empty database by themselves.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import db
from bot.catalog import Catalog, load_catalog
from bot.config import Settings, get_settings
from bot.errors import InputError, TaskbotError
from bot.importer import ImportResult, import_catalog
from bot.logs import setup_logging
from bot.store import document_counts, unit_loads

app = typer.Typer(add_completion=False, no_args_is_help=True, help="taskbot: 督办 of policy documents' tasks.")
db_app = typer.Typer(help="Database schema (Alembic migrations).")
app.add_typer(db_app, name="db")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)
log = logging.getLogger("taskbot.cli")
T = TypeVar("T")
EXIT_BAD_INPUT = 2


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def cli_command(func: Callable[..., T]) -> Callable[..., T]:
    """Expected failures become one line and exit 2; the settings and logging are set up once."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            setup_logging(get_settings())
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                err.print(f"[bold red]error:[/] {problem}", markup=True, soft_wrap=True, highlight=False)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except TaskbotError as exc:
            _fail(str(exc))
        except OperationalError as exc:
            _fail(f"database error: {exc.orig or exc}".splitlines()[0])
        except SQLAlchemyError as exc:
            _fail(f"database error: {exc}".splitlines()[0])
        raise AssertionError("unreachable")

    return wrapper


async def _with_store(settings: Settings, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    engine = db.make_engine(settings.database_url)
    try:
        await db.ensure_schema(engine)
        return await work(engine)
    finally:
        await engine.dispose()


def _tasks_path(path: Path | None) -> Path:
    return path if path is not None else get_settings().tasks_file


def _print_warnings(catalog: Catalog) -> None:
    for warning in catalog.warnings:
        err.print(f"[yellow]warning:[/] {warning}", markup=True, soft_wrap=True, highlight=False)


FileArg = Annotated[Path | None, typer.Argument(help="tasks.yaml (default: TASKS_FILE)", show_default=False)]


@app.command()
@cli_command
def validate(path: FileArg = None) -> None:
    """Check a tasks file without touching the store."""
    path = _tasks_path(path)
    catalog = load_catalog(path)
    _print_warnings(catalog)
    assignments = sum(len(t.assignments) for t in catalog.tasks)
    out.print(f"{path}: OK — {len(catalog.documents)} documents, {len(catalog.tasks)} tasks, "
              f"{assignments} assignments, {len(catalog.units)} units, {len(catalog.targets)} targets")


@app.command("import")
@cli_command
def import_(path: FileArg = None,
            dry_run: Annotated[bool, typer.Option("--dry-run", help="show the changes, write nothing")] = False
            ) -> None:
    """Load a tasks file into the store: all or nothing, idempotent, archiving what left the file."""
    settings = get_settings()
    path = _tasks_path(path)
    catalog = load_catalog(path)
    _print_warnings(catalog)

    async def work(engine: AsyncEngine) -> ImportResult:
        async with db.session_factory(engine)() as session, session.begin():
            result = await import_catalog(session, catalog, actor="cli")
            if dry_run:
                await session.rollback()
            return result

    result = asyncio.run(_with_store(settings, work))
    verb = "would change" if dry_run else "changed"
    out.print(f"{path}: {len(catalog.documents)} documents, {len(catalog.tasks)} tasks — {verb} "
              f"{result.changes} rows" + ("" if not result.counts else ":"))
    for what, n in result.counts.items():
        out.print(f"  {what}: {n}")


@app.command()
@cli_command
def summary() -> None:
    """Documents and the tasks per unit in the store, by role and status."""
    from bot.messages import STATUS_LABELS

    async def work(engine: AsyncEngine) -> tuple[list, list]:
        async with db.session_scope(engine) as session:
            return await document_counts(session), await unit_loads(session)

    documents, loads = asyncio.run(_with_store(get_settings(), work))
    docs = Table("文件", "标题", "任务数", title="文件 documents")
    for doc_id, title, count in documents:
        docs.add_row(doc_id, title, str(count))
    out.print(docs)
    table = Table("单位", "牵头", "责任", *STATUS_LABELS.values(), title="各单位任务 tasks per unit")
    for load in loads:
        table.add_row(load.unit, str(load.lead), str(load.responsible),
                      *(str(load.by_status.get(status, 0)) for status in STATUS_LABELS))
    out.print(table)


@db_app.command("upgrade")
@cli_command
def db_upgrade() -> None:
    """Migrate the database to the newest schema (back it up first)."""
    settings = get_settings()

    async def work() -> tuple[str | None, str | None]:
        engine = db.make_engine(settings.database_url)
        try:
            before, _ = await db.current_revision(engine)
            await db.upgrade(engine)
            after, _ = await db.current_revision(engine)
            return before, after
        finally:
            await engine.dispose()

    before, after = asyncio.run(work())
    out.print(f"{db.redact(settings.database_url)}: schema {before or 'empty'} → {after}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
