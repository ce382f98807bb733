"""Reading a YAML file so that every later complaint can say file:line:column.

ruamel.yaml's round-trip loader keeps the position of every key and item (`.lc`); `locate()` walks
that tree along a pydantic error location to the nearest node that has one. Timestamps are kept as
strings so that a bad date (2023-02-30) is reported by validation, with its line, instead of as a bare
ValueError from the YAML library.

Defences, because the file may come from anyone with a text editor: a size cap, strict UTF-8 with the
line of the first bad byte, and a budget on the number of nodes after aliases are expanded, which stops
the "billion laughs" anchor bomb before anything walks the expanded structure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from bot.errors import InputError, Problem

MAX_BYTES = 16 * 1024 * 1024
MAX_NODES = 2_000_000


class _Constructor(RoundTripConstructor):
    pass


_Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


@dataclass(frozen=True)
class YamlDoc:
    """The loaded tree (ruamel nodes that remember positions) and its plain-Python copy."""

    path: str
    tree: Any
    data: Any

    def locate(self, loc: Sequence[str | int]) -> tuple[int | None, int | None]:
        """1-based (line, column) of the deepest node on `loc` that the file has."""
        node = self.tree
        best: tuple[int | None, int | None] = (1, 1) if node is not None else (None, None)
        for key in loc:
            pos = None
            child = None
            if isinstance(node, CommentedMap) and key in node:
                pos = node.lc.key(key) if node.lc.data and key in node.lc.data else None
                child = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                pos = node.lc.item(key) if node.lc.data and key in node.lc.data else None
                child = node[key]
            else:
                break
            if pos is not None:
                best = (pos[0] + 1, pos[1] + 1)
            node = child
        return best

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        line, column = self.locate(loc)
        return Problem(self.path, line, column, message)


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, or an InputError that says why it cannot be read."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError([Problem(name, None, None, (
                f"file is {size / 1024 / 1024:.1f} MB, over the {max_bytes // 1024 // 1024} MB limit "
                "for a tasks file: split it into several documents' files"))])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, None, None, "no such file")]) from None
    except IsADirectoryError:
        raise InputError([Problem(name, None, None, "is a directory, expected a YAML file")]) from None
    except PermissionError:
        raise InputError([Problem(name, None, None, "permission denied")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError([Problem(name, line, column, (
            f"not UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8 "
            "(a GBK/GB18030 file can be converted with `iconv -f GB18030 -t UTF-8`)"))]) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError([Problem(name, line, None, "binary data (NUL byte): not a YAML text file")])
    if not text.strip():
        raise InputError([Problem(name, None, None, "file is empty: expected `version: 1` and `documents:`")])
    return text


def load_yaml(path: Path, *, text: str | None = None, max_nodes: int = MAX_NODES) -> YamlDoc:
    name = str(path)
    if text is None:
        text = read_text(path)
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if mark is not None and "\t" in (mark.buffer or "")[max(0, mark.pointer - 1): mark.pointer + 1]:
            message += " (tabs are not allowed for indentation in YAML: use spaces)"
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise InputError([Problem(name, line, column, f"YAML syntax: {message}")]) from None
    except (YAMLError, ValueError, RecursionError) as exc:
        raise InputError([Problem(name, None, None, f"YAML cannot be read: {exc}")]) from None
    data = _plain(tree, name, max_nodes)
    return YamlDoc(name, tree, data)


def _plain(tree: Any, name: str, max_nodes: int) -> Any:
    """A plain dict/list copy of the tree, refusing alias expansion beyond `max_nodes`."""
    count = 0

    def walk(node: Any) -> Any:
        nonlocal count
        count += 1
        if count > max_nodes:
            raise InputError([Problem(name, None, None, (
                f"more than {max_nodes:,} values once YAML anchors/aliases are expanded "
                "(an alias bomb?): write the values out or split the file"))])
        if isinstance(node, dict):
            return {str(k) if not isinstance(k, str | int) else k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str):
            return str(node)
        return node

    try:
        return walk(tree)
    except RecursionError:
        raise InputError([Problem(name, None, None, "YAML nested too deeply")]) from None
