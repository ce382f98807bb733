"""Reading a YAML file so that every later complaint can say file:line:column.

ruamel.yaml composes the file into a node tree in which every key and value keeps its position
(`start_mark`); `locate()` walks that tree along a pydantic error location to the nearest node that has
one. The plain-Python data is built from the same tree here, not by a YAML constructor, for three
reasons: it is fast (the round-trip loader takes ~10 s for a 3 MB file, the composer with
ruamel.yaml.clib about 1 s); timestamps stay strings, so a bad date (2023-02-30) is reported by
validation, with its line, instead of as a bare ValueError; and values are counted as aliases expand,
an alias adding the size of the collection it repeats (built once, then shared) without walking it again,
which stops a "billion laughs" anchor bomb at once, at the line of the anchor it repeats.

Other defences, because the file may come from anyone with a text editor: only a regular file, read up to
a size cap (bot/core/files.py), strict UTF-8 with
the line of the first bad byte, NUL bytes refused, duplicate keys refused, and a nesting cap checked
before composing whenever the text could nest deeper (ruamel.yaml.clib composes recursively in C: a few
tens of thousands of nested `[` or `- ` crash the process instead of raising).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver

from bot.core.errors import InputError, Problem
from bot.core.files import read_bounded

MAX_BYTES = 16 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_DEPTH = 100  # a tasks file nests 6 deep
_TAG = "tag:yaml.org,2002:"
_BUILDING = (None, 0)  # _Builder.built's mark for a collection still being built
_MERGE = _TAG + "merge"


@lru_cache(maxsize=256)
def _tag_name(tag: str) -> str:
    return tag.removeprefix(_TAG)


def _short(ctag: Any) -> str:
    """A node's tag without the yaml.org prefix ("str", "int", …, or a custom tag whole), as `Node.tag` gives it
    — which formats the Tag object into a new string on every access, 400,000 times for a large file."""
    tag = None if ctag is None else ctag.trval
    return "str" if not tag else _tag_name(tag)


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 always: the stock property looks the version up (and fails) for every scalar, which
    was a third of the load time of a large file.

    A plain scalar's implicit tag depends on its text alone (no path resolvers are registered), and a
    tasks file repeats the same texts thousands of times (keys, unit names, dates, `monthly`): each text is
    resolved once per file. The Tag objects are shared between nodes, which only read them."""

    processing_version = (1, 2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain: dict[str, Any] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = self._plain.get(value)
            if tag is None:
                tag = self._plain[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


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
    raw = read_bounded(
        path, max_bytes, expected="a YAML file", too_big="for a tasks file: split it into several documents' files"
    )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    column,
                    (
                        f"not UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8 "
                        "(a GBK/GB18030 file can be converted with `iconv -f GB18030 -t UTF-8`)"
                    ),
                )
            ]
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError([Problem(name, line, None, "binary data (NUL byte): not a YAML text file")])
    if not text.strip():
        raise InputError([Problem(name, None, None, "file is empty: expected `version: 1` and `documents:`")])
    return text


def load_yaml(
    path: Path, *, text: str | None = None, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH
) -> YamlDoc:
    """Compose and build `text` (default: the file's, via `read_text`); any failure is an InputError."""
    name = str(path)
    if text is None:
        text = read_text(path)
    yaml = YAML(typ="safe")  # the C parser when ruamel.yaml.clib is installed
    yaml.Resolver = _Yaml12Resolver
    try:
        if _may_nest_deeper(text, max_depth):
            _check_depth(yaml, name, text, max_depth)
        if _node_bound(text) > max_nodes:
            _check_count(yaml, name, text, max_nodes)
        tree = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = exc.context
        if context and exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
            context += f" that starts at line {exc.context_mark.line + 1}:"
        message = " ".join(str(part) for part in (context, exc.problem) if part)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        lines = text.splitlines()
        if line is not None and line <= len(lines) and "\t" in lines[line - 1]:
            message += " (a tab: YAML indentation must be spaces)"
        raise InputError([Problem(name, line, column, f"YAML syntax: {message}")]) from None
    except ReaderError as exc:  # a character YAML does not allow anywhere, so its first occurrence
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        at = text.find(char)  # (exc.position counts UTF-8 bytes with the C parser, characters without)
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
        column = at - (text.rfind("\n", 0, at) + 1) + 1 if at >= 0 else None
        raise InputError(
            [Problem(name, line, column, (f"YAML cannot be read: character {char!a}: {exc.reason}"))]
        ) from None
    except (YAMLError, ValueError, RecursionError) as exc:
        first_line = str(exc).strip().split("\n", 1)[0]
        raise InputError([Problem(name, None, None, f"YAML cannot be read: {first_line}")]) from None
    return YamlDoc(name, tree, _Builder(name, max_nodes).build(tree))


def _may_nest_deeper(text: str, max_depth: int) -> bool:
    """Whether `text` can nest deeper than `max_depth`, from its characters alone (cheap, and false for real
    files).

    A block collection two levels down starts at least one column further right, and that column is in
    a run of spaces and `-?:` indicators; every flow collection needs a `[` or `{`. The longest run that
    still fits is searched for, not every run listed (14 MB of `u, u, …` is 4.7 million runs).
    """
    brackets = text.count("[") + text.count("{")
    run = (max_depth - 2 - brackets) // 2 + 1  # 2 * run + 2 + brackets > max_depth from this length on
    return run <= 0 or re.search(f"[ \t?:-]{{{run},}}", text) is not None


_VALUE_EVENTS = {ScalarEvent, AliasEvent, SequenceStartEvent, MappingStartEvent}


def _node_bound(text: str) -> int:
    """How many nodes `text` can compose into at most, from its characters alone: every node but the first
    starts after a line break, a `,`, a `:`, a `-` or a bracket."""
    return 1 + sum(text.count(c) for c in "\n,:-[{")


def _check_count(yaml: YAML, name: str, text: str, max_nodes: int) -> None:
    """Refuse more than `max_nodes` values while parsing, before a node tree is built: 14 MB of `[u, u, …]`
    composed into 2 GB of nodes in 40 s before the builder's count saw it. The parser's events come one at a
    time (constant memory); the count stops at the first value past the cap."""
    count = 0
    for event in yaml.parse(text):
        if type(event) in _VALUE_EVENTS:
            count += 1
            if count > max_nodes:
                mark = event.start_mark
                raise InputError(
                    [
                        Problem(
                            name,
                            mark.line + 1,
                            mark.column + 1,
                            f"more than {max_nodes:,} values: a tasks file holds far fewer; split the file",
                        )
                    ]
                )


def _check_depth(yaml: YAML, name: str, text: str, max_depth: int) -> None:
    """Refuse nesting deeper than `max_depth`, walking the parser's events (flat, no recursion)."""
    depth = 0
    for event in yaml.parse(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                mark = event.start_mark
                raise InputError(
                    [
                        Problem(
                            name,
                            mark.line + 1,
                            mark.column + 1,
                            (f"YAML nested more than {max_depth} levels deep: a tasks file needs about 6"),
                        )
                    ]
                )
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


class _Builder:
    """Node tree → dict/list/scalars (YAML 1.2 core schema), counting nodes as aliases expand.

    A collection is built once: an alias to it (the same node again) returns the same object and adds
    the collection's size to the count, so an anchor bomb costs one step per alias, not per value.
    """

    def __init__(self, name: str, max_nodes: int):
        self.name = name
        self.max_nodes = max_nodes
        self.count = 0
        self.built: dict[int, tuple[Any, int]] = {}  # id(collection node) → (value, nodes in it)

    def fail(self, node: Node, message: str) -> InputError:
        mark = node.start_mark
        return InputError([Problem(self.name, mark.line + 1, mark.column + 1, message)])

    def build(self, node: Node | None) -> Any:
        try:
            return None if node is None else self.node(node)
        except RecursionError:
            raise InputError([Problem(self.name, None, None, "YAML nested too deeply")]) from None

    def node(self, node: Node) -> Any:
        again = self.built.get(id(node))
        if again is _BUILDING:
            raise self.fail(node, "an alias inside the collection it names (a loop): write the values out")
        self.count += again[1] if again else 1
        if self.count > self.max_nodes:
            raise self.fail(
                node,
                (
                    f"more than {self.max_nodes:,} values once YAML anchors/aliases are expanded "
                    "(an alias bomb?): write the values out or split the file"
                ),
            )
        if again:
            return again[0]
        start = self.count
        if isinstance(node, MappingNode):
            self.built[id(node)] = _BUILDING
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.ctag is not None and key_node.ctag.trval == _MERGE:
                    raise self.fail(key_node, "YAML merge keys (<<) are not supported: write the keys out")
                key = self.node(key_node)
                if isinstance(key, dict | list):
                    raise self.fail(key_node, "a mapping key must be a plain value")
                if key in out:
                    raise self.fail(key_node, f"duplicate key {key!r} in this mapping")
                out[key] = self.node(value_node)
            self.built[id(node)] = (out, self.count - start + 1)
            return out
        if isinstance(node, SequenceNode):
            self.built[id(node)] = _BUILDING
            items = [self.node(item) for item in node.value]
            self.built[id(node)] = (items, self.count - start + 1)
            return items
        return self.scalar(node)

    def scalar(self, node: Node) -> Any:
        value: str = node.value
        tag = _short(node.ctag)
        if tag in ("str", "timestamp"):
            return value
        if tag == "null":
            return None
        if tag == "bool":
            return value.lower() == "true"
        if tag not in ("int", "float"):
            raise self.fail(node, f"unsupported YAML type !!{tag}: use plain text, numbers, lists and mappings")
        try:
            return _number(tag, value)
        except ValueError:  # the resolver's patterns are looser than int()/float(): `0x_`, `0o`
            return value


def _number(tag: str, value: str) -> int | float:
    if tag == "int":
        digits = value.replace("_", "")
        sign = -1 if digits.startswith("-") else 1
        digits = digits.lstrip("+-")
        for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
            if digits.lower().startswith(prefix):
                return sign * int(digits[2:], base)
        return sign * int(digits)
    lowered = value.replace("_", "").lower()
    if lowered.lstrip("+-") in (".inf", ".nan"):
        return math.nan if "nan" in lowered else (-math.inf if lowered.startswith("-") else math.inf)
    return float(lowered)
