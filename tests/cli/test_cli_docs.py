"""The README's CLI table cannot drift from the CLI: every command typer has is in it, and every command and
option the table names exists (a new command left out of the table, or a row naming a flag that was renamed or
removed, fails). The table shows the options a user reaches for; `taskbot COMMAND --help` lists them all."""

from __future__ import annotations

import re
from typing import Any

import typer.main

from bot.cli import app
from tests.conftest import ROOT

ROW = re.compile(r"^\| `taskbot ([^`]*)`")


def documented() -> dict[str, set[str]]:
    """Command path (e.g. "db upgrade") → the options its README rows name."""
    found: dict[str, set[str]] = {}
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match is None or match.group(1).startswith("--"):
            continue
        words = match.group(1).replace("[", " ").replace("]", " ").split()
        name = [w for w in words[:2] if re.fullmatch(r"[a-z][a-z-]*", w)]
        path = " ".join(name[:2] if len(name) == 2 and name[0] == "db" else name[:1])
        options = {w.split("=")[0] for w in words if w.startswith("-")}
        found.setdefault(path, set()).update(options)
    return found


def commands() -> dict[str, Any]:
    """Every visible command of the CLI by its path (typer's own click commands: a group has `commands`)."""
    root: Any = typer.main.get_command(app)
    found: dict[str, Any] = {}
    for name, command in root.commands.items():
        if command.hidden:
            continue
        if hasattr(command, "commands"):
            found.update({f"{name} {sub}": c for sub, c in command.commands.items() if not c.hidden})
        else:
            found[name] = command
    return found


def test_every_command_is_in_the_readme_and_every_row_is_a_command() -> None:
    assert sorted(documented()) == sorted(commands())


def test_every_option_the_readme_names_exists() -> None:
    cli = commands()
    for path, options in documented().items():
        known = {opt for param in cli[path].params for opt in (*param.opts, *param.secondary_opts)}
        assert options <= known, f"taskbot {path}: {sorted(options - known)} not options of the command"
