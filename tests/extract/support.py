"""Shared by the extractor tests: where the documents are, and where comparisons are recorded for the
precision/recall table that conftest prints at the end of the run.

A module of its own (not conftest.py) so that the test modules and the conftest plugin share one copy.
"""

from __future__ import annotations

from collections.abc import Callable
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
# The corpora scored per document with and without the registry (`corpus_tests`), in the order of the table
CORPORA = (
    "real",
    "heldout",
    "final",
    "round4",
    "round5",
    "round6",
    "round7",
    "round8",
    "round9",
    "round10",
    "round11",
    "round12",
    "round13",
    "round14",
    "round15",
)
# each corpus document is extracted with no registry ("none") and with data/tasks.yaml ("default"): its score group
REGISTRY_GROUPS = {"none": "no registry", "default": "data/tasks.yaml"}
SCORES: dict[str, dict[str, Comparison]] = {
    "seeds": {},
    "own documents": {},
    "blind": {},
    **{f"{corpus}, {group}": {} for corpus in CORPORA for group in REGISTRY_GROUPS.values()},
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
        for registry in REGISTRY_GROUPS
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
    record(f"{corpus}, {REGISTRY_GROUPS[registry]}", source.stem, comparison)
    assert to_yaml(extraction)  # validates as a tasks file on its own
    assert_at_bar(comparison)


def corpus_tests(corpus: str, minimum: int, below_bar: dict[str, str]) -> tuple[Callable[..., None], ...]:
    """The two tests of a blind corpus's module (tests/extract/test_extract_<corpus>.py), one copy for all: the
    corpus is there (at least `minimum` documents, each with its expected YAML), and each document, with and without
    the registry, at the bar (`check_corpus_document`; xfail strict where `below_bar` says why). The module binds
    them to its own names, which pytest collects."""
    import pytest

    folder = OWN / corpus
    documents = corpus_documents(folder)

    def test_the_corpus_is_there() -> None:
        assert len(documents) >= minimum
        assert all((folder / f"{p.stem}.expected.yaml").exists() for p in documents)

    @pytest.mark.parametrize(("source", "registry"), corpus_cases(documents, below_bar))
    def test_document(source: Path, registry: str) -> None:
        check_corpus_document(corpus, folder, source, registry)

    return test_the_corpus_is_there, test_document


def assert_at_bar(comparison: Comparison) -> None:
    """Every scored field but the targets at BAR or above, in precision and recall; the differences otherwise."""
    from bot.extract.compare import FIELDS

    low = {
        f: (round(comparison.scores[f].precision, 3), round(comparison.scores[f].recall, 3))
        for f in FIELDS
        if f != "target" and min(comparison.scores[f].precision, comparison.scores[f].recall) < BAR
    }
    assert low == {}, comparison.differences
