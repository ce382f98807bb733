"""Whatever a tasks file holds, loading it gives a Catalog or an InputError of one-line problems: never
another exception, never a crash, never a message that spills over several lines."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.errors import InputError
from bot.tasksfile.loader import Catalog, load_catalog
from tests.conftest import DATA

MINI = (DATA / "mini.yaml").read_text(encoding="utf-8")
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that looks like YAML more often than uniform text does, so the parser gets past the first line.
TOKENS = [
    *"ab1- :[]{},&*!?|>'\"#\n\t\\%@`<=._\x01",
    "  ",
    "    ",
    "市科技局",
    "\x85",
    "\u2028",
    "\ufeff",
    "0x_",
    "2023-02-30",
]
yamlish = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


def loads_or_refuses(path: Path, text: str | None = None) -> None:
    try:
        catalog = load_catalog(path, text=text)
    except InputError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path == str(path)
            assert "\n" not in str(problem) and "\r" not in str(problem), str(problem)
        return
    assert isinstance(catalog, Catalog)


@pytest.fixture
def scratch() -> Iterator[Path]:
    """One file for all of a property's examples (tmp_path would be shared by them anyway)."""
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp) / "tasks.yaml"


@FAST
@given(st.one_of(st.text(), yamlish))
def test_any_text(text: str) -> None:
    loads_or_refuses(Path("tasks.yaml"), text)


@FAST
@given(st.binary())
def test_any_bytes_in_a_file(scratch: Path, data: bytes) -> None:
    scratch.write_bytes(data)
    loads_or_refuses(scratch)


@FAST
@given(st.integers(0, len(MINI)), st.integers(0, 40), st.one_of(st.text(max_size=20), yamlish))
def test_mini_yaml_with_one_edit(start: int, length: int, insert: str) -> None:
    """mini.yaml with a slice replaced: reaches validation and the catalog's checks, not only the parser."""
    loads_or_refuses(Path("tasks.yaml"), MINI[:start] + insert + MINI[start + length :])
