"""Soft line breaks inside a Word table cell (Shift+Enter, `<w:br/>`): where they separate and where they wrap.

A clerk filling a narrow cell of a landscape 分解表 puts each unit on its own line with a soft break, as another
puts each in its own paragraph (b04): the break separates units (T14). But the same clerk breaks a long name or a
date where the cell runs out of width: "澄泉管网运维⏎有限公司" is one company, "2026年⏎11月底前" one phrase. A line that
is no unit by itself (a company-form suffix, a name's tail) or a date that the line before left open (a year
alone, then its month) continues the line above; every other break separates, like a new paragraph.
"""

from __future__ import annotations

import re

# the tail of a name broken where the cell ran out: a company form, a 委员会, a branch — never a unit alone
_TAIL = re.compile(r"(?:(?:股份)?有限(?:责任)?公司|(?:分|子)?公司|委员会|集团|(?:分|支)行|分局|分中心)")
# a date the line before leaves open: "2026年" alone, "2026年11" cut before 月
_OPEN_DATE = re.compile(r"(?:^|[:：])\s*\d{4}\s*年\s*\d{0,2}$")
_DATE_REST = re.compile(r"^\s*\d{1,2}\s*(?:月|日)")


def soft_lines(lines: list[str]) -> list[str]:
    """The cell's lines (its paragraphs' soft-broken parts, in order) with the wrapped ones joined back."""
    joined: list[str] = []
    for line in (x.strip() for x in lines):
        if not line:
            continue
        if joined and (_TAIL.fullmatch(line) or (_OPEN_DATE.search(joined[-1]) and _DATE_REST.match(line))):
            joined[-1] += line
        else:
            joined.append(line)
    return joined
