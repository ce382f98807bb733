"""A 任务分工表 (task table: 序号 | 任务 | 牵头单位 | 责任单位 | 完成时限) → numbered items with markers.

Most published 分工方案 are tables: in a .docx, an .xlsx, a web page, or pasted as text. Rewriting each
row as `N.任务。(牵头单位:…;责任单位:…;完成时限:…)` lets the one marker parser read every layout. The
columns are found by their header, in any order (责任单位 before 牵头单位, 配合单位, 时间节点, a 备注 or
a 责任领导 column of people, which are ignored); a row whose cells all say one thing (a merged row
一、…) is a section heading; an empty cell written "—" or "无" is empty. A task cell listing numbered
sub-items ("1.…<br>2.…") is that many tasks; a table of one row per task × unit with a 角色 column is regrouped
into one row per task, and a responsibility matrix (one column per unit, ★ / ● cells) into 牵头 / 配合 cells.
Three numbering levels in task columns ("（一）" | "1." | "（1）" | 任务清单) give each row the innermost number
running through the table. An unnamed column left of the task merged down over its rows (问题 | 整改措施)
groups them as a 重点任务 column does: ids 序号.k. Any other table becomes plain lines of cells.

Tables pasted as text come in two shapes, both rewritten line for line (so every task keeps its input
line): one row a line, cells cut by tabs, full-width spaces or runs of spaces, a cell that wraps
continuing on the next line; and one cell a line (a web table copied from a browser), rows starting at
their 序号. A grid table (+---+ rules, or box-drawing ┌─┬─┐ │ ├─┼─┤ from a .doc saved as text) makes each
group of lines between two rules one row. Three lists that refer to each other by number (a 巡察整改 问题清单 /
任务清单 / 责任清单) are joined into one such table first, since only together do they say who does what by
when; so are a 方案's bare items and the paragraphs giving their roles and dates by item number (`by_number`).
A task's own two-column field table (任务编号 | 1-1 / 任务名称 | X / 牵头部门 | Y …, one per task with section
headings between them) is read as "label value" lines, and the forms they make, headings between, as one table.
A units cell giving each unit its own time ("X（8月底前）、Y（10月底前）") names the units, the latest time the
deadline.
"""

from __future__ import annotations

import csv
import itertools
import re

from bot.core.numerals import cn_number, to_cn
from bot.extract.by_number import by_number
from bot.extract.clean import page_number
from bot.extract.markers import prose_roles
from bot.extract.quoted import unquoted
from bot.extract.step_lists import block_number, fold_steps
from bot.extract.textutil import fold, split_outside_brackets
from bot.extract.unit_sections import unit_sections

_COLUMNS = {
    "ignore": re.compile(r"领导|备注|说明|联系人|电话|依据|序号.+|提案(?:者|人)|领衔|附议|责任人$"),
    "supervise": re.compile(
        r"督办|督查|督导|考核(?:责任)?(?:单位|部门)"
    ),  # 考核责任单位 scores it (F3, M12)  # 督办单位: they watch the task (督办领导 are people, ignored)
    "number": re.compile(r"^(?:序号|编号|序列|No\.?)$", re.IGNORECASE),
    # 主要责任单位 leads, 其他责任单位 are responsible; a project's 行业主管部门 leads, its 建设单位 does (L21)
    "lead": re.compile(r"牵头|主责|牽頭|主要责任|主办|主管(?:部门|单位)"),
    "responsible": re.compile(
        r"责任|配合|参与|协办|会办|承办|協辦|責任|协同|负责(?:单位|部门)|落实单位|实施(?:单位|主体)|建设单位|业主单位"
    ),
    "deadline": re.compile(r"时限|时间|进度|期限|時限|時間|节点"),
    # 角色 (牵头 / 配合) beside one 责任单位 a row: the table has a row per task × unit (P12)
    "role": re.compile(r"^(?:单位|承担|责任)?角色$|^责任类型$"),
    "category": re.compile(r"类别|类型|领域|板块|方面|类目|章节|分类|篇章|部分"),
    "task": re.compile(r"任务|工作|事项|措施|内容|目标|指标|项目|举措|任務|事項|案由"),
}
_KEYS = tuple(_COLUMNS)
# The line a task table's header becomes: numbering after it starts afresh (`structure`), and numbered
# parts before it that name no unit are the notice's own rules, not tasks (`plan`).
TABLE_MARK = "【任务表】"
# Where a table with no unit column stood (序号 | 任务 | 完成时限): a task table only if a 注 under it gives its rows'
# roles by number (`text_tables` decides once `by_number` has read them), else its rows are plain lines again.
UNIT_FREE_MARK = "【待定任务表】"
_LABEL = {"lead": "牵头单位", "responsible": "责任单位", "deadline": "完成时限", "supervise": "督查单位"}
_EMPTY = re.compile(r"^[—\-－–/无無\s]*$")
_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）])")
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.、]?\s*$")
_OPEN_CELL = "，、,;；"
# Between the paragraphs of a .docx cell or the <p>/<br> of a web cell (the readers write it): an author's own
# break, unlike a "\n" that may be a wrap by the cell's width. In a units cell it separates units (K3).
PARAGRAPH = "\u2029"


_QUARTER = re.compile(r"第?([一二三四])季度")


# 省牵头单位 beside 市牵头单位 in a city's 对口承接 table: the province's contacts, not the city's units (M14)
_UPPER = re.compile(r"\s*(?:省|国家|中央)(?:级)?\s*(?:牵头|责任|配合)")


# A column naming what is measured (评价指标, 2026年目标, 考核指标) yields to one naming the work (重点任务, 工作措施).
_MEASURE = re.compile(r"[\w]{0,6}(?:指标|目标)(?:值)?")
_WORK = re.compile(r"任务|工作|事项|措施|举措|内容|任務|事項")
_ADJUSTED = re.compile(r"调整后?(?:的)?(?:完成)?(?:时限|时间|期限)|变更后(?:完成)?(?:时限|时间)")
_LEADERS_AND_UNITS = re.compile(r"领导(?:及|和|与|、)(?:\w{0,4})(?:单位|部门)$")
_SHARED = re.compile(r"^分办(?:单位|部门)$")
_PARTNER = re.compile(r"配合|协办|协同|会办|参与")
# 牵头科室/配合科室: one column for both roles, each cell "lead/partners" (W7)
_JOINED = re.compile(r"牵头\w{0,4}[/／]\w{0,4}(?:配合|协办|协同|参与|责任)\w{0,4}")


def _later_end(key: str, before: str, text: str) -> bool:
    """开工时间 | 竣工时间: the time a project ends is its deadline, not the time it starts."""
    return key == "deadline" and bool(re.search(r"开工|开始|启动", before)) and not re.search(r"开工|开始|启动", text)


def _column_key(text: str) -> str | None:
    """The role of one header cell (folded, no spaces): a key of `_COLUMNS`, a quarter or month column, a
    "measure" column (what is measured) or None (named otherwise)."""
    if quarter := _QUARTER.fullmatch(text):  # 一季度 … 四季度: a milestone column per quarter
        return f"q{'一二三四'.index(quarter.group(1)) + 1}"
    if month := _MONTH_COLUMN.fullmatch(text):  # 3月 … 12月: a 挂图作战 grid, one column per month
        return f"mo{int(month.group(1))}"
    if _ADJUSTED.search(text):  # 调整后完成时限 beside 原定完成时限: the adjusted deadline wins when filled (N18)
        return "adjusted"
    if _LEADERS_AND_UNITS.search(text):  # 包联县领导及责任单位: entries "person(unit)", the units take the roles (U5)
        return "responsible"
    if _JOINED.fullmatch(text):  # 牵头科室/配合科室: the part before "/" leads, the rest take part (W7)
        return "joined"
    if _SHARED.search(text):  # 分办单位: each answers for its own part, so each leads (N5)
        return "shared"
    key = next((key for key in _KEYS if _COLUMNS[key].search(text)), None)
    if key == "task" and _MEASURE.fullmatch(text) and not _WORK.search(text):
        return "measure"  # 评价指标 | 2026年目标 beside a 重点任务 column: what is measured, not the work (N9)
    return key


def columns_of(header: list[str]) -> dict[str, int] | None:
    """Column index per role, from a header row; None when it is not a task table's header."""
    found = _found_columns(header)
    if "task" in found and ({"lead", "responsible", "supervise", "shared", "joined"} & found.keys()):
        return found
    return None


def unit_free_columns(header: list[str]) -> dict[str, int] | None:
    """序号 | 重点任务 | 完成时限 with no unit column (the roles given elsewhere, as by a 注 under the table by
    item number, W11): the columns, or None when the header is not that."""
    found = _found_columns(header)
    return found if {"number", "task", "deadline"} <= found.keys() and len(found) == 3 else None


def _found_columns(header: list[str]) -> dict[str, int]:
    """Column index per role a header cell names."""
    found: dict[str, int] = {}
    named: list[tuple[str | None, int]] = []
    for i, cell in enumerate(header):
        text = re.sub(r"\s+", "", fold(cell))
        if re.search(r"[^:]:[^:]", text):  # 牵头单位:X — a filled field of a role line, no header cell (P9)
            continue
        if text and len(re.sub(r"\([^()]*\)", "", text)) <= 12:  # 责任科室(单位)及完成时限: the qualifier aside
            named.append((_column_key(text), i))
    for key, i in named:
        if key is None or key in ("ignore", "measure"):
            continue
        if key not in found or _later_end(key, header[found[key]], header[i]) or _UPPER.match(fold(header[found[key]])):
            found[key] = i
    _fill_task(found, named)
    _partner_column(found, named, header)
    return found


def _fill_task(found: dict[str, int], named: list[tuple[str | None, int]]) -> None:
    """The task column when no header names the work: a measure column, else the column named by the
    document's own subject (序号 | 民生实事 | 责任单位, or the one unnamed column left of the units)."""
    if "task" in found:
        return
    unnamed = [i for key, i in named if key is None]
    measures = [i for key, i in named if key == "measure"]
    roles = [found[k] for k in ("lead", "responsible") if k in found]
    if measures:
        found["task"] = measures[0]
    elif "number" in found and found["number"] + 1 in unnamed:
        found["task"] = found["number"] + 1
    elif roles and len(unnamed) == 1 and unnamed[0] < min(roles) and "deadline" in found:
        found["task"] = unnamed[0]


def _partner_column(found: dict[str, int], named: list[tuple[str | None, int]], header: list[str]) -> None:
    """整改责任单位 | 配合单位 with no 牵头 column: the 责任单位 leads and the 配合单位 is responsible (N11), as
    牵头 | 配合 columns."""
    if "lead" in found:
        return
    columns = [i for key, i in named if key == "responsible"]
    texts = [fold(header[i]) for i in columns]
    owner = [i for i, t in zip(columns, texts, strict=True) if "责任" in t and not _PARTNER.search(t)]
    partner = [i for i, t in zip(columns, texts, strict=True) if _PARTNER.search(t)]
    if len(owner) == 1 and partner:
        found["lead"], found["responsible"] = owner[0], partner[0]


# A line break in a units cell separates two units only where a unit ends and the next begins (市科技局 /
# 市工信局); 县财政 / 局 and 区安委 / 会各成员单位 are one name wrapped by the cell's width.
_UNIT_BREAK = re.compile(
    r"(?<=[局委办厅府心室部院社司行队站所会组)）])\s*\n\s*"
    r"(?=[县市区省州各乡镇]|[\u4e00-\u9fff]{1,4}(?:县|市|区|镇|乡|园区|街道)|中国|国家)"
)
# Spaces between the units of one cell (区教育局(牵头) 区财政局) likewise, where a whole name ends and the next
# begins; a stray space inside a name (区 市场监管局, 市应急 管理局, 人行 松岭支行) is no break. A township's or a
# bureau's own offices (党政办 应急管理站) carry no level word: a whole office name after the space (Q3).
_UNIT_SPACE = re.compile(
    r"(?<=[局委办厅府心室部院社司行队站所会组)）])[ \u3000\xa0]+"
    r"(?=[县市区省州各乡镇]|[\u4e00-\u9fff]{1,4}(?:县|市|区|镇|乡|园区|街道)|中国|国家"
    r"|(?!办公室)[\u4e00-\u9fff]{2,12}(?:局|委|办|站|所|中心|室)(?:[ \u3000\xa0(（]|$))"
)


_DUTY_NOTE = re.compile(r"[(（]\s*(?:按|根据)?(?:各自)?职责(?:分工)?(?:负责)?\s*[)）]\s*$")
_UNIT_KEYS = ("lead", "responsible", "supervise", "shared", "joined")


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(row):
        return ""
    value = row[index]
    if key in _UNIT_KEYS:  # one unit a line; a name wrapped mid-word (县财政\n局) is one name
        value = re.sub(r"[、\s]*\u2029[、\s]*", "、", value.strip("\u2029"))  # a cell's paragraphs: one unit each
        value = _UNIT_SPACE.sub("、", _UNIT_BREAK.sub("、", value))
        value = _DUTY_NOTE.sub("", value)  # X、Y（按职责分工）: every unit listed, the note no part of a name (P5)
    value = value.replace(PARAGRAPH, "\n")
    value = re.sub(r"\s*\n\s*", "", value).strip()
    return "" if _EMPTY.match(value) else value


def table_section(title: str, number: int) -> str:
    """The heading a table of its own (a workbook's sheet) stands under: 一、sheet name."""
    return f"{to_cn(number)}、{title.strip()}"


def heading_row(row: list[str]) -> str | None:
    """A row whose non-empty cells all say one thing (merged across the table) is a heading."""
    cells = {re.sub(r"\s*\u2029\s*", "", cell).strip() for cell in row if cell.strip()}
    return cells.pop() if len(cells) == 1 and len(row) > 1 else None


# A section row naming its 板块's lead after the heading: "一、市容环境卫生　　牵头单位：县城管局" (N14).
_SECTION_LEAD = re.compile(
    r"^(?P<head>.+?)[\s\u3000]*[(（]?(?P<label>牵头(?:单位|部门))\s*[:：]\s*(?P<units>[^)）]+)[)）]?$"
)


def _section_lead(heading: str) -> str:
    """A section row that names the lead of its rows → its heading with a bracketed marker, which holds for
    every row under it until the next section (the rows' own 责任单位 stay responsible); its section is the
    heading without the marker (N15)."""
    m = _SECTION_LEAD.match(heading)
    if m is None or not _SECTION.match(heading):
        return heading
    return f"{m.group('head')}({m.group('label')}:{m.group('units').strip()})"


_TOTAL = re.compile(r"^\s*(?:合\s*计|总\s*计|小\s*计)\s*[:：]?\s*(?:\d|$)")  # a 合计 row sums, it is no task


_SUB_ITEM = re.compile(r"^\s*(\d{1,2})\s*[.、．]\s*")


def _numbered_parts(value: str) -> list[str] | None:
    """A cell whose author's breaks (<br>, paragraphs) hold numbered sub-items "1.…；" "2.…。" (1, 2, … in
    order, at least two): the sub-items without their numbers; None for any other cell."""
    parts = [p.strip() for p in re.split(r"[\u2029\n]", value) if p.strip()]
    numbers = [m.group(1) if (m := _SUB_ITEM.match(p)) else "" for p in parts]
    if len(parts) < 2 or numbers != [str(k) for k in range(1, len(parts) + 1)]:
        return None
    return [_SUB_ITEM.sub("", p).rstrip("；;。") for p in parts]


def _sub_rows(row: list[str], columns: dict[str, int], number: str) -> str | None:
    """A row whose task cell lists numbered sub-items (P15): each is its own task "row.k", marked (k) under the
    row's number, with the row's units; a 完成时限 cell numbered the same way gives each its own date, a
    single date holds for all."""
    index = columns.get("task", len(row))
    parts = _numbered_parts(row[index]) if index < len(row) else None
    if parts is None:
        return None
    due_at = columns.get("deadline")
    dues = _numbered_parts(row[due_at]) if due_at is not None and due_at < len(row) else None
    lines = []
    for k, part in enumerate(parts, start=1):
        sub = list(row)
        sub[index] = part
        if dues is not None and due_at is not None:
            sub[due_at] = dues[k - 1] if k <= len(dues) else ""
        head = f"{matter.rstrip('。')}。" if (matter := _cell(row, columns, "matter")) else ""
        lines.append(row_line(sub, columns, 0, mark=f"{number}.{head}(1)" if k == 1 else f"({k})"))
    return "\n".join(line for line in lines if line)


def row_line(row: list[str], columns: dict[str, int], counter: int, mark: str | None = None) -> str | None:
    """One data row as a marked item (numbered `mark` when given: a sub-item (k) of a merged 序号), or None
    when it has no task."""
    task = unquoted(_cell(row, columns, "task"))
    number = _cell(row, columns, "number")
    if not task or _TOTAL.match(task) or _TOTAL.match(number):  # 合计 | | 6项: the count, no task (U8)
        return None
    number = number if number.isdigit() else str(counter)
    if mark is None and (subs := _sub_rows(row, columns, number)):
        return subs
    values = {key: _cell(row, columns, key) for key in ("lead", "responsible", "deadline", "supervise")}
    # a staged 进度安排 (①3月底前，…。②10月底前，…。) is one field of the marker, its ① not an item's number
    values["deadline"] = _cell(row, columns, "adjusted") or values["deadline"]  # 调整后 over 原定 (N18)
    values["deadline"] = values["deadline"] or _quarter_due(row, columns) or _month_due(row, columns)
    values["deadline"] = re.sub(r"[;；。]", "，", re.sub(r"[\u2460-\u2473]", "", values["deadline"])).rstrip("，")
    if values["responsible"] and (timed := _unit_times(values["responsible"])) is not None:
        values["responsible"] = timed[0]  # X（8月底前）、Y（10月底前）: the task is done when its last unit is
        values["deadline"] = values["deadline"] or timed[1]
    for key in ("lead", "responsible"):  # a cell reading 市商务局牵头落实 / X牵头，Y配合
        roles = (_labelled_roles(values[key]) or prose_roles(values[key])) if values[key] else None
        if roles is not None:
            values["lead"] = "、".join(v for v in (values["lead"] if key != "lead" else "", roles[0]) if v)
            values["responsible"] = roles[1] if key == "responsible" else values["responsible"] or roles[1]
    if joined := _cell(row, columns, "joined"):  # 医务科/信息科、检验科: lead / partners; no "/" → leads alone (W7)
        lead, _, partners = re.sub(r"\s*／\s*", "/", joined).partition("/")
        values["lead"] = "、".join(v for v in (values["lead"], lead.strip()) if v)
        values["responsible"] = "、".join(v for v in (values["responsible"], partners.strip()) if v)
    if shared := _cell(row, columns, "shared"):  # 分办单位: each answers for its part, each leads (N5)
        values["lead"] = "、".join(v for v in (values["lead"], shared) if v)
    fields = [f"{_LABEL[key]}:{value}" for key, value in values.items() if value]
    marker = f"({';'.join(fields)})" if fields else ""
    space = " " if task[:1].isdigit() else ""  # 3. 6月底前建成…: not read as the number 3.6
    return f"{mark or number + '.'}{space}{task.rstrip('。')}。{marker}"


_UNIT_TIME = re.compile(r"[(（]((?:[^()（）]|[(（][^()（）]*[)）])*)[)）]\s*$")
_TIME_WORD = re.compile(r"前|底|末|季度|半年|年中|坚持|推进|\d+月")


def _unit_times(cell: str) -> tuple[str, str] | None:
    """A units cell giving each unit its own time, "X（8月底前）、Y（10月底前）" (S10): the units without the
    brackets, and the times joined (the deadline reader takes the latest of them); None for any other cell."""
    units: list[str] = []
    times: list[str] = []
    for part, _ in split_outside_brackets(cell.replace(PARAGRAPH, "、"), "、,，;；"):
        m = _UNIT_TIME.search(part.strip()) if part.strip().endswith((")", "）")) else None
        if m is None or not _TIME_WORD.search(m.group(1)):
            if part.strip():
                return None
            continue
        units.append(part.strip()[: m.start()].strip())
        times.append(m.group(1))
    return ("、".join(units), "、".join(times)) if units and all(units) else None


# A quarter's cell that only keeps up what an earlier quarter completed (常态化管护, 长期运营): no milestone (Q10);
# work going on (持续推进) is one, unless every quarter says only that (Q9: open-ended).
_UPKEEP = re.compile(r"常态化[\u4e00-\u9fff]{0,6}|[\u4e00-\u9fff]{0,6}(?:管护|维护|运营|运维)|长期(?:坚持|保持)")
_ONGOING = re.compile(r"(?:持续|长期|常态化)(?:推进|开展|实施)?")


def _quarter_due(row: list[str], columns: dict[str, int]) -> str:
    """Quarter columns and no 完成时限 column: due at the end of the last quarter whose cell holds a
    milestone, in the issue year (`_node_due`)."""
    return _node_due([(n, cell) for n in range(1, 5) if (cell := _cell(row, columns, f"q{n}"))], 3)


def _node_due(held: list[tuple[int, str]], months: int) -> str:
    """Node columns per period (a quarter, a month) and no 完成时限 column: the end of the last period whose cell
    holds a milestone (an empty or "—" cell holds none, nor one that only keeps up what an earlier period
    completed, Q10); a row whose periods all say 持续推进 is open-ended (Q9)."""
    if held and all(_ONGOING.fullmatch(cell) or _UPKEEP.fullmatch(cell) for _, cell in held):
        return held[-1][1]
    milestones = [n for n, cell in held if not _UPKEEP.fullmatch(cell)]
    return f"{months * milestones[-1]}月底前" if milestones else ""


_MONTH_COLUMN = re.compile(r"(1[0-2]|[1-9])月份?")
# The mark of a completion node in a month grid (图例：● 施工推进 ★ 完成节点); ● months are work under way (M15).
_DONE_MARK = re.compile(r"[★☆✓✔√]|完成|竣工|完工")


def _month_due(row: list[str], columns: dict[str, int]) -> str:
    """Month columns and no 完成时限 column. A grid of marks (● under way, ★ done, M15) is due at the end of the
    last month marked as a completion node, and has no deadline of its own when it marks only work under way;
    months written as nodes in words (开工建设, 建成5家) are due at the end of the last month holding one (W4, as
    F6 for quarters)."""
    held = [(n, cell) for n in range(1, 13) if (cell := _cell(row, columns, f"mo{n}"))]
    if any(re.search(r"[\u4e00-\u9fff]", cell) and not _DONE_MARK.fullmatch(cell) for _, cell in held):
        return _node_due(held, 1)
    done = [n for n, cell in held if _DONE_MARK.search(cell)]
    return f"{done[-1]}月底前" if done else ""


_ROLE_LABEL = re.compile(r"(牵头|配合|责任|协办|参与|协同)(?:单位|部门)?\s*[:：]")


def _labelled_roles(value: str) -> tuple[str, str] | None:
    """(lead, responsible) of a units cell that labels its roles (牵头单位:X 配合单位:Y, lines joined), or
    None; a part written 无 names nobody."""
    found = list(_ROLE_LABEL.finditer(value))
    if not found:
        return None
    parts: dict[bool, list[str]] = {True: [], False: []}
    for m, after in zip(found, [*found[1:], None], strict=True):
        text = value[m.end() : after.start() if after else len(value)].strip(" ;；,，。、")
        if not _EMPTY.match(text):
            parts[m.group(1) == "牵头"].append(text)
    return "、".join(parts[True]), "、".join(parts[False])


# A responsibility matrix (task × unit, one column per unit): ★ leads, the other marks (● ○ ▲ √) take part.
_LEAD_MARKS = "★"
_MARKS = "★☆●○▲△◆◇√✓✔"


def _mark_columns(header: list[str], body: list[list[str]]) -> list[int]:
    """The columns of a matrix's unit names: named by no role, every body cell a mark or empty, one filled."""
    marked = []
    for j, name in enumerate(header):
        cells = [row[j].strip() for row in body if j < len(row) and heading_row(row) is None]
        unit = len(name) >= 2 and _column_key(re.sub(r"\s+", "", fold(name))) is None
        if unit and any(cells) and all(c == "" or (len(c) == 1 and c in _MARKS) for c in cells):
            marked.append(j)
    return marked


def matrix_rows(rows: list[list[str]]) -> list[list[str]]:
    """A responsibility matrix (序号 | 重点任务 | 完成时限 | one column per unit, cells ★ / ● / empty) → the same
    table with a 牵头单位 and a 配合单位 column (Q11): ★ units lead, the other marked units are responsible, in
    column order; a row with no ★ has no lead. Any other table is returned as it is."""
    for h, header in enumerate(rows[:6]):
        body = rows[h + 1 :]
        marked = _mark_columns(header, body)
        kept = [j for j in range(len(header)) if j not in marked]
        named = {_column_key(re.sub(r"\s+", "", fold(header[j]))) for j in kept}
        if len(marked) < 2 or not {"number", "task"} <= named:
            continue
        if not any(row[j] in _LEAD_MARKS for row in body for j in marked if j < len(row)):
            continue
        out = [*rows[:h], [*(header[j] for j in kept), "牵头单位", "配合单位"]]
        for row in body:
            if heading_row(row) is not None:
                out.append(row[: len(kept) + 2])
                continue
            units = [(header[j], row[j]) for j in marked if j < len(row) and row[j]]
            lead = "、".join(name for name, mark in units if mark in _LEAD_MARKS)
            others = "、".join(name for name, mark in units if mark not in _LEAD_MARKS)
            out.append([*(row[j] if j < len(row) else "" for j in kept), lead, others])
        return out
    return rows


def field_table(rows: list[list[str]]) -> bool:
    """One task's own small table of fields (任务编号 | 1-1 / 任务名称 | X / 牵头部门 | Y / 完成时间 | Z, S7): every
    row a short label and its value, a task field and a role field among them. Read as the form's lines."""
    pairs = [list(dict.fromkeys(c.strip() for c in row if c.strip())) for row in rows]
    pairs = [pair for pair in pairs if pair]
    if len(pairs) < 3 or any(len(pair) != 2 or not _FIELD_LABEL.match(pair[0]) for pair in pairs):
        return False
    keys = [_form_key(f"{label} {value}") for label, value in pairs]
    roles = {key[0] for key in keys if key is not None}
    return "task" in roles and bool({"lead", "responsible"} & roles)


_FIELD_LABEL = re.compile(r"^[\u4e00-\u9fff()（）]{2,8}$")


def table_lines(rows: list[list[str]], *, mark: bool = True) -> list[str]:
    """Rows of cells → text lines; a task table's rows become numbered items with markers, after a
    `TABLE_MARK` line where its header stood (unless the caller wrote one); a task's field table
    (`field_table`) its "label value" lines."""
    rows = matrix_rows([[cell.strip() for cell in row] for row in rows if any(c.strip() for c in row)])
    if field_table(rows):
        return [" ".join(dict.fromkeys(cell.replace(PARAGRAPH, "") for cell in row if cell)) for row in rows]
    head = next((i for i, row in enumerate(rows[:4]) if columns_of(row)), None)
    if head is None and rows and (timed := unit_free_columns(rows[0])):
        return [UNIT_FREE_MARK, *_body_lines(rows[1:], timed)]  # its roles stated elsewhere, perhaps (W11)
    if head is None:
        return [" ".join(dict.fromkeys(re.sub(r"\s*[\n\u2029]\s*", "", cell) for cell in row if cell)) for row in rows]
    first = columns_of(rows[head])
    assert first is not None  # `head` is the first row that has columns
    columns, start = first, head + 1
    if start < len(rows) and (second := _second_header(rows[head], rows[start])):
        columns, start = second, start + 1
    lines = [TABLE_MARK] if mark else []  # at the table's top: a heading row above its header counts
    lines += [" ".join(dict.fromkeys(cell.replace(PARAGRAPH, "") for cell in row if cell)) for row in rows[:head]]
    if levelled := _levelled(rows[head], rows[start:], columns):
        columns, rows = levelled[0], [*rows[:start], *levelled[1]]
    inner = _inner_task(rows[head], rows[start:], columns)
    if inner is None and (group := _group_column(rows[head], rows[start:], columns)) is not None:
        columns, inner = {**columns, "task": group}, columns["task"]  # 问题 merged over its 整改措施 rows (R14)
    if inner is not None:
        return lines + _grouped_lines(rows[start:], columns, inner)
    if (measures := _measures_column(rows[head], rows[start:], columns)) is not None:
        columns = {**columns, "task": measures, "matter": columns["task"]}
    body = rows[start:]
    if "role" in columns:
        columns, body = _role_rows(body, columns)
    return lines + _body_lines(body, columns)


def _body_lines(body: list[list[str]], columns: dict[str, int]) -> list[str]:
    """A task table's rows below its header: heading rows as headings, each other row a marked item."""
    lines: list[str] = []
    counter = 0
    numbers = [_cell(row, columns, "number") if heading_row(row) is None else "" for row in body]
    for k, row in enumerate(body):
        heading = heading_row(row)
        if heading is not None:
            lines.append(_section_lead(heading))
            continue
        number = numbers[k]
        around = (numbers[k - 1] if k else "", numbers[k + 1] if k + 1 < len(body) else "")
        shared = number.isdigit() and number in around
        if shared and (not k or numbers[k - 1] != number):  # one 序号 merged over rows with their own items
            counter, part = counter + 1, 0
        if shared:
            part += 1
            line = row_line(row, columns, counter, mark=f"{number}.(1)" if part == 1 else f"({part})")
        else:
            counter += 1
            line = row_line(row, columns, counter)
        if line is not None:
            lines.append(line)
    return lines


_LEAD_ROLE = re.compile(r"^\s*(?:牵头|主责|主办)")


def _role_rows(rows: list[list[str]], columns: dict[str, int]) -> tuple[dict[str, int], list[list[str]]]:
    """One row per (task × unit) with a 角色 column (P12): the rows after a task's first, with no 序号 and the
    same task, are that task's other units; 牵头 rows lead (two → two leads), the others are responsible. Each
    task becomes one row whose units sit in a lead and a responsible cell; the deadline is its first row's."""
    unit_key = "responsible" if "responsible" in columns else "lead"
    if unit_key not in columns:
        return columns, rows
    width = max(len(row) for row in rows) if rows else 0
    merged: list[list[str]] = []
    for row in rows:
        row = row + [""] * (width - len(row))
        if heading_row(row) is not None:
            merged.append(row)
            continue
        last = merged[-1] if merged and heading_row(merged[-1]) is None else None
        if last is None or not _same_task(row, last, columns):
            last = [*row, "", ""]
            merged.append(last)
        slot = width + 1 if _LEAD_ROLE.match(_cell(row, columns, "role")) else width
        last[slot] = PARAGRAPH.join(u for u in (last[slot], _cell(row, columns, unit_key)) if u)
    return {**columns, "responsible": width, "lead": width + 1}, merged


def _same_task(row: list[str], last: list[str], columns: dict[str, int]) -> bool:
    """A row with no 序号 whose task is empty or the one above: another unit of the task above."""
    return not _cell(row, columns, "number") and _cell(row, columns, "task") in ("", _cell(last, columns, "task"))


_LEVEL_NUMBER = re.compile(r"^\s*(?:[(（](\d{1,3})[)）]|(\d{1,3})\s*[.．、](?!\d))")


def _level_numbers(rows: list[list[str]], column: int) -> list[str] | None:
    """The numbers opening a column's cells when every row's cell opens with one, from 1, each the one before
    or the next (a cell merged over rows repeats its number); None otherwise."""
    numbers = []
    for row in rows:
        m = _LEVEL_NUMBER.match(row[column]) if column < len(row) else None
        if m is None:
            return None
        numbers.append(m.group(1) or m.group(2))
    values = [int(n) for n in numbers]
    steps = all(b in (a, a + 1) for a, b in itertools.pairwise(values))
    return numbers if values and values[0] == 1 and values[-1] > 1 and steps else None


def _levelled(
    header: list[str], rows: list[list[str]], columns: dict[str, int]
) -> tuple[dict[str, int], list[list[str]]] | None:
    """Three numbering levels in one table (建设任务 "（一）" | 工作事项 "1." | 工作指标 "（1）" | 任务清单 …, Q1): a
    task column between the first and the last whose cells are numbered straight through the table gives each
    row its id (a number merged over two rows: N.1, N.2), the last task column its title; the outer columns
    only group the rows. None for any other table."""
    tasks = [i for i, name in enumerate(header) if _column_key(re.sub(r"\s+", "", fold(name))) == "task"]
    body = [row for row in rows if heading_row(row) is None]
    if len(tasks) < 3 or "number" in columns or len(body) != len(rows):
        return None
    for column in reversed(tasks[1:-1]):
        numbers = _level_numbers(body, column)
        if numbers is not None:
            own = {**columns, "task": tasks[-1], "number": column}
            return own, [[*row[:column], n, *row[column + 1 :]] for row, n in zip(body, numbers, strict=True)]
    return None


def _inner_task(header: list[str], rows: list[list[str]], columns: dict[str, int]) -> int | None:
    """A 重点任务 cell merged down over its 具体措施 rows (its value repeated on each row once the spans are
    filled), with a second task column beside it: the second column is the task, the first its group.
    None when the task column does not span rows (a 工作目标 column beside 重点工作 is no inner task)."""
    first = columns["task"]
    taken = set(columns.values())
    inner = next(
        (i for i in range(first + 1, len(header)) if i not in taken and _COLUMNS["task"].search(header[i])), None
    )
    if inner is None:
        return None
    values = [row[first] if first < len(row) else "" for row in rows if heading_row(row) is None]
    repeated = any(a and a == b for a, b in itertools.pairwise(values))
    return inner if repeated else None


def _measures_column(header: list[str], rows: list[list[str]], columns: dict[str, int]) -> int | None:
    """改革事项 | 具体举措 (U1): a second task column right of the task column whose cells list numbered 举措
    ("1.…；⏎2.…") in some row is the work, each 举措 a task "row.k"; the first column only names the row's
    matter. None when no cell of such a column is numbered."""
    first = columns["task"]
    taken = set(columns.values())
    for i in range(first + 1, len(header)):
        if i in taken or _column_key(re.sub(r"\s+", "", fold(header[i]))) != "task":
            continue
        if any(i < len(row) and _numbered_parts(row[i]) for row in rows):
            return i
    return None


def _group_column(header: list[str], rows: list[list[str]], columns: dict[str, int]) -> int | None:
    """An unnamed column left of the task column (问题 | 整改措施), merged down over its task rows (its value
    repeated on each once the spans are filled): the group the rows stand under, as H4's 重点任务."""
    taken = set(columns.values())
    for i in range(columns["task"]):
        if i in taken or not header[i].strip() or _column_key(re.sub(r"\s+", "", fold(header[i]))) is not None:
            continue
        values = [row[i] if i < len(row) else "" for row in rows if heading_row(row) is None]
        if any(a and a == b for a, b in itertools.pairwise(values)):
            return i
    return None


def _grouped_lines(rows: list[list[str]], columns: dict[str, int], inner: int) -> list[str]:
    """Each group (the merged 重点任务 cell) becomes a heading 一、二、 numbered by its 序号, each row under it
    an item numbered by its position in the group: ids "序号.k", section = the group's cell."""
    lines: list[str] = []
    own = {**columns, "task": inner}
    own.pop("number", None)
    group, groups, counter = None, 0, 0
    for row in rows:
        heading = heading_row(row)
        if heading is not None:
            lines.append(heading)
            continue
        cell = _cell(row, columns, "task")
        if cell != group:
            group, groups, counter = cell, groups + 1, 0
            number = _cell(row, columns, "number")
            lines.append(f"{to_cn(int(number) if number.isdigit() else groups)}、{cell}")
        counter += 1
        line = row_line(row, own, counter)
        if line is not None:
            lines.append(line)
    return lines


def _second_header(first: list[str], row: list[str]) -> dict[str, int] | None:
    """A two-row header (责任分工 spanning 牵头单位 | 责任单位 below it): the second row, its blanks and the
    cells the first row spans down filled from the first, when that names more roles."""
    merged = [cell or (first[i] if i < len(first) else "") for i, cell in enumerate(row)]
    if merged == first:
        return None
    columns = columns_of(merged)
    known = columns_of(first) or {}
    # 时间节点 over 开工 | 竣工: the same roles, said closer
    return columns if columns is not None and len(columns) >= len(known) else None


_CELLS = re.compile(r"[ \u3000]*\t[ \u3000]*|\u3000+| {2,}")
_PIPES = re.compile(r"\s*[|｜]\s*")


def _split(line: str, mode: str) -> list[str]:
    """A text row's cells: `pipes` (| between cells, as a Markdown table), `spaces` (single spaces, a
    PDF's table copied as text), `csv` (a sheet saved as .csv: commas, quoted cells holding "、" or "，",
    an empty field an empty cell) or `runs` (tabs, full-width spaces or runs of spaces, mixed freely in
    one table: a row typed with spaces under a header typed with tabs is still a row, not a wrap)."""
    line = line.strip()
    if mode == "pipes":
        cells = [cell.strip() for cell in _PIPES.split(line.strip("|｜ "))]
        return [] if all(re.fullmatch(r"[-:—\s]*", c) for c in cells) else cells
    if mode == "spaces":
        return line.split()
    if mode == "csv":
        return [cell.strip() for cell in next(csv.reader([line]))]
    return [cell.strip() for cell in _CELLS.split(line)]


def _mode(line: str) -> str | None:
    """How the cells of a header line are cut, or None when it is not a task table's header."""
    for mode in ("pipes", "runs", "spaces", "csv"):
        if (mode == "pipes" and "|" not in line and "｜" not in line) or (mode == "csv" and "," not in line):
            continue
        cells = [c for c in _split(line, mode) if c]
        if len(cells) >= 3 and all(len(c) <= 12 for c in cells) and columns_of(cells):
            return mode
    return None


def _fit(cells: list[str], width: int, columns: dict[str, int]) -> list[str]:
    """A row cut into more or fewer cells than the header: the first row of a group carries the merged
    category cell the others lack; a unit list written with spaces is one cell (its extra cells join
    the 责任单位 column)."""
    if len(cells) == width - 1 and "category" in columns:
        return [*cells[: columns["category"]], "", *cells[columns["category"] :]]
    if len(cells) > width:
        index = columns.get("responsible", columns.get("lead", width - 1))
        extra = len(cells) - width
        tail_is_due = "deadline" in columns and columns["deadline"] > index
        if tail_is_due or index < width - 1:
            return [*cells[:index], "、".join(cells[index : index + extra + 1]), *cells[index + extra + 1 :]]
        return [*cells[:index], "、".join(cells[index:])]
    return cells


# A 整改清单 in labelled blocks: each "问题N：" line opens task N (its 整改目标 / 牵头单位 / 整改时限 lines follow).
_BLOCK = re.compile(r"^\s*(?:问题|事项|任务)\s*(\d{1,3})\s*[:：]\s*")


# Field labels in square brackets run together after a task: 【牵头部门】X【协办部门】Y、Z【完成时限】T.
_SQUARE_LABEL = re.compile(r"【\s*([\u4e00-\u9fff]{2,6}(?:部门|单位|时限|时间|节点|领导|责任人))\s*】")


def _square_labels(line: str) -> str:
    """【牵头部门】X【协办部门】Y → （牵头部门：X；协办部门：Y）, the bracketed marker every layout reads; each
    【…】 starts a field of its own though nothing separates it from the value before."""
    first = _SQUARE_LABEL.search(line)
    if first is None:
        return line
    pieces = _SQUARE_LABEL.split(line[first.start() :])[1:]  # label, value, label, value, …
    fields = [f"{label}：{value.strip(' 。；;，,')}" for label, value in zip(pieces[::2], pieces[1::2], strict=True)]
    return f"{line[: first.start()]}（{'；'.join(fields)}）"


_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_GRID_LINE = re.compile(r"^\s*\|.*\|\s*$")


# A box-drawing table (a .doc saved as text): ┌─┬─┐ ├─┼─┤ └─┴─┘ rules and │ between cells read as the grid's + - |.
_BOX_RULE = re.compile(r"^\s*[┌├└╔╠╚┏┣┗][─━═┬┼┴╤╪╧╦╬╩┳╋┻]+[┐┤┘╗╣╝┓┫┛]\s*$")
_BOX_LINE = re.compile(r"^\s*[│┃║].*[│┃║]\s*$")
_BOX_TO_GRID = str.maketrans("┌┬┐├┼┤└┴┘╔╦╗╠╬╣╚╩╝╤╪╧┏┳┓┣╋┫┗┻┛─━═│┃║", "+" * 30 + "---|||")


def _box_to_grid(line: str) -> str:
    return line.translate(_BOX_TO_GRID) if _BOX_RULE.match(line) or _BOX_LINE.match(line) else line


def _grid_rows(lines: list[str]) -> list[str]:
    """A grid table (pandoc, +---+ rules, +===+ under the header): all the lines between two rules are ONE
    row, each column's pieces joined with no space (a wrap falls inside a name or a date: 市工业和信息化 /
    局). Each row becomes one `| … |` line, the rows on consecutive lines from the table's first rule and
    the freed lines left blank after the table, so the line count holds."""
    lines = [_box_to_grid(line) for line in lines]
    out, i = list(lines), 0
    while i < len(lines):
        if not _GRID_RULE.match(lines[i]):
            i += 1
            continue
        start = i
        rows: list[str] = []
        group: list[list[str]] = []
        while i < len(lines) and (_GRID_RULE.match(lines[i]) or _GRID_LINE.match(lines[i])):
            if _GRID_RULE.match(lines[i]):
                rows += [_grid_join(group)] if group else []
                group = []
            else:
                group.append([cell.strip() for cell in lines[i].strip().strip("|").split("|")])
            i += 1
        out[start:i] = rows + [""] * (i - start - len(rows))
    return out


def _grid_join(group: list[list[str]]) -> str:
    width = max(len(cells) for cells in group)
    columns = ["".join(cells[k] for cells in group if k < len(cells)) for k in range(width)]
    return "| " + " | ".join(columns) + " |"


def text_tables(text: str) -> str:
    """Task tables pasted as text → marked items, the same number of lines (see the module docstring)."""
    lines = _grid_rows([_square_labels(_BLOCK.sub(r"\1.", block_number(line))) for line in text.split("\n")])
    fold_steps(lines)
    unit_sections(lines)
    _joined_lists(lines)
    by_number(lines)
    i = 0
    while i < len(lines):
        found = _layout_table(lines, i) or _row_table(lines, i) or _cell_table(lines, i) or _form_run(lines, i)
        i = found if found else i + 1
    by_number(lines)  # a 注 under a table giving its rows' roles by number (W11): read once the rows are items
    _settle_unit_free(lines)
    return "\n".join(lines)


_FREE_ROW = re.compile(r"^(\d{1,3})\.\s?(.*?)。(?:\(完成时限:([^()]*)\))?$")


def _settle_unit_free(lines: list[str]) -> None:
    """A table with no unit column (`UNIT_FREE_MARK`) whose rows got their roles from a 注 by number is a task
    table; one whose rows got none (a 进度安排 of steps and dates) is plain text as before, its rows "1 X 6月底前"
    (in place)."""
    for i, line in enumerate(lines):
        if line != UNIT_FREE_MARK:
            continue
        rows = list(
            itertools.takewhile(
                lambda k: bool(_FREE_ROW.match(lines[k]) or "单位:" in lines[k]), range(i + 1, len(lines))
            )
        )
        if any("单位:" in lines[k] for k in rows):
            lines[i] = TABLE_MARK
            continue
        lines[i] = ""
        for k in rows:
            if m := _FREE_ROW.match(lines[k]):
                lines[k] = " ".join(part for part in m.groups() if part)


# Three lists joined by a number (巡察整改 "三张清单"): 问题清单 "1.问题", 任务清单 "1-2 任务" and a 责任清单 table
# whose rows open with the same "1-2" (任务编号 | 责任领导 | 牵头单位 | 责任单位 | 整改时限).
_JOINED_KEY = re.compile(r"^\s*(\d{1,2})\s*[-－—]\s*(\d{1,2})(?=[\s\u3000])")
_PROBLEM = re.compile(r"^\s*(\d{1,2})\s*[.．、]\s*(\S.*)$")


def _joined_lists(lines: list[str]) -> None:
    """A 责任清单 table keyed by "N-M" and a 任务清单 of lines "N-M 任务" elsewhere (a 问题清单 "N.问题" above
    them) → one task table: the 问题 N a heading 一、…, each 任务 N-M its item M with the units and 时限 of the
    责任清单 row of the same number (ids N.M, section the 问题). Rewrites `lines` in place (the block where the
    任务清单 stood, the lists read emptied)."""
    table = _keyed_table(lines)
    if table is None:
        return
    header, columns, rows = table
    tasks = {
        (m.group(1), m.group(2)): k
        for k, line in enumerate(lines)
        if k not in rows.values() and (m := _JOINED_KEY.match(line)) and k < header
    }
    if not tasks or not set(tasks) <= set(rows):
        return
    first = min(tasks.values())
    problems = _problem_lines(lines, first, {n for n, _ in tasks})
    block = [TABLE_MARK]
    headed: set[str] = set()
    for n, part in sorted(tasks, key=lambda key: (int(key[0]), int(key[1]))):
        if n in problems and n not in headed:
            headed.add(n)
            problem = _PROBLEM.match(lines[problems[n]])
            block.append(f"{to_cn(int(n))}、{problem.group(2) if problem else ''}")
        row = _split(lines[rows[n, part]], "runs")
        task = _JOINED_KEY.sub("", lines[tasks[n, part]]).strip(" \u3000")
        block.append(row_line([*row, task], {**columns, "task": len(row)}, int(part)) or "")
    end = max(rows.values()) + 1
    if end - first < len(block):
        return
    for k in [*problems.values(), *range(first, end)]:
        lines[k] = ""
    lines[first : first + len(block)] = block


def _keyed_table(lines: list[str]) -> tuple[int, dict[str, int], dict[tuple[str, str], int]] | None:
    """The 责任清单: a header line with units columns, its rows opening with "N-M" (header line, columns, rows)."""
    for k, line in enumerate(lines):
        if "编号" not in line or _mode(line) != "runs":
            continue
        columns = columns_of(_split(line, "runs"))
        if columns is None or not ({"lead", "responsible"} & columns.keys()):
            continue
        rows: dict[tuple[str, str], int] = {}
        for i in range(k + 1, len(lines)):
            m = _JOINED_KEY.match(lines[i])
            if m is None:
                if lines[i].strip():
                    break
                continue
            rows[m.group(1), m.group(2)] = i
        if rows:
            return k, columns, rows
    return None


def _problem_lines(lines: list[str], before: int, numbers: set[str]) -> dict[str, int]:
    """The last run of lines "N.问题" above `before` whose numbers are the tasks' first parts."""
    found: dict[str, int] = {}
    for k in range(before - 1, -1, -1):
        m = _PROBLEM.match(lines[k])
        if m and m.group(1) in numbers and m.group(1) not in found:
            found[m.group(1)] = k
        if set(found) == numbers:
            return found
    return {}


# A running head over a table's next page: "…分解表（续）", "续表", a 文号 with the table's name.
RUNNING_HEAD = re.compile(r"[(（]\s*续\s*[)）]|续表|^\S{0,20}〔\d{4}〕\d{1,4}号|\S\s{2,}\S{1,12}〔\d{4}〕\d{1,4}号\s*$")

_PIECE = re.compile(r"\S+(?: \S+)*")  # a cell's text in a layout copy: runs of 2+ spaces cut the cells


def _pieces(line: str) -> list[tuple[int, str]]:
    """(column, text) of each piece of a layout line; a form feed counts as no column."""
    line = line.replace("\f", " ").replace("\t", "    ")
    return [(m.start(), m.group()) for m in _PIECE.finditer(line)]


def _layout_header(line: str | list[tuple[int, str]]) -> tuple[list[int], dict[str, int]] | None:
    """The column starts and roles of a layout copy's header line (or its pieces, `_header_wrap`), or None."""
    pieces = _pieces(line) if isinstance(line, str) else line
    if len(pieces) < 3 or (isinstance(line, str) and "\t" in line) or any(len(text) > 12 for _, text in pieces):
        return None
    columns = columns_of([text for _, text in pieces])
    if columns is None or columns.get("number") != 0:
        return None
    return [start for start, _ in pieces], columns


def _layout_table(lines: list[str], start: int) -> int | None:
    """A table copied from a PDF in LAYOUT mode (pdftotext -layout): cells kept apart by runs of spaces, a
    row running from its 序号 line to the next, each wrapped piece standing on a following line under its
    own column and joined to that column's text with no space (a wrap falls inside a name or a date, K16).
    Blank lines, page footers, a running header and the header row repeated on the next page are no rows
    (K6). Rewrites `lines` in place (the row on its 序号 line, the rest emptied); None when the lines after
    the header are not such a layout (no wrapped piece standing under a column)."""
    found = _layout_start(lines, start)
    if found is None:
        return None
    starts, columns, body = found
    rows, last = _layout_rows(lines, body, starts, starts[columns["task"]])
    if not rows:
        return None
    lines[start] = TABLE_MARK
    for (at, _), item in zip(rows, numbered_rows([cells for _, cells in rows], columns), strict=True):
        lines[at] = item or ""
    return last


def _layout_start(lines: list[str], start: int) -> tuple[list[int], dict[str, int], int] | None:
    """The layout header at `start` (one line or wrapped over two): its column starts, its columns and the
    first body line; None when the lines under it are no layout copy."""
    wrapped = _header_wrap(lines, start)
    found = _layout_header(wrapped or lines[start])
    if found is None:
        return None
    starts, columns = found
    task_at = starts[columns["task"]]
    body = start + (2 if wrapped else 1)
    window = lines[body : body + 11]
    if not any(_layout_wrap(line, task_at) for line in window) and not _spaced_rows(window, starts):
        return None
    if wrapped:
        lines[start + 1] = ""
    return starts, columns, body


def _layout_rows(
    lines: list[str], body: int, starts: list[int], task_at: int
) -> tuple[list[tuple[int, list[str]]], int]:
    """The layout's rows from `body` on, each with its 序号 line and its cells (wrapped pieces joined on),
    and the line after the table; the lines read are emptied."""
    rows: list[tuple[int, list[str]]] = []
    i, last = body, body
    while i < len(lines):
        line = lines[i]
        pieces = _pieces(line)
        if not pieces or page_number(line):
            i += 1
            continue
        first = pieces[0][1]
        if _NUMBER.match(first) and pieces[0][0] < task_at and len(pieces) >= 2:
            rows.append((i, [""] * len(starts)))
        elif _SECTION.match(first) and len(pieces) == 1:
            last = i = i + 1
            continue
        elif not (rows and pieces[0][0] >= task_at - 1):
            skip = _layout_skip(lines, i, bool(rows))
            if skip is None:
                break
            i = last = skip
            continue
        _layout_cells(rows[-1][1], pieces, starts)
        lines[i] = ""
        i = last = i + 1
    return rows, last


def _layout_skip(lines: list[str], i: int, in_rows: bool) -> int | None:
    """A line no row starts or continues: past a repeated header or the next page's running head, the
    line after it (those lines emptied); None where the table ends."""
    line = lines[i]
    skip = _repeated_header(lines, i)
    if skip is None and in_rows and (line.startswith("\f") or RUNNING_HEAD.search(line)):
        skip = i + 1  # the next page's running head, no header repeated under it
    if skip is None or not in_rows:
        return None
    for k in range(i, skip):
        lines[k] = ""
    return skip


def _layout_cells(cells: list[str], pieces: list[tuple[int, str]], starts: list[int]) -> None:
    """Each piece joined to the cell of the column whose header stands nearest."""
    for at, text in pieces:
        column = min(range(len(starts)), key=lambda k: abs(starts[k] - at))
        cells[column] += text


def _header_wrap(lines: list[str], start: int) -> list[tuple[int, str]] | None:
    """A layout header row wrapped over two lines (完成 / 时限 under it): the pieces of the first line, each
    with the piece of the second that stands under it joined on; None when the next line is no such wrap."""
    if start + 1 >= len(lines):
        return None
    top, below = _pieces(lines[start]), _pieces(lines[start + 1])
    if len(top) < 3 or not below or any(len(text) > 6 or _NUMBER.match(text) for _, text in below):
        return None
    joined = dict(top)
    for at, text in below:
        near = min(joined, key=lambda k: abs(k - at))
        if abs(near - at) > 4:
            return None
        joined[near] += text
    return sorted(joined.items())


def _spaced_rows(window: list[str], starts: list[int]) -> bool:
    """Numbered rows kept apart by blank lines, their cells standing at the header's columns: a layout copy
    even where no cell wraps (a table read one row a line would end at the first blank line)."""
    numbered = [k for k, line in enumerate(window) if (p := _pieces(line)) and _NUMBER.match(p[0][1])]
    aligned = all(min(abs(at - s) for s in starts) <= 3 for k in numbered[:2] for at, _ in _pieces(window[k]))
    return len(numbered) >= 2 and aligned and any(not window[k].strip() for k in range(numbered[0], numbered[1]))


def _layout_wrap(line: str, task_at: int) -> bool:
    """A wrapped line of a layout row: indented to the task column or further, no 序号 of its own."""
    pieces = _pieces(line)
    return bool(pieces) and pieces[0][0] >= task_at - 1 and not _NUMBER.match(pieces[0][1])


def _repeated_header(lines: list[str], at: int) -> int | None:
    """A page break inside a layout table: the line after the header row repeated within the next four
    lines (the running head above it), else None."""
    for k in range(at, min(at + 5, len(lines))):
        if _layout_header(lines[k]) is not None:
            return k + 1
    return None


def _row_table(lines: list[str], start: int) -> int | None:
    """One row a line from `start` (its header): rewrites `lines` in place, returns the line after it."""
    mode = _mode(lines[start])
    if mode is None:
        return None
    header = [c for c in _split(lines[start], mode) if c] if mode != "runs" else _split(lines[start], mode)
    columns = columns_of(header)
    if columns is None:
        return None
    lines[start] = TABLE_MARK
    rows: list[tuple[int, list[str]]] = []
    joined = _join_wraps(lines, start + 1, columns, len(header)) if mode == "spaces" else set()
    i, end = start + 1, _note_row(lines, start)
    while i < end:
        cells = _split(lines[i], mode) if lines[i].strip() else []
        filled = [c for c in cells if c]
        if not filled:
            if rows and i not in joined:  # a blank line ends the table; a line joined to its row does not
                break
            i += 1
            continue
        if len(filled) == 1 and (_SECTION.match(filled[0]) or not rows):
            lines[i] = filled[0]
        elif len(filled) == 1:  # a cell that wraps onto this line
            _continue(rows[-1][1], filled[0], columns)
            lines[i] = ""
        elif len(cells) >= 2 and (_NUMBER.match(cells[0]) or len(cells) >= len(header) - 1):
            rows.append((i, _fit(cells, len(header), columns)))
        else:
            break
        i += 1
    for (at, _), item in zip(rows, numbered_rows([cells for _, cells in rows], columns), strict=True):
        lines[at] = item or ""
    return i


def numbered_rows(rows: list[list[str]], columns: dict[str, int]) -> list[str | None]:
    """Each data row as a marked item; rows sharing one 序号 (merged over them, or repeated) are its
    sub-items N.(1), (2): ids N.1, N.2 (round4 K14)."""
    numbers = [_cell(row, columns, "number") for row in rows]
    out: list[str | None] = []
    counter = part = 0
    for k, row in enumerate(rows):
        number = numbers[k]
        around = (numbers[k - 1] if k else "", numbers[k + 1] if k + 1 < len(rows) else "")
        if number.isdigit() and number in around:
            counter, part = (counter + 1, 1) if not k or numbers[k - 1] != number else (counter, part + 1)
            out.append(row_line(row, columns, counter, mark=f"{number}.(1)" if part == 1 else f"({part})"))
        else:
            counter += 1
            out.append(row_line(row, columns, counter))
    return out


_NOTE = re.compile(r"^\s*(?:注|备注|说明)\s*\d?\s*[:：]")


def _note_row(lines: list[str], start: int) -> int:
    """The first 注：/说明： line after `start` (a note under the table, its other cells empty, is no row)."""
    return next((k for k in range(start + 1, len(lines)) if _NOTE.match(lines[k])), len(lines))


_ROW_START = re.compile(r"^\s*(\d{1,3})\s")
_CATEGORY_ROW_START = re.compile(r"^\s*(?:\S{1,20}\s)?(\d{1,3})\s")  # 发展目标 1 …: a merged category cell


def _join_wraps(lines: list[str], start: int, columns: dict[str, int], width: int) -> set[int]:
    """A table copied from a PDF with single spaces between cells wraps its rows at the page's width, inside
    a cell and even inside a unit name (市水 / 利局): until a blank line, each line that does not open the
    next row (its 序号) or a heading joins the row above it, without a space (Chinese text) unless the
    row then has too few cells (the wrap fell between two cells); page numbers between pages are dropped.
    Rewrites `lines` in place and returns the lines it emptied, which the table reading skips."""
    joined: set[int] = set()
    row, expected = None, 1
    opening = _CATEGORY_ROW_START if "category" in columns else _ROW_START
    for i in range(start, len(lines)):
        line = lines[i].strip()
        if not line:
            break
        number = opening.match(line)
        if page_number(line) or (row is not None and not _opens(line, number, expected)):
            if not page_number(line) and row is not None:
                glued = lines[row] + line
                lines[row] = glued if len(glued.split()) >= width else f"{lines[row]} {line}"
            lines[i] = ""
            joined.add(i)
            continue
        row, expected = i, int(number.group(1)) + 1 if number else expected
    return joined


def _opens(line: str, number: re.Match[str] | None, expected: int) -> bool:
    return bool(_SECTION.match(line)) or (number is not None and int(number.group(1)) == expected)


def _continue(row: list[str], text: str, columns: dict[str, int]) -> None:
    """The wrapped part of a cell joins the cell left open (ending in ，or 、), else the task."""
    open_cells = [i for i, cell in enumerate(row) if cell and cell[-1] in _OPEN_CELL]
    index = open_cells[-1] if open_cells else columns["task"]
    while len(row) <= index:
        row.append("")
    row[index] += text


def _cell_table(lines: list[str], start: int) -> int | None:
    """One cell a line: a header of short lines from `start`, then rows opening with their 序号."""
    header: list[str] = []
    i = start
    while (
        i < len(lines)
        and lines[i].strip()
        and len(lines[i].strip()) <= 8
        and len(header) < 10
        and not _NUMBER.match(lines[i])
    ):
        header.append(lines[i].strip())
        i += 1
    columns = columns_of(header) if len(header) >= 3 else None
    if columns is None or columns.get("number") != 0:
        return None
    for k in range(start, i):
        lines[k] = ""
    lines[start] = TABLE_MARK
    width = len(header)
    counter = 0
    while i < len(lines) and (m := _NUMBER.match(lines[i])) and lines[i].strip():
        cells, first = [m.group(1)], i
        i += 1
        while i < len(lines) and lines[i].strip() and len(cells) < width:
            cells.append(lines[i].strip())
            i += 1
        counter += 1
        for k in range(first, i):
            lines[k] = ""
        lines[first] = row_line(cells, columns, counter) or ""
    return i


# A 督办通知单 / 交办单 form: a two-column KEY–VALUE table, one field a line ("主办单位 县水利局", "办结时限：…"),
# or a task card (任务一 heading, then 工作内容： / 责任分工： / 完成时限：).
_FORM_LINE = re.compile(r"^\s*([\u4e00-\u9fff]{2,6})(?:\s*[:：]\s*|[ \t\u3000]+)(\S.*)$")
_FORM_IGNORE = re.compile(r"依据|要求|领导|联系|电话|备注|说明|编号|责任人")
# not 整改措施: the measures under a numbered 问题
_FORM_TASK = re.compile(r"(?:事项|任务|任务内容|工作内容|任务名称)$")
_FORM_ORDER = ("task", "lead", "responsible", "deadline", "supervise")
# A task card's heading above its fields (任务一　X, a <dl> card, Q13): the card's number is the task's.
_CARD = re.compile(r"^\s*(?:任务|事项)\s*([一二三四五六七八九十]{1,3}|\d{1,3})(?:[\s\u3000:：、.．]|$)")


def _form_key(line: str) -> tuple[str, str] | None:
    """The role of a form's field line and its value; None when the line is no field a form holds."""
    m = _FORM_LINE.match(line)
    if m is None:
        return None
    key = m.group(1)
    if _FORM_IGNORE.search(key):
        role: str | None = "ignore"
    elif _FORM_TASK.search(key):
        role = "task"  # 督办事项: the task, though 督办 names the supervisor elsewhere
    else:
        role = next((k for k in _FORM_ORDER[1:] if _COLUMNS[k].search(key)), None)
    return (role, m.group(2).strip()) if role else None


def _form_fields(lines: list[str], start: int) -> tuple[dict[str, str], int]:
    """The fields of the form opening at `start` (its task field) and the line after it: a field line
    that does not start with a key continues the value above when a field follows it (a wrapped value)."""
    fields: dict[str, str] = {}
    last, i = "", start
    while i < len(lines):
        found = _form_key(lines[i])
        if found is None and _SECTION.match(lines[i]):
            break  # a section heading between two tasks' field tables (S7)
        if found is None:
            if not last or not lines[i].strip() or i + 1 >= len(lines) or _form_key(lines[i + 1]) is None:
                break
            fields[last] += lines[i].strip()
        elif (found[0] in fields and found[0] != "ignore") or (found[0] == "task" and fields):
            break  # the next form
        else:
            last = found[0]
            fields[last] = found[1]
        i += 1
    return fields, i


def _ignored_field(line: str) -> bool:
    found = _form_key(line)
    return found is not None and found[0] == "ignore"


def _past_headings(lines: list[str], i: int) -> int:
    """The line after the blank lines, section headings (and 任务编号 fields) that stand between two forms."""
    while i < len(lines) and (not lines[i].strip() or _SECTION.match(lines[i]) or _ignored_field(lines[i])):
        i += 1
    return i


def _form_mark(lines: list[str], start: int) -> None:
    """The table mark above the first form; above its section heading when one stands right before it with a
    free line (a 任务编号 field) between, so the heading is the table's first section row."""
    head = start - 1
    while head > start - 4 and head >= 0 and (not lines[head].strip() or _ignored_field(lines[head])):
        head -= 1
    if 0 <= head < start - 1 and _SECTION.match(lines[head]):
        lines[head + 1 : start] = [lines[head]] + [""] * (start - head - 2)
        lines[head] = TABLE_MARK
        return
    lines[start - 1 if start and not lines[start - 1].strip() else start] = TABLE_MARK


def _card_number(card: re.Match[str] | None) -> str:
    """任务三 → "3" (the card's number in arabic figures); "" for a form with no card heading."""
    if card is None:
        return ""
    return card.group(1) if card.group(1).isdigit() else str(cn_number(card.group(1)) or "")


def _form_run(lines: list[str], start: int) -> int | None:
    """Forms one after another (督办事项 / 主办单位 / 协办单位 / 办结时限 / 督办单位 …, L23): each form is a row
    of a task table, numbered in order. Rewrites `lines` in place (the table mark on the first form's first
    line, each row on its form's task line, the rest emptied); None when no form with a task and a unit
    opens at `start`."""
    rows: list[tuple[int, list[str]]] = []
    keep: set[int] = set()  # section headings between the forms stay the table's section rows
    i = start
    while True:
        j = _past_headings(lines, i) if rows else i
        card = _CARD.match(lines[j]) if j + 1 < len(lines) else None
        at = j + 1 if card else j
        found = _form_key(lines[at]) if at < len(lines) else None
        if found is None or found[0] != "task":
            break
        fields, end = _form_fields(lines, at)
        if not ({"lead", "responsible"} & fields.keys()) or len(fields.keys() - {"ignore"}) < 3:
            break
        keep.update(k for k in range(i, j) if _SECTION.match(lines[k]))
        rows.append((j, [fields.get(key, "") for key in _FORM_ORDER] + [_card_number(card)]))
        i = end
    if not rows:
        return None
    columns = {key: k for k, key in enumerate((*_FORM_ORDER, "number"))}
    for k in range(start, i):
        lines[k] = lines[k] if k in keep else ""
    _form_mark(lines, start)
    items = numbered_rows([cells for _, cells in rows], columns)
    for (at, _), item in zip(rows, items, strict=True):
        lines[at if lines[at] != TABLE_MARK else at + 1] = item or ""
    return i
