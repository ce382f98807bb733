"""Unit markers after a task or on a section heading, in any bracket and colon width:
(责任单位:…) （牵头单位：X；责任单位：A、B） 〔牵头单位:…〕 [责任单位:…] (责任部门:…) (完成时限:…), and the
prose form (市科技局牵头,市财政局配合). A marker whose closing bracket was lost in the copy runs to the
end of its item. Notes inside a marker such as 以下均需各镇、园区落实,不再列出 are returned as
inherited units for every later task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.extract.textutil import bracket_end, split_outside_brackets

_LEAD_KEYS = r"牵头单位|牵头部门|主责单位|主办单位|牵头"
_RESP_KEYS = r"责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|实施单位|责任主体|落实单位"
_TIME_KEYS = r"完成时限|完成时间|时间节点|时间要求|时限要求|时限"
_KEY = re.compile(rf"^\s*({_LEAD_KEYS}|{_RESP_KEYS}|{_TIME_KEYS})\s*:\s*")
_OPEN = re.compile(rf"[(\[〔【]\s*(?:{_LEAD_KEYS}|{_RESP_KEYS}|{_TIME_KEYS})\s*:")
_PROSE = re.compile(r"^(?P<lead>[^()。]{2,60}?)(?:牵头|负责)(?:[,;](?P<resp>[^()。]{2,120}?)(?:配合|参与|协助|落实))?$")
_INHERIT = re.compile(r"以下(?:各项)?(?:任务)?(?:均|都|也)?(?:需|由|要|需要)(?P<units>.+?)(?:负责|落实|参与|配合|承担)")


@dataclass
class Marker:
    lead: list[str] = field(default_factory=list)          # names as written
    responsible: list[str] = field(default_factory=list)
    deadline: str | None = None
    inherit: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def names_units(self) -> bool:
        return bool(self.lead or self.responsible)


def find_markers(text: str) -> Marker:
    """All markers of one item (folded text); `spans` are what to cut from the body."""
    marker = Marker()
    pos = 0
    while (m := _OPEN.search(text, pos)) is not None:
        close = bracket_end(text, m.start())
        end = close or len(text)                       # a marker that lost its bracket ends the item
        content = text[m.start() + 1:close - 1] if close else text[m.start() + 1:]
        _fields(content, marker)
        marker.spans.append((m.start(), end))
        pos = end
    if not marker.spans:
        _prose_marker(text, marker)
    return marker


def _fields(content: str, marker: Marker) -> None:
    content = re.sub(rf"[,;。](?=\s*(?:{_LEAD_KEYS}|{_RESP_KEYS}|{_TIME_KEYS})\s*:)", ";", content)
    for part, _ in split_outside_brackets(content, ";。"):
        part = part.strip()
        if not part:
            continue
        inherit = _INHERIT.search(part)
        if inherit:
            marker.inherit.append(inherit.group("units"))
            part = part[:inherit.start()].strip(",; ")
            if not part:
                continue
        key = _KEY.match(part)
        value = part[key.end():] if key else part
        name = key.group(1) if key else "责任单位"
        if re.fullmatch(_TIME_KEYS, name):
            marker.deadline = value.strip()
        elif re.fullmatch(_LEAD_KEYS, name):
            marker.lead.append(value)
        else:
            marker.responsible.append(value)


def _prose_marker(text: str, marker: Marker) -> None:
    """(市科技局牵头,市财政局、各区政府配合) as the last thing in an item."""
    stripped = text.rstrip(" 。\n")
    if not stripped.endswith((")", "]", "〕", "】")):
        return
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        depth += stripped[i] in ")]〕】"
        depth -= stripped[i] in "([〔【"
        if depth == 0:
            m = _PROSE.match(stripped[i + 1:-1])
            if m:
                marker.lead.append(m.group("lead"))
                if m.group("resp"):
                    marker.responsible.append(m.group("resp"))
                marker.spans.append((i, len(stripped)))
            return


def inheritance_in(text: str) -> list[str]:
    """以下均需X落实 written in an item's text (outside a marker)."""
    return [m.group("units") for m in _INHERIT.finditer(text)]
