"""Who does what, read from prose: 由市科技局牵头，市财政局配合 · 市科技局负责… · 各县（市、区）要… ·
设区市科技局组织示范区…报送 · 建立由A、B牵头，C、D等组成的…机制.

Per clause (a sentence cut at , and :), the subject is the list of names before the first predicate
word (要, 应, 将, 负责, 牵头, 组织, 按照 …). A subject followed by a lead word (牵头, 负责, 统筹协调,
组织 …) leads; any other subject acts as a responsible unit, and so do the units it organises
(X组织Y…). A lead word further into a clause makes the units named before it leads (加强科技部门…牵头
推进). Units after 向/经/报送 receive or approve and are not assigned. Only registered names, and names
that carry a level and a department suffix (市住房城乡建设局), count: 相关部门 or 高校 are not units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.extract.textutil import CJK, split_outside_brackets
from bot.extract.units import AGENCY, VAGUE, Context, Resolution, UnitBook, has_level, split_names

_PREDICATE = re.compile(
    r"予以|给予|要|应当|应|将|具体实施|负责|牵头|组织(?!部)|配合|参与|协助|按照|按|根据|会同|联合|共同|做好|成立|统筹|委托|每年|每季度|每月|部署|充分|"
    r"积极|发挥|要求|着力|抓好|认真|切实|定期|及时|加强|加大|落实|开展|制定|建立|完善|推进|推动|等组成|组成|作为|"
    r"主动|进一步|全面|持续|不断|结合|围绕|聚焦|依托|支持|鼓励|引导|以|在|对|于|向|为|是|把"
)
_LEAD_WORDS = re.compile(r"^(?:牵头|负责|统筹协调|统筹推进|组织协调|总牵头|主导|会同|组织(?!部))")
_LEAD_ANYWHERE = re.compile(r"牵头|统筹协调|组织协调|负总责")
_NAME = (
    rf"[{CJK}()]{{2,20}}?(?:局|委|厅|办|政府|中心|办公室|委员会|部|院|室|联|会)"
    rf"(?:[{CJK}]{{1,6}}?(?:大队|支队))?(?:\([^)]{{1,12}}\))?"  # 区公安分局交警大队: a brigade under a bureau
)
_NAME_RUN = re.compile(rf"{_NAME}(?:(?:、|和|及|与|以及){_NAME})*")
# a list of names right before its role word (X、Y配合 / X牵头 / X给予技术指导): a one-character predicate inside it
# (the 应 of 应急管理局) is a name's
_HELPED_RUN = re.compile(rf"(?P<run>{_NAME_RUN.pattern})(?=配合|牵头|负责|参与|协助|协同|给予)")
_HELPER_WORDS = re.compile(r"^(?:配合|参与|协助|协同|支持配合)")
_CONNECTOR = re.compile(
    r"^(?:(?:该|此|本|这|上述|以上)项?(?:工作|任务)(?:要|将|统一)?)?"
    r"(?:同时|并且|并|另外|此外|还|也|再由|由|请)?"
)
_DEPARTMENT = re.compile(rf"([{CJK}]{{2,4}})部门")


@dataclass
class ProseRoles:
    leads: list[str] = field(default_factory=list)  # named with a lead word
    responsible: list[str] = field(default_factory=list)  # other subjects and the units they organise
    issuer_acts: bool = False  # the issuer is a subject: it leads
    mentions: list[str] = field(default_factory=list)  # every registered unit the text names
    dropped: list[str] = field(default_factory=list)  # unit-like names that are not units
    new: list[Resolution] = field(default_factory=list)  # proposed units named in prose

    @property
    def acted(self) -> bool:
        return bool(self.leads or self.responsible or self.issuer_acts)


def read_roles(text: str, book: UnitBook, context: Context, issuer: str | None) -> ProseRoles:
    """`text` is folded and has no markers; pure."""
    roles = ProseRoles()
    for sentence, _ in split_outside_brackets(text.replace("\n", ""), "。!?;"):
        subject: list[str] = []
        for clause, _ in split_outside_brackets(sentence, ",:"):
            subject = _clause(clause.strip(), subject, book, context, issuer, roles)
    roles.leads = list(dict.fromkeys(roles.leads))
    roles.responsible = [u for u in dict.fromkeys(roles.responsible) if u not in roles.leads]
    roles.mentions = list(dict.fromkeys(roles.mentions))
    return roles


def _clause(
    clause: str, previous: list[str], book: UnitBook, context: Context, issuer: str | None, roles: ProseRoles
) -> list[str]:
    """Reads one clause into `roles`; returns the subject that a following subjectless clause inherits."""
    spans = book.scan(clause)
    roles.mentions.extend(unit for _, _, unit in spans)
    body = _CONNECTOR.sub("", clause)
    offset = len(clause) - len(body)
    spans = [(s - offset, e - offset, u) for s, e, u in spans if s >= offset]
    subject, rest = _subject(body, spans, book, context, roles)
    if not subject and _LEAD_WORDS.match(body) and previous:
        subject, rest = previous, body
    if subject:
        rest = re.sub(r"^(?:要|应当|应|将|需|须)", "", rest)
        helper = bool(_HELPER_WORDS.match(rest))
        lead = not helper and (bool(_LEAD_WORDS.match(rest)) or bool(_LEAD_ANYWHERE.search(rest)))
        for unit in subject:
            if lead:
                roles.leads.append(unit)
            elif issuer is not None and unit == issuer and not helper:
                roles.issuer_acts = True
            else:
                roles.responsible.append(unit)
        organised = re.match(r"(?:牵头)?(?:组织(?!部)|会同)", rest)  # 请A牵头会同B、C (glued): B, C work with A
        if organised:
            start = body.rfind(rest) + organised.end()
            roles.responsible.extend(_run(body, start, spans) or _phrase_units(body[start:], book, context, roles))
        return subject
    partner = re.search(r"(?:^|(?<=[,;]))会同", body)  # (the addressee) 会同X研究…: X works with it
    if partner:
        roles.responsible.extend(
            _run(body, partner.end(), spans) or _phrase_units(body[partner.end() :], book, context, roles)
        )
    cue = _LEAD_ANYWHERE.search(body)
    if cue:
        by = body.rfind("由", 0, cue.start())
        if by >= 0:  # 建立由A、B牵头: the names between 由 and 牵头
            roles.leads.extend(_phrase_units(body[by + 1 : cue.start()], book, context, roles, whole=True))
        else:
            roles.leads.extend(
                [u for s, _, u in spans if s < cue.start()] + _departments(body[: cue.start()], book, context)
            )
    return []


def _subject(
    body: str, spans: list[tuple[int, int, str]], book: UnitBook, context: Context, roles: ProseRoles
) -> tuple[list[str], str]:
    """The units a clause opens with, and the text after them."""
    end = _predicate(body, spans)
    if end is not None:
        units = _phrase_units(body[:end], book, context, roles, whole=True)
        if units:
            return units, body[end:]
    run = _run(body, 0, spans)
    if run:
        last = max(e for s, e, u in spans if u == run[-1])
        return run, body[last:]
    return [], body


def _predicate(body: str, spans: list[tuple[int, int, str]]) -> int | None:
    """Where the first predicate word starts (not inside a registered name, not at 0)."""
    names = _HELPED_RUN.match(body)  # 县应急管理局、县自然资源局配合: the 应 of 应急 is no verb
    for m in _PREDICATE.finditer(body):
        if m.start() == 0:
            return None  # the clause opens with its verb: it has no subject
        if names and m.start() < names.end("run") and len(m.group()) == 1:
            continue
        if not any(s < m.start() < e for s, e, _ in spans):
            return m.start()
    return None


def _phrase_units(
    phrase: str, book: UnitBook, context: Context, roles: ProseRoles, *, whole: bool = False
) -> list[str]:
    """The units a list of names stands for: registered ones, and level-prefixed departments as new."""
    if not whole:
        run = _NAME_RUN.match(phrase)
        end = _predicate(phrase, book.scan(phrase))
        phrase = run.group() if run else phrase[:end] if end is not None else phrase
    units: list[str] = []
    for name, _ in split_names(phrase, book, context):
        found = book.resolve(name, context)
        if found.known:
            units.append(found.name)
        elif has_level(name) and AGENCY.search(name) and not VAGUE.search(name) and len(name) <= 25:
            units.append(found.name)
            roles.new.append(found)
        elif AGENCY.search(name) and VAGUE.search(name) and len(name) <= 15:
            roles.dropped.append(name)
    return list(dict.fromkeys(units))


def _run(text: str, start: int, spans: list[tuple[int, int, str]]) -> list[str]:
    """Registered names starting at `start`, joined by 、 及 和 与."""
    units: list[str] = []
    pos = start
    while True:
        span = next(((s, e, u) for s, e, u in spans if s == pos), None)
        if span is None:
            return units
        units.append(span[2])
        pos = span[1]
        joiner = re.match(r"、|及|以及|和|与|,", text[pos:])
        if not joiner:
            return units
        pos += joiner.end()


def _departments(text: str, book: UnitBook, context: Context) -> list[str]:
    """科技部门 → 科技局 (at the document's level) where the registry knows it."""
    found: list[str] = []
    for m in _DEPARTMENT.finditer(text):
        word = m.group(1)
        for size in (2, 3, 4):
            if size > len(word):
                break
            resolved = book.resolve(word[-size:] + "部门", context)
            if resolved.known:
                found.append(resolved.name)
                break
    return found


# The body that watches every item of the document (F3, N10): "以上事项由X跟踪督办", "经X审核确认后对账销号" /
# "经X核验后销号". Document-wide, like the notice's other rules. ("X要加强跟踪督办" alone, a 督查室 saying what it
# will do in general, names none: the earlier corpora's clerks did not record it.)
_OFFICE = rf"[{CJK}]{{2,16}}?(?:督查室|督办室|督查督办室|督查局|督查办)"
_SUPERVISES = (
    re.compile(rf"(?:由|请)({_OFFICE})(?:负责)?(?:跟踪|统一)?督(?:办|查)"),
    # a 督查室 as the subject of the whole work's 督查 (M10): 将对…开展专项督查 / 负责…跟踪督办 / 纳入…督查事项 /
    # (开展专项督查,)由X具体组织; "X要加强跟踪督办" (a general duty), "将适时开展专项督查" (l03) and "每季度末
    # 通报一次进展" (k08) still name none, as those corpora's clerks read them
    re.compile(
        rf"({_OFFICE})(?:将|负责|具体)(?!适时)[^。;]{{0,20}}?"
        r"(?:专项督查|跟踪督办|督查事项|对账销号|组织(?=[。;]))"
    ),
    re.compile(rf"经({_NAME})(?:审核确认|审核|核验|验收|复核)(?:确认)?后(?:予以)?(?:对账)?销号"),
    # a 街道's own office in the 督查室's place: "街道党政办公室将对各项任务落实情况开展督查" (every task, W8)
    re.compile(rf"({_NAME})将对(?:各项|全部|所有)(?:工作)?任务[^。;]{{0,8}}?开展(?:跟踪|专项)?督查"),
)


def document_supervisors(text: str) -> list[str]:
    """The names written as watching every item (the notice's 督办 / 销号 rules), in order, once each."""
    found: list[tuple[int, str]] = []
    for pattern in _SUPERVISES:
        found += [(m.start(1), m.group(1)) for m in pattern.finditer(text)]
    return list(dict.fromkeys(name for _, name in sorted(found)))
