"""`taskbot` command line (typer). The composition root for offline work.

Every command turns expected failures (bad input, bad configuration, an unreachable or outdated
database) into one line on stderr and exit status 2; nothing the user typed produces a traceback.
Commands that touch the store create the schema in an empty database by themselves.

Start-up (issue 23: `taskbot --version` had 0.3 s to answer, and took 0.5 s, most of it importing typer and
rich): what a command needs is imported when it runs (`cli_command`), and `--version` alone is answered by the
console script's entry point, bot/__main__.py, before this module is imported at all (0.12 s of CPU, a bare
interpreter 0.04 s). `--help` stays typer's (it lists the commands and their options, which only this module's
declarations know): it loads typer and rich, nothing heavier (tests/cli/test_cli_imports.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
import sys
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from bot.core.errors import InputError, TaskbotError
from bot.core.vocab import BulletinPeriod, ChaseOutcome, DigestScope, FileKind, MessageKind, OutboxStatus

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.chat import chase, chase_targets
    from bot.core.settings import Settings
    from bot.tasksfile.importer import Clock
    from bot.tasksfile.loader import Catalog

# markdown: a docstring's hard-wrapped lines are one paragraph in --help, not lines broken mid-sentence
app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="markdown",
    help="taskbot: 督办 of policy documents' tasks.",
)
db_app = typer.Typer(help="Database schema (Alembic migrations).")
app.add_typer(db_app, name="db")


def _show_version(value: bool) -> None:
    if value:
        print(f"taskbot {version('taskbot')}")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """taskbot: 督办 of policy documents' tasks."""


out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
log = logging.getLogger(__name__)
T = TypeVar("T")
EXIT_BAD_INPUT = 2


def _say(kind: str, message: str) -> None:
    """One line on stderr; the message is printed as written (a unit named `[/red]` is just text)."""
    err.print(Text.assemble((f"{kind}:", "bold red" if kind == "error" else "yellow"), " ", message), soft_wrap=True)


def _fail(message: str) -> None:
    _say("error", message)
    raise typer.Exit(EXIT_BAD_INPUT)


def cli_command(func: Callable[..., T]) -> Callable[..., T]:
    """Expected failures become one line and exit 2; the settings and logging are set up once.

    What a command needs is imported when it runs (issue 23): `taskbot --version` and `--help` load neither
    Telegram nor SQLAlchemy nor the document libraries (tests/cli/test_cli_imports.py)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        from bot.core.logs import setup_logging
        from bot.core.settings import get_settings

        try:
            setup_logging(get_settings())
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                _say("error", str(problem))
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except TaskbotError as exc:
            _fail(str(exc))
        except Exception as exc:
            _database_error(exc)
            raise
        raise AssertionError("unreachable")

    return wrapper


def _database_error(exc: Exception) -> None:
    """A database error as one line and exit 2; anything else returns. SQLAlchemy is looked up, not
    imported: an error can only be SQLAlchemy's if a command has loaded it."""
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None:
        return
    if isinstance(exc, errors.OperationalError):
        _fail(f"database error: {exc.orig or exc}".splitlines()[0])
    if isinstance(exc, errors.SQLAlchemyError):
        _fail(f"database error: {exc}".splitlines()[0])


async def _with_store(settings: Settings, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    from bot.core import db

    engine = db.make_engine(settings.database_url)
    try:
        await db.ensure_schema(engine)
        return await work(engine)
    finally:
        await engine.dispose()


def _tasks_path(path: Path | None) -> Path:
    from bot.core.settings import get_settings

    return path if path is not None else get_settings().tasks_file


def _print_warnings(catalog: Catalog) -> None:
    for warning in catalog.warnings:
        _say("warning", str(warning))


def _warn_calendar_horizon(path: Path, catalog: Catalog, today: dt.date) -> None:
    """A year the workday calendar will not know (scheduler/horizon.py): this one, or next from 1 November."""
    import chinese_calendar

    from scheduler.horizon import missing_years
    from scheduler.workdays import WorkCalendar

    calendar = WorkCalendar(holidays=catalog.holidays, workdays=catalog.workdays)
    for year in missing_years(today, calendar):
        _say(
            "warning",
            f"{path}: calendar: the holidays and 调休 of {year} are not known (chinesecalendar "
            f"{getattr(chinese_calendar, '__version__', '?')} and this file's `calendar:` lack them), so "
            f"{year} counts Monday–Friday as workdays: add {year}'s official schedule to `calendar:` "
            f"(holidays: [{year}-01-01, …], workdays: […]) or upgrade chinesecalendar",
        )


FileArg = Annotated[Path | None, typer.Argument(help="tasks.yaml (default: TASKS_FILE)", show_default=False)]


def _say_ended(path: Path, catalog: Catalog, clock: Clock) -> None:
    """One warning line per document the import files as 已到期 (bot/tasksfile/ended.py)."""
    from bot.tasksfile.ended import ended_documents

    for document in ended_documents(catalog.documents, clock.today, include_ended=clock.include_ended):
        why = "archived: true" if document.archived else f"its period ended {document.period_end}, over a year ago"
        _say(
            "warning",
            f"{path}: document {document.id} ({document.title}): {why}: imported as 已到期 — no reminders, out of the "
            "lights, rankings and overdue counts (`taskbot import --include-ended` or `archived: false` keeps it in)",
        )


@app.command()
@cli_command
def validate(path: FileArg = None) -> None:
    """Check a tasks file (tasks.yaml, or a review sheet .xlsx) without touching the store."""
    from bot.core.settings import get_settings
    from bot.tasksfile.importer import Clock
    from bot.tasksfile.loader import load_catalog

    path = _tasks_path(path)
    catalog = load_catalog(path)
    _print_warnings(catalog)
    today = dt.datetime.now(get_settings().tz).date()
    _say_ended(path, catalog, Clock(today))
    _warn_calendar_horizon(path, catalog, today)
    assignments = sum(len(t.assignments) for t in catalog.tasks)
    out.print(
        f"{path}: OK — {len(catalog.documents)} documents, {len(catalog.tasks)} tasks, "
        f"{assignments} assignments, {len(catalog.units)} units, {len(catalog.targets)} targets"
    )


@app.command("import")
@cli_command
def import_(
    path: FileArg = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="show the changes, write nothing")] = False,
    include_ended: Annotated[
        bool,
        typer.Option("--include-ended", help="keep plans whose period ended over a year ago in (not 已到期)"),
    ] = False,
    add: Annotated[
        bool,
        typer.Option(
            "--add",
            help="add the file's documents beside the store's others (a reviewed 分工方案): archive nothing else",
        ),
    ] = False,
) -> None:
    """Load a tasks file (tasks.yaml, or a review sheet .xlsx) into the store: all or nothing, idempotent,
    archiving what left the file; a plan whose period ended over a year ago is filed as 已到期. With --add the
    file is the truth for its own documents only, as the web review's import: a month's new 分工方案 goes in
    beside the others, and a later whole import of tasks.yaml does not archive it (Document.origin)."""

    from bot.core import db
    from bot.core.settings import get_settings
    from bot.tasksfile.importer import Clock, ImportResult, import_catalog
    from bot.tasksfile.loader import load_catalog

    settings = get_settings()
    path = _tasks_path(path)
    catalog = load_catalog(path)
    _print_warnings(catalog)
    clock = Clock(dt.datetime.now(settings.tz).date(), include_ended)
    _say_ended(path, catalog, clock)

    async def work(engine: AsyncEngine) -> ImportResult:
        async with db.session_factory(engine)() as session, session.begin():
            result = await import_catalog(session, catalog, actor="cli", clock=clock, whole=not add)
            if dry_run:
                await session.rollback()
            return result

    result = asyncio.run(_with_store(settings, work))
    verb = "would change" if dry_run else "changed"
    out.print(
        f"{path}: {len(catalog.documents)} documents, {len(catalog.tasks)} tasks — {verb} "
        f"{result.changes} rows" + ("" if not result.counts else ":")
    )
    for what, n in result.counts.items():
        out.print(f"  {what}: {n}")


@app.command()
@cli_command
def summary() -> None:
    """Documents and the tasks per unit in the store, by role and status (the status counts are of the tasks
    a unit works on, not of those it supervises)."""
    from rich.table import Table

    from bot.core import db
    from bot.core.settings import get_settings
    from bot.render import messages as m
    from bot.store.overview import document_counts, unit_loads

    async def work(engine: AsyncEngine) -> tuple[list, list]:
        async with db.session_scope(engine) as session:
            return await document_counts(session), await unit_loads(session)

    documents, loads = asyncio.run(_with_store(get_settings(), work))
    docs = Table(*m.CLI_DOCUMENT_COLUMNS, title=m.CLI_DOCUMENTS_TITLE)
    for doc_id, title, count in documents:
        docs.add_row(doc_id, title, str(count))
    out.print(docs)
    table = Table(*m.CLI_UNIT_COLUMNS, *m.STATUS_LABELS.values(), title=m.CLI_UNITS_TITLE)
    for load in loads:
        table.add_row(
            load.unit,
            str(load.lead),
            str(load.responsible),
            str(load.supervise),
            *(str(load.by_status.get(status, 0)) for status in m.STATUS_LABELS),
        )
    out.print(table)


def _parse_when(value: str | None, option: str, tz: Any) -> dt.datetime:
    """`--as-of` as a date (start of that day) or date and time, in the configured zone; now if unset."""
    if value is None:
        return dt.datetime.now(tz)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise TaskbotError(f"{option} {value!r}: expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed


def _parse_day(value: str | None, option: str, tz: Any) -> dt.date:
    """A date option (YYYY-MM-DD); today in the configured zone if unset."""
    if value is None:
        return dt.datetime.now(tz).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TaskbotError(f"{option} {value!r}: expected a date YYYY-MM-DD") from None


AsOf = Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD[THH:MM] (default: now)")]


@app.command("plan")
@cli_command
def plan_(
    as_of: AsOf = None, days: Annotated[int, typer.Option("--days", min=1, max=3660, help="how far ahead")] = 7
) -> None:
    """What will be sent, to whom and when (reads the store, writes nothing)."""
    from rich.table import Table

    from bot.core import db
    from bot.core.references import label
    from bot.core.settings import get_settings
    from bot.render import messages as m
    from bot.render.messages import KIND_COORDINATORS, KIND_LABELS
    from scheduler.due_sheets import by_moment
    from scheduler.jobs import DIGEST_SEND_AT
    from scheduler.planner import plan
    from scheduler.snapshot import load_calendar, load_snapshot

    settings = get_settings()
    start = _parse_when(as_of, "--as-of", settings.tz)
    end = start + dt.timedelta(days=days)

    async def work(engine: AsyncEngine) -> tuple[list, Any]:
        async with db.session_scope(engine) as session:
            snapshot = await load_snapshot(session, has_coordinators=bool(settings.coordinator_ids))
            calendar = await load_calendar(session)
        return plan(end, start, snapshot.plan_input, calendar, settings.tz, digest_send_at=DIGEST_SEND_AT), snapshot

    due, snapshot = asyncio.run(_with_store(settings, work))
    table = Table(*m.CLI_PLAN_COLUMNS, title=f"{start:%Y-%m-%d %H:%M} → {end:%Y-%m-%d %H:%M}")
    sheets = by_moment(due)
    for at, unit_id, items in sheets:
        who = snapshot.units.get(unit_id, "?") if unit_id is not None else KIND_COORDINATORS
        kinds = Counter(item.kind for item in items)
        what = "、".join(f"{KIND_LABELS[k]}{n}" for k, n in kinds.items())
        refs = [
            label(snapshot.shorts[v.document_id], v.task_key)
            for v in (snapshot.views[i.assignment_id] for i in items[:4])
        ]
        table.add_row(
            f"{at.astimezone(settings.tz):%Y-%m-%d %H:%M}",
            m.CLI_PLAN_SHEET.format(n=len(items), what=what),
            who,
            "、".join(refs) + ("…" if len(items) > 4 else ""),
        )
    for message in due:
        if message.kind == MessageKind.DIGEST:
            table.add_row(
                f"{message.send_at.astimezone(settings.tz):%Y-%m-%d %H:%M}",
                KIND_LABELS[message.kind],
                KIND_COORDINATORS,
                message.period,
            )
    out.print(table)
    counts = Counter(message.kind for message in due)
    out.print(
        f"{len(sheets)} 督办单 carrying {len(due) - counts[MessageKind.DIGEST]} items ("
        + ", ".join(f"{KIND_LABELS[k]} {n}" for k, n in sorted(counts.items()))
        + ")"
    )


@app.command()
@cli_command
def digest(
    unit: Annotated[str | None, typer.Option("--unit", help="a lead unit: its tasks only")] = None,
    as_of: AsOf = None,
    png: Annotated[Path | None, typer.Option("--png", help="also write the digest's chart (.png)")] = None,
) -> None:
    """Print the digest (all tasks, or the tasks one unit leads or supervises) as of a date; --png writes its
    chart too."""

    from bot.chat.digest_on_demand import digest_chart, digest_text, unit_scope
    from bot.core import db
    from bot.core.settings import get_settings
    from bot.render.telegram_text import html_to_plain
    from bot.reporting.output_file import check_target
    from bot.store.assignment_views import overseer_roles
    from bot.store.overview import resolve_unit_id

    settings = get_settings()
    when = _parse_when(as_of, "--as-of", settings.tz)
    from bot.reporting.chart import write_png  # matplotlib loads only when a chart is asked

    picture = check_target(png, ".png", "--png") if png is not None else None

    async def work(engine: AsyncEngine) -> tuple[str, bytes | None]:
        async with db.session_scope(engine) as session:
            unit_id = None if unit is None else await resolve_unit_id(session, unit)
            if unit_id is None:
                text = await digest_text(session, scope=DigestScope.ALL, today=when.date(), tz=settings.tz)
            else:
                scope = unit_scope(await overseer_roles(session, unit_id))
                text = await digest_text(
                    session, scope=scope, today=when.date(), tz=settings.tz, unit_id=unit_id, unit_name=unit or ""
                )
            chart = await digest_chart(session, today=when.date(), unit_id=unit_id) if picture else None
            return text, chart

    text, chart = asyncio.run(_with_store(settings, work))
    out.print(html_to_plain(text))
    if picture is not None:
        if chart is None:
            raise TaskbotError(f"--png {picture}: no tasks to draw, nothing written")
        write_png(chart, picture)
        out.print(f"{picture}: chart written ({len(chart):,} bytes)")


TargetArg = Annotated[
    list[str],
    typer.Argument(help="overdue | silent N | doc 简称 | unit 单位 | due N, then an optional note", show_default=False),
]


@app.command()
@cli_command
def remind(
    target: TargetArg,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="list the units it reaches; queue nothing")] = False,
    again: Annotated[bool, typer.Option("--again", help="also the units chased today already")] = False,
) -> None:
    """A 催办 now (as /remind): one 督办单 headed 【督办员催办】 per chat of the units the target picks, with
    only the items that made each a target; through the outbox, audited as actor "cli"."""

    from bot.chat import chase
    from bot.core import db
    from bot.core.settings import get_settings
    from bot.render.telegram_text import html_to_plain

    settings = get_settings()
    spec, note = _chase_target(target)

    async def work(engine: AsyncEngine) -> tuple[chase.Preview | chase.Refused, chase.ChaseResult | None]:
        now = dt.datetime.now(settings.tz)
        async with db.session_scope(engine) as session:
            found = await chase.preview(session, spec, now=now, tz=settings.tz)
            if isinstance(found, chase.Refused) or dry_run:
                return found, None
            draft_id = await chase.draft(session, found, actor="cli", note=note)
            if draft_id is None:
                return found, None
            return found, await chase.confirm(
                session, draft_id=draft_id, actor="cli", send=True, again=again, now=now, tz=settings.tz
            )

    found, result = asyncio.run(_with_store(settings, work))
    if isinstance(found, chase.Refused):
        _fail(html_to_plain(found.text))
    assert isinstance(found, chase.Preview)
    _print_chased(found)
    _print_remind_outcome(found, result, dry_run)


def _chase_target(target: list[str]) -> tuple[chase_targets.ChaseSpec, str]:
    """The 催办's target and note from the command's words; a word that names no target fails with the usage."""
    from bot.chat import chase_targets
    from bot.render import messages as m
    from bot.render.telegram_text import html_to_plain

    spec, note = chase_targets.parse(" ".join(target))
    if spec is None:
        _fail(f"unknown target {' '.join(target)!r}: overdue, silent N, doc NAME, unit NAME or due N")
    if isinstance(spec, chase_targets.TargetProblem):
        _fail(html_to_plain(m.CHASE_TARGET_USAGE[spec.kind]))
    assert isinstance(spec, chase_targets.ChaseSpec)
    return spec, note


def _print_remind_outcome(found: chase.Preview, result: chase.ChaseResult | None, dry_run: bool) -> None:
    """What the 催办 did: queued, nothing to queue, or refused as chased today already (exit 1)."""
    from bot.render import messages as m
    from bot.render.telegram_text import html_to_plain

    if dry_run:
        out.print(f"dry run: {len(found.reached)} units, {found.chat_count} chats; nothing queued")
    elif result is None:
        out.print(html_to_plain(m.CHASE_NOBODY.format(target=found.label)))
    elif result.outcome == ChaseOutcome.CHASED_TODAY:
        _say("warning", f"chased today already: {'、'.join(result.units)}; nothing queued (--again to send)")
        raise typer.Exit(1)
    elif result.outcome == ChaseOutcome.QUEUED:
        out.print(f"queued: {len(result.units)} units, {result.chats} chats")
    else:
        out.print(html_to_plain(m.CHASE_NOBODY_NOW))


def _print_chased(found: chase.Preview) -> None:
    """Every unit the target picks, reachable or not: a unit no chat reaches is marked 未绑定 and one chased
    today already 今天已催办 (a dry run on a store with no bound chat still names every late unit)."""
    from bot.render import messages as m

    for chased in found.chosen:
        chats = found.chats.get(chased.unit_id, [])
        refs = " ".join(view.ref for view in chased.items)
        marks = ([m.CLI_CHASE_UNBOUND] if not chats else []) + (
            [m.CLI_CHASE_TODAY] if chased.unit in found.chased_today else []
        )
        mark = f" [{'，'.join(marks)}]" if marks else ""
        out.print(Text(f"{chased.unit} — {len(chased.items)} items, {len(chats)} chats{mark}: {refs}"), soft_wrap=True)


@app.command()
@cli_command
def outbox() -> None:
    """Outbox counts by status, and the rows that failed or were skipped, with the reason."""
    from rich.table import Table

    from bot.core import db
    from bot.core.settings import get_settings
    from bot.store.overview import outbox_counts, outbox_problems

    async def work(engine: AsyncEngine) -> tuple[dict[str, int], list]:
        async with db.session_scope(engine) as session:
            return await outbox_counts(session), await outbox_problems(session)

    counts, problems = asyncio.run(_with_store(get_settings(), work))
    out.print("  ".join(f"{status}: {counts.get(status, 0)}" for status in tuple(OutboxStatus)))
    if problems:
        table = Table("id", "status", "kind", "chat", "send_at", "reason", title="failed / skipped")
        for row in problems:
            table.add_row(
                str(row.id),
                row.status,
                row.kind,
                str(row.chat_id or "-"),
                f"{row.send_at:%Y-%m-%d %H:%M}",
                row.last_error or "",
            )
        out.print(table)


@app.command()
@cli_command
def export(
    xlsx: Annotated[Path, typer.Option("--xlsx", help="the workbook to write (.xlsx)", show_default=False)],
    as_of: AsOf = None,
    unit: Annotated[str | None, typer.Option("--unit", help="a lead unit: its tasks only (as /export)")] = None,
) -> None:
    """Write the 台账: one row per task and unit, coloured by light, and a summary by unit (Excel); with --unit,
    the rows of the tasks that unit leads."""

    from bot.core import db
    from bot.core.settings import get_settings
    from bot.reporting.ledger import build_ledger, write_xlsx
    from bot.reporting.output_file import check_target
    from bot.store.overview import ledger_rows, resolve_unit_id

    settings = get_settings()
    target = check_target(xlsx)
    when = _parse_when(as_of, "--as-of", settings.tz)

    async def work(engine: AsyncEngine) -> list:
        async with db.session_scope(engine) as session:
            unit_id = None if unit is None else await resolve_unit_id(session, unit)
            return await ledger_rows(session, overseer_id=unit_id)

    ledger = build_ledger(asyncio.run(_with_store(settings, work)), when.date(), settings.tz)
    write_xlsx(ledger, target)
    out.print(f"{target}: {len(ledger.rows)} rows, {len(ledger.summary)} units, as of {ledger.as_of.isoformat()}")


@app.command()
@cli_command
def bulletin(
    docx: Annotated[Path, typer.Option("--docx", help="the document to write (.docx)", show_default=False)],
    period: Annotated[
        BulletinPeriod,
        typer.Option("--period", help="the ISO week or the calendar month that holds --as-of, cut at it"),
    ] = BulletinPeriod.MONTH,
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD (default: today)")] = None,
) -> None:
    """Write the 督办通报 of the week or month (.docx, 公文 layout): overall figures, the units doing well and
    those behind with their overdue tasks, next steps, and the ranking table."""

    from bot.chat.exports import read_bulletin
    from bot.core import db
    from bot.core.settings import get_settings
    from bot.reporting.bulletin_docx import write_bulletin
    from bot.reporting.output_file import check_target

    settings = get_settings()
    target = check_target(docx, ".docx", "--docx")
    day = _parse_day(as_of, "--as-of", settings.tz)

    async def work(engine: AsyncEngine) -> Any:
        async with db.session_scope(engine) as session:
            return await read_bulletin(session, period, day, settings.tz)

    document = asyncio.run(_with_store(settings, work))
    write_bulletin(document, target)
    out.print(f"{target}: {document.title}, {len(document.rows)} units ranked")


@app.command("simulate")
@cli_command
def simulate_(
    start: Annotated[
        str | None,
        typer.Option("--from", help="first simulated day, YYYY-MM-DD (default: chosen from the deadlines)"),
    ] = None,
    days: Annotated[int, typer.Option("--days", min=1, max=3660)] = 120,
    path: FileArg = None,
    keep: Annotated[Path | None, typer.Option("--db", help="keep the simulated store in this SQLite file")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="only the summary and the final digest")] = False,
) -> None:
    """The whole loop offline on a virtual clock: planner, outbox, sender, scripted replies, digest."""
    from rich.progress import Progress

    from bot.core.settings import get_settings
    from bot.render import messages as m
    from bot.render.messages import KIND_COORDINATORS, KIND_LABELS, PERSONA_LABELS
    from bot.render.telegram_text import html_to_plain
    from bot.tasksfile.loader import load_catalog
    from scheduler.simulate import SimulationResult, default_window
    from scheduler.simulate import simulate as run_simulation
    from scheduler.transport import SentMessage

    settings = get_settings()
    given = _parse_when(start, "--from", settings.tz).date() if start is not None else None
    catalog_path = _tasks_path(path)
    catalog = load_catalog(catalog_path)  # bad input stops here, before anything is created
    first = given or default_window(catalog, days) or dt.datetime.now(settings.tz).date()
    if keep is not None and keep.exists():
        raise TaskbotError(f"--db {keep}: the file exists; the simulation starts from an empty store")
    logging.getLogger("scheduler").setLevel(logging.WARNING)  # the progress bar tells the story
    kinds: Counter[str] = Counter()

    def show(sim: SimulationResult, messages: list[SentMessage]) -> None:
        """Each day's messages as the day ends, then dropped: a run of years holds one day at a time."""
        for message in messages:
            lines = html_to_plain(message.text).splitlines()
            head = lines[0] if lines else ""
            if message.file is not None:  # a photo or document: its caption, then the file's name and size
                kinds[
                    KIND_LABELS[MessageKind.CHART if message.file.kind == FileKind.PHOTO else MessageKind.DOCUMENT]
                ] += 1
                lines = [head, f"📎 {message.file.name} ({len(message.file.content):,} bytes)"]
            else:
                kinds[head.split("】")[0] + "】" if head.startswith("【") else head[:6]] += 1
            if quiet:
                continue
            who = sim.recipients.get(message.chat_id, KIND_COORDINATORS)
            detail = next(
                (line for line in lines[1:] if line.startswith(m.TASK_LINE_PREFIX)), lines[1] if len(lines) > 1 else ""
            )
            assert message.at is not None, "the simulation's transport has a clock: every message has its time"
            out.print(f"{message.at.astimezone(settings.tz):%Y-%m-%d %H:%M}  {who}  {lines[0]}  {detail}")

    with tempfile.TemporaryDirectory(prefix="taskbot-sim-") as tmp, Progress(console=err, transient=True) as bar:
        db_path = keep or Path(tmp) / "simulate.db"
        job = bar.add_task(f"simulating {days} days from {first}", total=days)
        result = asyncio.run(
            run_simulation(
                catalog_path,
                db_path,
                first,
                days,
                settings.tz,
                progress=lambda n: bar.update(job, completed=n),
                on_sent=show,
            )
        )
    chosen = "" if given else " (chosen from the deadlines: --from and --days to change it)"
    out.print(
        f"\nwindow: {first} + {days} days{chosen}; documents in force: {result.documents[0]} of {result.documents[1]}"
    )
    out.print(
        f"{result.messages} messages sent, {result.replies} replies stored; "
        + "; ".join(f"{kind} {n}" for kind, n in kinds.most_common(6))
    )
    out.print(f"messages per chat per day: max {result.per_chat_day(1.0)}, 95th percentile {result.per_chat_day(0.95)}")
    out.print("personas: " + ", ".join(f"{PERSONA_LABELS[p]} {n}" for p, n in sorted(result.personas.items())))
    out.print("\n" + html_to_plain(result.digest))


@app.command()
@cli_command
def run(
    webhook: Annotated[
        str | None,
        typer.Option(
            "--webhook",
            help="public https URL Telegram posts updates to (behind a proxy); default: long polling",
            show_default=False,
        ),
    ] = None,
    listen: Annotated[str, typer.Option("--listen", help="HOST:PORT the webhook server binds")] = "127.0.0.1:8443",
    secret_token: Annotated[
        str | None,
        typer.Option(
            "--secret-token",
            show_default=False,
            help="webhook secret header (default: TELEGRAM_WEBHOOK_SECRET, else random per start)",
        ),
    ] = None,
    web: Annotated[
        str | None,
        typer.Option("--web", help="also serve the web 看板 at HOST:PORT, in the bot's process", show_default=False),
    ] = None,
) -> None:
    """Run the bot (needs TELEGRAM_BOT_TOKEN): long polling, or a webhook server with --webhook."""
    from bot.app import run_polling, run_webhook
    from bot.core.settings import get_settings

    settings = get_settings()
    if web:
        if webhook:
            _fail("--web runs with long polling; with --webhook, serve the 看板 with `taskbot web` beside it")
        from bot.app import run_polling_with_web

        run_polling_with_web(settings, web)
    elif webhook:
        secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else None
        run_webhook(settings, webhook, listen, secret_token or secret)
    else:
        run_polling(settings)


@app.command("web")
@cli_command
def web_(
    listen: Annotated[str, typer.Option("--listen", help="HOST:PORT the web 看板 binds")] = "127.0.0.1:8080",
) -> None:
    """Serve the web 督办看板 alone (a second process beside the bot, on the same database)."""
    from bot.app import parse_listen
    from bot.core.settings import get_settings
    from bot.web.server import serve_alone

    host, port = parse_listen(listen)
    asyncio.run(serve_alone(get_settings(), host, port))


@app.command("web-link")
@cli_command
def web_link(
    user_id: Annotated[int, typer.Argument(help="the Telegram user id of a coordinator or a bound contact")],
    listen: Annotated[
        str, typer.Option("--listen", help="HOST:PORT of the 看板, for the link when WEB_BASE_URL is not set")
    ] = "127.0.0.1:8080",
) -> None:
    """Print a one-time login link to the web 看板 (valid 10 minutes, usable once)."""
    from bot.app import parse_listen
    from bot.chat import web_access
    from bot.core import db
    from bot.core.settings import get_settings
    from bot.web.server import base_url

    settings = get_settings()

    async def work(engine: AsyncEngine) -> str | None:
        async with db.session_scope(engine) as session:
            if await web_access.viewer_of(session, user_id, settings.coordinator_ids) is None:
                return None
            now = dt.datetime.now(dt.UTC)
            return await web_access.issue_login(session, user_id, now=now, actor="cli")

    token = asyncio.run(_with_store(settings, work))
    if token is None:
        _fail(f"user {user_id}: neither a coordinator nor the contact of a bound unit (private chat): no link")
    print(f"{base_url(settings, *parse_listen(listen))}/login/{token}")


@app.command()
@cli_command
def invite(
    unit: Annotated[str | None, typer.Argument(help="the unit's name or an alias", show_default=False)] = None,
    group: Annotated[bool, typer.Option("--group", help="a link that adds the bot to the unit's group")] = False,
    expires: Annotated[str, typer.Option("--expires", help="how long the code works: 30m, 12h, 7d, 2w")] = "7d",
    bot_username: Annotated[
        str | None,
        typer.Option(
            "--bot-username",
            show_default=False,
            help="the bot's @username for the link (default: TELEGRAM_BOT_USERNAME, else getMe with the token)",
        ),
    ] = None,
    all_units: Annotated[bool, typer.Option("--all", help="every unit without a live chat (with --xlsx)")] = False,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="with --all: the sheet of links to write (.xlsx)", show_default=False)
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="with --all: list the units, make no codes")] = False,
) -> None:
    """Print a one-time deep link (and its code) that binds a chat to UNIT; with --all --xlsx FILE, write
    one for every unit that has no live chat to a sheet."""

    from bot.app import bot_username as fetch_username
    from bot.chat.binding import bot_username as checked_username
    from bot.chat.binding import invite_link, invite_unit, parse_duration
    from bot.core import db
    from bot.core.settings import get_settings

    target = _invite_all_arguments(unit, all_units, xlsx, dry_run)
    settings = get_settings()
    lifetime = parse_duration(expires)
    # every check before the invite is written: a refusal afterwards would leave an orphan invite
    if bot_username:
        username: str | None = checked_username(bot_username)
    elif settings.telegram_bot_username:
        username = checked_username(settings.telegram_bot_username, "TELEGRAM_BOT_USERNAME")
    else:
        username = asyncio.run(fetch_username(settings)) if settings.telegram_bot_token else None
    if all_units:
        _invite_all(settings, target, group=group, expires=expires, username=username, dry_run=dry_run)
        return
    assert unit is not None

    async def work(engine: AsyncEngine) -> tuple[str, str, dt.datetime]:
        async with db.session_scope(engine) as session:
            name, code, row = await invite_unit(session, unit, for_group=group, expires=lifetime)
            return name, code, row.expires_at

    name, code, until = asyncio.run(_with_store(settings, work))
    where = "group" if group else "private chat"
    if username:
        out.print(f"{name}: {invite_link(username, code, group=group)}")
    else:
        out.print(f"{name}: in a {where} with the bot send  /start {code}")
        err.print(
            "note: no bot username (pass --bot-username, or set TELEGRAM_BOT_USERNAME or TELEGRAM_BOT_TOKEN) "
            "— printed the code only"
        )
    out.print(f"code: {code}  ({where}, single use, expires {until.astimezone(settings.tz):%Y-%m-%d %H:%M %Z})")


def _invite_all_arguments(unit: str | None, all_units: bool, xlsx: Path | None, dry_run: bool) -> Path | None:
    """Check how UNIT, --all, --xlsx and --dry-run go together (before anything is read or made); the sheet
    to write, if any."""
    from bot.reporting.output_file import check_target

    if unit is not None and all_units:
        raise TaskbotError(f"give a unit ({unit!r}) or --all, not both")
    if unit is None and not all_units:
        raise TaskbotError("give the unit to invite, or --all --xlsx FILE for every unit without a chat")
    if not all_units and (xlsx is not None or dry_run):
        raise TaskbotError(f"{'--xlsx' if xlsx is not None else '--dry-run'} goes with --all")
    if all_units and xlsx is None and not dry_run:
        raise TaskbotError("--all writes a sheet: add --xlsx FILE (or --dry-run to list the units)")
    return check_target(xlsx) if xlsx is not None and not dry_run else None


def _invite_all(
    settings: Settings, target: Path | None, *, group: bool, expires: str, username: str | None, dry_run: bool
) -> None:
    """`taskbot invite --all`: every code in one transaction, the sheet renamed into place after its commit."""

    from bot.chat import invites
    from bot.chat.binding import invite_link
    from bot.core import db
    from bot.reporting import invite_sheet
    from bot.reporting.output_file import staged

    lifetime = invites.lifetime(expires)
    if target is None or dry_run:

        async def listing(engine: AsyncEngine) -> list[tuple[int, str]]:
            async with db.session_scope(engine) as session:
                return await invites.units_without_live_chat(session)

        names = [name for _, name in asyncio.run(_with_store(settings, listing))]
        for name in names:
            out.print(name)
        out.print(f"{len(names)} units without a live chat; no codes made (--dry-run)")
        return
    if not username:
        raise TaskbotError(
            "--all needs the bot's username for the links: pass --bot-username, or set "
            "TELEGRAM_BOT_USERNAME or TELEGRAM_BOT_TOKEN"
        )
    now = dt.datetime.now(dt.UTC)

    def link(code: str) -> str:
        try:
            return invite_link(username, code, group=group)
        except ValueError as exc:
            raise TaskbotError(f"--bot-username {username!r}: {exc}") from None

    async def work(engine: AsyncEngine) -> list[invites.IssuedInvite]:
        with staged(target, invite_sheet.FILE_MODE) as tmp:
            async with db.session_scope(engine) as session:
                issued = await invites.invite_all(session, for_group=group, expires=lifetime, now=now)
                rows = [invite_sheet.InviteRow(i.unit, link(i.code), i.code, i.expires_at, i.for_group) for i in issued]
                invite_sheet.save(
                    invite_sheet.build_workbook(rows, now.astimezone(settings.tz).date(), settings.tz), tmp
                )
        return issued

    issued = asyncio.run(_with_store(settings, work))
    until = (now + lifetime).astimezone(settings.tz)
    out.print(
        f"{target}: {len(issued)} {'group' if group else 'private'} invites, single use, "
        f"expire {until:%Y-%m-%d %H:%M %Z}; units with a live chat are left out"
    )


@app.command()
@cli_command
def extract(
    documents: Annotated[
        list[Path], typer.Argument(help="policy document(s): .txt (UTF-8 or GBK), .html, .docx, .xlsx or .pdf")
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write the tasks file here")] = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx", help="write the review sheet (任务分解表, one sheet per document) instead", show_default=False
        ),
    ] = None,
    registry: Annotated[Path | None, typer.Option(help="tasks file whose units: names are used")] = None,
    against: Annotated[Path | None, typer.Option(help="reference tasks file: print differences")] = None,
    doc_id: Annotated[str | None, typer.Option("--id", help="the document's id (slug)")] = None,
) -> None:
    """Turn a policy document into a tasks file to review (README: "Extracting a document"), or documents into a
    review sheet (--xlsx) that `taskbot import` reads back."""
    from bot.core.settings import get_settings
    from bot.extract.command import run_extract

    run_extract(documents, output, registry, against, doc_id, get_settings().tasks_file, out, err, xlsx=xlsx)


@app.command()
@cli_command
def health(as_json: Annotated[bool, typer.Option("--json", help="the report as JSON")] = False) -> None:
    """Is the bot healthy? One line per check; exit 0 ok, 1 warnings, 2 a failed check (scheduler/health.py)."""
    from sqlalchemy.engine import make_url

    from bot.core import db
    from bot.core.settings import get_settings
    from scheduler.health import check, unreachable_report

    settings = get_settings()
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        report = unreachable_report(f"no database file {url.database}")  # do not create one by looking
    else:

        async def work() -> Any:
            engine = db.make_engine(settings.database_url)
            try:
                return await check(engine, dt.datetime.now(dt.UTC), settings.tz)
            finally:
                await engine.dispose()

        report = asyncio.run(work())
    if as_json:
        out.print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for item in report.checks:
            out.print(f"{item.level.value:<5} {item.name.value:<9} {item.line}")
        out.print(f"health: {report.level.value}")
    raise typer.Exit(report.exit_code)


@db_app.command("upgrade")
@cli_command
def db_upgrade() -> None:
    """Migrate the database to the newest schema (back it up first)."""
    from bot.core import db
    from bot.core.settings import get_settings

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
