"""A 分工 given per unit (V10): "一、市城市管理局" then that unit's items "1." "2." …, a task two units share
listed under each of them with "与X共同负责" (or "Y牵头，与X共同负责") in its closing bracket.

The unit a heading names is responsible for the items under it (the list is "按责任单位列出": no lead word), so the
heading gets that unit as its marker, which every item under it inherits. A shared item's bracket names the
other unit: it is rewritten as a marker naming both (the one said to 牵头 leads). That the same task listed
twice is one task is decided later, over the tasks (`merge_repeats`)."""

import re

from bot.extract.model import ExtractedTask
from bot.extract.units import AGENCY

_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})、\s*([^\s，,。；;:：、()（）]{2,30}?)\s*$")
_SHARED = re.compile(
    r"[（(](?:(?P<lead>[^（()）,，；;]{2,30}?)牵头[,，])?与(?P<other>[^（()）,，；;]{2,30}?)共同(?:负责|完成|承担)"
    r"(?P<rest>[,，；;][^（()）]*)?[)）](?P<end>[。.；;]?\s*)$"
)


def unit_sections(lines: list[str]) -> None:
    """Mark the headings of a per-unit 分工 (two or more headings that are unit names) and its shared items."""
    headings = [i for i, line in enumerate(lines) if (m := _HEADING.match(line)) and AGENCY.search(m.group(2))]
    if len(headings) < 2:
        return
    unit = ""
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m:
            unit = m.group(2) if i in headings else ""
            if unit:
                lines[i] = f"{line.rstrip()}（责任单位：{unit}）"
        elif unit and (shared := _SHARED.search(line)):
            lines[i] = line[: shared.start()] + _shared_marker(shared, unit)


def _shared_marker(m: re.Match[str], unit: str) -> str:
    """（Y牵头，与X共同负责；T） → （牵头单位：Y；责任单位：…；完成时限：T）: the heading's unit and X less
    the lead."""
    lead = (m.group("lead") or "").strip()
    units = [u for u in dict.fromkeys((unit, m.group("other").strip())) if u != lead]
    fields = [f"牵头单位：{lead}"] if lead else []
    fields.append(f"责任单位：{'、'.join(units)}")
    rest = (m.group("rest") or "").strip(" ,，；;")
    if rest:
        fields.append(f"完成时限：{rest}")
    return f"（{'；'.join(fields)}）{m.group('end')}"


def merge_repeats(tasks: list[ExtractedTask]) -> list[ExtractedTask]:
    """A task listed again under another heading, with the same title and the same units (a shared task of a
    per-unit 分工, V10), is the first listing again: the later one is dropped, its number no id."""
    seen: set[tuple[str, frozenset[str]]] = set()
    kept: list[ExtractedTask] = []
    for task in tasks:
        key = (task.title, frozenset(task.lead + task.responsible))
        if key in seen and len(key[1]) > 1:
            continue
        seen.add(key)
        kept.append(task)
    return kept
