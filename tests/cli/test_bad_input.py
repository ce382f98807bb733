"""The bad-input corpus (tests/data/bad/): each file is mini.yaml with exactly one fault.

For every fault, `taskbot import` and `taskbot validate` print exactly one `error:` line that names
file:line (where a line means something) and say what is wrong, exit with status 2, print no
traceback, and leave the store exactly as it was. A deadline before the document's issue date is the
one fault that is only a warning: the file imports. Files too big to commit (50 MB, 100,000 nested
brackets) are generated in tmp_path.

The SQLite store is mini.yaml imported once per module by `taskbot import` into a fresh database, then
copied for each test (an import per test would cost most of this module's time); on PostgreSQL each
test imports into its own schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA
from tests.support.cli import CliResult, run_cli, snapshot_url

MINI = str(DATA / "mini.yaml")
BAD = DATA / "bad"


def _too_large(tmp_path: Path) -> Path:
    """A valid header, then 50 MB of comment lines: refused for its size before it is read."""
    path = tmp_path / "too_large.yaml"
    line = b"# " + b"x" * 1021 + b"\n"  # 1 KiB
    with path.open("wb") as out:
        out.write((DATA / "mini.yaml").read_bytes())
        for _ in range(50):
            out.write(line * 1024)
    return path


def _deep_nesting(tmp_path: Path) -> Path:
    """100,000 nested `[`: ruamel.yaml.clib's recursive composer would crash the process on this."""
    path = tmp_path / "deep_nesting.yaml"
    path.write_text("version: 1\ndocuments: " + "[" * 100_000 + "\n", encoding="utf-8")
    return path


def _units_flood(tmp_path: Path) -> Path:
    """14 MB of `units: [u, u, …]`: 4.7 million values. Before, they were composed into a 2 GB node tree in
    40 s before a count refused them (blaming an alias bomb); now the count runs on the parser's events."""
    path = tmp_path / "units_flood.yaml"
    path.write_text("version: 1\nunits: [" + ", ".join(["u"] * 4_700_000) + "]\n", encoding="utf-8")
    return path


GENERATED: dict[str, Callable[[Path], Path]] = {
    "too_large.yaml": _too_large,
    "deep_nesting.yaml": _deep_nesting,
    "units_flood.yaml": _units_flood,
}

# (file, the line the message must name or None where no line means anything, a fragment of the message)
CASES: list[tuple[str, int | None, str]] = [
    ("unknown_unit.yaml", 44, "unknown unit '市科技厅局'; did you mean '市科技局'?"),
    ("unknown_issuer.yaml", 21, "unknown unit '省教育厅'; add it to units:"),
    ("alias_two_units.yaml", 14, "alias '市科学技术局' of '市财政局' is already an alias of '市科技局'"),
    ("duplicate_task_id.yaml", 42, "task id '1.1' is used twice in document 'demo-2023'"),
    ("task_without_unit.yaml", 47, "task '2.1' names no unit"),
    ("invalid_date.yaml", 23, "documents[0].issued: no such date"),
    ("invalid_deadline_date.yaml", 46, "deadline '2024-06-31' names a day that does not exist"),
    ("wrong_types.yaml", 44, "documents[0].tasks[1].lead: expected a list, got '市科技局'"),
    ("wrong_type_number.yaml", 30, "documents[0].targets[0].value: expected a number, got '二十'"),
    ("tabs.yaml", 43, "a tab: YAML indentation must be spaces"),
    ("not_utf8.yaml", 11, "not UTF-8 (byte 0xca)"),
    ("control_character.yaml", 43, r"character '\x1b': control characters are not allowed"),
    ("empty.yaml", None, "file is empty"),
    ("too_large.yaml", None, "over the 16 MB limit"),
    ("billion_laughs.yaml", 8, "more than 2,000,000 values once YAML anchors/aliases are expanded"),
    ("recursive_alias.yaml", 17, "an alias inside the collection it names"),
    ("deep_nesting.yaml", 2, "YAML nested more than 100 levels deep"),
    ("units_flood.yaml", 2, "more than 2,000,000 values: a tasks file holds far fewer; split the file"),
    ("unknown_key.yaml", 49, "documents[0].tasks[2].responsable: unknown key"),
    ("bad_deadline_phrase.yaml", 41, "deadline '尽快' is neither a date (YYYY-MM-DD) nor a known phrase"),
    ("duplicate_mapping_key.yaml", 47, "duplicate key 'deadline' in this mapping"),
    ("unknown_recurrence.yaml", 51, "recurrence: expected yearly:MM-DD, quarterly, monthly"),
    ("bad_send_at.yaml", 7, "defaults.send_at: expected a time HH:MM"),
    ("member_is_group.yaml", 16, "member '各县(市、区)人民政府' of '全市各单位' is itself a group"),
    ("unit_declared_twice.yaml", 15, "unit '市财政局' is declared twice"),
    ("duplicate_document_id.yaml", 52, "document id 'demo-2023' is used twice"),
    ("target_unknown_task.yaml", 33, "target 'jbgs' points at task '9.9'"),
    ("missing_version.yaml", 2, "version: required key is missing"),
    ("syntax_error.yaml", 46, "while parsing a flow sequence that starts at line 45"),
    ("merge_key.yaml", 43, "YAML merge keys (<<) are not supported"),
    ("top_level_list.yaml", 2, "expected a mapping with `version: 1`"),
    ("supervise_unknown_unit.yaml", 46, "unknown unit '市财政厅局'; did you mean '市财政局'?"),
    # issue 23 §4.2: numbers out of range and control characters written as YAML escapes
    ("target_value_huge.yaml", 30, "targets[0].value: expected a number above 0 and at most 1,000,000,000,000,000"),
    ("target_value_nan.yaml", 30, "targets[0].value: expected a number, not .nan or .inf, got nan"),
    ("target_value_inf.yaml", 30, "targets[0].value: expected a number, not .nan or .inf, got inf"),
    ("target_value_negative.yaml", 30, "targets[0].value: expected a number above 0"),
    ("target_value_zero.yaml", 30, "targets[0].value: expected a number above 0"),
    ("title_escaped_nul.yaml", 43, r"tasks[1].title: character '\x00': control characters are not allowed"),
    ("title_escaped_controls.yaml", 43, r"tasks[1].title: character '\x07': control characters are not allowed"),
    ("supervise_own_task.yaml", 41, "'市发展改革局' is named in both `responsible:` and `supervise:` of task '1.1'"),
]


def bad_file(name: str, tmp_path: Path) -> str:
    return str(GENERATED[name](tmp_path) if name in GENERATED else BAD / name)


def assert_one_error(result: CliResult, path: str, line: int | None, fragment: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    where = f"{path}:{line}:" if line is not None else f"{path}: "
    assert lines[0].startswith(f"error: {where}"), lines[0]
    assert fragment in lines[0], lines[0]


def import_mini(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """mini.yaml imported by the CLI into the store at `url`; the store's snapshot."""
    result = run_cli("import", MINI, env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.stderr
    before = snapshot_url(url)
    assert before["task"], "mini.yaml should have imported its tasks"
    return before


def check_refused(
    url: str, before: dict[str, list[tuple[Any, ...]]], path: str, line: int | None, fragment: str
) -> None:
    """The bad file refused by import and validate, each with one line; the store as it was."""
    for command in ("import", "validate"):
        assert_one_error(run_cli(command, path, env={"DATABASE_URL": url}), path, line, fragment)
    assert snapshot_url(url) == before


@pytest.fixture(scope="module")
def mini_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple[Any, ...]]]]:
    """A fresh SQLite store with mini.yaml imported, and its snapshot; tests work on copies."""
    work = tmp_path_factory.mktemp("mini_store")
    with pytest.MonkeyPatch.context() as mp:  # as tests/conftest.py's _clean_env, for this module fixture
        mp.chdir(work)
        for name in ("DATABASE_URL", "TASKS_FILE", "COORDINATOR_IDS", "TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL"):
            mp.delenv(name, raising=False)
        before = import_mini(f"sqlite+aiosqlite:///{work / 'mini.db'}")
    return work / "mini.db", before


@pytest.fixture
def sqlite_copy(
    mini_store: tuple[Path, dict[str, list[tuple[Any, ...]]]], tmp_path: Path
) -> tuple[str, dict[str, list[tuple[Any, ...]]]]:
    """A copy of the mini store in tmp_path/x.db: (its URL, its snapshot)."""
    template, before = mini_store
    with closing(sqlite3.connect(template)) as src, closing(sqlite3.connect(tmp_path / "x.db")) as dst:
        src.backup(dst)
    return f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", before


def test_corpus_is_complete() -> None:
    """Every committed bad file is in the table, and the table names no missing file."""
    named = {name for name, _, _ in CASES} - set(GENERATED)
    on_disk = {p.name for p in BAD.glob("*.yaml")} - {"deadline_before_issued.yaml", "markup_in_name.yaml"}
    assert named == on_disk


@pytest.mark.parametrize(("name", "line", "fragment"), CASES, ids=[c[0].removesuffix(".yaml") for c in CASES])
def test_bad_file_is_one_line_exit_2_store_unchanged(
    sqlite_copy: tuple[str, dict], tmp_path: Path, name: str, line: int | None, fragment: str
) -> None:
    url, before = sqlite_copy
    check_refused(url, before, bad_file(name, tmp_path), line, fragment)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "name", ["unknown_unit.yaml", "duplicate_task_id.yaml", "billion_laughs.yaml", "not_utf8.yaml"]
)
def test_bad_file_leaves_postgres_store_unchanged(pg_schema_url: str, tmp_path: Path, name: str) -> None:
    _, line, fragment = next(case for case in CASES if case[0] == name)
    check_refused(pg_schema_url, import_mini(pg_schema_url), bad_file(name, tmp_path), line, fragment)


def test_deadline_before_issue_date_is_a_warning_and_imports(sqlite_copy: tuple[str, dict], tmp_path: Path) -> None:
    path = str(BAD / "deadline_before_issued.yaml")
    env = {"DATABASE_URL": sqlite_copy[0]}
    for command in ("validate", "import"):
        result = run_cli(command, path, env=env)
        assert result.exit_code == 0, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        # (validate also warns, from 1 November, about next year's unknown holidays: tests/scheduler/test_horizon.py)
        lines = [line for line in result.stderr.splitlines() if f"{path}: calendar:" not in line]
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"warning: {path}:46:"), lines[0]
        assert "task '1.2': deadline 2023-06-30 is before the document was issued (2023-08-31)" in lines[0]
    assert "tasks updated: 1" in result.stdout
    with sqlite3.connect(tmp_path / "x.db") as conn:
        (deadline,) = conn.execute("SELECT deadline FROM task WHERE key = '1.2'").fetchone()
    assert deadline == "2023-06-30"


def test_markup_in_a_name_is_printed_as_written(tmp_path: Path) -> None:
    path = str(BAD / "markup_in_name.yaml")
    result = run_cli("validate", path, env={"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"})
    assert_one_error(result, path, 44, "unknown unit '[/red]市科技局'")
