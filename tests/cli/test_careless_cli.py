"""Issue 16, the CLI's items: input files that are not regular files, tracebacks instead of one line,
and unit names nobody can type. Each is one `error:` line, exit status 2, and the store as it was."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot.core.errors import InputError
from bot.core.files import read_bounded
from tests.conftest import DATA
from tests.support.cli import CliResult, run_cli, snapshot_url

MINI = str(DATA / "mini.yaml")


def one_error(result: CliResult, *fragments: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    assert run_cli("import", MINI, env=env).exit_code == 0
    return env


# --- 3. input files: only regular files, read up to the limit ------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/dev/zero", "character device"), ("/dev/urandom", "character device"), ("/dev/null", "character device")],
)
@pytest.mark.parametrize("command", ["validate", "import", "extract"])
def test_a_device_is_refused_unread(store: dict[str, str], command: str, path: str, kind: str) -> None:
    if not os.path.exists(path):
        pytest.skip(f"no {path} here")
    before = snapshot_url(store["DATABASE_URL"])
    one_error(run_cli(command, path, env=store), path, f"is a {kind}")
    assert snapshot_url(store["DATABASE_URL"]) == before


@pytest.mark.parametrize("command", ["validate", "import", "extract"])
def test_a_fifo_is_refused_without_waiting(store: dict[str, str], tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # nobody ever writes to it: reading it would wait for ever
    one_error(run_cli(command, str(fifo), env=store), str(fifo), "named pipe")


def test_extract_options_read_files_the_same_way(store: dict[str, str], tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("关于印发某某工作方案的通知\n一、任务\n（一）建立项目库。（市科技局牵头）\n", encoding="utf-8")
    one_error(run_cli("extract", str(doc), "--registry", "/dev/zero", env=store), "/dev/zero", "character device")
    one_error(run_cli("extract", str(doc), "--against", "/dev/zero", env=store), "/dev/zero", "character device")


def test_at_most_the_limit_and_one_byte_is_read() -> None:
    """A regular file whose stat() says 0 bytes (as every /proc file does) is still cut at the limit."""
    path = Path("/proc/self/maps")
    if not path.exists():
        pytest.skip("no /proc here")
    with pytest.raises(InputError, match="over the 100 bytes limit for a test"):
        read_bounded(path, 100, expected="a file", too_big="for a test")
    assert read_bounded(path, 10 * 1024 * 1024, expected="a file", too_big="for a test")


# --- 7. one line and exit 2, never a traceback --------------------------------------------------------------


def _invites(env: dict[str, str]) -> int:
    path = env["DATABASE_URL"].removeprefix("sqlite+aiosqlite:///")
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM invite").fetchone()[0])


@pytest.mark.parametrize(
    ("expires", "fragment"),
    [
        ("999999w", "at most 366d"),
        ("367d", "at most 366d"),
        ("9" * 30 + "w", "write a number"),
        ("٧d", "write a number"),
        ("0d", "write a number"),
        ("-1d", "write a number"),
    ],
)
def test_invite_expiry_out_of_range(store: dict[str, str], expires: str, fragment: str) -> None:
    one_error(run_cli("invite", "市财政局", "--expires", expires, env=store), "--expires", fragment)
    assert _invites(store) == 0


@pytest.mark.parametrize(
    "username", ["tb", "evil.com/x?y=", "a" * 33, "taskbot bot", "taskbot_bot\n", "@", "机器人机器人", "bot/../../x"]
)
def test_a_bad_bot_username_is_refused_before_the_invite_is_written(store: dict[str, str], username: str) -> None:
    one_error(
        run_cli("invite", "市财政局", "--bot-username", username, env=store),
        "--bot-username",
        "5 to 32 letters, digits or _",
    )
    assert _invites(store) == 0
    if username.strip() == username:  # the environment's value as given (a .env line has no newline)
        one_error(
            run_cli("invite", "市财政局", env={**store, "TELEGRAM_BOT_USERNAME": username}), "TELEGRAM_BOT_USERNAME"
        )
        assert _invites(store) == 0


def test_a_good_bot_username_makes_a_telegram_link(store: dict[str, str]) -> None:
    for username in ("@taskbot_test_bot", "Tb_12"):
        result = run_cli("invite", "市财政局", "--bot-username", username, env=store)
        assert result.exit_code == 0, result.stderr
        assert f"https://t.me/{username.lstrip('@')}?start=" in result.stdout
    assert _invites(store) == 2


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://user:secret@localhost/taskbot", "mysql is not supported"),
        ("mysql+aiomysql://user@localhost/taskbot", "mysql is not supported"),
        ("oracle://user@localhost/taskbot", "oracle is not supported"),
        ("nosuchdb://x", "nosuchdb is not supported"),
        ("postgresql+asyncpg://user@localhost/taskbot", "the driver asyncpg"),
        ("sqlite:///taskbot.db", "the driver pysqlite"),
    ],
)
def test_an_unsupported_database_url_is_one_line(url: str, fragment: str) -> None:
    line = one_error(
        run_cli("summary", env={"DATABASE_URL": url}),
        "DATABASE_URL",
        fragment,
        "sqlite+aiosqlite:///FILE or postgresql+psycopg://",
    )
    assert "secret" not in line


# --- 8. unit names with characters nobody can type --------------------------------------------------------

NAMES = [
    r'"\u0000己"',
    r'"乙\n局"',
    r'"甲\x01局\u202e"',
    r'"丙\u200b局"',
    r'"丁\u2066局"',
    r'"戊\ufeff局"',
    r'"己\u00ad局"',
    r'"庚\u3164局"',
    r'"辛\u2028局"',
    r'"壬\ue000局"',
]


@pytest.mark.parametrize(
    ("where", "name"),
    [("name", name) for name in NAMES]
    + [(where, name) for where in ("alias", "member", "lead") for name in NAMES[1:3]],
)
def test_a_unit_name_with_an_invisible_character_is_refused_with_its_line(
    store: dict[str, str], tmp_path: Path, name: str, where: str
) -> None:
    text = (DATA / "mini.yaml").read_text(encoding="utf-8")
    if where == "name":
        text, line = text.replace("  - name: 市财政局\n", f"  - name: 市财政局\n  - name: {name}\n"), 13
    elif where == "alias":
        text, line = text.replace("aliases: [市科学技术局,", f"aliases: [{name}, 市科学技术局,"), 11
    elif where == "member":
        text, line = text.replace("members: [蓬江区人民政府,", f"members: [{name}, 蓬江区人民政府,"), 16
    else:
        text, line = text.replace("lead: [市科学技术局]", f"lead: [{name}]"), 39
    path = tmp_path / "names.yaml"
    path.write_text(text, encoding="utf-8")
    before = snapshot_url(store["DATABASE_URL"])
    for command in ("validate", "import"):
        one_error(run_cli(command, str(path), env=store), f"{path}:{line}:", "is not allowed in a unit name")
    assert snapshot_url(store["DATABASE_URL"]) == before
