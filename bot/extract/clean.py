"""Page noise out, document text in: web boilerplate, page numbers and page-split fragments.

Documents arrive as copies of web pages and document-sharing sites. What is removed: navigation and
metadata lines (您现在的位置, 字体, 发布时间, 来源), everything from a page-footer line on (打印本页,
关闭窗口, 版权声明, 扫一扫 …) once the document has begun, page numbers (— 3 —, 第3页), and the page
prefixes of sharing sites ("4、" opening a line in the middle of a sentence), whose lines are joined up
again. Every character of the result keeps the line it came from (`Cleaned.line_at`), so a task can
say where it starts in the input. A 项目库 plan's block head "项目一　X" (a `<pre>` page's plan) is numbered
as "一、X"; a 纪要's "会议明确：一是…；二是…" is cut into one numbered line per ordinal clause.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from bot.core.numerals import cn_number
from bot.extract.textutil import fold
from bot.tasksfile.schema import CONTROL

_TAIL = re.compile(
    r"^[\s【\[(]*(扫一扫|版权声明|免责声明|\(?责任编辑|原文链接|THE END|附件下载|打印本页|关闭窗口|打印\s*关闭|"
    r"【?关闭】?$|【?打印】?$|分享到|上一篇|下一篇|相关链接|相关文章|相关阅读|网站地图|联系我们|主办单位:|主办:|承办:|"
    r"网站标识码|.*ICP备|Baidu$|map$)",
    re.IGNORECASE,
)
_NOISE = re.compile(
    r"^[\s•·【\[]*(?:\d{1,2}\s*[.、]\s*)?(文号:|发文字号|发文机关|体裁分类|公开方式|公开范围|时效:|有效性|生成日期|公开日期|"
    r"您现在的位置|您的位置|当前位置|首页\s*[>›»]|【?字体|字号|发布时间|发布日期|发文日期|发布机构|发布部门|"
    r"来源:|信息来源|文章来源|浏览次数|阅读次数|点击数|访问量|登录/注册|索引号|主题分类|所属机构|成文日期|"
    r"【?大\s*中\s*小|收藏$|分享$|打印$|视力保护|政策推送|政策查询|企业查询|数据导出)"
)
_SHARE_SITE = re.compile(r"由会员分享|在线阅读|文库|下载积分|点击下载|珍藏版")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–一－]\s*\d{1,3}\s*[-—–一－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|"
    r"\d{1,3}\s*/\s*\d{1,3}|\d{1,4}|[\d\s-]{7,})\s*$"
)
_DATETIME = re.compile(r"^[\s•·]*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
_PAGE_PREFIX = re.compile(r"^\s*(\d{1,3})、")
_STARTED = re.compile(r"(?:^|[。;:])\s*[一二三四五六七八九十]{1,3}、")
_SENTENCE_END = "。;:!?)]】〕”"
# a card "01｜工地扬尘管控" (a WeChat article's numbered block): the number is the item's, as "1."
_CARD = re.compile(r"^\s*0?(\d{1,2})\s*[|｜丨]\s*(?=\S)")
# a project block's head "项目一　X" (a 项目库 plan, round11 s06): the ordinal is the item's number, as "一、"
_PROJECT = re.compile(r"^[ \t\u3000]*项目([一二三四五六七八九十]{1,3})[ \t\u3000]+(?=\S)")
# emoji, pictographs and bullet shapes before a label or a number ("📌牵头：", "⏰时限：", "▶ 一、", "◆1."): decoration
# (a WeChat post's, W8), the label or number is what follows
_EMOJI = re.compile(
    r"^\s*[\u25A0\u25A1\u25AA\u25AB\u25B6\u25B7\u25BA\u25BB\u25C6\u25C7"
    r"\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2190-\u21FF\u2300-\u23FF\uFE0F\u200D]+\s*"
)


def page_number(line: str) -> bool:
    """A page's footer or header line ("— 2 —", "第3页", "2/5"): no document's text."""
    return bool(_PAGE_NUMBER.match(fold(line)))


@dataclass(frozen=True)
class Cleaned:
    text: str
    starts: tuple[int, ...]  # offset in `text` where each piece begins …
    lines: tuple[int, ...]  # … and the 1-based input line it came from

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)] if self.starts else 1


def clean(text: str) -> Cleaned:
    """Remove page noise; pure. A control character (Word's soft line break \\x0b, an ESC from a copy) is a
    space: tasks.yaml refuses them in titles (bot/tasksfile/schema.py), and they mean nothing in a text."""
    kept: list[tuple[int, str]] = []
    started = False
    for number, line in enumerate(CONTROL.sub(" ", text).split("\n"), start=1):
        folded = fold(line)
        if started and _TAIL.match(folded) and len(folded.strip()) < 60:
            break
        if _NOISE.match(folded) and len(folded.strip()) < 80:
            continue
        if _SHARE_SITE.search(folded) and number <= 3 and "《" in folded:
            continue
        if not folded.strip() or _PAGE_NUMBER.match(folded) or _DATETIME.match(folded):
            continue
        kept.extend((number, part) for part in _decided_clauses(_card_line(line.rstrip())))
        started = started or bool(_STARTED.search(folded))
    return _join_pages(kept)


def _card_line(line: str) -> str:
    """A card's number as an item number and its emoji-led labels bare, so cards read as marked items."""
    line = _PROJECT.sub(lambda m: f"{m.group(1)}、", _EMOJI.sub("", line))
    return _CARD.sub(lambda m: f"{m.group(1)}.", line)


# a 纪要's decisions in one sentence: "会议明确：一是…；二是…；三是…" (round11 s02), each clause an item
_DECIDED = re.compile(r"会议(?:明确|议定|决定|同意|要求|强调|指出)[^。;；]{0,8}[:：]\s*(?=一是)")
_ORDINAL = re.compile(r"(?:(?<=[;；。])|^)\s*([一二三四五六七八九十]{1,2})是(?=\S)")


def _decided_clauses(line: str) -> list[str]:
    """A line holding a meeting's "会议明确：一是…；二是…" cut into the sentence before it and one line per
    ordinal clause, numbered "1." "2." as items; any other line as it is."""
    decided = _DECIDED.search(line)
    if decided is None or "二是" not in line:
        return [line]
    head, rest = line[: decided.end()], line[decided.end() :]
    starts = [m for m in _ORDINAL.finditer(rest)]
    if len(starts) < 2:
        return [line]
    parts = [head]
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(rest)
        clause = rest[m.end() : end].strip().rstrip(";；")
        parts.append(f"{cn_number(m.group(1))}.{clause}")
    return parts


def _join_pages(kept: list[tuple[int, str]]) -> Cleaned:
    """Strip sharing-site page prefixes ("N、" counting up across lines) and close the page joins."""
    prefixed = _page_prefixed(kept)
    wrapped = _hard_wrapped(kept)
    parts: list[str] = []
    starts: list[int] = []
    lines: list[int] = []
    offset = 0
    for i, (number, line) in enumerate(kept):
        glue = "" if i in wrapped else "\n"
        if i in prefixed:
            line = _PAGE_PREFIX.sub("", line, count=1)
            previous = parts[-1].rstrip() if parts else ""
            if previous and fold(previous)[-1] not in _SENTENCE_END:
                glue = ""
                if parts:
                    parts[-1] = previous
                    offset = starts[-1] + len(previous)
        if parts:
            parts.append(glue)
            offset += len(glue)
        starts.append(offset)
        lines.append(number)
        parts.append(line)
        offset += len(line)
    return Cleaned("".join(parts), tuple(starts), tuple(lines))


_OPENS = re.compile(r"^(?:\s|[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,3}\s?[.、．])")


def _hard_wrapped(kept: list[tuple[int, str]]) -> set[int]:
    """Indexes of lines that continue the line above, in a text copied from a PDF with a hard break every
    N characters (inside names, labels, before a 。): the width is the length most lines share, and a line
    after a full one continues it unless it opens a paragraph (indented) or a numbered part."""
    lengths = Counter(len(line) for _, line in kept if len(line) >= 12)
    if not lengths:
        return set()
    width = lengths.most_common(1)[0][0]  # half-width digits let a full line hold a character or two more
    full = sum(c for n, c in lengths.items() if width <= n <= width + 2)
    if width < 20 or full < 5 or full * 5 < sum(lengths.values()) * 2:
        return set()
    return {
        i for i in range(1, len(kept)) if len(kept[i - 1][1]) >= width and kept[i][1] and not _OPENS.match(kept[i][1])
    }


def _page_prefixed(kept: list[tuple[int, str]]) -> set[int]:
    """Indexes of lines whose "N、" is a page number: N counts up by one from line to line and most
    of those lines continue the previous line's sentence."""
    candidates = [(i, int(m.group(1))) for i, (_, line) in enumerate(kept) if (m := _PAGE_PREFIX.match(line))]
    run: list[int] = []
    best: list[int] = []
    last = None
    for i, n in candidates:
        if last is not None and n == last + 1:
            run.append(i)
        else:
            run = [i]
        last = n
        if len(run) > len(best):
            best = list(run)
    if len(best) < 3:
        return set()
    mid_sentence = sum(1 for i in best if i > 0 and fold(kept[i - 1][1].rstrip())[-1:] not in _SENTENCE_END)
    return set(best) if mid_sentence * 2 >= len(best) - 1 else set()
