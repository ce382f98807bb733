"""Shared by the extractor tests: where the documents are, and where comparisons are recorded for the
precision/recall table that conftest prints at the end of the run.

A module of its own (not conftest.py) so that the test modules and the conftest plugin share one copy.
"""

from __future__ import annotations

from pathlib import Path

from bot.extract import extract_text, to_yaml
from bot.extract.compare import Comparison
from bot.extract.model import ExtractedDocument, ExtractedTask
from bot.extract.units import UnitBook

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "data" / "seeds"
REFERENCE = ROOT / "data" / "tasks.yaml"
OWN = ROOT / "tests" / "data" / "extract"
BLIND = OWN / "blind"
SCORES: dict[str, dict[str, Comparison]] = {
    "seeds": {},
    "own documents": {},
    "blind": {},
    "real, no registry": {},
    "real, data/tasks.yaml": {},
    "heldout, no registry": {},
    "heldout, data/tasks.yaml": {},
    "final, no registry": {},
    "final, data/tasks.yaml": {},
    "round4, no registry": {},
    "round4, data/tasks.yaml": {},
    "round5, no registry": {},
    "round5, data/tasks.yaml": {},
    "round6, no registry": {},
    "round6, data/tasks.yaml": {},
    "round7, no registry": {},
    "round7, data/tasks.yaml": {},
    "round8, no registry": {},
    "round8, data/tasks.yaml": {},
}


def record(group: str, name: str, comparison: Comparison) -> None:
    SCORES[group][name] = comparison


# --- The shape tests' readers: a text document extracted with no registry -----------------------------------


def document(text: str) -> ExtractedDocument:
    extraction = extract_text(text, "doc.txt", UnitBook())
    assert to_yaml(extraction)
    return extraction.document


def tasks_of(text: str) -> dict[str, ExtractedTask]:
    return {task.id: task for task in document(text).tasks}


def roles(task: ExtractedTask) -> tuple[list[str], list[str], object]:
    return task.lead, task.responsible, task.deadline


# --- The blind corpora scored per document (test_extract_real.py, _heldout.py, _final.py) ---------------------

BAR = 0.95  # issue 13/21: each of task, lead, responsible and deadline, in precision and recall
SUFFIXES = (".txt", ".docx", ".xlsx", ".html", ".pdf")
REGISTRIES = ("none", "default")  # no registry, and data/tasks.yaml as the registry


def corpus_documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)


def corpus_cases(documents: list[Path], below_bar: dict[str, str]) -> list[object]:
    """One case per document and registry; a document below the bar is xfail (strict) with its reason."""
    import pytest

    return [
        pytest.param(
            path,
            registry,
            id=f"{path.stem}-{registry}",
            marks=pytest.mark.xfail(reason=below_bar[path.stem], strict=True) if path.stem in below_bar else (),
        )
        for registry in REGISTRIES
        for path in documents
    ]


def check_corpus_document(corpus: str, folder: Path, source: Path, registry: str) -> None:
    """Extract `source`, compare it with its expected YAML, record the scores, and hold every field to BAR."""
    from bot.extract import extract_path, load_registry, to_yaml
    from bot.extract.compare import compare
    from bot.extract.units import UnitBook
    from bot.tasksfile.loader import load_catalog

    book = UnitBook() if registry == "none" else load_registry(REFERENCE)
    extraction = extract_path(source, book)
    comparison = compare(extraction, load_catalog(folder / f"{source.stem}.expected.yaml"))
    record(f"{corpus}, no registry" if registry == "none" else f"{corpus}, data/tasks.yaml", source.stem, comparison)
    assert to_yaml(extraction)  # validates as a tasks file on its own
    assert_at_bar(comparison)


def assert_at_bar(comparison: Comparison) -> None:
    """Every scored field but the targets at BAR or above, in precision and recall; the differences otherwise."""
    from bot.extract.compare import FIELDS

    low = {
        f: (round(comparison.scores[f].precision, 3), round(comparison.scores[f].recall, 3))
        for f in FIELDS
        if f != "target" and min(comparison.scores[f].precision, comparison.scores[f].recall) < BAR
    }
    assert low == {}, comparison.differences
