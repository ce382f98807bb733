"""One document's text → its tasks: structure, markers, prose roles and deadlines put together.

The document is read in one of two modes. With unit markers anywhere, a marked item takes its units
from its marker (a section heading's marker covers its items, an 一级 heading's 牵头科室 leads the items under
its 二级 headings too; 以下均需X落实 adds X to every later
task), an unmarked item from its prose, and a 保障措施 item that names no unit is not a task. Without any
marker (the default of docs/tasks-yaml.md) the issuer leads and the addressees (主送单位) are responsible, unless the
prose names who does what; a document with no addressees falls back to the units an item mentions.
The period is the title's years, narrowed to a campaign's whole months (决定于2026年3月至12月开展…) or set by the
notice's work period; the 交办 day the notice names counts the 交办之日起N个月内 deadlines.
Pure: text and registry in, `ExtractedDocument` and the units it used out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import Counter

from bot.core.errors import InputError, Problem
from bot.core.months import month_end
from bot.extract.clean import clean
from bot.extract.deadline_phrases import Due, closing_dues, find_deadline, handed_on, immediate_due, year_range
from bot.extract.header import Header, read_header
from bot.extract.items import DocContext, Units, item_tasks, strip_markers
from bot.extract.markers import (
    CHARGED_LEAD,
    FIRST_LEADS,
    RESPONSIBLE_LEAD,
    SEVERAL_FIRST_LEADS,
    Marker,
    find_markers,
    inheritance_in,
)
from bot.extract.model import ExtractedDocument, ExtractedTask
from bot.extract.plan import Item, goal_text, plan_items
from bot.extract.roles import document_supervisors, read_roles
from bot.extract.structure import Outline, parse_outline
from bot.extract.tables import text_tables
from bot.extract.target_phrases import find_targets
from bot.extract.textutil import fold, spelling, split_outside_brackets
from bot.extract.unit_sections import merge_repeats
from bot.extract.units import Context, UnitBook, split_names
from bot.extract.writer import NO_ISSUER, NO_MARKERS, NO_TASKS, NO_UNITS

_ALL_TASKS = re.compile(
    r"(?P<units>[^。:,]{2,60}?)(?:为|是)(?:各项|所有|全部)?任务的?(?:共同)?"
    r"责任(?:单位|主体)[,]?不再(?:一一)?列出"
)
_HEAD_CHARS = 20_000  # the header's own facts are on the first page; folding a 49 MB input again costs seconds
_DEPARTMENT_NAME = re.compile(r"(?:自治区|省|市|区|县)[\u4e00-\u9fff]{1,8}?(?:厅|局)")


def extract_document(
    raw: str, source: str, book: UnitBook, *, doc_id: str | None = None
) -> tuple[ExtractedDocument, Units]:
    # one line ending for every text, a file's or one handed in: a bare \r (an old Mac file, a stray in a copied
    # cell) ends its line, as splitlines() has it; inside a line it broke the .csv reader of text tables
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = clean(text_tables(raw))
    text = fold(cleaned.text)
    outline = parse_outline(text)
    items = plan_items(text, outline)
    if not items:
        raise InputError([Problem(source, None, None, NO_TASKS)])
    header = read_header(fold(raw[:_HEAD_CHARS]), text, _body_start(outline, items))
    # 牵头科室 / 责任科室: a bureau divides its work among its own 科室, whose bare names (办公室) are its own,
    # not the level's departments (市办公室)
    context = Context("" if _OWN_SECTIONS.search(text) else header.level, header.place)
    units = Units()
    warnings: list[str] = []
    markers = {item.id: _item_markers(text, item) for item in items}
    has_markers = any(m.names_units for m in markers.values())
    issuer = _issuer(header, book, context, units, text, items, markers, warnings, source)
    issued, period = _dates(header, text, outline, warnings)
    addressees = [
        units.add(book.resolve(n, context)) for n, _ in split_names(header.addressees_text or "", book, context)
    ]
    closing = closing_dues(text[: items[0].start], issued)
    doc = DocContext(
        text,
        cleaned,
        header,
        context,
        book,
        units,
        issuer,
        addressees,
        has_markers,
        bool(FIRST_LEADS.search(text)),
        issued,
        period[1] if period else None,
        outline.nodes,
        default_due(text[: items[0].start], issued) or closing[0],
        bool(RESPONSIBLE_LEAD.search(text[: items[0].start])),
        bool(SEVERAL_FIRST_LEADS.search(text[: items[0].start])),
        bool(re.search(r"纪\s*要", text[: items[0].start])),
        len(addressees) == 1 and bool(_ONE_ADDRESSEE.search(text)),
        immediate_due(text[: items[0].start], issued),
        closing[1],
    )
    doc.supervise = _supervisors(doc, issuer)
    doc.charged_lead = bool(CHARGED_LEAD.search(text[: items[0].start]))
    doc.handed = handed_on(text[: items[0].start])
    if not has_markers:
        warnings.append(NO_MARKERS)
    before = text[: items[0].start]
    inherited = [u for m in _ALL_TASKS.finditer(before) for u in _names(doc, m.group("units"))]
    inherited += [u for note in inheritance_in(before) for u in _names(doc, note) if u not in inherited]
    tasks: list[ExtractedTask] = []
    carried: Marker | None = None  # a marker that said 下同
    headed: set[int] = set()
    for item in items:
        inherited = inherited + [u for u in _section_notes(doc, item, headed) if u not in inherited]
        own = markers[item.id]
        if not own.names_units and carried is not None and _names_own_units(doc, item, own):
            carried = None  # 下同 holds until an item names its own units, in prose too
        if not own.names_units and carried is not None:
            own = Marker(
                lead=list(carried.lead),
                responsible=list(carried.responsible),
                deadline=own.deadline,
                supervise=list(carried.supervise),
                inherit=own.inherit,
                spans=own.spans,
                first_leads=carried.first_leads,
            )
        elif own.names_units:
            carried = own if own.same_below else None
        found = item_tasks(doc, item, own, inherited)
        if not found:
            warnings.append(f"item {item.id} (line {cleaned.line_at(item.start)}) names no unit: not taken as a task")
        tasks.extend(found)
        marker = markers[item.id]
        for note in marker.inherit + inheritance_in(strip_markers(text[item.start : item.end], marker)):
            inherited = inherited + [u for u in _names(doc, note) if u not in inherited]
    tasks = _unique_ids(merge_repeats(tasks))
    if not tasks:
        raise InputError([Problem(source, None, None, NO_UNITS)])
    title = header.title or "(untitled document)"
    targets = find_targets(text, outline, items, tasks, issued, period[1] if period else None)
    document = ExtractedDocument(
        id=doc_id or _slug(title, issued),
        title=title,
        issuer=header.issuer or issuer,
        number=header.number,
        issued=issued,
        period=period,
        addressees=[n for n, _ in split_names(header.addressees_text or "", book, context)],
        source=source,
        targets=targets,
        tasks=tasks,
        mode="markers" if has_markers else "prose",
        warnings=warnings,
    )
    units.spelling = spelling(cleaned.text, text)
    return document, units


def _item_markers(text: str, item: Item) -> Marker:
    """An item's own markers; a sub-item without any takes its group's (cut from no body: not its text)."""
    own = find_markers(text[item.start : item.end])
    if own.names_units or item.group is None:
        return own
    shared = find_markers(text[item.group[0] : item.group[1]])
    return dataclasses.replace(shared, spans=[], inherit=[]) if shared.names_units else own


def _supervisors(doc: DocContext, issuer: str | None) -> list[str]:
    """Who watches every task: a 督查室 issuing the document (its own 督办, M2), else the bodies the notice's
    rules name as following the items up (以上事项由X跟踪督办) or checking them before 销号 (N10)."""
    if issuer and _INSPECTORATE.search(issuer):
        return [issuer]
    return [u for name in document_supervisors(doc.text) for u in _names(doc, name)]


_INSPECTORATE = re.compile(r"督查室|督办室|督查督办室")


def _body_start(outline: Outline, items: list[Item]) -> int:
    """Where the header's text ends: the first numbered part, or, when the notice's own 一、二、三 rules
    stand above the plan (a task table, or the plan's title and its own 一、), where the plan starts."""
    first = outline.nodes[0].start
    if outline.restart >= 0 and first < outline.restart <= items[0].start:
        return outline.restart
    return first


_DEFAULT_DUE = re.compile(r"除[^。]{0,20}(?:时限|时间|要求)[^。]{0,10}外|未(?:明确|注明|标明)(?:完成)?(?:时限|时间)的")


def default_due(notice: str, issued: dt.date) -> Due | None:
    """The notice's deadline for every task that states none: 除明确时限外，均须于2024年12月底前完成."""
    for sentence, _ in split_outside_brackets(notice, "。"):
        rule = _DEFAULT_DUE.search(sentence)
        if rule:
            return find_deadline(sentence[rule.end() :], issued)
    return None


def _section_notes(doc: DocContext, item: Item, headed: set[int]) -> list[str]:
    """Units of a note under a section's heading (具体任务均涉及X，不再做分工，下同), read once per section:
    they hold for its items and every later one."""
    if item.section is None or item.section == item.node or item.section in headed:
        return []
    headed.add(item.section)
    node = doc.nodes[item.section]
    return [u for note in inheritance_in(doc.text[node.mark_end : node.head_end]) for u in _names(doc, note)]


def _names_own_units(doc: DocContext, item: Item, marker: Marker) -> bool:
    roles = read_roles(strip_markers(doc.text[item.start : item.end], marker), doc.book, doc.context, doc.issuer)
    return bool(roles.leads or roles.responsible)


def _names(doc: DocContext, text: str, *, fuzzy: bool = False) -> list[str]:
    out = []
    for name, _ in split_names(text, doc.book, doc.context):
        out.append(doc.units.add(doc.book.resolve(name, doc.context, fuzzy=fuzzy)))
    return list(dict.fromkeys(out))


def _issuer(
    header: Header,
    book: UnitBook,
    context: Context,
    units: Units,
    text: str,
    items: list[Item],
    markers: dict[str, Marker],
    warnings: list[str],
    source: str,
) -> str | None:
    if header.issuer:
        return units.add(book.resolve(header.issuer, context))
    counts: Counter[str] = Counter()
    for item in items:
        body = text[item.start : item.end]
        counts.update(u for _, _, u in book.scan(body) if re.search(r"(厅|局|委|办|政府)$", u))
        for value in markers[item.id].lead + markers[item.id].responsible:
            counts.update(book.resolve(n, context).name for n, _ in split_names(value, book, context))
    counts.update(book.resolve(m.group(), context).name for m in _DEPARTMENT_NAME.finditer(text[items[0].start :]))
    agencies = [(n, c) for n, c in counts.most_common() if re.search(r"(厅|局|委|办|政府)$", n)]
    if not agencies:
        if not header.place:
            raise InputError([Problem(source, None, None, NO_ISSUER)])
        name = header.place + "人民政府"
        warnings.append(f"the copy names no issuer: {name} is assumed; check it")
        return units.add(book.resolve(name, context))
    name = agencies[0][0]
    warnings.append(f"the copy names no issuer: {name} (the department it names most) is assumed; check it")
    return units.add(book.resolve(name, context))


def _dates(header: Header, text: str, outline, warnings: list[str]) -> tuple[dt.date, tuple[dt.date, dt.date] | None]:
    years = year_range(header.title or "")
    issued = header.issued
    if issued is None:
        numbered = re.search(r"[〔\[(【]\s*(\d{4})\s*[〕\])】]", header.number or "")
        if numbered:
            issued = dt.date(int(numbered.group(1)), 1, 1)
        elif years:
            issued = dt.date(years[0], 1, 1)
        else:
            cited = [int(y) for y in re.findall(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)", text)]
            issued = dt.date(max(cited), 1, 1) if cited else dt.date(2000, 1, 1)
        warnings.append(
            f"the copy carries no date: issued {issued} is a PLACEHOLDER, set the real date"
            + (" (dates without a year are read in that year: check them)" if issued.year else "")
        )
    span = _work_span(text[: _notice_end(outline)]) or _work_span(text[: max(outline.restart, 0)])
    if span and years and years[0] <= span[0].year and span[1].year <= years[1] and years[0] < years[1]:
        return issued, span  # 2026—2027年冬春季…: the campaign's own dates within the title's years (K10)
    if years:
        return issued, _year_period(years, text[: outline.nodes[0].start if outline.nodes else 0])
    if span:
        return issued, span
    now = _FROM_NOW.search(text[: _notice_end(outline)])
    if now and (end := _date_of(now)) is not None and end >= issued:
        return issued, (issued, end)  # 自即日起至2026年11月30日: from the signature date (P7)
    title = _title_line(header, text)
    single = _TITLE_YEAR.search(title)
    if single and not re.search(r"到20\d{2}年", title) and int(single.group(1)) >= issued.year:  # 2024年工作要点
        year = int(single.group(1))
        return issued, _year_period((year, year), text[: outline.nodes[0].start if outline.nodes else 0])
    m = re.search(r"到(\d{4})年", goal_text(text, outline)) or _WHOLE_BY.search(text[: _notice_end(outline)])
    if m and int(m.group(1)) >= issued.year:
        return issued, (issued, _whole_end(m))
    return issued, None


def _whole_end(m: re.Match[str]) -> dt.date:
    """The end of the whole work: the date written (2026年10月31日前, 2026年10月底前), else the year's end."""
    year, named = int(m.group(1)), m.groupdict()
    month, day = int(named.get("m") or 12), named.get("d")
    try:
        return dt.date(year, month, int(day)) if day else month_end(year, month)
    except ValueError:
        return dt.date(year, 12, 31)


# The year of an annual plan in its title (2024年工作要点); not a year narrowed to a quarter or month of hand-over
# (交办2026年第二季度…事项: its items carry their own dates, N17). A year before the issue year names what the
# document is about (2025年度审计查出问题整改台账), not the time of its work. A school term (2026年春季学期) states
# no span of dates (T11).
_TITLE_YEAR = re.compile(
    r"(?<!\d)(20\d{2})年(?:度)?(?!第?[一二三四]季度|\d{1,2}月|[上下]半年|[春秋]季学期|[上下]学期|第[一二]学期)"
)


# A letter to one unit that speaks to it (请你局…, 督办函 / 交办函): its single 主送 does every item (M1).
_ONE_ADDRESSEE = re.compile(r"请你(?:局|委|办|厅|单位|部门|区|县|们)|督\s*办\s*函|交\s*办\s*函|乙方承担|甲乙双方")
_OWN_SECTIONS = re.compile(r"(?:牵头|责任|主办|承办|配合|协办)科室")


def _title_line(header: Header, text: str) -> str:
    """The line the title stands on: 关于落实2026年《政府工作报告》重点工作部门分工的意见 names its year outside
    the 《》 that the title was taken from."""
    title = header.title or ""
    if not title:
        return ""
    return next((line for line in text[:3000].split("\n") if f"《{title}》" in line and len(line) <= 80), title)


# The notice's own end date for the whole work (整改工作于2025年底前全面完成): the plan's period ends then.
# With a month and day (整改工作于2026年10月31日前全面完成), the period ends on that date (H9).
_WHOLE_BY = re.compile(
    r"工作(?:要|须|需)?(?:于|在)(\d{4})年(?:底|(?P<m>\d{1,2})月(?:底|末|(?P<d>\d{1,2})日))前?(?:全面|全部)?完成"
)


# The notice's own work period (本轮工作时间为2025年11月15日至2026年3月15日, K10): a plan without a year of its own.
_WORK_SPAN = re.compile(
    r"(?:工作|活动|行动|攻坚|整治|考核)(?:时间|时段|期限|周期)\s*(?:为|是|:)?\s*(\d{4})年(\d{1,2})月(\d{1,2})日?\s*(?:至|到|—|-|~)+\s*"
    r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日"
)


# The notice's work running "from today" to a date (整治工作自即日起至2026年11月30日): the period starts on its date.
_FROM_NOW = re.compile(r"自即日起(?:至|到)\s*(\d{4})年(\d{1,2})月(\d{1,2})日")


def _date_of(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# A campaign run over whole months (决定于2026年3月至12月在城区开展…专项行动): from the first month's 1st to the
# last month's end.
_MONTH_SPAN = re.compile(
    r"于(\d{4})年(\d{1,2})月\s*(?:至|到|—|-|~)+\s*(?:(\d{4})年)?(\d{1,2})月(?![\d日])[^。;]{0,24}?开展"
)


def _year_period(years: tuple[int, int], before: str) -> tuple[dt.date, dt.date]:
    """The title's years, narrowed to the campaign's months when the text before the first heading runs it over
    whole months of one such year (2026年3月至12月)."""
    months = _month_span(before)
    if months and years[0] == months[0].year == months[1].year == years[1]:
        return months
    return dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)


def _month_span(text: str) -> tuple[dt.date, dt.date] | None:
    m = _MONTH_SPAN.search(text)
    if m is None:
        return None
    year, first, last = int(m.group(1)), int(m.group(2)), int(m.group(4))
    end_year = int(m.group(3) or year)
    if not (1 <= first <= 12 and 1 <= last <= 12) or (end_year, last) < (year, first):
        return None
    return dt.date(year, first, 1), month_end(end_year, last)


def _work_span(text: str) -> tuple[dt.date, dt.date] | None:
    m = _WORK_SPAN.search(text)
    if m is None:
        return None
    try:
        start = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        end = dt.date(int(m.group(4) or m.group(1)), int(m.group(5)), int(m.group(6)))
    except ValueError:
        return None
    return (start, end) if start <= end else None


def _notice_end(outline: Outline) -> int:
    return outline.restart if outline.restart >= 0 else (outline.nodes[0].start if outline.nodes else 0)


def _unique_ids(tasks: list[ExtractedTask]) -> list[ExtractedTask]:
    seen: Counter[str] = Counter()
    for task in tasks:
        seen[task.id] += 1
        if seen[task.id] > 1:
            task.warnings.append(f"the numbering repeats id {task.id!r}: renamed {task.id}-{seen[task.id]}")
            task.id = f"{task.id}-{seen[task.id]}"
    return tasks


def _slug(title: str, issued: dt.date) -> str:
    """Titles are Chinese and slugs ASCII: the year and a short hash, stable for the same title."""
    return f"doc-{issued.year}-{hashlib.sha1(title.encode()).hexdigest()[:6]}"
