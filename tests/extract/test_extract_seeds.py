"""The five seed documents against data/tasks.yaml: same task ids, lead and responsible sets (after
normalisation to the registry's canonical names) and deadlines — one test per seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.extract import extract_path, to_yaml
from bot.extract.compare import compare
from bot.extract.units import UnitBook
from bot.tasksfile.loader import Catalog
from tests.extract.support import SEEDS, record

# Document-level facts the copies lack (placeholders in the reference): informational only.
DOCUMENT_LEVEL = "document:"


# The five sources data/tasks.yaml names, listed (not globbed): a missing tests/data/seeds file must fail, not
# quietly run no test.
SEED_FILES = [
    "000_fdf9fde8afa6cb17.txt",
    "001_3d2ac4f4f160b26b.txt",
    "002_36a689d0a3f137d4.txt",
    "003_ee6c8d2ace09d8c6.txt",
    "004_32ed29d15958323c.txt",
]


@pytest.mark.parametrize("seed", [SEEDS / name for name in SEED_FILES], ids=lambda p: p.name[:3])
def test_seed_equals_reference(seed: Path, book: UnitBook, reference: Catalog) -> None:
    extraction = extract_path(seed, book, registry_name="data/tasks.yaml")
    comparison = compare(extraction, reference)
    record("seeds", comparison.document, comparison)
    unexpected = [d for d in comparison.differences if not d.startswith(DOCUMENT_LEVEL)]
    assert unexpected == []
    assert to_yaml(extraction)  # the output validates as a tasks file on its own


def test_seed_without_registry_still_validates_and_keeps_ids(reference: Catalog) -> None:
    """No registry at all (a new city): every unit is proposed, the task ids and deadlines still agree."""
    extraction = extract_path(SEEDS / "000_fdf9fde8afa6cb17.txt", UnitBook())
    text = to_yaml(extraction)
    assert "# NEW: not in the registry" in text
    comparison = compare(extraction, reference)
    assert comparison.scores["task"].fp == comparison.scores["task"].fn == 0
    assert comparison.scores["deadline"].fp == 0
