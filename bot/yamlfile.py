"""Reading a YAML file so that every later complaint can say file:line:column.

ruamel.yaml composes the file into a node tree in which every key and value keeps its position
(`start_mark`); `locate()` walks that tree along a pydantic error location to the nearest node that has
one. The plain-Python data is built from the same tree here, not by a YAML constructor, for three
reasons: it is fast (the round-trip loader takes ~10 s for a 3 MB file, the composer with
ruamel.yaml.clib about 1 s); timestamps stay strings, so a bad date (2023-02-30) is reported by
validation, with its line, instead of as a bare ValueError; and alias expansion is counted as it
happens, which stops a "billion laughs" anchor bomb before anything walks the expanded structure.

Other defences, because the file may come from anyone with a text editor: a size cap, strict UTF-8 with
the line of the first bad byte, NUL bytes refused, duplicate keys refused.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from bot.errors import InputError, Problem

MAX_BYTES = 16 * 1024 * 1024
MAX_NODES = 2_000_000
_TAG = "tag:yaml.org,2002:"


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 always: the stock property looks the version up (and fails) for every scalar, which
    was a third of the load time of a large file."""

    processing_version = (1, 2)


@dataclass(frozen=True)
class YamlDoc:
    """The composed node tree (with positions) and the plain-Python data built from it."""

    path: str
    tree: Node | None
    data: Any

    def locate(self, loc: Sequence[str | int]) -> tuple[int | None, int | None]:
        """1-based (line, column) of the deepest node on `loc` that the file has."""
        node = self.tree
        if node is None:
            return None, None
        best = (node.start_mark.line + 1, node.start_mark.column + 1)
        for key in loc:
            child = None
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode) and key_node.value == str(key):
                        best = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                        child = value_node
                        break
            elif isinstance(node, SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
                child = node.value[key]
                best = (child.start_mark.line + 1, child.start_mark.column + 1)
            if child is None:
                break
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
    yaml = YAML(typ="safe")  # the C parser when ruamel.yaml.clib is installed
    yaml.Resolver = _Yaml12Resolver
    try:
        tree = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        lines = text.splitlines()
        if line is not None and line <= len(lines) and "\t" in lines[line - 1]:
            message += " (a tab: YAML indentation must be spaces)"
        raise InputError([Problem(name, line, column, f"YAML syntax: {message}")]) from None
    except (YAMLError, ValueError, RecursionError) as exc:
        raise InputError([Problem(name, None, None, f"YAML cannot be read: {exc}")]) from None
    return YamlDoc(name, tree, _Builder(name, max_nodes).build(tree))


class _Builder:
    """Node tree → dict/list/scalars (YAML 1.2 core schema), counting nodes as aliases expand."""

    def __init__(self, name: str, max_nodes: int):
        self.name = name
        self.max_nodes = max_nodes
        self.count = 0

    def fail(self, node: Node, message: str) -> InputError:
        mark = node.start_mark
        return InputError([Problem(self.name, mark.line + 1, mark.column + 1, message)])

    def build(self, node: Node | None) -> Any:
        try:
            return None if node is None else self.node(node)
        except RecursionError:
            raise InputError([Problem(self.name, None, None, "YAML nested too deeply")]) from None

    def node(self, node: Node) -> Any:
        self.count += 1
        if self.count > self.max_nodes:
            raise self.fail(node, (
                f"more than {self.max_nodes:,} values once YAML anchors/aliases are expanded "
                "(an alias bomb?): write the values out or split the file"))
        if isinstance(node, MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _TAG + "merge":
                    raise self.fail(key_node, "YAML merge keys (<<) are not supported: write the keys out")
                key = self.node(key_node)
                if isinstance(key, dict | list):
                    raise self.fail(key_node, "a mapping key must be a plain value")
                if key in out:
                    raise self.fail(key_node, f"duplicate key {key!r} in this mapping")
                out[key] = self.node(value_node)
            return out
        if isinstance(node, SequenceNode):
            return [self.node(item) for item in node.value]
        return self.scalar(node)

    def scalar(self, node: Node) -> Any:
        value: str = node.value
        tag = node.tag.removeprefix(_TAG) if node.tag else "str"
        if tag in ("str", "timestamp"):
            return value
        if tag == "null":
            return None
        if tag == "bool":
            return value.lower() == "true"
        if tag == "int":
            digits = value.replace("_", "")
            sign = -1 if digits.startswith("-") else 1
            digits = digits.lstrip("+-")
            for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
                if digits.lower().startswith(prefix):
                    return sign * int(digits[2:], base)
            return sign * int(digits)
        if tag == "float":
            lowered = value.replace("_", "").lower()
            if lowered.lstrip("+-") in (".inf", ".nan"):
                return math.nan if "nan" in lowered else (-math.inf if lowered.startswith("-") else math.inf)
            return float(lowered)
        raise self.fail(node, f"unsupported YAML type !!{tag}: use plain text, numbers, lists and mappings")
