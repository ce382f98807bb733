"""Where an .xlsx is written: one check of the target for every workbook the CLI writes (台账, invites)."""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import TaskbotError


def check_xlsx_target(path: Path, what: str = "--xlsx") -> Path:
    """The file to write, or a TaskbotError in one line: an .xlsx name in a directory that exists."""
    if path.suffix.lower() != ".xlsx":
        raise TaskbotError(f"{what} {path}: give a file name ending in .xlsx (an Excel workbook)")
    if path.is_dir():
        raise TaskbotError(f"{what} {path} is a directory; give a file name ending in .xlsx")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise TaskbotError(f"{what} {path}: the directory {parent} does not exist")
    return path
