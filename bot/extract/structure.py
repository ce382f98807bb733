"""Numbering → a tree of headings and items: 一、 (一) 1. (1) ①, at line starts or run into the text.

Copies of documents often lose their line breaks ("三、重点任务(一)以更优的规划…1 .聚力新建一批。"), so a
numbering mark is looked for anywhere, and accepted only when it is the *expected* next number
(the next at its own level, or the first child of the current item; items numbered straight through
the sections, as 1…20 over (一)…(五), count as expected too) and it stands where a heading can stand:
at a line start, after a sentence or a closing bracket, right after its parent's heading, or in front
of a short heading ending in 。. That keeps 统一、高效 and 附件1、2 out without a list of exceptions.
The document's own text ends at 附件, 抄送 / 分送, and a 纪要's 出席 / 列席 lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.numerals import cn_number
from bot.extract.tables import TABLE_MARK

STYLES = ("l1", "l2", "l3", "l4", "l5")
_CN = "一二三四五六七八九十百"
_MARK = re.compile(
    rf"(?<![{_CN}])(?P<l1>[{_CN}]{{1,4}})、"
    rf"|\((?P<l2>[{_CN}]{{1,4}})\)"
    r"|\((?P<l4>\d{1,2})\)"
    r"|(?<![\d.])(?P<l3>\d{1,3})\s?[.、](?!\d(?!\d?月))"  # 2.6月底前出台…: item 2, due by June
    r"|(?P<l5>[①-⑳])"
)
_AFTER = set("。;:!?)]】〕")
_ATTACHMENT = re.compile(r"(?:^|\n|。)\s*附件\s*[:\d]|\n\s*(?:抄送|抄报|主题词|分送|出席|列席)\s*:")


@dataclass
class Node:
    style: str
    number: int
    start: int  # offset of the numbering mark
    mark_end: int  # offset just past it
    end: int = 0  # offset where the next node (of any level) starts
    parent: int | None = None
    children: list[int] = field(default_factory=list)
    head_end: int = 0  # where its own text stops (its first child, or `end`)


@dataclass
class Outline:
    nodes: list[Node]
    roots: list[int]
    end: int  # where the document's own text ends (before 附件 and signatures)
    restart: int = -1  # where the plan's own numbering starts afresh after the notice's (a table, a title)


def _number(match: re.Match[str]) -> tuple[str, int]:
    for style in STYLES:
        value = match.group(style)
        if value is not None:
            if style == "l5":
                return style, ord(value) - ord("①") + 1
            return style, cn_number(value) or 0
    raise AssertionError("unreachable")


def parse_outline(text: str) -> Outline:
    """`text` is folded (ASCII punctuation); offsets index the original as well."""
    nodes: list[Node] = []
    stack: list[int] = []
    last_l3 = 0
    marks = _restarts(text)
    restart = -1
    for match in _MARK.finditer(text):
        style, number = _number(match)
        start = match.start()
        fresh = bool(marks) and marks[0] < start  # the first numbering after a task table's header
        if fresh:
            restart = marks[0] if restart < 0 and nodes else restart
            marks = [m for m in marks if m > start]
            stack, last_l3 = [], 0
        styles = [nodes[i].style for i in stack]
        if fresh:
            depth, expected = 0, True
        elif style in styles:
            depth = styles.index(style)
            expected = number == nodes[stack[depth]].number + 1
        else:
            depth = len(stack)
            expected = number == 1 or (style == "l3" and last_l3 > 0 and number == last_l3 + 1)
        if not expected or not _fits(text, match, style, nodes[stack[-1]] if stack else None, style not in styles):
            continue
        del stack[depth:]
        node = Node(style, number, start, match.end(), parent=stack[-1] if stack else None)
        nodes.append(node)
        if node.parent is not None:
            nodes[node.parent].children.append(len(nodes) - 1)
        stack.append(len(nodes) - 1)
        if style == "l3":
            last_l3 = number
    end = _document_end(text, nodes)
    nodes = [n for n in nodes if n.start < end]
    for i, node in enumerate(nodes):
        node.children = [c for c in node.children if c < len(nodes)]
        node.end = nodes[i + 1].start if i + 1 < len(nodes) else end
        node.head_end = nodes[node.children[0]].start if node.children else node.end
    return Outline(nodes, [i for i, n in enumerate(nodes) if n.parent is None], end, restart)


# The plan's title on a line of its own, right before its 一、: the notice's own 一、二、三 end there.
_TITLE_LINE = re.compile(
    r"\n[^\n。,:;!?]{4,60}(?:方案|意见|计划|要点|清单|分工|分解|任务|措施|细则)[^\n。,:;]{0,8}\n\s*(?=一、)"
)

# …or right before its 1. when that title is no numbered heading (问题 blocks "问题一：" read as 1., 2., V4).
_TITLE_THEN_ONE = re.compile(
    r"\n(?![\s\d一二三四五六七八九十]+[、.])[^\n。,:;!?]{4,60}(?:方案|意见|计划|清单|分工|分解)\n\s*(?=1\.(?!\d))"
)


# The notice signed and dated (its office, then the date on a line of its own), then the list's title and its
# "1.": the notice's 一、二、 are its rules, the list after the signature is the plan (an attachment whose 附件
# line was left out, U13's 民生实事 list).
_SIGNED_LIST = re.compile(
    r"\n[ \t\u3000]*\d{4}年\d{1,2}月\d{1,2}日[ \t\u3000]*\n\s*"
    r"(?P<title>[^\n。,:;!?]{4,60}(?:方案|计划|要点|清单|分工|分解|任务|项目|事项|措施)[^\n。,:;]{0,8})\n\s*(?=1[.、])"
)


def _restarts(text: str) -> list[int]:
    """Where numbering starts afresh: a task table's header (`TABLE_MARK`), or the plan's own title line
    between the notice and the plan (梧岭-style notices number their rules 一、二、三、 too)."""
    found = [m.start() for m in re.finditer(re.escape(TABLE_MARK), text)]
    found += [m.start() + 1 for m in _TITLE_LINE.finditer(text)]
    found += [m.start("title") for m in _SIGNED_LIST.finditer(text)]
    found += [m.start() + 1 for m in _TITLE_THEN_ONE.finditer(text)]
    return sorted(found)


def _fits(text: str, match: re.Match[str], style: str, current: Node | None, first_child: bool) -> bool:
    """Is this a place where a heading can stand (see the module docstring)?"""
    start = match.start()
    before = text[text.rfind("\n", 0, start) + 1 : start]
    if not before.strip():
        return True
    if before.rstrip()[-1] in _AFTER:
        return True
    if style == "l1":
        return False
    right_after = current is not None and start - current.mark_end <= 40
    if first_child and right_after and "。" not in text[current.mark_end : start]:  # type: ignore[union-attr]
        return True
    title = text[match.end() : match.end() + 32]
    stop = title.find("。")
    return 0 < stop <= 30 and "," not in title[:stop]


def _document_end(text: str, nodes: list[Node]) -> int:
    """The text after the last item that is an attachment (附件:), a 抄送 line or a signature block is not a
    task's."""
    if not nodes:
        return len(text)
    first_top = nodes[0].start
    closing = _CLOSING.search(text, nodes[-1].start) or _NOTE_LINE.search(text, nodes[-1].start)
    end = closing.start() + 1 if closing else len(text)
    for match in _ATTACHMENT.finditer(text, first_top):
        if TABLE_MARK in text[match.end() : match.end() + 120]:
            continue  # 附件2 with a task table of its own: more tasks, not the end
        if match.start() > first_top:
            return min(end, match.start() + (1 if text[match.start()] in "\n。" else 0))
    lines = text[nodes[-1].start : end].split("\n")
    while len(lines) > 1 and _signature_line(lines[-1]):
        end -= len(lines.pop()) + 1
    return end


# The notice's closing request after the last item (各乡镇、各单位要高度重视…每月10日前报送…): no task's.
_CLOSING = re.compile(
    r"\n\s*(?:各[^\n。]{1,30}要|请你(?:局|委|办|厅|单位|部门|区|县|们))[^\n]{0,80}?(?:报送|报告|上报)[^\n]*$",
    re.MULTILINE,
)
# A note under the last table row (注:每季度末…报…): the table's, no task's.
_NOTE_LINE = re.compile(r"\n\s*(?:注|备注|说明)\s*\d?\s*:")


# The printing office's line at a 文件's foot: "X人民政府办公室　　2026年2月26日印发".
_PRINTED_LINE = re.compile(r"[^\n。,;:]{2,30}[ \t\u3000]+\d{4}年\d{1,2}月\d{1,2}日印发")


def _signature_line(line: str) -> bool:
    line = line.strip()
    return (
        not line
        or bool(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line))
        or bool(_PRINTED_LINE.fullmatch(line))
        or (len(line) <= 25 and not re.search(r"[。,;:!?、]", line))
    )
