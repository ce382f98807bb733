"""The document's own facts from the text before its first numbered heading: title, issuer, 文号, date,
主送 (addressees), and its place and level (江门市 / 市, 江都区 / 区) for reading bare unit names.

Where the copy lost them (sharing sites drop the notice), the title is taken from the site's
《….docx》 line, and the caller fills the rest with a marked guess; nothing here invents a value. A form with
no notice (a workbook's 填报单位：X（盖章） / 填报时间：DATE above its table) names its issuer and date so. A
college or a company issuing has no level: its own 办公室 gets no 市 in front.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.extract.textutil import CJK, fold
from bot.extract.units import AGENCY

_DOC_WORDS = (
    "方案|意见|办法|指引|计划|规划|措施|细则|要点|通知|决定|纲要|清单|任务分工|分解表|分工表|任务表|一览表|台账|对账表|"
    "分工|分解"
)
_NOTICE = re.compile(r"(?:印发|转发|关于)[^《\n]{0,20}《([^》\n]{4,80})》")
_SHARED = re.compile(r"《([^》\n]{4,80}?)\.(?:docx?|pdf|wps)》")
_TITLE_AT_START = re.compile(
    rf"^\s*(?:附件\s*\d?)?\s*([{CJK}][^。,:;\n]{{3,60}}?(?:{_DOC_WORDS})"
    r"(?:\s*\(\s*\d{4}\s*[-—–~至]*\s*\d{4}\s*年?\s*\))?)"
)
_ISSUER = re.compile(
    rf"^\s*(?:转发)?([{CJK}()、]{{2,40}}?)关于(?:印发|转发|下达|[^\n]{{2,80}}的(?:通知|意见|决定)\s*$)"
)  # X关于印发…, or a whole title line X关于…的通知
_NUMBER = re.compile(rf"[{CJK}]{{1,12}}[〔\[(【]\s*\d{{4}}\s*[〕\])】]\s*\d{{1,4}}\s*号")
# a date line, in brackets or not, "2026年3月2日印发" too (a sheet's date row)
_DATE = re.compile(r"^\s*\(?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发)?\s*\)?\s*$")
_PRINTED = re.compile(rf"([{CJK}]{{2,30}}?)\s{{2,}}(\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)")
# 印发单位：X, or a form's 填报单位：X（盖章） above a workbook's table (Q12), the seal note no part of the name
_ISSUER_LABEL = re.compile(
    rf"(?:印发|发文|来文|制发|编制|制表|填报)(?:单位|机关)\s*:\s*([{CJK}()]{{2,30}}?)(?:\(盖章\))?(?![{CJK}()])"
)
_MANGLED_DATE = re.compile(r"(?:19|20)\d{2}(?:0?[1-9]|1[0-2])(?:0?[1-9]|[12]\d|3[01])")
_LABELLED_DATE = re.compile(
    r"(?:颁布|成文|发文|印发|编制|制表|填报|发布)(?:时间|日期)\s*:\s*(\d{4})\s*[-年./]\s*(\d{1,2})"
    r"\s*[-月./]\s*(\d{1,2})"
)
_CN_DATE = re.compile(
    r"^\s*([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
    r"([一二三四五六七八九十]{1,3})日\s*$"
)
_PLACE_PART = re.compile(rf"[{CJK}]{{2,7}}?(?:自治区|自治州|省|市|区|县|旗|盟|街道|镇)")
# 各乡镇, 城镇: no township named; a 街道's or a 镇's own offices (城市建设办公室) carry no level word.
# a development zone: its 管委会's departments are written bare and carry no level word
_ZONE = re.compile(r"(?:高新|开发|经开|保税|试验|合作|产业)区$")
_NO_TOWN = re.compile(r"乡镇|城镇|^各")
# 青潭市贯彻落实省…: a verb before 省 makes it the province named by the text, not a part of the place name.
_VERB = re.compile(r"贯彻|落实|推进|实施|加快|深化|印发|转发|关于")


@dataclass(frozen=True)
class Header:
    title: str | None
    issuer: str | None
    number: str | None
    issued: dt.date | None
    addressees_text: str | None
    place: str
    level: str


def read_header(raw: str, text: str, body_start: int) -> Header:
    """`raw` is the input as read (for a sharing site's first line), `text` the cleaned, folded text."""
    head = text[:body_start]
    title = _title(raw, head)
    chat = _CHAT_HEAD.match(head.lstrip())  # 【桦坪镇党政办】关于…: a work-group message signed at its head
    issuer = chat.group(1) if chat and AGENCY.search(chat.group(1)) else None
    issuer = issuer or next(
        (
            m.group(1)
            for line in head.split("\n")[:6]
            if (m := _ISSUER.match(line)) and len(m.group(1)) <= 25 and AGENCY.search(m.group(1))
        ),
        None,
    )
    issued = None
    number = None
    lines = [line.strip() for line in head.split("\n")]
    for i, line in enumerate(lines):
        date = _date(line)
        printed = _PRINTED.fullmatch(line) if date is None and issued is None else None
        if printed:  # 榕塘区人民政府办公室    2026年4月3日: the printing office's line; the body heads the page (L7)
            issued = _date(printed.group(2))
            first = next((x for x in lines if x), "")
            issuer = issuer or (first if len(first) <= 25 and AGENCY.search(first) else None)
        elif date and issued is None:
            issued = date
            issuer = issuer or _signature(lines[max(0, i - 2) : i])
        elif issuer is None and _MANGLED_DATE.fullmatch(line):  # 2025318: a date line that lost 年月日 in the copy
            issuer = _signature(lines[max(0, i - 2) : i])
        m = _NUMBER.fullmatch(line)
        if m and number is None:
            number = re.sub(r"\s+", "", m.group())
    number = number or _closing_number(text)
    if issued is None:  # a notice whose items open its body: signed and dated at its end
        issued, signed = _signed_at_end(text)
        issuer = issuer or signed
    labelled = _ISSUER_LABEL.search(head)  # 印发单位：X on a sheet's head (a page's 发布单位 only posted it, L9)
    issuer = issuer or (labelled.group(1) if labelled and AGENCY.search(labelled.group(1)) else None)
    if issued is None:  # a web page's 颁布时间：2016-04-06 when the notice carries no date
        issued = _labelled_date(raw[:3000])
    addressees = next((line[:-1] for line in lines if _addressee_line(line)), None)
    parties = {m.group(1): m.group(2) for line in lines if (m := _PARTY.fullmatch(line))}
    if "乙" in parties and "甲" in parties:  # a 责任书: 甲方 sets the targets, 乙方 takes them on (M12)
        issuer, addressees = issuer or parties["甲"], addressees or parties["乙"]
    place, level = _place_level(title, issuer)
    return Header(title, issuer, number, issued, addressees, place, level)


def _place_level(title: str | None, issuer: str | None) -> tuple[str, str]:
    """The document's place and level, from its title, else its issuer; a college or a company issuing has
    no government level: its 办公室 is its own (round11 s03)."""
    place, level = _place(title or issuer or "")
    if not place and issuer:
        place, level = _place(issuer)
    return (place, "") if issuer and _INSTITUTION.search(issuer) else (place, level)


# a school, a company or a development zone's 管委会: its departments are its own, no level word in front
_INSTITUTION = re.compile(
    r"(?:学院|大学|学校|中学|小学|幼儿园|医院|公司|集团|(?:开发区|高新区|园区|新区)(?:管理委员会|管委会))$"
)
_PARTY = re.compile(r"(甲|乙)方\s*:\s*([^\s:,。]{2,25}?(?:政府|局|委|办|厅|中心|公司|室))")
_CHAT_HEAD = re.compile(r"^[【\[]([^】\]\n]{2,20})[】\]]")
_WHOLE_NOTICE = re.compile(r"(?:印发|转发)([^\n]{4,80}?)的通知")


def _title(raw: str, head: str) -> str | None:
    whole = _WHOLE_NOTICE.search(head)
    if whole and not re.fullmatch(r"《[^》]*》", whole.group(1)) and "《" in whole.group(1):
        return _tidy(whole.group(1))  # 印发2024年《政府工作报告》重点工作任务分工的通知
    m = _NOTICE.search(head)
    if m:
        return _tidy(m.group(1))
    m = _SHARED.search(fold("\n".join(raw.split("\n")[:3])))
    if m:
        return _tidy(m.group(1))
    m = _TITLE_AT_START.match(head)
    if m:
        return _tidy(m.group(1))
    for line in head.split("\n")[:12]:
        line = re.sub(r"^附件\s*\d{0,2}\s*:?", "", line.strip())  # 附件：X对账表 names the attachment's title
        if 4 <= len(line) <= 60 and re.search(rf"(?:{_DOC_WORDS})$", line):
            return _tidy(line)
    return None


def _signed_at_end(text: str) -> tuple[dt.date | None, str | None]:
    """The date line closing the document (its last lines) and the office signed above it, when the notice's
    head carries no date: a 交办通知 whose numbered items run in its body is signed after them."""
    lines = [line.strip() for line in text.rstrip().split("\n")[-12:]]
    for i in range(len(lines) - 1, -1, -1):
        date = _date(lines[i])
        if date is not None:
            signed = _signature(lines[max(0, i - 2) : i])
            return date, signed if signed and AGENCY.search(signed) else None
    return None, None


def _closing_number(text: str) -> str | None:
    """A 文号 on a line of its own in brackets after the signature, "（柳街办发〔2026〕15号）" (a notice reposted
    on a 公众号 with its 文号 moved to its end, W8), when the head has none."""
    for line in text.rstrip().split("\n")[-12:]:
        m = re.fullmatch(r"\s*[(（]\s*(" + _NUMBER.pattern + r")\s*[)）]\s*", line)
        if m:
            return re.sub(r"\s+", "", m.group(1))
    return None


def _signature(lines: list[str]) -> str | None:
    """The issuer signed above the date: the nearest short line that is not a 文号 (桃政办发〔2024〕9号)."""
    for line in reversed(lines):
        if re.match(r"关于", line) or line.endswith("通知"):
            continue  # the title above a bracketed date （2026年5月8日）: no signature
        if 2 < len(line) <= 30 and not re.search(r"[。,:;]", line) and not _NUMBER.search(line):
            return re.split(r"\s{2,}|\u3000+", line.strip())[0]  # two offices signing side by side: the first (L13)
    return None


def _labelled_date(text: str) -> dt.date | None:
    """颁布时间 / 成文日期 first, 发布日期 (when the page was posted) last."""
    found = sorted(_LABELLED_DATE.finditer(text), key=lambda m: "发布" in m.group())
    for m in found:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def _tidy(title: str) -> str:
    return re.sub(r"\s+", "", title)


def _date(line: str) -> dt.date | None:
    m = _DATE.match(line)
    values: tuple[int, int, int] | None = None
    if m:
        values = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    elif m := _CN_DATE.match(line):
        from bot.core.numerals import cn_number

        year = int("".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in m.group(1)))
        values = (year, cn_number(m.group(2)) or 0, cn_number(m.group(3)) or 0)
    if values is None:
        return None
    try:
        return dt.date(*values)
    except ValueError:
        return None


def _addressee_line(line: str) -> bool:
    """各县(市、区)人民政府,市直有关单位: — a short line of unit names ending in a colon."""
    if not line.endswith(":") or len(line) > 120 or "。" in line or len(line) < 4:
        return False
    body = re.sub(r"\([^()]*\)$", "", line[:-1])  # 街道各办(所、中心): the bracket lists kinds, no part of the end
    return bool(re.search(r"(政府|单位|部门|局|委|办|厅|机构|学校|高校|公司|园区|管委会)$", body)) and not re.search(
        r"附件|联系人|电话|如下|现将", body
    )


def _place(name: str) -> tuple[str, str]:
    """("江都区", "区") from 江都区科创…; ("广西壮族自治区", "自治区"); ("", "市") when none is found."""
    place = ""
    rest = re.sub(r"^关于(?:印发)?", "", name)
    while (m := _PLACE_PART.match(rest)) and not _VERB.search(m.group()) and not _NO_TOWN.search(m.group()):
        place = m.group()
        rest = rest[m.end() :]
    if not place:
        return "", "市"
    if place.endswith(("街道", "镇")) or _ZONE.search(place):
        return place, ""  # a zone's 管委会 departments (应急管理局) are its own, as a 街道's offices (U7's 高新区)
    for level in ("自治区", "自治州", "省", "市", "区", "县", "旗", "盟"):
        if place.endswith(level):
            return place, level
    return place, "市"
