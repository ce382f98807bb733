"""Reading an input file the user named, without trusting what the name points at.

`taskbot validate /dev/zero` grew to 24 GB before the kernel killed it (and a FIFO hung it): the size
check used `stat()`, which is 0 for a device or a pipe, and the whole file was then read. Here only a
regular file is read, and at most `max_bytes + 1` bytes of it (a file that grows while it is read is
still caught). The file is opened non-blocking, so naming a FIFO never waits for a writer; and it is
checked twice, by name before opening (a device is not even opened) and by descriptor after (the name
may have been swapped in between).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from bot.core.errors import InputError, Problem

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _fail(path: Path, message: str) -> InputError:
    return InputError([Problem(str(path), None, None, message)])


def _not_regular(mode: int, expected: str) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"is {kind}, expected {expected}"


def read_bounded(path: Path, max_bytes: int, *, expected: str, too_big: str) -> bytes:
    """The bytes of the regular file at `path`, at most `max_bytes`; else an InputError with one line.

    `expected` names what the file should be ("a YAML file"); `too_big` is the advice after "over the N MB
    limit" (what to do instead)."""
    size = f"{max_bytes / 1024 / 1024:g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
    limit = f"over the {size} limit {too_big}"
    try:
        before = path.stat()
        refusal = _not_regular(before.st_mode, expected)
        if refusal is not None:
            raise _fail(path, refusal)
        if before.st_size > max_bytes:
            raise _fail(path, f"file is {before.st_size / 1024 / 1024:.1f} MB, {limit}")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as file:
            refusal = _not_regular(os.fstat(file.fileno()).st_mode, expected)
            if refusal is not None:
                raise _fail(path, refusal)
            raw = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except PermissionError:
        raise _fail(path, "permission denied") from None
    except NotADirectoryError:
        raise _fail(path, "no such file (a part of the path is not a directory)") from None
    except OSError as exc:
        raise _fail(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise _fail(path, f"file is {limit}")  # stat() said less: /proc files say 0, or it grew meanwhile
    return raw
