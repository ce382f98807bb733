"""The blind corpus (tests/data/extract/blind/, see its README): documents and expected YAML written by
someone who never read the extractor, each extracted with no registry and compared field by field.

The bar is per field over the whole corpus (issue 13: each of task, lead, responsible and deadline
≥ 0.95 in precision and recall); each document's scores go into the table conftest prints. The
expected files are never edited to match the output.

Recorded totals (precision/recall; a refused document counts as all missed):

| extractor | task | lead | responsible | deadline |
|---|---|---|---|---|
| before issue 13 (0c21c66; 3 of 17 refused) | 0.899/0.636 | 0.543/0.408 | 0.593/0.459 | 0.667/0.482 |
| after issue 13 | 1.000/1.000 | 1.000/1.000 | 0.992/1.000 | 1.000/1.000 |

The "after" is not a held-out measurement: the corpus arrived early and its failures guided the work
(each fixed pattern has a test of its own in test_extract_patterns.py, on texts written for it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.extract import extract_path, to_yaml
from bot.extract.compare import FIELDS, Comparison, Score, compare
from bot.extract.units import UnitBook
from bot.tasksfile.loader import load_catalog
from tests.extract.support import BAR, BLIND, SCORES, assert_at_bar, record

SUFFIXES = (".txt", ".docx", ".xlsx", ".html", ".pdf")
DOCUMENTS = sorted(p for p in BLIND.iterdir() if p.suffix in SUFFIXES)


def test_the_corpus_is_there() -> None:
    assert len(DOCUMENTS) >= 14
    assert all((BLIND / f"{p.stem}.expected.yaml").exists() for p in DOCUMENTS)


# Documents below the bar, with their scores and why the extractor does not reach them.
BELOW_BAR = {
    "b09_hefeng_xdwl": "responsible 0.867/1.000: in 3.1 (领导小组办公室设在县商务局，负责…) the issuer is the only "
    "unit named and the corpus gives it no responsible units, where the project's own jiangxi_cgzh "
    "(省科技厅统筹协调全省…) expects the addressees; the extractor follows the project's document",
}


def _case(path: Path) -> object:
    reason = BELOW_BAR.get(path.stem)
    return pytest.param(path, id=path.stem, marks=pytest.mark.xfail(reason=reason, strict=True) if reason else ())


@pytest.mark.parametrize("source", [_case(p) for p in DOCUMENTS])
def test_blind_document(source: Path) -> None:
    extraction = extract_path(source, UnitBook())
    comparison = compare(extraction, load_catalog(BLIND / f"{source.stem}.expected.yaml"))
    record("blind", source.stem, comparison)
    assert to_yaml(extraction)  # validates as a tasks file on its own
    assert_at_bar(comparison)


def test_blind_corpus_reaches_the_bar() -> None:
    """Runs after the per-document tests (file order): the totals per field over every document."""
    comparisons: dict[str, Comparison] = SCORES["blind"]
    if len(comparisons) < len(DOCUMENTS):
        pytest.skip("run the whole module: the per-document tests fill the scores")
    total = {f: Score() for f in FIELDS}
    for comparison in comparisons.values():
        for f in FIELDS:
            total[f].add(comparison.scores[f])
    low = {
        f: (round(total[f].precision, 3), round(total[f].recall, 3))
        for f in FIELDS
        if f != "target" and min(total[f].precision, total[f].recall) < BAR
    }
    assert low == {}
