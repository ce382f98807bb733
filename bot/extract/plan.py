"""Which numbered parts are tasks, and their ids (the conventions of data/tasks.yaml).

- Top-level sections whose heading is about principles, goals, layout or conditions (指导思想, 基本原则,
  发展目标, 建设条件 …) hold no tasks, unless their items carry unit markers (a task table's 一、主要预期目标
  rows); every other section does, 保障措施 included; a section that is a short heading alone (三、责任分工 once
  its paragraph giving roles by item number is read into the items, `by_number`) holds none.
- The work items are the deepest numbered parts under a task section, down to 1. (items numbered
  (1) or ① stay in their item's body).
- A section without numbered items whose paragraphs each open with their unit and a colon (县住建局：负责…)
  holds one task per such paragraph, "N.k" by its place.
- Sub-items (1)(2) that each carry their own unit marker are tasks of their own, "X.1", "X.2", under
  their item's heading (the bare item is then no task).
- Unnumbered block headings (行动一　…) each followed by one line naming the block's 牵头单位 hand that lead
  to the items under them (a 作战图), and close the item above them.
- Ids are numbering paths, by position (items numbered 1…20 straight through count from 1 again in each
  section). When one 主要任务 section holds all the work items as 1. under (一)(二),
  its number is left out ("2.3" = third item of (二)) and the 保障措施 items become "bz.1", "bz.2" so
  they cannot clash; otherwise ids are "top.sub" ("6.1"), and a section without subsections is a
  single task with the flat id "6".
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass

from bot.extract.markers import closing_brackets, find_markers, unit_first
from bot.extract.structure import Node, Outline
from bot.extract.tables import TABLE_MARK

_NOT_TASKS = re.compile(
    r"指导思想|总体要求|基本原则|建设原则|工作原则|基本要求|目标|布局|建设条件|申报条件|适用范围|范围|"
    r"总则|背景|现状|形势|意义|基础|定义|术语|附则|工作要求|有关要求|有关事项"
)
_TASKS = re.compile(r"任务|措施|举措|工作|程序|步骤|分工|重点|保障|内容")
_GUARANTEE = re.compile(r"保障")


@dataclass(frozen=True)
class Item:
    id: str
    node: int
    section: int | None  # the node whose heading is the task's `section:`
    guarantee: bool  # in 保障措施: kept only if it names a unit
    flat: bool  # a section without subsections: its heading is the title
    start: int  # the item's text: after its number …
    end: int  # … to the end of its last sub-item
    group: tuple[int, int] | None = None  # a marker after its group of sub-items that holds for each of them
    block: tuple[int, int] | None = None  # the 牵头单位 line of the block heading the item stands under


def _bare_heading(own: str) -> bool:
    """A section that is its short heading alone, no sentence under it (三、责任分工 whose paragraph giving roles by
    item number was read into the items, Q15): no task."""
    own = own.strip()
    return 2 <= len(own) <= 8 and "\n" not in own and not re.search(r"[。;,:(（]", own)


def heading(text: str, node: Node) -> str:
    """A heading's own words: up to its first sub-item, line end or 。."""
    own = text[node.mark_end : node.head_end]
    first = re.split(r"[\n。]", own.strip(), maxsplit=1)[0].strip()
    return re.sub(r"[(（\[〔【]\s*(?:牵头|责任|配合|完成时限)[^)）\]〕】]*[)）\]〕】]?$", "", first).strip()


def subtree_end(outline: Outline, index: int) -> int:
    node = outline.nodes[index]
    while node.children:
        node = outline.nodes[node.children[-1]]
    return node.end


def _sub(outline: Outline, index: int) -> list[int]:
    """Children that can be work items: (1) and ① stay in their item's body."""
    return [c for c in outline.nodes[index].children if outline.nodes[c].style in ("l1", "l2", "l3")]


_MARKED = re.compile(
    r"[(\[〔【]\s*(?:牵头单位|责任单位|牵头部门|责任部门|配合单位)\s*:"
    r"|(?:^|\n)[ \t\u3000]*(?:牵头|协同|配合)?责任(?:单位|部门)\s*:|(?:^|\n)[ \t\u3000]*牵头(?:单位|部门)\s*:"
)  # a bracketed marker, or a marker line of its own (牵头责任单位:X。)


# The part of a 督查通报 that demands work (三、进度滞后事项及整改要求): its items are the tasks.
_DEMANDS = re.compile(r"整改(?:要求|事项|任务|清单)|问题(?:清单|整改)")


def _marked_from(outline: Outline, r: int) -> int:
    """Where a top-level part's unit markers are looked for: below its heading, or, for an item with no
    sub-items (a table row "2.推进…基础设施建设。(牵头单位:X)"), in its own text — its words are no heading."""
    node = outline.nodes[r]
    return node.head_end if node.children else node.mark_end


def plan_items(text: str, outline: Outline) -> list[Item]:
    nodes = outline.nodes
    table = outline.restart
    task_roots = [
        r
        for r in outline.roots
        if not _notice_rule(text, outline, r, table)
        and (
            _is_task_section(heading(text, nodes[r]))
            or _MARKED.search(text[_marked_from(outline, r) : subtree_end(outline, r)])
        )
    ]
    demands = [r for r in task_roots if _DEMANDS.search(heading(text, nodes[r])[:24])]
    report = bool(demands) and bool(re.search(r"通\s*报", text[: nodes[0].start if nodes else 0]))
    task_roots = demands if report else task_roots  # a 督查通报: its 整改要求 are the work, the rest a report (M7)
    deep = {r: any(_sub(outline, c) for c in _sub(outline, r)) for r in task_roots}
    # 二、强化要素保障 over （一）…/1.…: a section of three levels is work like the others, not 保障措施 (T9)
    main = [r for r in task_roots if not _GUARANTEE.search(heading(text, nodes[r])[:12]) or deep[r]]
    drop_top = len(main) == 1 and (deep[main[0]] or report)
    items: list[Item] = []
    for r in task_roots:
        root = nodes[r]
        guarantee = r not in main
        if not _sub(outline, r) and (paragraphs := _unit_paragraphs(text, outline, r, guarantee)):
            items.extend(paragraphs)
            continue
        if not _sub(outline, r):
            if not _bare_heading(text[root.mark_end : subtree_end(outline, r)]):
                items.append(Item(str(root.number), r, r, guarantee, True, root.mark_end, root.end))
            continue
        prefix = ("bz." if guarantee else "") if drop_top else f"{root.number}."
        for position, c in enumerate(_sub(outline, r), start=1):
            child = nodes[c]
            if _sub(outline, c):
                for pos, g in enumerate(_sub(outline, c), start=1):
                    items.append(
                        Item(
                            f"{prefix}{position}.{pos}",
                            g,
                            c,
                            guarantee,
                            False,
                            nodes[g].mark_end,
                            subtree_end(outline, g),
                        )
                    )
            else:
                items.append(
                    Item(f"{prefix}{position}", c, r, guarantee, False, child.mark_end, subtree_end(outline, c))
                )
    items = [sub for item in items for sub in _sub_items(text, outline, item)]
    return _blocks(text, outline, _attached(_bracket_tasks(text, outline, items), text))


def _unit_paragraphs(text: str, outline: Outline, r: int, guarantee: bool) -> list[Item]:
    """A section without numbered items whose unnumbered paragraphs each open with their unit(s) and a colon
    ("县住建局:负责…"): each such paragraph is a task "N.k" by its place (R5, R6). At least two of them."""
    root = outline.nodes[r]
    starts = [
        root.mark_end + m.start()
        for m in re.finditer(r"(?<=\n)[^\n]", text[root.mark_end : root.end])
        if unit_first(text, root.mark_end + m.start()) is not None
    ]
    if len(starts) < 2:
        return []
    ends = [*starts[1:], root.end]
    return [
        Item(f"{root.number}.{k}", r, r, guarantee, False, a, text.find("\n", a) if "\n" in text[a:b] else b)
        for k, (a, b) in enumerate(zip(starts, ends, strict=True), start=1)
    ]


# A block heading without a number ("行动一　X攻坚", "专项一：…") on its own line, then ONE line naming the block's
# 牵头单位 (beside its leading official), then the block's numbered items: the lead holds for each of them.
_BLOCK = re.compile(r"\n(?P<head>[^\n:;。]{2,40})\n(?P<line>[^\n]*?牵头(?:单位|部门)\s*:[^\n]+)\n\s*(?=\S)")


def _blocks(text: str, outline: Outline, items: list[Item]) -> list[Item]:
    """Items under block headings that name a lead (P8): each item takes the lead line of the block above it
    (its own 责任单位 stay responsible), and an item's text ends where the next block's heading begins. Only
    where at least two such blocks each open right onto a numbered item."""
    opens = {outline.nodes[item.node].start: item for item in items}
    numbered = sorted(node.start for node in outline.nodes)  # searched by bisection: a 49 MB text has 60,000

    def numbers_inside(start: int, end: int) -> bool:
        at = bisect.bisect_left(numbered, start)
        return at < len(numbered) and numbered[at] < end

    found = [
        m for m in _BLOCK.finditer(text) if m.end() in opens and not numbers_inside(m.start("head"), m.end("head"))
    ]
    if len(found) < 2:
        return items
    ends, starts = [m.end() for m in found], [m.start() for m in found]  # in text order, as finditer gives them
    out = []
    for item in items:
        before = bisect.bisect_right(ends, outline.nodes[item.node].start)  # the blocks ending before the item
        after = bisect.bisect_right(starts, item.start)  # the first block starting after the item's start
        cut = starts[after] if after < len(starts) and starts[after] < item.end else item.end
        block = (found[before - 1].start("line"), found[before - 1].end("line")) if before else None
        out.append(dataclasses.replace(item, end=cut, block=block))
    return out


def _bracket_tasks(text: str, outline: Outline, items: list[Item]) -> list[Item]:
    """Paragraphs "(一)壮大先进制造业。A(X牵头,Y配合)。B(Z负责)。" hold one task per closing role bracket, its
    text the sentences since the bracket before; the opening short sentence is their heading and section
    (round4 K1). When any paragraph of the document holds two or more, every headed paragraph with a closing
    bracket is read that way, so the ids are all of one form (X.k)."""
    split: dict[str, list[Item]] = {}
    for item in items:
        if item.group is not None or outline.nodes[item.node].children:
            continue
        body = text[item.start : item.end]
        head = re.match(r"\s*[^。()\n]{2,30}。", body)
        brackets = closing_brackets(body)
        ends = [end for _, end in brackets]
        if not ends or body[ends[-1] :].strip() or (head is None and len(ends) < 2):
            continue  # a paragraph with no heading sentence is split only where it holds several tasks
        starts = [head.end() if head else 0, *ends[:-1]]
        if any(not body[a:opens].strip() for a, (opens, _) in zip(starts, brackets, strict=True)):
            continue  # a task sentence with its own bracket (a table row): no heading over it
        split[item.id] = [
            Item(f"{item.id}.{k}", item.node, item.node, item.guarantee, False, item.start + a, item.start + b)
            for k, (a, b) in enumerate(zip(starts, ends, strict=True), start=1)
        ]
    if not any(len(parts) > 1 for parts in split.values()):
        return items
    return [part for item in items for part in split.get(item.id, [item])]


_ATTACHED = re.compile(r"附件\s*(\d{1,2})[^\n]{0,4}\n(?:[^\n]{0,60}\n)?" + re.escape(TABLE_MARK))


def _attached(items: list[Item], text: str) -> list[Item]:
    """The rows of a second task table under 附件2 (its 序号 from 1 again) are "fj2.1", "fj2.2" …, as the
    保障措施 are bz.N: they cannot clash with the first table's ids."""
    tables = [(m.end(), m.group(1)) for m in _ATTACHED.finditer(text) if m.start() > text.find(TABLE_MARK)]
    if not tables:
        return items
    out = []
    for item in items:
        number = next((n for end, n in reversed(tables) if end <= item.start), None)
        out.append(dataclasses.replace(item, id=f"fj{number}.{item.id}") if number else item)
    return out


def _notice_rule(text: str, outline: Outline, root: int, table: int) -> bool:
    """一、二、三、 of the notice above a task table (提高思想认识, 按时报送): the tasks are the table's rows."""
    start = outline.nodes[root].start
    end = min(subtree_end(outline, root), table)
    return table >= 0 and start < table and not find_markers(text[start:end]).names_units


def _sub_items(text: str, outline: Outline, item: Item) -> list[Item]:
    """An item whose sub-items (1)(2)(3) each name their own units is that many tasks, "X.1" … "X.k",
    under the item's heading; otherwise the sub-items are part of the item's body."""
    nodes = outline.nodes
    subs = [c for c in nodes[item.node].children if nodes[c].style in ("l4", "l5")]
    marked = [c for c in subs if find_markers(text[nodes[c].mark_end : subtree_end(outline, c)]).names_units]
    if len(marked) < 2 or len(marked) * 2 < len(subs):
        return _grouped(text, outline, item, subs) or [item]
    return [
        Item(f"{item.id}.{k}", c, item.node, item.guarantee, False, nodes[c].mark_end, subtree_end(outline, c))
        for k, c in enumerate(subs, start=1)
    ]


_LINE_MARKER = re.compile(r"\n\s*[(\[〔【]?\s*(?:牵头|责任|配合)(?:单位|部门)\s*:")


def _grouped(text: str, outline: Outline, item: Item, subs: list[int]) -> list[Item]:
    """A short heading (no 。), its sub-items (1)(2)(3) on lines of their own (none ending in ;), and ONE
    marker line after the last of them ((责任单位:X、Y), or 责任单位:X、Y without brackets), 运城-style: each
    sub-item is a task "X.k" under the heading, and the marker holds for all of them. Any other marker
    (in the heading, in a sub-item's own line) keeps the item whole."""
    nodes = outline.nodes
    head = text[item.start : nodes[subs[0]].start].strip() if subs else "。"
    listed = any(text[nodes[c].mark_end : nodes[c].end].strip().split("\n")[0].endswith(";") for c in subs)
    if "。" in head or len(head) > 40 or listed:  # 2.加强人才引进。(1)…;(2)…。: one item listing its parts
        return []
    last = nodes[subs[-1]]
    tail = text[last.mark_end : subtree_end(outline, subs[-1])]
    line = _LINE_MARKER.search(tail)
    if line is None or find_markers(text[item.start : last.mark_end + line.start()]).names_units:
        return []
    shared = (last.mark_end + line.start(), last.mark_end + len(tail))
    return [
        Item(f"{item.id}.{k}", c, item.node, item.guarantee, False, nodes[c].mark_end, subtree_end(outline, c), shared)
        for k, c in enumerate(subs, start=1)
    ]


def _is_task_section(title: str) -> bool:
    start = title[:12]
    if re.fullmatch(r"(?:主要|工作|总体|发展|预期)?目标(?:任务)?", start):  # 二、目标任务: the goals
        return False
    if _NOT_TASKS.search(start) and not re.search(r"任务|措施", start):
        return False
    return True if _TASKS.search(start) else not _NOT_TASKS.search(start)


def goal_text(text: str, outline: Outline) -> str:
    """The text of the sections about goals (发展目标, 工作目标, 总体目标 …), where 到2025年 sets the period."""
    parts = []
    for i, node in enumerate(outline.nodes):
        if "目标" in heading(text, node)[:8]:
            parts.append(text[node.mark_end : subtree_end(outline, i)])
    return "\n".join(parts)
