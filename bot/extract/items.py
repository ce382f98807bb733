"""One numbered item → its task(s): units from its marker or prose, title, body and deadline.

The rules per mode are in `bot.extract.assemble`'s docstring; this module applies them to one item. An
item whose recurring duty (每年1月底前…报送) is followed by sentences with an actor of their own becomes
two tasks, "X.1" and "X.2", because they differ in who acts and when (data/tasks.yaml's 7.4.1/7.4.2). An
item whose time is set elsewhere (按省统一部署, 按县统一部署推进) has no deadline, not the period's end.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from bot.extract.clean import Cleaned
from bot.extract.deadline_phrases import (
    Due,
    counted_from_handing,
    field_deadline,
    field_recurrence,
    find_deadline,
    find_recurrence,
    milestone_due,
    working_days,
)
from bot.extract.event_dates import event_due
from bot.extract.group_roles import heading_roles, open_ended_bracket, own_helpers, without_closing_time
from bot.extract.header import Header
from bot.extract.markers import Marker, find_markers
from bot.extract.model import ExtractedTask
from bot.extract.plan import Item, heading
from bot.extract.roles import ProseRoles, read_roles
from bot.extract.structure import Node
from bot.extract.textutil import fold, one_line, split_outside_brackets
from bot.extract.units import Context, Resolution, UnitBook, split_names
from bot.tasksfile.deadlines import OPEN_ENDED

_OPENING = re.compile(
    r"加强|完善|建立|健全|在|充分|坚持|进一步|按照|围绕|推动|支持|各|对|由|将|"
    r"强化|聚焦|实行|落实|做好|优化"
)


@dataclass
class Units:
    """Every unit resolution the document needed, for the output's `units:` section."""

    used: dict[str, list[Resolution]] = field(default_factory=dict)
    spelling: dict[int, str] = field(default_factory=dict)  # the document's own characters (`textutil.spelling`)

    def add(self, resolution: Resolution) -> str:
        self.used.setdefault(resolution.name, []).append(resolution)
        return resolution.name


@dataclass
class DocContext:
    """What every item of one document is read against."""

    text: str  # folded
    cleaned: Cleaned
    header: Header
    context: Context
    book: UnitBook
    units: Units
    issuer: str | None
    addressees: list[str]
    markers: bool
    first_leads: bool
    issued: dt.date
    period_end: dt.date | None
    nodes: list[Node]
    default_due: Due | None = None  # the notice's 除明确时限外…均须于…前完成
    responsible_lead: bool = False  # the notice's 无牵头单位的，责任单位即为牵头单位
    several_first_leads: bool = False  # the first-unit rule scoped to lists of two or more (责任单位有两个及以上的)
    minutes: bool = False  # a 会议纪要: the units its 议定事项 tell to act lead (L5), a report heard is no task (L4)
    addressee_leads: bool = False  # a 督办函 to one unit (请你局…): the addressee is every item's subject (M1)
    immediate_due: Due | None = None  # the notice's date for 立行立改 items (N2)
    sign_dues: dict[str, Due] = field(default_factory=dict)  # the notice's date for rows marked ★ (N4)
    charged_lead: bool = False  # the notice's 责任单位为项目的牵头实施单位: a 责任单位 line leads beside 配合单位 (U13)
    supervise: list[str] = field(default_factory=list)  # who watches every item (督查室 跟踪督办, 审核后销号)
    handed: dt.date | None = None  # the 交办 day the notice names, for 交办之日起N个月内 (R8)


def strip_markers(text: str, marker: Marker) -> str:
    """The item's text without its markers (same offsets elsewhere replaced by nothing)."""
    out, pos = [], 0
    for start, end in marker.spans:
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return "".join(out)


_REPORTED = re.compile(r"^\s*(?:将|把)?[^,;。]{0,12}?(?:报送|上报|报告|报)")


def _work_recurrence(text: str, issued: dt.date) -> tuple[str, str] | None:
    """A frequency in an item's prose; "推进情况于每月10日前报送" beside a dated work clause (年内建成…) is the
    item's reporting rule, not its recurrence (P4): the work's date is the deadline then."""
    recurring = find_recurrence(text)
    if recurring is None:
        return None
    at = text.find(recurring[1])
    if _REPORTED.match(text[at + len(recurring[1]) :]) and find_deadline(text.replace(recurring[1], ""), issued):
        return None
    return recurring


def item_tasks(doc: DocContext, item: Item, marker: Marker, inherited: list[str]) -> list[ExtractedTask]:
    raw = doc.cleaned.text[item.start : item.end]
    body_raw = strip_markers(raw, marker)
    body = strip_markers(doc.text[item.start : item.end], marker)  # folded already: same offsets
    section_marker = _section_marker(doc, item)
    if item.block is not None and not section_marker.lead:  # the 牵头单位 line of the item's block (P8)
        section_marker = find_markers(doc.text[item.block[0] : item.block[1]])
    section_marker = _with_own_helpers(section_marker, marker, body)
    title, body_text = _title_body(doc, item, body_raw)
    title = without_closing_time(title, doc.issued) if not marker.names_units else title
    if not title.strip():  # an item that is only its marker: its own words, as written
        title = one_line(raw).strip()[:500] or f"({item.id})"
    parts = _split_recurring(doc, body)
    tasks = []
    for suffix, part in parts:
        task = _task(
            doc,
            item,
            marker,
            section_marker,
            inherited,
            title,
            body_text if len(parts) == 1 else one_line(part),
            part,
        )
        if task is not None:
            if suffix:
                task.id = f"{item.id}.{suffix}"
            tasks.append(task)
    return tasks


def _section_marker(doc: DocContext, item: Item) -> Marker:
    """The marker of the heading the item stands under; when it names no lead, the nearest heading above it
    that does (一级 "一、X（牵头科室：Y）" over "（一）Z": Y leads every item under it, Q17)."""
    if item.section is None or item.section == item.node or item.flat:
        return Marker()
    node = _node(doc, item.section)
    marker = _heading_marker(doc, node)
    parent = node.parent
    while not marker.lead and parent is not None:
        node = _node(doc, parent)
        above = _heading_marker(doc, node)
        if above.lead:
            return dataclasses.replace(marker, lead=list(above.lead))
        parent = node.parent
    return marker


def _heading_marker(doc: DocContext, node: Node) -> Marker:
    """A heading's marker; without one, the roles its sentence gives its children (由A牵头，B配合, T9)."""
    marker = find_markers(doc.text[node.mark_end : node.head_end])
    if marker.names_units or node.head_end <= node.mark_end:
        return marker
    return heading_roles(doc.text[node.mark_end : node.head_end]) or marker


def _with_own_helpers(section: Marker, marker: Marker, body: str) -> Marker:
    """A child naming helpers in its closing bracket adds them to its parent's responsible units (T10)."""
    helpers = own_helpers(body) if section.names_units and not marker.names_units else None
    return dataclasses.replace(section, responsible=[*section.responsible, helpers]) if helpers else section


def _node(doc: DocContext, index: int) -> Node:
    return doc.nodes[index]


_SIGN = re.compile(r"\s*[★☆▲△※◆]+\s*(?=。|$)")  # a sign marking the item (★ 重点提案) is no part of its title


def _title_body(doc: DocContext, item: Item, body_raw: str) -> tuple[str, str]:
    text = one_line(body_raw)
    if item.flat:
        head = heading(doc.cleaned.text, _node(doc, item.node))
        rest = one_line(body_raw.strip()[len(head) :]) if body_raw.strip().startswith(head) else text
        return _SIGN.sub("", head).rstrip("。"), rest
    text = _SIGN.sub("", text)
    first = _without_leading_time(re.split(r"[。]", text, maxsplit=1)[0], doc.issued)
    if len(fold(first)) > 30:
        m = next((m for m in _OPENING.finditer(first, 4) if m.start() <= 8), None)
        if m:
            return first[: m.start()].strip(), text[m.start() :]
    return first.rstrip("。").strip()[:500] or text[:60], text


_LEADING_TIME = re.compile(r"^\s*([^，,。；;]{2,12}?)\s*[，,]\s*(?=\S)")


def _without_leading_time(first: str, issued: dt.date) -> str:
    """An item that opens with its deadline, "4月底前，完成…" / "长期坚持，做好…" (W12): the time is the deadline
    (read from the body), the title is the work after the comma."""
    m = _LEADING_TIME.match(first)
    if m is None or not re.search(r"前|底|末|长期|持续", m.group(1)) or field_deadline(m.group(1), issued) is None:
        return first
    return first[m.end() :]


def _split_recurring(doc: DocContext, body: str) -> list[tuple[str, str]]:
    """An item whose recurring duty (每年1月底前…报送) is followed by sentences with an actor of their own is
    two tasks, "X.1" and "X.2": they differ in who acts and when."""
    recurring = find_recurrence(body)
    if recurring is None:
        return [("", body)]
    sentences = [s for s, _ in split_outside_brackets(body, "。")]
    index = next((i for i, s in enumerate(sentences) if recurring[1] in s), None)
    if index is None or index == len(sentences) - 1:
        return [("", body)]
    first = "。".join(sentences[: index + 1]) + "。"
    rest = "。".join(sentences[index + 1 :])
    if "\n" in rest[: len(rest) - len(rest.lstrip())]:  # a new paragraph (the plan's closing words)
        return [("", body)]
    if not rest.strip() or not read_roles(rest, doc.book, doc.context, doc.issuer).acted:
        return [("", body)]
    return [("1", first), ("2", rest)]


_REPORT_HEARD = re.compile(r"^\s*(?:关于[^。]{1,30}。)?\s*会议(?:听取|听到|审阅)了?[^。]{0,80}(?:汇报|报告)")
_MINUTES_ASK = re.compile(r"要求|请|负责|牵头|落实|明确")


def _task(
    doc: DocContext, item: Item, marker: Marker, section: Marker, inherited: list[str], title: str, body: str, text: str
) -> ExtractedTask | None:
    if doc.minutes and _REPORT_HEARD.match(text) and not _MINUTES_ASK.search(text):
        return None  # 会议听取了X的汇报: the meeting heard a report, it assigned nothing
    warnings: list[str] = []
    marked = _marked_roles(doc, marker, section, warnings)
    # The prose is read for units only when the markers leave the lead open: on a big marked document
    # reading it is most of the time.
    roles = ProseRoles() if marked and marked[0] else read_roles(text, doc.book, doc.context, doc.issuer)
    found = (marked[0] or roles.leads, marked[1]) if marked is not None else _unmarked_roles(doc, item, roles, warnings)
    if found is None:
        return None
    lead, responsible = found[0], found[1] + inherited
    if not lead and not responsible:
        return None
    for name in roles.dropped:
        warnings.append(f"{name}: reads like a unit but is too vague for one; not assigned")
    lead = list(dict.fromkeys(lead))
    responsible = [u for u in dict.fromkeys(responsible) if u not in lead]
    proposed = {r.name: r for r in roles.new}
    for unit in lead + responsible:
        if unit in proposed:
            doc.units.add(proposed[unit])
            warnings.append(f"{proposed[unit].written}: named in the text, not in the registry (proposed as new)")
        elif unit not in doc.units.used:
            doc.units.add(doc.book.resolve(unit, doc.context))
    due, note, recurrence = _deadline(doc, marker, section, text)
    own = _resolve(doc, marker.supervise or section.supervise, warnings)
    supervise = [u for u in own or doc.supervise if u not in lead + responsible]
    start = doc.cleaned.line_at(_node(doc, item.node).start)
    section_name = heading(doc.cleaned.text, _node(doc, item.section)) if item.section is not None else None
    if section_name is not None and item.section is not None:
        node = _node(doc, item.section)
        section_name = doc.cleaned.text[node.start : node.mark_end].strip() + section_name
    return ExtractedTask(
        id=item.id,
        section=section_name.rstrip("。") if section_name else None,
        title=title,
        body=body,
        lead=lead,
        responsible=responsible,
        deadline=due,
        recurrence=recurrence,
        source_line=start,
        deadline_note=note,
        warnings=warnings,
        supervise=supervise,
    )


Roles = tuple[list[str], list[str]]  # lead, responsible


def _marked_roles(doc: DocContext, marker: Marker, section: Marker, warnings: list[str]) -> Roles | None:
    """The units an item's own marker (or its section's) names, per role; None when neither names any.
    A list without a lead: its first unit leads (第一责任单位为牵头单位) or all of it (无牵头单位的，责任单位
    即为牵头单位); else the lead stays open for the prose to name."""
    lead_written = marker.lead or section.lead  # per role: an item's own marker wins
    resp_written = marker.responsible or section.responsible
    lead = _resolve(doc, lead_written, warnings)
    responsible = _resolve(doc, resp_written, warnings)
    marked = _resolve(doc, resp_written, [], marked_lead=True)  # 市科技局(牵头)、… in a 责任单位 list
    lead += [u for u in marked if u not in lead]
    if not lead and not responsible:
        return None
    lone = doc.several_first_leads and len(responsible) < 2  # the notice's rule does not cover a lone unit
    if not lead and (doc.first_leads or marker.first_leads) and not lone:
        return responsible[:1], responsible[1:]
    if not lead and doc.responsible_lead:
        return responsible, []
    if not lead and doc.charged_lead and marker.charged:
        charged = _resolve(doc, marker.charged, [])
        return charged, [u for u in responsible if u not in charged]
    return lead, responsible


def _unmarked_roles(doc: DocContext, item: Item, roles: ProseRoles, warnings: list[str]) -> Roles | None:
    """An item without a marker: the roles its prose names. In a document with markers, an item naming no
    one has the issuer lead and the addressees responsible (a 保障措施 item naming no one is no task);
    without markers (the default of docs/tasks-yaml.md) the issuer leads and the addressees are responsible."""
    # the body the notice names as watching every item (县政府督查室将…纳入督查事项) is acting as the watcher there,
    # not doing the work (W12: a 保障措施 sentence about the 督查 is no task of the 督查室)
    lead = [u for u in roles.leads if u not in doc.supervise]
    lead += [doc.issuer] if roles.issuer_acts and doc.issuer else []
    responsible = [u for u in roles.responsible if u not in doc.supervise]
    if not lead and doc.addressee_leads:
        others = [u for u in responsible if u not in doc.addressees]
        return list(doc.addressees), others
    if doc.minutes and not lead and responsible:
        return responsible, []  # 会议要求，X、Y加强…: the meeting is no party to its own 议定事项 (L5)
    if doc.markers:
        if lead or responsible:
            return lead, responsible
        if (item.guarantee and (item.id.startswith("bz.") or item.flat)) or doc.issuer is None:
            return None  # a 保障措施 item of a 主要任务 plan that names no one
        warnings.append("names no unit: the issuer leads and the addressees (主送) are responsible")
        return [doc.issuer], list(doc.addressees)
    lead = lead or ([doc.issuer] if doc.issuer else [])
    if not responsible and doc.addressees:
        responsible = list(doc.addressees)
    elif not responsible and not roles.acted and not item.guarantee and roles.mentions:
        responsible = roles.mentions
        warnings.append("no one is named as acting: the units the item mentions are taken as responsible")
    return lead, responsible


def _resolve(doc: DocContext, values: list[str], warnings: list[str], *, marked_lead: bool = False) -> list[str]:
    out = []
    for value in values:
        for name, lead in split_names(value, doc.book, doc.context):
            if marked_lead and not lead:
                continue
            resolution = doc.book.resolve(name, doc.context, fuzzy=True)
            if resolution.how == "garbled":
                warnings.append(f"{name}: a garbled copy of {resolution.name}, read as it; check it")
            elif resolution.near:
                warnings.append(
                    f"{name}: not in the registry, proposed as new unit {resolution.name}; close to "
                    f"{resolution.near}: if it is that unit, add {name} as its alias"
                )
            elif not resolution.known and doc.book.entries:
                near = doc.book.closest(name)
                hint = f" (closest known: {near})" if near else ""
                warnings.append(f"{name}: not in the registry, proposed as new unit {resolution.name}{hint}")
            out.append(doc.units.add(resolution))
    return out


def _dated(field: str, issued: dt.date) -> bool:
    due = field_deadline(field, issued) if field else None
    return due is not None and due.date is not None


def _deadline(
    doc: DocContext, marker: Marker, section: Marker, text: str
) -> tuple[dt.date | str | None, str | None, str | None]:
    written = marker.deadline or section.deadline
    field = written or ""
    recurring = find_recurrence(field) or field_recurrence(field)
    if not recurring and not _dated(field, doc.issued):  # a dated 时限 field beats a frequency in the prose
        recurring = _work_recurrence(text, doc.issued)
    if recurring:
        return None, f"recurring: {recurring[1]}", recurring[0]
    due: Due | None = (
        (
            counted_from_handing(written, doc.handed)
            or working_days(written, text, doc.issued)
            or field_deadline(written, doc.issued)
        )
        if written
        else None
    )
    if doc.immediate_due is not None and re.sub(r"\W", "", field) == "立行立改":
        due = doc.immediate_due  # "立行立改" alone: the date the notice sets for such items (N2)
    if due is None:
        due = _latest(find_deadline(text, doc.issued), milestone_due(text, doc.issued))
    if due is None:
        due = event_due(field or text, doc.text, doc.issued)  # 省运会开幕前, the notice dating the opening (V11)
    if due is None and (clause := open_ended_bracket(text)):
        due = Due(clause, None, clause)  # …（长期坚持）。 the item's closing bracket (T9)
    if due is None and (
        clause := next((c.strip() for c, _ in split_outside_brackets(text, ",。;") if c.strip() in OPEN_ENDED), None)
    ):
        due = Due(clause, None, clause)  # …,长期坚持。 standing alone as a clause
    if due is not None:
        note = None if isinstance(due.value, str) else f"as written: {due.phrase}"
        return due.value, note, None
    return _fallback_due(doc, field, text)


def _latest(*dues: Due | None) -> Due | None:
    """Of a dated phrase and the last labelled milestone (3月：…；9月底前全面完成 / …；12月：通过验收), the later."""
    dated = [d for d in dues if d is not None and d.date is not None]
    return max(dated, key=lambda d: d.date or dt.date.min) if dated else None


def _fallback_due(doc: DocContext, field: str, text: str) -> tuple[dt.date | str | None, str | None, str | None]:
    """An item whose text and fields give no date: the notice's date for its sign or for every task, none when
    the time is set elsewhere, else the document's period."""
    if sign := next((sign for sign in doc.sign_dues if sign in text), None):
        return doc.sign_dues[sign].value, f"deadline: the notice's date for items marked {sign}", None
    if doc.default_due is not None:
        return doc.default_due.value, f"deadline: the notice's rule for every task ({doc.default_due.phrase})", None
    if _SET_ELSEWHERE.search(field or text):
        return None, "no deadline: the time is set elsewhere (按省统一部署)", None  # R7, as P13's 按工程进度
    if doc.period_end is not None:
        return doc.period_end, "deadline: document period", None
    return None, None, None


# 按省统一部署 / 按县统一部署推进 as the time: the upper level sets it, the period's end would be a guess (R7)
_SET_ELSEWHERE = re.compile(r"按(?:国家|上级|[省市县区镇])?统一(?:部署|安排)")
