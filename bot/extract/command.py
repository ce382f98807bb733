"""The `taskbot extract` command's work, kept out of bot/cli.py so that file only wires it in.

Prints the tasks file (or writes it atomically with -o, so a failure never leaves a partial file), a
one-line summary on stderr, and with --against the differences per task and field and the scores.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from bot.extract import extract_path, load_registry, to_yaml
from bot.extract.compare import compare, format_scores
from bot.extract.writer import write_atomic
from bot.tasksfile.loader import load_catalog


def run_extract(
    document: Path,
    output: Path | None,
    registry: Path | None,
    against: Path | None,
    doc_id: str | None,
    default_registry: Path | None,
    out: Console,
    err: Console,
) -> None:
    registry_path = (
        registry or against or (default_registry if default_registry and default_registry.exists() else None)
    )
    book = load_registry(registry_path)
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
