"""Unit names as documents write them → the registry's canonical names, or a proposed new unit.

The registry is the `units:` section of a tasks file (names, aliases, group members). A written name is
tried as it stands, then in the forms offices vary it by: without the city's own name (江门市科学技术局 →
市科学技术局), with the long department names shortened (科学技术局 → 科技局, 人力资源和社会保障局 →
人力资源社会保障局), with or without 各, with the document's own level in front of a bare department
(财政局 → 区财政局 in a district's document), and 科技部门 → 科技局. A name that
still matches nothing becomes a proposed unit, named in the level-prefixed short form, with what was written as
its alias. A name that matches nothing is never swapped for a close one (区发改局 is not 区发改委, a
province's 各市(州)人民政府 is not this city's 各县(市、区)人民政府): it is proposed as new, and a close
registry name goes with it as a note for the reviewer, who adds the alias if it is the same unit. The one
exception is a copy that garbled a bracket (区委组织部(人才力、 for 区委组织部(人才办)): same name before it.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.extract.textutil import CJK, fold, split_outside_brackets
from bot.tasksfile.loader import UnitEntry
from bot.tasksfile.unitnames import untypable

FUZZY_CUTOFF = 0.75
_SHORT = [
    ("科学技术局", "科技局"),
    ("科学技术厅", "科技厅"),
    ("科学技术委员会", "科委"),
    ("人力资源和社会保障", "人力资源社会保障"),
    ("市场监督管理", "市场监管"),
    ("发展和改革", "发展改革"),
    ("住房和城乡建设", "住房城乡建设"),
    ("卫生健康委员会", "卫生健康委"),
    ("发展改革委员会", "发展改革委"),
    ("国有资产监督管理委员会", "国资委"),
    ("安全生产委员会", "安委会"),
    ("工业和信息化局", "工业和信息化局"),
]
_LEVELS = ("自治区", "省", "市", "区", "县", "镇", "乡", "各", "全", "中共", "国家", "中国")
# a place name opening a unit; 石门乡党委, 城关镇党委: a township's own (城乡, 城镇 are no place)
_PLACE = re.compile(rf"^[{CJK}]{{2,7}}?(?:自治区|自治州|省|市|区|县|州|盟|旗|街道|(?<![城下])[乡镇])")
AGENCY = re.compile(
    r"(?:局|委|办|厅|署|部|院|中心|政府|委员会|管委会|办公室|公司|集团|银行|行|分局|处|所|站|会|室|队|"
    r"学校|学院|大学|实验室|基地|街道|控股|机构|单位|联|协)(?:\([^)]{1,12}\))?$"
    r"|^各(?:乡镇|镇|乡|街道|县|区|市|园区|村)(?:\([^)]{1,12}\))?$"
)  # 各镇(街道): a collective
LEVELED = re.compile(r"(?:局|委|办|厅|署|办公室|委员会|部|室)(?:\([^)]{1,12}\))?$")  # a level's own department
VAGUE = re.compile(r"相关|有关|各类|其他|其它|各级|有条件|符合|^政府部门$|^部门$|^单位$|^高校$|^企业$|^社会")
_DEPARTMENT = re.compile(rf"([{CJK}]{{2,4}})部门")


@dataclass(frozen=True)
class Resolution:
    name: str  # canonical (known) or proposed (new)
    written: str
    known: bool
    how: str  # exact | variant | garbled | new
    near: str | None = None  # a new name close to this registry unit (a typo, or another place's unit)


@dataclass(frozen=True)
class Context:
    """What a bare name is read against: the document's level (市, 区 …) and its own place name."""

    level: str = "市"
    place: str = ""


@functools.lru_cache(maxsize=65536)
def clean_name(name: str) -> str:
    """A unit's name as tasks.yaml accepts it: no characters nobody can see or type (a zero-width space
    pasted from a web page), no quotes or list punctuation around it, no role words after it."""
    name = "".join(ch for ch in name if untypable(ch) is None)
    name = fold(name).strip().strip("“”\"'。,;:、 \n\t")
    name = re.sub(r"\s+", "", name)
    name = re.sub(r"^(?:由|和|及|以及|与)", "", name)
    name = re.sub(r"(?:按职责分工负责|按职责负责|按职责分工|分工负责|具体负责|负责|配合|参与|协助|牵头)$", "", name)
    while name.endswith(")") and name.count(")") > name.count("("):  # 区发改局) left by a marker's bracket
        name = name[:-1]
    # "桥头村等5个村": a count of the list's members, no unit of its own (N16), as a bare 等 (H14)
    return re.sub(r"(?:等单位|等部门|等[\d一二三四五六七八九十两]+个[\u4e00-\u9fff]{1,6}|等)$", "", name)


class UnitBook:
    """The registry's names as a lookup, a fuzzy matcher and a scanner for names inside prose."""

    def __init__(self, units: Iterable[UnitEntry] = ()):
        self.entries: dict[str, UnitEntry] = {}
        self.lookup: dict[str, str] = {}
        for unit in units:
            self.entries[unit.name] = unit
        for unit in list(self.entries.values()):
            for member in unit.members:
                self.entries.setdefault(member, UnitEntry(member))
        for unit in self.entries.values():
            self.lookup.setdefault(fold(unit.name), unit.name)
        for unit in self.entries.values():
            for alias in unit.aliases:
                self.lookup.setdefault(fold(alias), unit.name)
        names = sorted(self.lookup, key=len, reverse=True)
        self._scan = re.compile("|".join(re.escape(n) for n in names)) if names else None
        self._known = list(self.lookup)
        # A document names the same few units hundreds of times: each written form is resolved once
        # (the book does not change after it is built, so the answers cannot go stale).
        self._resolved: dict[tuple[str, Context, bool], Resolution] = {}
        self._split: dict[tuple[str, Context], list[tuple[str, bool]]] = {}

    def exact(self, name: str) -> str | None:
        return self.lookup.get(fold(name).replace(" ", ""))

    def resolve(self, written: str, context: Context, *, fuzzy: bool = False) -> Resolution:
        key = (written, context, fuzzy)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(written, context, fuzzy)
        return self._resolved[key]

    def _resolve(self, written: str, context: Context, fuzzy: bool) -> Resolution:
        name = clean_name(written)
        for variant in variants(name, context):
            found = self.exact(variant)
            if found and (variant == name or self._same_place(found, name)):
                return Resolution(found, name, True, "exact" if variant == name else "variant")
        near = None
        if fuzzy and self._known:
            match = difflib.get_close_matches(name, self._known, n=1, cutoff=FUZZY_CUTOFF)
            near = self.lookup[match[0]] if match else None
            # (人才力、) or an unclosed bracket is a garble; 各县(区)人民政府 is whole: another unit
            garbled = name.count("(") > name.count(")") or bool(re.search(r"[、,;][)]?$", name))
            if near is not None and garbled and name.split("(")[0] == match[0].split("(")[0]:
                return Resolution(near, name, True, "garbled")  # 区委组织部(人才力、: a copy garbled the bracket
        return Resolution(proposed_name(name, context), name, False, "new", near)

    def _same_place(self, unit: str, written: str) -> bool:
        """江门市科学技术局 may be 市科技局 only if 市科技局 is not known as another city's (佛山市… ≠ 江门市…)."""
        place = _PLACE.match(written)
        if not place:
            return True
        others = [m.group() for alias in self.entries[unit].aliases if (m := _PLACE.match(alias))]
        return not others or place.group() in others

    def closest(self, name: str) -> str | None:
        match = difflib.get_close_matches(clean_name(name), self._known, n=1, cutoff=0.5)
        return self.lookup[match[0]] if match else None

    def scan(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, canonical) of every registry name in folded `text`, longest match first."""
        if self._scan is None:
            return []
        return [(m.start(), m.end(), self.lookup[m.group()]) for m in self._scan.finditer(text)]


def variants(name: str, context: Context) -> list[str]:
    """The forms a name may be registered under. A bare department takes the document's level first
    (财政局 in a district's document is 区财政局 before it is anyone's alias)."""
    out = [_drop_place(name, context)] if _drop_place(name, context) != name else []
    out.insert(0, name)
    for form in list(out):
        short = shorten(form)
        if short != form:
            out.append(short)
    if (m := _DEPARTMENT.fullmatch(name)) or (m := re.fullmatch(rf"([{CJK}]{{2,4}})主管部门", name)):
        out += [m.group(1) + "局", m.group(1) + "委"]
    ordered: list[str] = []
    for form in out:
        if _bare_department(form, context):
            ordered.append(context.level + form)
        ordered.append(form)
        if not VAGUE.search(form):  # 各镇 is 镇's collective; 有关单位 written so stays (各有关单位 is another entry)
            ordered.append(form[1:] if form.startswith("各") else "各" + form)
    return list(dict.fromkeys(ordered))


def _drop_place(name: str, context: Context) -> str:
    """江门市科学技术局 → 市科学技术局, 深圳市南山区科技创新局 → 区科技创新局: the document's own place name
    in front of a department means that level's department. Another place's name stays (仲恺高新区管委会), and a
    company's place is part of its registered name (汀岚县天然气有限公司, round12 t03)."""
    rest, places = name, list[str]()
    while (m := _PLACE.match(rest)) and len(rest) - m.end() >= 2 and not rest[m.end() :].startswith(_LEVELS):
        rest, places = rest[m.end() :], [*places, m.group()]
    if _COMPANY.search(rest):
        return name
    if context.place and context.place in places and AGENCY.search(rest) and rest not in ("人民政府", "政府"):
        return context.level + rest
    return name


_COMPANY = re.compile(r"(?:有限公司|有限责任公司|股份公司)$")


def shorten(name: str) -> str:
    for long, short in _SHORT:
        name = name.replace(long, short)
    return name


def has_level(name: str) -> bool:
    """省发展改革委, 江门市科技局: a level or a place opens the name; 市场监管局's 市 is the market's (R3)."""
    return (name.startswith(_LEVELS) and not name.startswith("市场")) or bool(_PLACE.match(name))


def proposed_name(name: str, context: Context) -> str:
    """A new unit's canonical form: the city's name dropped, long names shortened, the level in front."""
    best = shorten(name if name.startswith("各") else _drop_place(name, context))
    if _bare_department(best, context) and not VAGUE.search(best):
        best = context.level + best
    return best


def _bare_department(name: str, context: Context) -> bool:
    """财政局, 发改委: a department without a level, read as the document's own level's. Not companies or
    bodies named after a place (资规江都分局, 园区管委会)."""
    stem = context.place[:-1] if len(context.place) > 2 else context.place
    if re.search(r"[市县区]委$|^国务院|部$|总署$|总局$", name):  # 团县委 names its level; 商务部 is a ministry
        return False
    return not has_level(name) and bool(LEVELED.search(name)) and not (stem and stem in name) and "园区" not in name


def looks_like_unit(name: str) -> bool:
    """Specific enough to be proposed as a unit when prose names it (市住房城乡建设局 yes, 相关部门 no)."""
    return 2 <= len(name) <= 30 and bool(AGENCY.search(name)) and not VAGUE.search(name)


_COLLECTIVE_TAIL = re.compile(r"(.{2,30}?)等((?:有关|相关|其他|县直|市直|区直)[^、,]{0,8}(?:部门|单位))")


def split_names(text: str, book: UnitBook, context: Context) -> list[tuple[str, bool]]:
    """A written list of units → [(name, marked as lead)] (`_split_names`), once per list and book."""
    key = (text, context)
    if key not in book._split:
        book._split[key] = _split_names(text, book)
    return list(book._split[key])


def _split_names(text: str, book: UnitBook) -> list[tuple[str, bool]]:
    """A written list of units → [(name, marked as lead)], keeping brackets and registered names whole.

    Separators: 、 , ; and 及/以及 (and 和/与 only between two names that each look like a unit).
    Neighbours are joined again when the joined form is registered (各镇、园区). A trailing (牵头)
    marks the lead, as in 市科技局(牵头)、市财政局.
    """
    text = fold(text).strip().rstrip("。;,")
    pieces = [p for p, _ in split_outside_brackets(re.sub(r"以及|及", "、", text), "、,;")]
    k = 1
    while k < len(pieces):  # 市直各委、办、局 and 各市、县(区)人民政府: one collective, not 市办 and 市局
        bare_level = re.fullmatch(r"\s*各?[市县区乡镇](?:、[市县区乡镇])*\s*", pieces[k - 1]) and not pieces[
            k
        ].strip().startswith("各")  # 各县、市、区政府 too: one collective (K19)
        if bare_level or (
            re.fullmatch(r"\s*[委办局厅署室]\s*", pieces[k]) and re.search(r"[委办局厅署室]$", pieces[k - 1].strip())
        ):
            pieces[k - 1] = pieces[k - 1].rstrip() + "、" + pieces[k].strip()
            del pieces[k]
        else:
            k += 1
    out: list[str] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i].strip()
        j = i + 1
        while j < len(pieces) and not book.exact(clean_name(piece)):
            joined = piece + "、" + pieces[j].strip()
            if book.exact(clean_name(joined)):
                piece, j = joined, j + 1
                break
            break
        out.append(piece)
        i = j
    return [name for piece in out for name in _named(piece, book)]


def _named(piece: str, book: UnitBook) -> list[tuple[str, bool]]:
    """One piece of a list → its name(s): 市科技局(牵头) marks the lead, 县财政局等有关部门 keeps the list's
    open end as a unit of its own, 市财政局和市税务局 is two units when each looks like one."""
    lead = False
    m = re.search(r"\((?:牵头|牵头单位|主责)\)$", piece)
    if m:
        piece, lead = piece[: m.start()], True
    collective = _COLLECTIVE_TAIL.fullmatch(clean_name(piece))
    if collective:
        return [(collective.group(1), lead), (collective.group(2), False)]
    piece = clean_name(piece)
    if not piece:
        return []
    parts = re.split(r"[和与]", piece)
    if len(parts) > 1 and not book.exact(piece) and all(looks_like_unit(p) or book.exact(p) for p in parts):
        return [(p, lead) for p in parts]
    return [(piece, lead)]
