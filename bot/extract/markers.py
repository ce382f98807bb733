"""Unit markers after a task or on a section heading, in any bracket and colon width:
(责任单位:…) （牵头单位：X；责任单位：A、B） 〔牵头单位:…〕 [责任单位:…] (责任部门:…) (完成时限:…); marker
lines without brackets (牵头单位：X on a line of its own, 时限要求：持续推进); and the prose form
(市科技局牵头,市财政局、各区政府按职责分工负责,下同). A marker whose closing bracket was lost in the copy
runs to the end of its item. Notes inside a marker are conventions, never units: 以下均需各镇、园区
落实,不再列出 gives inherited units for every later task, 下同 carries the marker's units to the next
items (until one names its own), 第一责任单位为牵头单位 (列第一位者为工作牵头单位) makes each list's first unit
its lead; "X、Y（双牵头）" makes both lead. A paragraph that opens with its unit (县住建局：负责…，会同X…，
Y配合…，12月底前完成。) is a marker too: the unit leads, X and Y are responsible, the time clause its deadline.
A 项目 block's 实施单位 is responsible, or leads when a 行业主管部门 line names the department over it (which is
then responsible); 计划完成时间 is a time label; a label may carry a bracketed qualifier
(配合科室（单位）：); 责任社区： names responsible units. The text is folded (`textutil.fold`), so
traditional characters (牽頭單位) read the same.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from bot.extract.textutil import bracket_end, fold_width, split_outside_brackets

# a bureau's or a 街道's own offices: 牵头科室 / 责任处室 / 配合股室 (Q17)
_LEAD_KEYS = r"牵头责任单位|牵头责任部门|牵头单位|牵头部门|牵头[科处股]室|主责单位|主办单位|承办单位|承办部门|牵头"
_RESP_KEYS = (
    r"协同责任单位|协同单位|协同部门|责任单位|责任部门|责任[科处股]室|配合[科处股]室|配合单位|"
    r"配合部门|协办单位|协办部门|参与单位|实施单位|行业主管部门|主管部门|责任社区|责任村居|责任乡镇|责任主体|落实单位|责任|配合|协办"
)
_TIME_KEYS = r"计划完成时间|完成时限|完成时间|办理时限|办结时限|时间节点|时间要求|时限要求|时限|时间"
# people, never units; 牵头市领导 / 牵头县领导 / 包联镇领导 name the level of the person between the role and 领导
_PERSON_KEYS = r"(?:责任|牵头|分管|联系|包片|包案|包抓|包联)[市县区镇乡]?领导|责任人"
_SHARE_KEYS = r"任务分解|分解任务|任务分配"  # 任务分解:东湖区12个,西岭区10个: each district its share (U13)
_SUPERVISE_KEYS = r"督查单位|督办单位|督导单位|督查部门|督办部门"  # 督查: they watch, never lead or do
_PROSE_KEYS = r"部门分工|责任分工|任务分工"  # 部门分工：X牵头，各地、各部门配合
_KEYS = rf"{_LEAD_KEYS}|{_RESP_KEYS}|{_TIME_KEYS}|{_PERSON_KEYS}|{_PROSE_KEYS}|{_SUPERVISE_KEYS}|{_SHARE_KEYS}"
# a label's bracketed qualifier: 配合科室(单位): / 责任单位(部门): (round11 s08)
_QUALIFIER = r"(?:\((?:单位|部门|科室|处室|股室|中心)\))?"
_KEY = re.compile(rf"^\s*({_KEYS}){_QUALIFIER}\s*:\s*")
_OPEN = re.compile(rf"[(\[〔【]\s*(?:{_KEYS}){_QUALIFIER}\s*:")
_LINE = re.compile(rf"(?:^|(?<=[。;\n]))[ \t]*(?:{_KEYS}){_QUALIFIER}[ \t]*:", re.MULTILINE)
_OTHER_LABEL = re.compile(rf"。(?=\s*(?!(?:{_KEYS}){_QUALIFIER}\s*:)[^\s,。;:()]{{2,8}}:)")
_HELPS = r"配合|参与|协助|协同|落实|按职责分工负责|按职责负责|分工负责|具体实施|组织实施|予以支持|支持|负责"
_PROSE = re.compile(
    rf"^(?P<lead>[^。]{{2,60}}?)(?:牵头|负责|牵头负责)(?:落实|实施|推进|办理|组织实施)?"
    rf"(?:[,;、](?P<resp>[^。]{{2,160}}?)(?:{_HELPS}))?$"
)
_INHERIT = re.compile(r"以下(?:各项)?(?:任务)?(?:均|都|也)?(?:需|由|要|需要)(?P<units>.+?)(?:负责|落实|参与|配合|承担)")
FIRST_LEADS = re.compile(
    r"(?:排|列)在?(?:第一位|首位|第一个|最前)的?(?:单位|部门|者)?为(?:工作)?牵头(?:单位|部门)|"
    r"(?:第一|首位|排名第一的?)(?:责任)?(?:单位|部门)?(?:为|是)(?:工作)?牵头(?:单位|部门)"
)
# 责任单位有两个及以上的，排在第一位的为牵头单位: the rule covers lists of several units; a lone unit stays responsible
SEVERAL_FIRST_LEADS = re.compile(
    r"(?:两个|二个|2个|多个)(?:及|或)?以上[^。;]{0,12}?(?:排|列)在?(?:第一位|首位|第一个|最前)|"
    r"多个(?:责任)?(?:单位|部门)[^。;]{0,12}?(?:排|列)在?(?:第一位|首位|第一个|最前)"
)
# 牵头单位(无牵头单位的,责任单位即为牵头单位,下同): a task that names only 责任单位 is led by them
RESPONSIBLE_LEAD = re.compile(r"无牵头(?:单位|部门)的?[,;]?\s*责任(?:单位|部门)(?:即|就)?为牵头(?:单位|部门)")
# 责任单位为项目的牵头实施单位，配合单位按职责做好配合: a 责任单位 line names the lead, its 配合单位 the
# responsible (U13)
CHARGED_LEAD = re.compile(
    r"(?<![第一无])责任(?:单位|部门)(?:即|就)?(?:为|是)[^,;。]{0,6}?牵头(?:实施|落实|责任)?(?:单位|部门)"
)
_SAME_BELOW = re.compile(r"[,;、]?\s*(?:下同|以下同|后同)\s*$")
_NOTE = re.compile(r"\((?=[^()]*(?:下同|后同|为牵头|是牵头|不再|以下))[^()]*\)")


@dataclass
class Marker:
    lead: list[str] = field(default_factory=list)  # names as written
    responsible: list[str] = field(default_factory=list)
    deadline: str | None = None
    supervise: list[str] = field(default_factory=list)  # 督查单位 / 督办单位
    inherit: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    same_below: bool = False  # 下同: the units hold for the next items too
    first_leads: bool = False  # 第一责任单位为牵头单位
    executors: list[str] = field(default_factory=list)  # 实施单位: responsible, or lead beside a 主管部门 (S11)
    charged: list[str] = field(default_factory=list)  # a plain 责任单位: field, the lead when the notice says so
    overseen: bool = False  # a 行业主管部门 field: the 实施单位 leads, the 主管部门 is responsible

    @property
    def names_units(self) -> bool:
        return bool(self.lead or self.responsible)


def find_markers(text: str) -> Marker:
    """All markers of one item (folded text); `spans` are what to cut from the body.

    Bracketed markers first; then marker lines (牵头单位:X on a line of its own, or after a sentence);
    and without either, a prose marker in brackets closing the item ((X牵头,Y配合))."""
    marker = Marker()
    pos = 0
    while (m := _OPEN.search(text, pos)) is not None:
        close = bracket_end(text, m.start())
        end = close or len(text)  # a marker that lost its bracket ends the item
        content = text[m.start() + 1 : close - 1] if close else text[m.start() + 1 :]
        _fields(content, marker)
        marker.spans.append((m.start(), end))
        pos = end
    _marker_lines(text, marker)
    if (first := unit_first(text)) is not None:  # 县住建局:负责…: the unit before the colon leads (R5)
        marker.lead.append(first.group("units"))
        marker.spans.append((first.start(), first.end()))
        _unit_first_clauses(text, first.end(), marker)
    marker.spans.sort()
    if not marker.spans:
        _prose_marker(text, marker)
    if marker.executors:
        if marker.overseen and not marker.lead:
            marker.lead.extend(marker.executors)
        else:
            marker.responsible[:0] = marker.executors
    return marker


# A paragraph that opens with its unit(s) and a colon, the work after 负责 (县住建局:负责…,会同X…,12月底前完成。)
_UNIT_FIRST = re.compile(r"[ \t\u3000]*(?P<units>[^\n:。,;()]{2,80}?)\s*:\s*负责", re.MULTILINE)
_SUFFIX = r"(?:局|委|办|厅|政府|中心|办公室|委员会|管委会|集团|公司|部|院|社|联|会|大队|支队|办事处)"
_UNIT_END = re.compile(_SUFFIX + "$")
_RUN = rf"[\u4e00-\u9fff()]{{2,24}}{_SUFFIX}(?:、[\u4e00-\u9fff()]{{2,24}}{_SUFFIX})*"
_WITH = re.compile(rf"会同(?P<units>{_RUN})")  # 会同X落实…: X works with the lead, the clause the lead's work
_HELPER = re.compile(rf"(?P<units>{_RUN})(?:配合|协助|参与)")  # 县财政局配合做好测算: that unit's part, no title
_TIME_FIRST = re.compile(
    r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|底|末|[上中下]旬)?(?:前|以前|之前)|每[月季年][^,]{0,8}?(?:前|以前)|"
    r"按[^,]{0,6}统一(?:部署|安排)|长期坚持|持续推进"
)
_DONE = re.compile(r"(?:完成|出台|推进|实施|办结|到位|落实)?(?:并?长期坚持)?")


def _unit_first_clauses(text: str, start: int, marker: Marker) -> None:
    """The clauses after 县住建局:负责…: 会同X → X responsible (the clause stays the lead's work); "Y配合…" → Y
    responsible, the clause cut; the closing time clause ("12月底前完成") the deadline, cut from the title, its
    work kept when it has more than a verb ("每月5日前报送上月进展" → 报送上月进展)."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    clauses = split_outside_brackets(text[start:end].rstrip("。; "), ",")
    for k, (clause, at) in enumerate(clauses):
        a = start + at
        stripped = clause.strip()
        if (m := _WITH.match(stripped)) is not None:
            marker.responsible.append(m.group("units"))
        elif k and (m := _HELPER.match(stripped)) is not None:
            marker.responsible.append(m.group("units"))
            marker.spans.append((a - 1, a + len(clause)))
        elif k and k == len(clauses) - 1 and (m := _TIME_FIRST.match(stripped)) is not None:
            marker.deadline = marker.deadline or stripped
            whole = _DONE.fullmatch(stripped[m.end() :]) is not None
            marker.spans.append((a - 1, end) if whole else (a, a + m.end()))


def unit_first(text: str, pos: int = 0) -> re.Match[str] | None:
    """The unit list and colon that open a paragraph at `pos` ("A、B:负责…"), or None; every name a unit's."""
    m = _UNIT_FIRST.match(text, pos)
    if m is None:
        return None
    names = [p.strip() for p, _ in split_outside_brackets(m.group("units"), "、")]
    return m if all(_UNIT_END.search(n) and len(n) >= 3 for n in names) else None


def _marker_lines(text: str, marker: Marker) -> None:
    """牵头单位:X lines outside the bracketed markers. The bracket spans are sorted and disjoint and the
    lines come in text order, so each match is checked against one bracket span (bisect) and the last
    line taken: linear in the item, however many markers it holds."""
    brackets = list(marker.spans)
    starts = [s for s, _ in brackets]
    line_end = -1
    for m in _LINE.finditer(text):
        k = bisect.bisect_right(starts, m.start()) - 1
        if m.start() < line_end or (k >= 0 and m.start() < brackets[k][1]):
            continue
        end = text.find("\n", m.end())
        line_end = len(text) if end < 0 else end
        other = _OTHER_LABEL.search(text, m.end(), line_end)  # 。存在问题:… 整改要求:…: the item's text again
        line_end = other.start() + 1 if other else line_end
        _fields(text[m.start() : line_end], marker)
        marker.spans.append((m.start(), line_end))


def _notes(content: str, marker: Marker) -> str:
    """Notes inside a marker are conventions, not units: (第一责任单位为牵头单位,下同), 下同, 不再列出."""
    for note in _NOTE.findall(content):
        if FIRST_LEADS.search(note):
            marker.first_leads = True
        elif re.search(r"下同|后同", note):
            marker.same_below = True
    content = _NOTE.sub("", content)
    if FIRST_LEADS.search(content):
        marker.first_leads = True
        content = FIRST_LEADS.sub("", content)
    if _SAME_BELOW.search(content.rstrip("。;, ")):
        marker.same_below = True
        content = _SAME_BELOW.sub("", content.rstrip("。;, "))
    return content


def _fields(content: str, marker: Marker) -> None:
    content = _notes(content, marker)
    content = re.sub(rf"(?:[,;。]\s*|\s+)(?=(?:{_KEYS}){_QUALIFIER}\s*:)", ";", content)  # 牵头单位:X  责任单位:Y
    for part, _ in split_outside_brackets(content, ";。"):
        part = part.strip()
        if not part or re.fullmatch(r"[,、\s]*(?:下同|以下同|后同)?", part):
            continue
        inherit = _INHERIT.search(part)
        if inherit:
            marker.inherit.append(inherit.group("units"))
            part = part[: inherit.start()].strip(",; ")
            if not part:
                continue
        if not _KEY.match(part) and re.search(r"下同|后同", part):
            marker.same_below = True  # 以上单位下同,不再做分工: a note, not a unit
            continue
        if re.search(r"不再(?:一一)?(?:列出|列举|分工|做分工|重复)", part):
            continue
        _field(part, marker)


def _field(part: str, marker: Marker) -> None:
    """One labelled field (牵头单位:X, 完成时限:Y, 部门分工:X牵头…) or an unlabelled list of units."""
    key = _KEY.match(part)
    value = part[key.end() :] if key else part
    name = key.group(1) if key else "责任单位"
    if re.fullmatch(_PERSON_KEYS, name) or re.fullmatch(r"[—\-－–/无無\s]*", value):
        return  # a person, or an empty field (配合单位:无)
    if name == "实施单位" and not _JOINT_LEAD.search(value) and marked_leads(value) is None:
        marker.executors.append(value)
    elif re.fullmatch(_TIME_KEYS, name):
        marker.deadline = value.strip()
    elif re.fullmatch(_SUPERVISE_KEYS, name):
        marker.supervise.append(value)
    elif name.endswith("主管部门"):
        marker.overseen = True
        marker.responsible.append(value)
    elif re.fullmatch(_LEAD_KEYS, name) or _JOINT_LEAD.search(value):
        marker.lead.append(_JOINT_LEAD.sub("", value))  # X、Y(双牵头): both lead, the mark no part of Y (R2)
    elif (marked := marked_leads(value)) is not None:
        marker.lead.append(marked[0])  # 责任:应急办(牵头)、林业站 / 区教育局*、区住建局 (L3)
        marker.responsible.extend([marked[1]] if marked[1] else [])
    elif _may_name_roles(name if key else None, value) and (roles := prose_roles(value)):
        # 部门分工:X牵头,Y配合 / (X牵头,Y配合) beside a 完成时限: field / 责任单位:X牵头,Y按职责分工负责
        marker.lead.append(roles[0])
        marker.responsible.extend([roles[1]] if roles[1] else [])
    else:
        _responsible(name, value, marker)


def _responsible(name: str, value: str, marker: Marker) -> None:
    """A field of responsible units: a 任务分解 names its places (U13), a plain 责任单位 is also kept apart for
    the notice that makes it the lead."""
    if re.fullmatch(_SHARE_KEYS, name):
        marker.responsible.extend(_sharers(value))
        return
    marker.responsible.append(value)
    if name in ("责任单位", "责任部门"):
        marker.charged.append(value)


_SHARE = re.compile(
    r"([\u4e00-\u9fff]{2,12}?(?:区|县|市|镇|乡|街道|开发区|园区))\s*\d+(?:\.\d+)?\s*[\u4e00-\u9fff]{0,3}"
)


def _sharers(value: str) -> list[str]:
    """A 任务分解 line dividing the quantity among places ("东湖区12个,西岭区10个"): each place named carries out
    its share and is responsible (U13); the shares are no targets. A line of anything else names no one."""
    parts = [p.strip() for p, _ in split_outside_brackets(value, ",、;")]
    found = [m.group(1) for p in parts if p and (m := _SHARE.fullmatch(p))]
    return ["、".join(found)] if found and len(found) == len([p for p in parts if p]) else []


_JOINT_LEAD = re.compile(r"\s*\((?:双|共同|联合)牵头\)\s*$")
_LEAD_MARK = re.compile(r"\s*(?:\(牵头\)|[*＊])\s*$")


def marked_leads(value: str) -> tuple[str, str] | None:
    """(lead, responsible) of a list whose leads carry a mark after the name, X(牵头) or X* (the notice
    saying 标注“*”的为牵头单位); None when no name is marked. The mark is no part of the name."""
    names = [p.strip() for p, _ in split_outside_brackets(value, "、,")]
    if not any(_LEAD_MARK.search(n) for n in names):
        return None
    leads = [_LEAD_MARK.sub("", n) for n in names if _LEAD_MARK.search(n)]
    return "、".join(leads), "、".join(n for n in names if n and not _LEAD_MARK.search(n))


def _may_name_roles(name: str | None, value: str) -> bool:
    """Role words inside a field: 部门分工:X牵头,Y配合, an unlabelled (X牵头,Y配合), and a 责任单位 that says
    who leads (X牵头,Y按职责分工负责 / X负责); 责任单位:X、Y按职责分工负责 alone names no lead."""
    if name is None or re.fullmatch(_PROSE_KEYS, name):
        return True
    return bool(re.fullmatch(_RESP_KEYS, name)) and ("牵头" in value or not re.search(r"(?:分工|职责|各自)负责", value))


def prose_roles(value: str) -> tuple[str, str] | None:
    """(lead, responsible) of 市商务局牵头落实 / X牵头，Y、Z配合 written in a cell or after 部门分工:, or None."""
    m = _PROSE.match(fold_width(value).strip().rstrip("。;"))
    return (m.group("lead"), m.group("resp") or "") if m else None


# the time clause closing a roles bracket; "完成" after the time is no part of the phrase (U12)
_DUE_CLAUSE = re.compile(
    r"[,;]\s*(长期坚持|持续推进|长期推进|\d{4}年[^,;]{0,12}?|\d{1,2}月[^,;]{0,8}前|年底前|年内)"
    r"(?:完成|办结|到位)?\s*$"
)


def _trailing_due(content: str) -> tuple[str, str | None]:
    """(X牵头落实,Y配合,长期坚持): the last clause is the deadline, not a unit."""
    m = _DUE_CLAUSE.search(content)
    return (content[: m.start()], m.group(1)) if m else (content, None)


def unit_list(content: str) -> bool:
    """市发展改革委、市财政局、各县(市、区)人民政府: every name of the list looks like a unit."""
    names = [p.strip() for p, _ in split_outside_brackets(content, "、,")]
    return any(_UNIT_NAME.fullmatch(n) for n in names) and all(_AGENCY_END.search(n) for n in names)


_AGENCY_END = re.compile(
    r"^[\u4e00-\u9fff()、]{2,30}(?:局|委|办|厅|政府|中心|办公室|委员会|管委会|集团|公司|部|院|社|联|会)$"
)
_UNIT_NAME = re.compile(
    r"(?:市|县|区|省|各|[\u4e00-\u9fff]{2,6}(?:市|县|区))[\u4e00-\u9fff()、]{1,24}?"
    r"(?:局|委|办|厅|政府|中心|办公室|委员会|管委会|集团|公司|部|院|社|联|会)"
)


_CLOSING = re.compile(r"\)\s*(?:[。;]|$)", re.MULTILINE)  # (X牵头)。 or (X牵头);


def closing_brackets(text: str) -> list[tuple[int, int]]:
    """Ends (past the 。) of the role brackets that close a sentence in `text`: (X牵头,Y配合)。 (X、Y负责)。
    (牵头单位:X)。 — each ends one task of a paragraph holding several (round4 K1). Each bracket is looked
    for at most 200 characters back from its close, so a paragraph is read in linear time."""
    ends: list[tuple[int, int]] = []  # (where the bracket opens, past its 。)
    for m in _CLOSING.finditer(text):
        close = m.start()
        depth, i = 0, close
        while i >= max(0, close - 200):
            depth += text[i] == ")"
            depth -= text[i] == "("
            if depth == 0:
                break
            i -= 1
        if depth != 0:
            continue
        content = _trailing_due(_notes(text[i + 1 : close], Marker()))[0].strip()
        if _OPEN.match(text, i) or _PROSE.match(content) or unit_list(content):
            ends.append((i, m.end()))
    return ends


# Officials named by their post before the units of a prose marker: persons, never units, though 负责 follows.
_POSTS = re.compile(
    r"^(?:(?>[\u4e00-\u9fff]{0,6}?(?:省长|市长|县长|区长|州长|旗长|镇长|乡长|秘书长|书记|主席))、?)++"
    r"(?:负责|分管|牵头)?\s*[,;]\s*"  # atomic: no backtracking over a long run of posts
)


def _prose_marker(text: str, marker: Marker) -> None:
    """(市科技局牵头,市财政局、各区政府配合) as the last thing in an item; ,下同 carries it on."""
    stripped = text.rstrip(" 。;\n")
    if not stripped.endswith((")", "]", "〕", "】")):
        return
    depth = 0
    for i in range(len(stripped) - 1, -1, -1):
        depth += stripped[i] in ")]〕】"
        depth -= stripped[i] in "([〔【"
        if depth == 0:
            probe = Marker()
            content, due = _trailing_due(_notes(stripped[i + 1 : -1], probe))
            content = _POSTS.sub("", content.strip())  # (常务副省长、协管副秘书长负责,省发展改革委牵头,…): persons (L8)
            m = _PROSE.match(content.strip())
            if not m and unit_list(content):  # (市发展改革委、市财政局): a bare list of units
                marker.responsible.append(content.strip())
                marker.spans.append((i, len(stripped)))
                return
            if m:
                marker.lead.append(m.group("lead"))
                if m.group("resp"):
                    marker.responsible.append(m.group("resp"))
                marker.deadline = due or marker.deadline
                marker.spans.append((i, len(stripped)))
                marker.same_below = probe.same_below
                marker.first_leads = probe.first_leads
            return


_NOT_LISTED = re.compile(r"(?:以下|下文|后文|各项任务中?)?不再(?:一一|逐项|单独)?(?:列出|列举|列明|明确|重复)")
_ACTORS = re.compile(r"^(?P<units>[^,。:]{2,60}?)(?:均|都|也|全部)?(?:要|需|须|应|负责|承担|参与|抓好|落实)")


_NOTED = re.compile(
    rf"(?:(?:{_RESP_KEYS})\s*:|涉及)\s*(?P<units>[^:;。]{{2,80}}?)\s*[,;]\s*(?:以下|下文|后文)?"
    r"不再(?:单独|一一|逐项)?(?:列出|列举|做分工|作分工|分工)"
)


def inheritance_in(text: str) -> list[str]:
    """以下均需X落实, or 本方案各项任务,X均要抓好落实,以下不再一一列出, or (责任单位:X,以下不再单独列出), or
    (具体任务均涉及X,不再做分工,下同), written in an item's text (outside a marker) or before the first
    item: X is responsible for every later task."""
    found = [m.group("units") for m in _INHERIT.finditer(text)] + [m.group("units") for m in _NOTED.finditer(text)]
    for sentence, _ in split_outside_brackets(text, "。;"):
        if not _NOT_LISTED.search(sentence) or _INHERIT.search(sentence) or _NOTED.search(sentence):
            continue
        for clause, _ in split_outside_brackets(sentence, ","):
            m = _ACTORS.match(clause.strip())
            if m and not _NOT_LISTED.search(clause) and not re.search(r"任务|工作|方案|事项", m.group("units")):
                found.append(m.group("units"))
                break
    return found
