"""Roles a parent item gives its children: "（一）X。由A牵头，B、C配合。" over "1. …（3月底前）" (T9, T10).

A 领导小组办公室 writing three levels names the units once, in a sentence after the （一） heading, and leaves its
children only their times. The sentence is the heading's, not a task's: its 牵头 unit leads and its 配合 units
are responsible for every child (as Q17 for a heading's 牵头科室). A child that names a unit of its own in its
closing bracket, "（市数据局配合，9月底前）", adds it to the responsible units (the plan's preamble says 具体事项另列有
单位的，该单位一并配合); a closing bracket holding only 长期坚持 is the child's time, open-ended.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.extract.deadline_phrases import field_deadline
from bot.extract.markers import Marker, prose_roles, unit_list

# a sentence of the heading naming the roles: 由A牵头，B、C配合 / A牵头，B配合 (text already folded: , ( ))
_ROLES_SENTENCE = re.compile(r"(?:^|。)\s*(由?[^。]{2,200}?牵头[^。]{0,200}?)(?:。|$)")
# a child's closing bracket naming helpers before its time: (市数据局配合,9月底前)
_OWN_HELPERS = re.compile(r"\(([^()]{2,60}?)(?:配合|参与|协助|协同)[,;][^()]{0,20}\)\s*。?\s*$")
_OPEN_ENDED_BRACKET = re.compile(r"\((长期坚持|持续推进|长期推进|常态化推进)\)\s*。?\s*$")


def heading_roles(head: str) -> Marker | None:
    """The lead and responsible units a heading's roles sentence names, or None."""
    for m in _ROLES_SENTENCE.finditer(head):
        roles = prose_roles(re.sub(r"^由", "", m.group(1).strip()))
        if roles and unit_list(roles[0]) and (not roles[1] or unit_list(roles[1])):
            return Marker(lead=[roles[0]], responsible=[roles[1]] if roles[1] else [])
    return None


def own_helpers(body: str) -> str | None:
    """The units a child names as helpers in its closing bracket, or None."""
    m = _OWN_HELPERS.search(body)
    return m.group(1) if m and unit_list(m.group(1)) else None


def open_ended_bracket(body: str) -> str | None:
    """长期坚持 standing alone in the item's closing bracket: its time is open-ended."""
    m = _OPEN_ENDED_BRACKET.search(body)
    return m.group(1) if m else None


_CLOSING = re.compile(r"[(（]([^()（）]{2,60})[)）]\s*$")


def without_closing_time(title: str, issued: dt.date) -> str:
    """A child's title without its closing bracket when the bracket holds only its time (and helpers):
    "梳理公布清单（3月底前）" → "梳理公布清单"; the time and units are read from the bracket, not the title."""
    m = _CLOSING.search(title)
    if m is None:
        return title
    content = re.split(r"[,，;；]", m.group(1))
    time = content[-1].strip()
    helpers = all(re.search(r"(?:配合|参与|协助|协同)$", part.strip()) for part in content[:-1])
    due = field_deadline(time, issued)
    return (
        title[: m.start()].rstrip() if helpers and due is not None and re.search(r"前|底|末|长期|持续", time) else title
    )
