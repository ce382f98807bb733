"""The CLI end to end on the embedded SQLite: validate, import twice, summary, db upgrade."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from bot.core import db
from tests.conftest import DATA
from tests.support.cli import run_cli, snapshot_url

MINI = str(DATA / "mini.yaml")


def env_for(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}


def test_validate_reports_counts_and_touches_no_store(tmp_path: Path) -> None:
    result = run_cli("validate", MINI, env=env_for(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "1 documents, 3 tasks, 8 assignments" in result.stdout
    assert not (tmp_path / "cli.db").exists()


def test_import_creates_schema_then_second_import_changes_nothing(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    first = run_cli("import", MINI, env=env)
    assert first.exit_code == 0, first.stderr
    assert "tasks added: 3" in first.stdout
    before = snapshot_url(env["DATABASE_URL"])
    second = run_cli("import", MINI, env=env)
    assert second.exit_code == 0, second.stderr
    assert "changed 0 rows" in second.stdout
    assert snapshot_url(env["DATABASE_URL"]) == before


def test_import_add_puts_a_reviewed_document_beside_the_others(tmp_path: Path) -> None:
    """`taskbot import --add` (a month's reviewed 分工方案): the store's other documents stay, and the next whole
    import of the tasks file, which does not hold the new one, archives nothing."""
    env = env_for(tmp_path)
    assert run_cli("import", MINI, env=env).exit_code == 0
    new = tmp_path / "new.yaml"
    new.write_text((DATA / "mini.yaml").read_text(encoding="utf-8").replace("id: demo-2023", "id: demo-2024"), "utf-8")
    added = run_cli("import", "--add", str(new), env=env)
    assert added.exit_code == 0, added.stderr
    assert "documents added: 1" in added.stdout and "archived" not in added.stdout
    again = run_cli("import", MINI, env=env)
    assert "changed 0 rows" in again.stdout, again.stdout
    with closing(sqlite3.connect(tmp_path / "cli.db")) as store:
        documents = store.execute("SELECT id, archived, origin FROM document ORDER BY id").fetchall()
    assert documents == [("demo-2023", 0, "tasks_file"), ("demo-2024", 0, "on_its_own")]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    result = run_cli("import", "--dry-run", MINI, env=env)
    assert result.exit_code == 0, result.stderr
    assert "would change" in result.stdout
    tables = snapshot_url(env["DATABASE_URL"])
    assert tables["task"] == [] and tables["unit"] == []


def test_summary_lists_units_with_their_roles(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    run_cli("import", MINI, env=env)
    result = run_cli("summary", env=env)
    assert result.exit_code == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if "市科技局" in line)
    assert [cell.strip() for cell in line.split("│")[1:4]] == ["市科技局", "2", "0"]
    assert "蓬江区人民政府" in result.stdout  # the group expanded to its members


def test_default_tasks_file_is_read_from_settings(tmp_path: Path) -> None:
    env = {**env_for(tmp_path), "TASKS_FILE": MINI}
    result = run_cli("validate", env=env)
    assert result.exit_code == 0, result.stderr
    assert MINI in result.stdout


def test_db_upgrade_reports_revision(tmp_path: Path) -> None:
    result = run_cli("db", "upgrade", env=env_for(tmp_path))
    assert result.exit_code == 0, result.stderr
    head = db.head_revision()
    assert f"empty → {head}" in result.stdout
    again = run_cli("db", "upgrade", env=env_for(tmp_path))
    assert f"{head} → {head}" in again.stdout


def test_bad_database_url_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cli("summary", env={"DATABASE_URL": "sqlite+aiosqlite:////no/such/dir/x.db"})
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr


def test_database_at_an_unknown_revision_is_refused(tmp_path: Path) -> None:
    import sqlite3

    env = env_for(tmp_path)
    run_cli("db", "upgrade", env=env)
    with sqlite3.connect(tmp_path / "cli.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'old0'")
    result = run_cli("import", MINI, env=env)
    assert result.exit_code == 2
    assert "schema revision old0" in result.stderr and "taskbot db upgrade" in result.stderr


def test_bad_setting_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cli("validate", MINI, env={"TIMEZONE": "Mars/Base"})
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "TIMEZONE" in result.stderr and "Mars/Base" in result.stderr


def test_digest_png_writes_the_chart_and_bad_names_exit_2(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    run_cli("import", MINI, env=env)
    result = run_cli("digest", "--as-of", "2024-07-01", "--png", str(tmp_path / "周报.png"), env=env)
    assert result.exit_code == 0, result.stderr
    assert "任务3项（8个单位分工）" in result.stdout
    assert (tmp_path / "周报.png").read_bytes().startswith(b"\x89PNG")
    bad = run_cli("digest", "--png", str(tmp_path / "周报.jpg"), env=env)
    assert bad.exit_code == 2 and "ending in .png" in bad.stderr
    assert not (tmp_path / "周报.jpg").exists()
