"""`taskbot --version` and `--help` start without loading what only commands need (issue 23): Telegram,
SQLAlchemy's ORM, matplotlib, openpyxl, python-docx and jionlp took seconds of CPU before the version
was printed. Each in a fresh interpreter, as the console script runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("telegram", "sqlalchemy.orm", "matplotlib", "openpyxl", "docx", "jionlp")
PROBE = """
import json, sys
sys.argv = ["taskbot", *sys.argv[1:]]
from bot.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "loaded": [m for m in %r if m in sys.modules]}), file=sys.stderr)
"""


@pytest.mark.parametrize("argument", ["--version", "--help"])
def test_version_and_help_load_no_heavy_library(argument: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,), argument], capture_output=True, text=True, timeout=120, check=False
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "loaded": []}, done.stderr
    assert ("taskbot " in done.stdout) if argument == "--version" else ("validate" in done.stdout)


def test_the_console_script_answers_version_before_typer_and_rich() -> None:
    """The console script's entry (bot/__main__.py) prints the version without importing the CLI module."""
    light = (*HEAVY, "typer", "rich", "asyncio", "bot.cli")
    probe = (
        "import json, sys\n"
        "sys.argv = ['taskbot', '--version']\n"
        "from bot.__main__ import main\n"
        "main()\n"
        f"print(json.dumps([m for m in {light!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
    assert done.stdout.startswith("taskbot ")
