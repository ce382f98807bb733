"""Roles and dates given by item number (a 方案's 责任分工 / 时间安排 paragraph, round9 Q15) → markers on the items.

A 工作方案 may list its 重点任务 as bare items "1.…" "2.…" and say who does what in a paragraph of its own:
"上述第1、3、5项由A牵头，第2项由A、B共同牵头；C、D配合做好第1至5项；各乡镇人民政府负责本辖区内第2、4项的组织实施",
and when in another: "第1、5项于6月底前完成；第3项于11月中旬前完成". Each clause applies to the items it names (a
list, or a range "第1至5项"): "由X牵头" / "X共同牵头" leads, "X配合" / "X参与" takes part, "X负责" takes part where
the item's lead is named already (its 组织实施) and leads otherwise, "于T完成" is the deadline. The items get the
bracketed marker every layout is read through; the paragraphs, read, are emptied (the line count holds).
"""

from __future__ import annotations

import re

from bot.extract.textutil import split_outside_brackets

_NUMBERS = re.compile(r"第\s*(\d{1,2}(?:\s*[、,，和及]\s*\d{1,2})*|\d{1,2}\s*(?:至|到|-|—|~)\s*\d{1,2})\s*项")
_ITEM = re.compile(r"^(\s*)(\d{1,2})\s*[.．、]\s*(\S.*?)\s*$")
_LEAD = re.compile(r"由(?P<units>[^，,；;。]{2,80}?)(?:共同)?(?:牵头|负责牵头|牵头负责)")
_ACTOR = re.compile(r"^(?:上述)?(?P<units>[^，,；;。]{2,80}?)(?P<verb>配合|协助|参与|协同|负责)")
_DUE = re.compile(r"于(?P<due>.{2,30}?)(?:前)?(?:全面|全部|基本)?完成")


def _numbers(spec: str) -> list[int]:
    """The items a clause names: 1、3、5 → [1, 3, 5]; 1至5 → [1, …, 5]."""
    span = re.fullmatch(r"(\d{1,2})\s*(?:至|到|-|—|~)\s*(\d{1,2})", spec)
    if span:
        return list(range(int(span.group(1)), int(span.group(2)) + 1))
    return [int(n) for n in re.findall(r"\d{1,2}", spec)]


class _Roles:
    def __init__(self) -> None:
        self.lead: dict[int, list[str]] = {}
        self.partner: dict[int, list[str]] = {}
        self.doer: dict[int, list[str]] = {}  # X负责: responsible beside a named lead, the lead otherwise
        self.due: dict[int, str] = {}

    def read(self, clause: str, named: list[int] | None = None) -> list[int] | None:
        """One clause naming item numbers, or continuing the clause before it that named them (`named`: "第1—3项由X
        牵头，Y、Z配合", W11); the items it spoke of, or None when it says nothing this module reads."""
        found = _NUMBERS.search(clause)
        if found is None:
            if named and (actor := _ACTOR.search(clause)) is not None:
                self._add(self.doer if actor.group("verb") == "负责" else self.partner, named, actor.group("units"))
                return named
            return None
        items = _numbers(found.group(1))
        before, after = clause[: found.start()], clause[found.end() :]
        if (lead := _LEAD.search(after)) is not None:
            self._add(self.lead, items, lead.group("units"))
        elif (due := _DUE.search(after)) is not None and not before.strip(" 上述"):
            for n in items:
                self.due[n] = due.group("due").strip() + ("前" if due.group(0).endswith("前完成") else "")
        elif (actor := _ACTOR.search(before)) is not None:
            target = self.doer if actor.group("verb") == "负责" else self.partner
            self._add(target, items, actor.group("units"))
        else:
            return None
        return items

    @staticmethod
    def _add(table: dict[int, list[str]], items: list[int], units: str) -> None:
        for n in items:
            table.setdefault(n, []).append(units.strip())

    def marker(self, n: int) -> str:
        lead = list(self.lead.get(n, []))
        partner = list(self.partner.get(n, []))
        (partner if lead else lead).extend(self.doer.get(n, []))
        fields = [
            f"{label}:{'、'.join(names)}" for label, names in (("牵头单位", lead), ("责任单位", partner)) if names
        ]
        fields += [f"完成时限:{self.due[n]}"] if n in self.due else []
        return f"({';'.join(fields)})" if fields else ""


def _clauses(line: str) -> list[str]:
    return [c.strip() for c, _ in split_outside_brackets(line, "，,；;。") if c.strip()]


def _sentences(line: str) -> list[list[str]]:
    """The line's sentences (cut at ；。), each as its clauses (cut at ，)."""
    return [_clauses(s) for s, _ in split_outside_brackets(line, "；;。") if s.strip()]


def _read_line(line: str, roles: _Roles) -> int:
    """How many clauses of the line `roles` read; a clause without a number reads on the items of the numbered
    clause before it in the same sentence."""
    count = 0
    for sentence in _sentences(line):
        named: list[int] | None = None
        for clause in sentence:
            if _NUMBERS.search(clause) or named:
                named = roles.read(clause, named)
                count += named is not None
    return count


def _paragraph(lines: list[str], i: int) -> tuple[str, int]:
    """Line i with the lines its paragraph wraps onto when it breaks off mid-sentence ("第4、5项由市住房和城乡建" /
    "设局牵头，…", T14): the joined text and the index after its last line."""
    text, j = lines[i].rstrip(), i + 1
    while (
        j < len(lines)
        and j - i < 6
        and lines[j].strip()
        and not re.search(r"[。；;：:]$", text)
        and not _ITEM.match(lines[j])
    ):
        text, j = text + lines[j].strip(), j + 1
    return text, j


def _items(lines: list[str], before: int) -> dict[int, int]:
    """The last run of bare items 1., 2., … above line `before`: item number → line."""
    found: dict[int, int] = {}
    for i in range(before - 1, -1, -1):
        m = _ITEM.match(lines[i])
        if m is None:
            continue
        n = int(m.group(2))
        if found and n != min(found) - 1:
            break
        found[n] = i
        if n == 1:
            return found
    return {}


def by_number(lines: list[str]) -> None:
    """Paragraphs giving roles and dates by item number → markers on those items (in place); a paragraph
    with fewer than two such clauses, or items that carry a marker already, are left alone."""
    read: list[int] = []
    roles = _Roles()
    i = 0
    while i < len(lines):
        text, end = _paragraph(lines, i) if _NUMBERS.search(lines[i]) else (lines[i], i + 1)
        clauses = [c for c in _clauses(text) if _NUMBERS.search(c)]
        if len(clauses) >= 2 and _read_line(text, roles) >= 2:
            read.extend(range(i, end))
            i = end
        else:
            i += 1
    if not read:
        return
    items = _items(lines, read[0])
    if len(items) < 2 or any(re.search(r"牵头|责任单位|配合|负责", lines[i]) for i in items.values()):
        return
    if not all(roles.marker(n) for n in items):
        return
    for n, i in items.items():
        lines[i] = f"{lines[i].rstrip().rstrip('。')}。{roles.marker(n)}"
    for i in read:
        lines[i] = ""
