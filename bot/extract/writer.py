"""An extraction → tasks.yaml text, and the atomic write of it.

The output is a whole tasks file (version, units, one document), so `taskbot validate FILE` checks it
as it stands: `units:` holds the registry's entries for every unit the document uses (copied with their
aliases and members) and, marked NEW, the units the registry lacks. Aliases the document wrote that the
registry does not know are proposed on the unit they resolved to. What the schema has no key for goes
into comments: each task's input line, its warnings, why its deadline is what it is, and the mode the
units were read in. All user-facing Chinese in the output is the document's own text.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.extract.model import ExtractedTask, Extraction, ProposedUnit
from bot.tasksfile.schema import CONTROL

# Messages that quote the documents' Chinese conventions: kept here, with the output's other words.
NO_TASKS = "no numbered tasks found: expected sections numbered 一、 (一) 1. as in a 工作方案"
NO_UNITS = "numbered sections found, but none assigns a unit (no 牵头单位/责任单位 and no issuer)"
NO_ISSUER = "names no issuer (发文单位) and none can be guessed"
NO_MARKERS = (
    "no unit markers in the document: the issuer leads and the addressees (主送) are responsible, "
    "unless an item's text names who does what"
)


def _yaml() -> YAML:
    """The emitter: YAML 1.2 like the loader, wide lines, Chinese as written (not escaped)."""
    yaml = YAML()
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.ignore_aliases = lambda _data: True  # a date shared by two keys is written twice
    yaml.representer.add_representer(
        type(None), lambda representer, _none: representer.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    yaml.representer.add_representer(str, _str)
    yaml.representer.add_representer(
        _Quoted, lambda representer, text: representer.represent_scalar("tag:yaml.org,2002:str", str(text), style='"')
    )
    return yaml


_BREAKS = frozenset("\x85\u2028\u2029")  # line breaks to a YAML reader that ruamel writes raw when quoting
_INDICATORS = tuple("?-:,[]{}#&*!|>'\"%@`")


def _str(representer: Any, text: str) -> Any:
    """Double-quoted where ruamel's own choice does not read back: unusual line breaks (single-quoted,
    they come back folded into a space) and a leading indicator (`? 0` in a flow list is read as a key)."""
    style = '"' if text.startswith(_INDICATORS) or any(c in _BREAKS for c in text) else None
    return representer.represent_scalar("tag:yaml.org,2002:str", text, style=style)


class _Quoted(str):
    """A string written double-quoted."""


_SIMPLE = re.compile(r"[\w()（）、·]+")  # unit names as offices write them: plain even in a flow list


def _flow(values: list[Any]) -> CommentedSeq:
    """A one-line list; its strings double-quoted unless they are simple names (ruamel's plain scalars
    in flow context do not always read back: `[0?]`)."""
    seq = CommentedSeq(_Quoted(v) if isinstance(v, str) and not _SIMPLE.fullmatch(v) else v for v in values)
    seq.fa.set_flow_style()
    return seq


def _comment(text: str) -> str:
    """A comment is one line of printable characters (YAML escapes nothing in a comment), and the
    document's text may carry line breaks, tabs or control characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(text)).split()) or "-"


def render(extraction: Extraction) -> str:
    doc = extraction.document
    head = [
        f"Extracted by `taskbot extract` from {doc.source}: review every task before importing.",
        f"Units read against: {extraction.registry_name or 'no registry (every unit is proposed as new)'}.",
        f"Mode: {'unit markers' if doc.mode == 'markers' else 'no unit markers (prose and the default roles)'}; "
        f"{len(doc.tasks)} tasks, {len(doc.targets)} targets.",
        *(f"warning: {w}" for w in doc.warnings),
    ]
    root = CommentedMap()
    root["version"] = 1
    root["timezone"] = "Asia/Shanghai"
    root["units"] = CommentedSeq(_unit(unit) for unit in extraction.units)
    entry = CommentedMap()
    entry["id"] = doc.id
    entry["title"] = doc.title
    entry["issuer"] = doc.issuer
    entry["number"] = doc.number
    entry["issued"] = doc.issued
    if doc.period:
        entry["period"] = _flow(list(doc.period))
    entry["addressees"] = _flow(list(doc.addressees))
    entry["source"] = doc.source
    entry["targets"] = CommentedSeq()
    for target in doc.targets:
        item = CommentedMap(
            [
                ("id", target.id),
                ("text", CONTROL.sub(" ", target.text)),
                ("value", target.value),
                ("unit", target.unit),
                ("due", target.due),
            ]
        )
        if target.task:
            item["task"] = target.task
        entry["targets"].append(item)
    if not doc.targets:
        entry["targets"].fa.set_flow_style()
    tasks = CommentedSeq()
    for i, task in enumerate(doc.tasks):
        tasks.append(_task(task))
        if task.warnings:
            tasks.yaml_set_comment_before_after_key(
                i, before="\n".join(f"warning: {_comment(w)}" for w in task.warnings), indent=6
            )
    entry["tasks"] = tasks
    root["documents"] = CommentedSeq([entry])
    root.yaml_set_start_comment("\n".join(_comment(line) for line in head))
    out = io.StringIO()
    _yaml().dump(root, out)
    return out.getvalue()


def _unit(unit: ProposedUnit) -> CommentedMap:
    item = CommentedMap([("name", unit.name)])
    note = "NEW: not in the registry" if unit.new else ""
    if unit.note:
        note = f"{note} ({unit.note})" if note else unit.note
    if note:
        item.yaml_add_eol_comment(_comment(note), "name")
    aliases = unit.aliases + [a for a in unit.new_aliases if a not in unit.aliases]
    if aliases:
        item["aliases"] = _flow(aliases)
        proposed = [a for a in unit.new_aliases if a not in unit.aliases]
        if proposed and not unit.new:
            item.yaml_add_eol_comment(_comment(f"new alias: {', '.join(proposed)}"), "aliases")
    if unit.members:
        item["members"] = _flow(list(unit.members))
    return item


def _task(task: ExtractedTask) -> CommentedMap:
    item = CommentedMap(
        [
            ("id", task.id),
            ("section", task.section),
            ("title", CONTROL.sub(" ", task.title)),  # Word's soft line break is \x0b: tasks.yaml refuses it
            ("body", task.body),
            ("lead", _flow(list(task.lead))),
            ("responsible", _flow(list(task.responsible))),
            *([("supervise", _flow(list(task.supervise)))] if task.supervise else []),
            ("deadline", task.deadline),
            ("recurrence", task.recurrence),
        ]
    )
    if task.source_line:
        item.yaml_add_eol_comment(f"line {task.source_line}", "id")
    if task.deadline_note:
        item.yaml_add_eol_comment(_comment(task.deadline_note), "deadline")
    return item


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: a failure never leaves half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
