"""The `taskbot extract` command's work, kept out of bot/cli.py so that file only wires it in.

Prints the tasks file (or writes it atomically with -o, so a failure never leaves a partial file), a
one-line summary on stderr, and with --against the differences per task and field and the scores. With
--xlsx it writes the review sheet (任务分解表, bot/extract/review_writer.py) instead, one sheet per document.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from bot.core.errors import TaskbotError
from bot.extract import extract_path, load_registry, to_yaml
from bot.extract.compare import compare, format_scores
from bot.extract.model import Extraction
from bot.extract.units import UnitBook
from bot.extract.writer import write_atomic
from bot.tasksfile.loader import load_catalog


def check_arguments(
    documents: list[Path], output: Path | None, against: Path | None, doc_id: str | None, xlsx: Path | None
) -> None:
    """Several documents go into one review sheet only (a tasks file, a comparison and an id are one document's)."""
    if len(documents) > 1 and xlsx is None:
        raise TaskbotError(f"{len(documents)} documents: several go into one review sheet with --xlsx FILE")
    clash = next((name for name, value in (("-o", output), ("--against", against)) if value is not None), None)
    if xlsx is not None and clash:
        raise TaskbotError(f"--xlsx writes the review sheet; {clash} goes without it")
    if len(documents) > 1 and doc_id is not None:
        raise TaskbotError("--id names one document; give it with a single document")


def run_review(
    documents: list[Path], xlsx: Path, book: UnitBook, registry_name: str | None, doc_id: str | None, out: Console
) -> None:
    """`extract DOC… --xlsx FILE`: every document extracted (and checked as its tasks file would be), then one
    workbook with a sheet each."""
    from bot.extract.review_writer import write_review
    from bot.reporting.output_file import check_target

    target = check_target(xlsx)
    extractions: list[Extraction] = []
    for document in documents:
        extraction = extract_path(document, book, registry_name=registry_name, doc_id=doc_id)
        to_yaml(extraction)  # the same check as the tasks file gets: an extraction that cannot be imported stops here
        extractions.append(extraction)
    write_review(extractions, book.entries.values(), target)
    for extraction in extractions:
        doc = extraction.document
        new_units = sum(1 for unit in extraction.units if unit.new)
        guesses = sum(1 for task in doc.tasks if task.warnings or task.deadline_note)
        out.print(
            f"{target}: {doc.title}: {len(doc.tasks)} tasks, {len(doc.targets)} targets, {new_units} new units, "
            f"{guesses} tasks with a guess (coloured)",
            markup=False,
            highlight=False,
        )


def run_extract(
    documents: list[Path],
    output: Path | None,
    registry: Path | None,
    against: Path | None,
    doc_id: str | None,
    default_registry: Path | None,
    out: Console,
    err: Console,
    xlsx: Path | None = None,
) -> None:
    check_arguments(documents, output, against, doc_id, xlsx)
    registry_path = (
        registry or against or (default_registry if default_registry and default_registry.exists() else None)
    )
    book = load_registry(registry_path)
    if xlsx is not None:
        run_review(documents, xlsx, book, str(registry_path) if registry_path else None, doc_id, out)
        return
    (document,) = documents
    extraction = extract_path(
        document, book, registry_name=str(registry_path) if registry_path else None, doc_id=doc_id
    )
    text = to_yaml(extraction)
    doc = extraction.document
    new_units = sum(1 for unit in extraction.units if unit.new)
    warnings = len(doc.warnings) + sum(len(task.warnings) for task in doc.tasks)
    if output is not None:
        write_atomic(output, text)
        out.print(
            f"{output}: {len(doc.tasks)} tasks, {len(doc.targets)} targets, {len(extraction.units)} units "
            f"({new_units} new), {warnings} warnings (see its # warning: comments)"
        )
    elif against is None:
        out.print(text, end="", markup=False, highlight=False, soft_wrap=True)
    if against is not None:
        comparison = compare(extraction, load_catalog(against))
        out.print(f"against {against} (document {comparison.document}):", markup=False)
        for line in comparison.differences or ["no differences in tasks, units or deadlines"]:
            out.print(f"  {line}", markup=False, highlight=False)
        out.print(format_scores([(comparison.document, comparison.scores)]), markup=False, highlight=False)
