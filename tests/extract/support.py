"""Shared by the extractor tests: where the documents are, and where comparisons are recorded for the
precision/recall table that conftest prints at the end of the run.

A module of its own (not conftest.py) so that the test modules and the conftest plugin share one copy.
"""

from __future__ import annotations

from pathlib import Path

from bot.extract.compare import Comparison

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
}


def record(group: str, name: str, comparison: Comparison) -> None:
    SCORES[group][name] = comparison
