"""Files the CLI writes (the 台账, the invite sheet, the digest's chart): one check of where, one way to write.

A target is refused in one line before any work is done (wrong suffix, a directory, a missing folder), and
written through a temporary file beside it that is renamed over it when complete, so a reader never
sees half a file and a failure leaves the old one (or none) in place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.core.errors import TaskbotError


def check_target(path: Path, suffix: str = ".xlsx", option: str = "--xlsx") -> Path:
    """The file to write, or a TaskbotError in one line: a `suffix` name in a directory that exists."""
    if path.suffix.lower() != suffix:
        raise TaskbotError(f"{option} {path}: give a file name ending in {suffix}")
    if path.is_dir():
        raise TaskbotError(f"{option} {path} is a directory; give a file name ending in {suffix}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise TaskbotError(f"{option} {path}: the directory {parent} does not exist")
    return path


def kept_mode(path: Path) -> int:
    """A replaced file's permissions; a new file gets the usual ones (mkstemp's are owner-only)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


@contextmanager
def staged(path: Path, mode: int | None = None) -> Iterator[Path]:
    """A temporary file beside `path` to save into; renamed over `path` (with `mode`, else the kept mode)
    when the block ends normally, removed when it raises (an OSError in the block becomes one line)."""
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f"{path.suffix}.tmp", dir=parent)
    except OSError as exc:
        raise TaskbotError(f"cannot write in {parent}: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        try:
            yield Path(tmp)
            os.chmod(tmp, kept_mode(path) if mode is None else mode)
            os.replace(tmp, path)
        except OSError as exc:  # a full disk while saving, as much as a failed rename
            raise TaskbotError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
