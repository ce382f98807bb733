"""An extraction → tasks.yaml text, and the atomic write of it.

The output is a whole tasks file (version, units, one document), so `taskbot validate FILE` checks it
as it stands: `units:` holds the registry's entries for every unit the document uses (copied with their
aliases and members) and, marked NEW, the units the registry lacks. Aliases the document wrote that the
registry does not know are proposed on the unit they resolved to. What the schema has no key for goes
into comments: each task's input line, its warnings, why its deadline is what it is, and the mode the
units were read in. All user-facing Chinese in the output is the document's own text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path

from bot.extract.model import ExtractedTask, Extraction, ProposedUnit

# Messages that quote the documents' Chinese conventions: kept here, with the output's other words.
NO_TASKS = "no numbered tasks found: expected sections numbered 一、 (一) 1. as in a 工作方案"
NO_UNITS = "numbered sections found, but none assigns a unit (no 牵头单位/责任单位 and no issuer)"
NO_ISSUER = "names no issuer (发文单位) and none can be guessed"
NO_MARKERS = ("no unit markers in the document: the issuer leads and the addressees (主送) are responsible, "
              "unless an item's text names who does what")
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`\d][^:#,\[\]{}\"']*$")
_RESERVED = re.compile(r"^(?:null|Null|NULL|~|true|false|True|False|TRUE|FALSE|yes|no|on|off)$")


def scalar(value: object) -> str:
    """A YAML scalar: plain where that is safe, a JSON (= YAML double-quoted) string otherwise."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and not _RESERVED.match(text) and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(values: list[str]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def render(extraction: Extraction) -> str:
    doc = extraction.document
    out: list[str] = [
        f"# Extracted by `taskbot extract` from {doc.source}: review every task before importing.",
        f"# Units read against: {extraction.registry_name or 'no registry (every unit is proposed as new)'}.",
        f"# Mode: {'unit markers' if doc.mode == 'markers' else 'no unit markers (prose and the SPEC defaults)'}; "
        f"{len(doc.tasks)} tasks, {len(doc.targets)} targets.",
    ]
    out += [f"# warning: {w}" for w in doc.warnings]
    out += ["version: 1", "timezone: Asia/Shanghai", "units:"]
    for unit in extraction.units:
        out += _unit(unit)
    out += ["documents:", f"  - id: {scalar(doc.id)}", f"    title: {scalar(doc.title)}",
            f"    issuer: {scalar(doc.issuer)}", f"    number: {scalar(doc.number)}",
            f"    issued: {doc.issued.isoformat()}"]
    if doc.period:
        out.append(f"    period: [{doc.period[0].isoformat()}, {doc.period[1].isoformat()}]")
    out += [f"    addressees: {flow(doc.addressees)}", f"    source: {scalar(doc.source)}"]
    if doc.targets:
        out.append("    targets:")
        for target in doc.targets:
            out += [f"      - id: {scalar(target.id)}", f"        text: {scalar(target.text)}",
                    f"        value: {scalar(target.value)}", f"        unit: {scalar(target.unit)}",
                    f"        due: {scalar(target.due)}"]
            if target.task:
                out.append(f"        task: {scalar(target.task)}")
    else:
        out.append("    targets: []")
    out.append("    tasks:")
    for task in doc.tasks:
        out += _task(task)
    return "\n".join(out) + "\n"


def _unit(unit: ProposedUnit) -> list[str]:
    note = "   # NEW: not in the registry" if unit.new else ""
    if unit.note:
        note += f" ({unit.note})" if note else f"   # {unit.note}"
    lines = [f"  - name: {scalar(unit.name)}{note}"]
    aliases = unit.aliases + [a for a in unit.new_aliases if a not in unit.aliases]
    if aliases:
        proposed = [a for a in unit.new_aliases if a not in unit.aliases]
        comment = f"   # new alias: {', '.join(proposed)}" if proposed and not unit.new else ""
        lines.append(f"    aliases: {flow(aliases)}{comment}")
    if unit.members:
        lines.append(f"    members: {flow(unit.members)}")
    return lines


def _task(task: ExtractedTask) -> list[str]:
    lines = [f"      # warning: {w}" for w in task.warnings]
    where = f"   # line {task.source_line}" if task.source_line else ""
    deadline = scalar(task.deadline)
    note = f"   # {task.deadline_note}" if task.deadline_note else ""
    lines += [
        f"      - id: {json.dumps(task.id)}{where}",
        f"        section: {scalar(task.section)}",
        f"        title: {scalar(task.title)}",
        f"        body: {json.dumps(task.body, ensure_ascii=False)}",
        f"        lead: {flow(task.lead)}",
        f"        responsible: {flow(task.responsible)}",
        f"        deadline: {deadline}{note}",
        f"        recurrence: {scalar(task.recurrence)}",
    ]
    return lines


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
