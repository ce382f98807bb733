"""Fixtures of the extractor tests, and the per-field precision/recall table printed after the run.

Every comparison a test makes is recorded; `pytest_terminal_summary` prints one table for the seeds
and one for the project's own test documents, so the scores are in every test run's output.
"""

from __future__ import annotations

import pytest

from bot.extract import load_registry
from bot.extract.compare import format_scores
from bot.extract.units import UnitBook
from bot.tasksfile.loader import Catalog, load_catalog
from tests.extract.support import REFERENCE, SCORES


@pytest.fixture(scope="session")
def reference() -> Catalog:
    return load_catalog(REFERENCE)


@pytest.fixture(scope="session")
def book() -> UnitBook:
    return load_registry(REFERENCE)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for group, comparisons in SCORES.items():
        if comparisons:
            terminalreporter.write_sep("-", f"extractor precision/recall, {group}")
            terminalreporter.write_line(format_scores([(name, c.scores) for name, c in sorted(comparisons.items())]))
