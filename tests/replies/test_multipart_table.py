"""Splitting a reply that answers several tasks at once, over a table of messages as 联络员 write them.

A contact's unit has tasks from several documents (成果转化, 大学科技园, 创新驱动, 科创载体, 示范区), so a
reply may name tasks by short name + number 「成果转化 1.2」, a unique prefix 「成果1.2」 or a bare number
「1.2」, or answer a 督办单 by its item numbers 「1.」「（1）」「①」「第1项」. Each row is what a 督查室 clerk
reading the message would record, part by part:

    (item, reference short, reference number, status, percent, expected date)

- 「1.」「1、」「1)」「1:」 give the item AND a reference ('' , '1') (the caller decides with context);
  「(1)」「（1）」「①」「第1项」 give the item only; a dotted 「1.2」 is a task reference, never an item.
- A segment (line, ；or ;) that opens with no marker continues the part before it, so dates and percents
  at the start of a line (「12月底前完成」「2024年…」「1.5亿元」「5项」) are never references.
- Status, percent and date are what the single-task parser reads from the part's text; the message was
  sent on Tuesday 2024-10-15 10:00 in Asia/Shanghai, so 「12月底」 and 「年底前」 are 2024-12-31. ANY marks a
  field this table does not judge (the single-task parser's reading of an unusual sentence).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest.mock import ANY
from zoneinfo import ZoneInfo

import pytest

from bot.core.vocab import ReportedStatus
from bot.replies.multipart import ReplyPart, split_reply
from bot.replies.parser import parse_reply

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2024, 10, 15, 10, 0, tzinfo=TZ)

DONE = ReportedStatus.DONE
IP = ReportedStatus.IN_PROGRESS
BLK = ReportedStatus.BLOCKED
NS = ReportedStatus.NOT_STARTED
DEC31 = "2024-12-31"

# (item, short, number, status, percent, expected date as ISO text)
Part = tuple[int | None, str | None, str | None, Any, Any, Any]

# id, message, expected parts
TABLE: list[tuple[str, str, list[Part]]] = [
    # ---- one part, no marker: the whole message is about the one task the bot asked about
    ("no-marker-semicolon-clauses", "进展60%；预计12月底完成", [(None, None, None, IP, 60, DEC31)]),
    ("no-marker-done", "已完成", [(None, None, None, DONE, ANY, None)]),
    ("no-marker-whitespace", "  正在推进，预计12月底完成  \n", [(None, None, None, IP, None, DEC31)]),
    ("no-marker-starts-with-date", "2024年12月31日前完成；目前正在推进", [(None, None, None, IP, None, DEC31)]),
    ("no-marker-starts-with-month-day", "11月30日前完成", [(None, None, None, IP, None, "2024-11-30")]),
    ("no-marker-count-not-a-reference", "32家企业已入库；正在推进", [(None, None, None, ANY, ANY, ANY)]),
    ("no-marker-lines-of-one-task", "方案已起草\n正在征求意见\n预计12月底印发", [(None, None, None, IP, None, DEC31)]),
    # ---- one part with a marker
    ("one-ref-full", "成果转化1.2 已完成", [(None, "成果转化", "1.2", DONE, ANY, None)]),
    ("one-item-dot", "1. 已完成", [(1, "", "1", DONE, ANY, None)]),
    ("one-item-di-xiang", "第2项：推进中，预计年底前完成", [(2, None, None, IP, None, DEC31)]),
    ("one-ref-bz", "bz.3 已完成", [(None, "", "bz.3", DONE, ANY, None)]),
    ("one-item-crlf-blank-lines", "\r\n  第1项：已完成  \r\n\r\n", [(1, None, None, DONE, ANY, None)]),
    (
        "one-ref-semicolon-clauses",
        "成果转化1.2 已完成初稿；正在征求意见；预计12月底完成",
        [(None, "成果转化", "1.2", IP, None, DEC31)],
    ),
    # ---- 督办单 item numbers of every form
    (
        "items-dot-lines",
        "1. 已完成\n2. 推进中\n3. 尚未启动",
        [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, None, None), (3, "", "3", NS, None, None)],
    ),
    ("items-dot-no-space", "1.已完成\n2.推进中", [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, None, None)]),
    (
        "items-dunhao-semicolons",
        "1、已完成；2、进展60%；3、受阻，需市财政局协调资金",
        [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, 60, None), (3, "", "3", BLK, None, None)],
    ),
    (
        "items-paren",
        "1) 已完成\n2) 正在推进，预计12月底完成\n3) 尚未启动\n4) 资金未到位，推进困难",
        [
            (1, "", "1", DONE, ANY, None),
            (2, "", "2", IP, None, DEC31),
            (3, "", "3", NS, None, None),
            (4, "", "4", BLK, None, None),
        ],
    ),
    (
        "items-colon",
        "1:已完成\n2:进展顺利\n3:完成进度60％",
        [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, None, None), (3, "", "3", IP, 60, None)],
    ),
    (
        "items-wide-colon",
        "1：已完成\n2：推进中\n3：尚未启动",
        [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, None, None), (3, "", "3", NS, None, None)],
    ),
    (
        "items-wide-paren-close",
        "1）已完成\n2）进行中\n3）受阻",
        [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, None, None), (3, "", "3", BLK, None, None)],
    ),
    (
        "items-half-parens",
        "(1)已完成\n(2)推进中\n(3)受阻，需协调省厅解决用地问题",
        [(1, None, None, DONE, ANY, None), (2, None, None, IP, None, None), (3, None, None, BLK, None, None)],
    ),
    (
        "items-wide-parens",
        "（1）已完成；（2）完成率85%，年底前可全部完成；（3）尚未启动",
        [(1, None, None, DONE, ANY, None), (2, None, None, IP, 85, DEC31), (3, None, None, NS, None, None)],
    ),
    (
        "items-circled",
        "①已完成\n②推进中\n③尚未启动\n④受阻",
        [
            (1, None, None, DONE, ANY, None),
            (2, None, None, IP, None, None),
            (3, None, None, NS, None, None),
            (4, None, None, BLK, None, None),
        ],
    ),
    (
        "items-circled-high",
        "⑩已完成\n⑪推进中\n⑳尚未启动",
        [(10, None, None, DONE, ANY, None), (11, None, None, IP, None, None), (20, None, None, NS, None, None)],
    ),
    (
        "items-di-xiang",
        "第1项：已完成\n第2项：推进中\n第3项：尚未启动",
        [(1, None, None, DONE, ANY, None), (2, None, None, IP, None, None), (3, None, None, NS, None, None)],
    ),
    (
        "items-di-xiang-no-punct",
        "第1项已完成；第2项正在推进，预计12月底完成；第10项尚未启动",
        [(1, None, None, DONE, ANY, None), (2, None, None, IP, None, DEC31), (10, None, None, NS, None, None)],
    ),
    (
        "items-two-digit",
        "10. 已完成\n11. 推进中\n12. 尚未启动",
        [(10, "", "10", DONE, ANY, None), (11, "", "11", IP, None, None), (12, "", "12", NS, None, None)],
    ),
    (
        "items-twelve-then-date",
        "11、已完成\n12、12月底前完成",
        [(11, "", "11", DONE, ANY, None), (12, "", "12", IP, None, DEC31)],
    ),
    (
        "items-wide-digits-dunhao",
        "１、已完成\n２、推进中\n３、尚未启动",
        [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, None, None), (3, "", "3", NS, None, None)],
    ),
    (
        "items-wide-digits-parens",
        "（１）已完成\n（２）推进中\n第３项：尚未启动",
        [(1, None, None, DONE, ANY, None), (2, None, None, IP, None, None), (3, None, None, NS, None, None)],
    ),
    (
        "items-six",
        "1. 已完成\n2. 已完成\n3. 推进中\n4. 进展60%\n5. 尚未启动\n6. 受阻，需市财政局协调资金",
        [
            (1, "", "1", DONE, ANY, None),
            (2, "", "2", DONE, ANY, None),
            (3, "", "3", IP, None, None),
            (4, "", "4", IP, 60, None),
            (5, "", "5", NS, None, None),
            (6, "", "6", BLK, None, None),
        ],
    ),
    (
        "items-mixed-separators",
        "1. 已完成；2. 推进中\n3. 尚未启动;4. 受阻",
        [
            (1, "", "1", DONE, ANY, None),
            (2, "", "2", IP, None, None),
            (3, "", "3", NS, None, None),
            (4, "", "4", BLK, None, None),
        ],
    ),
    ("items-wide-dot", "１．已完成\n２．推进中", [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, None, None)]),
    (
        "items-wide-parens-two-digit",
        "（10）已完成\n第１１项：推进中",
        [(10, None, None, DONE, ANY, None), (11, None, None, IP, None, None)],
    ),
    (
        "items-marker-alone-on-its-line",
        "1.\n已完成\n2.\n推进中",
        [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, None, None)],
    ),
    (
        "items-wide-digit-date",
        "１、２０２４年１２月３１日前完成\n２、已完成",
        [(1, "", "1", IP, None, DEC31), (2, "", "2", DONE, ANY, None)],
    ),
    # ---- task references: full short names, prefixes, bare numbers, bz.N
    (
        "refs-full-spaced",
        "成果转化 1.2 已完成\n大学科技园 2.1 推进中\n创新驱动 3.4 尚未启动",
        [
            (None, "成果转化", "1.2", DONE, ANY, None),
            (None, "大学科技园", "2.1", IP, None, None),
            (None, "创新驱动", "3.4", NS, None, None),
        ],
    ),
    (
        "refs-full-colons-semicolons",
        "成果转化1.2：已完成；大学科技园2.1：进展60%；示范区5.3：受阻，需市财政局协调资金",
        [
            (None, "成果转化", "1.2", DONE, ANY, None),
            (None, "大学科技园", "2.1", IP, 60, None),
            (None, "示范区", "5.3", BLK, None, None),
        ],
    ),
    (
        "refs-prefixes",
        "成果1.2 已完成\n大学2.1 推进中\n创新3 尚未启动\n科创4.1.2 进展60%\n示范1.1 受阻",
        [
            (None, "成果", "1.2", DONE, ANY, None),
            (None, "大学", "2.1", IP, None, None),
            (None, "创新", "3", NS, None, None),
            (None, "科创", "4.1.2", IP, 60, None),
            (None, "示范", "1.1", BLK, None, None),
        ],
    ),
    (
        "refs-bare-dotted",
        "1.2 已完成\n2.1 推进中\n3.4 尚未启动",
        [(None, "", "1.2", DONE, ANY, None), (None, "", "2.1", IP, None, None), (None, "", "3.4", NS, None, None)],
    ),
    (
        "refs-bare-and-bz",
        "1.2：已完成；2.1：进展60%；bz.3：尚未启动",
        [(None, "", "1.2", DONE, ANY, None), (None, "", "2.1", IP, 60, None), (None, "", "bz.3", NS, None, None)],
    ),
    (
        "refs-bz-with-short",
        "成果转化 bz.3 已完成\n科创载体bz.1 推进中\n示范区 bz.12 进展60%",
        [
            (None, "成果转化", "bz.3", DONE, ANY, None),
            (None, "科创载体", "bz.1", IP, None, None),
            (None, "示范区", "bz.12", IP, 60, None),
        ],
    ),
    (
        "refs-bare-integer-space",
        "3 已完成\n4 推进中",
        [(None, "", "3", DONE, ANY, None), (None, "", "4", IP, None, None)],
    ),
    (
        "refs-half-colons-semicolons",
        "成果1.2:已完成;大学2.1:推进中;示范5.1:尚未启动",
        [
            (None, "成果", "1.2", DONE, ANY, None),
            (None, "大学", "2.1", IP, None, None),
            (None, "示范", "5.1", NS, None, None),
        ],
    ),
    (
        "refs-same-number-six-documents",
        "成果转化1.1 已完成；成果转化1.2 已完成；大学科技园1.1 推进中；"
        "创新驱动1.1 尚未启动；科创载体1.1 进展60%；示范区1.1 受阻",
        [
            (None, "成果转化", "1.1", DONE, ANY, None),
            (None, "成果转化", "1.2", DONE, ANY, None),
            (None, "大学科技园", "1.1", IP, None, None),
            (None, "创新驱动", "1.1", NS, None, None),
            (None, "科创载体", "1.1", IP, 60, None),
            (None, "示范区", "1.1", BLK, None, None),
        ],
    ),
    (
        "refs-wide-digits",
        "成果转化１.２ 已完成\n大学科技园２．１ 推进中\n１．３ 尚未启动",
        [
            (None, "成果转化", "1.2", DONE, ANY, None),
            (None, "大学科技园", "2.1", IP, None, None),
            (None, "", "1.3", NS, None, None),
        ],
    ),
    (
        "refs-wide-percent",
        "成果1.2 进展６０％\n大学2.1 已完成",
        [(None, "成果", "1.2", IP, 60, None), (None, "大学", "2.1", DONE, ANY, None)],
    ),
    (
        "refs-ideographic-space",
        "成果转化　1.2　已完成\n示范区　5.1　推进中",
        [(None, "成果转化", "1.2", DONE, ANY, None), (None, "示范区", "5.1", IP, None, None)],
    ),
    (
        "refs-followed-by-dates",
        "1.2 12月底前完成；2.1 2024年12月31日前完成",
        [(None, "", "1.2", IP, None, DEC31), (None, "", "2.1", IP, None, DEC31)],
    ),
    (
        "refs-alone-on-their-lines",
        "成果转化1.2\n已完成\n大学科技园2.1\n推进中",
        [(None, "成果转化", "1.2", DONE, ANY, None), (None, "大学科技园", "2.1", IP, None, None)],
    ),
    (
        "refs-three-levels-and-no-space",
        "1.2.3 已完成\n1.2已完成\nbz.3已完成",
        [(None, "", "1.2.3", DONE, ANY, None), (None, "", "1.2", DONE, ANY, None), (None, "", "bz.3", DONE, ANY, None)],
    ),
    (
        "refs-followed-by-commas",
        "成果转化1.2,已完成\n大学2.1，推进中\n1.2、尚未启动",
        [
            (None, "成果转化", "1.2", DONE, ANY, None),
            (None, "大学", "2.1", IP, None, None),
            (None, "", "1.2", NS, None, None),
        ],
    ),
    (
        "refs-percent-right-after",
        "1.2 60%\n2.1 ６０％",
        [(None, "", "1.2", IP, 60, None), (None, "", "2.1", IP, 60, None)],
    ),
    # ---- spaces, blank lines, Windows line breaks
    (
        "crlf-items",
        "1. 已完成\r\n2. 推进中\r\n3. 尚未启动\r\n",
        [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, None, None), (3, "", "3", NS, None, None)],
    ),
    (
        "crlf-refs-blank-line",
        "成果转化1.2 已完成\r\n\r\n大学科技园2.1 正在推进，预计12月底完成\r\n",
        [(None, "成果转化", "1.2", DONE, ANY, None), (None, "大学科技园", "2.1", IP, None, DEC31)],
    ),
    (
        "blank-lines-around-items",
        "\n\n1. 已完成\n\n\n2. 推进中\n\n3. 尚未启动\n\n",
        [(1, "", "1", DONE, ANY, None), (2, "", "2", IP, None, None), (3, "", "3", NS, None, None)],
    ),
    (
        "indented-lines",
        "   成果1.2 已完成   \n\t大学2.1 推进中\t\n  示范5.1 尚未启动  ",
        [
            (None, "成果", "1.2", DONE, ANY, None),
            (None, "大学", "2.1", IP, None, None),
            (None, "示范", "5.1", NS, None, None),
        ],
    ),
    # ---- ；or a line break inside ONE task's answer; dates, amounts and counts that are not references
    (
        "semicolon-clauses-then-next-task",
        "成果转化1.2 进展60%；预计12月底完成\n大学科技园2.1 已完成",
        [(None, "成果转化", "1.2", IP, 60, DEC31), (None, "大学科技园", "2.1", DONE, ANY, None)],
    ),
    (
        "item-semicolon-clauses",
        "1. 方案已起草；正在征求意见；预计12月底印发\n2. 已完成",
        [(1, "", "1", IP, None, DEC31), (2, "", "2", DONE, ANY, None)],
    ),
    (
        "line-starting-with-month",
        "成果转化1.2 正在推进\n12月底前完成\n大学科技园2.1 已完成",
        [(None, "成果转化", "1.2", IP, None, DEC31), (None, "大学科技园", "2.1", DONE, ANY, None)],
    ),
    (
        "clause-starting-with-year",
        "1. 正在推进；2024年12月31日前完成\n2. 尚未启动",
        [(1, "", "1", IP, None, DEC31), (2, "", "2", NS, None, None)],
    ),
    (
        "clause-starting-with-amount",
        "成果1.2 完成投资3.2亿元，占年度计划的80%；1.5亿元已拨付\n大学2.1 推进中",
        [(None, "成果", "1.2", ANY, 80, ANY), (None, "大学", "2.1", IP, None, None)],
    ),
    (
        "line-starting-with-months-count",
        "示范区5.1 已召开推进会\n3个月内完成\n创新驱动2.2 尚未启动",
        [(None, "示范区", "5.1", ANY, ANY, ANY), (None, "创新驱动", "2.2", NS, None, None)],
    ),
    (
        "line-starting-with-percent",
        "大学科技园2.1 累计完成\n85%，年底前可全部完成\n成果转化1.2 已完成",
        [(None, "大学科技园", "2.1", ANY, ANY, DEC31), (None, "成果转化", "1.2", DONE, ANY, None)],
    ),
    (
        "line-starting-with-task-count",
        "1. 正在推进\n5项子任务已完成3项\n2. 已完成",
        [(1, "", "1", ANY, ANY, ANY), (2, "", "2", DONE, ANY, None)],
    ),
    (
        "clause-starting-with-day",
        "成果1.2 正在组织实施；10月10日已召开推进会\n大学2.1 尚未启动",
        [(None, "成果", "1.2", IP, None, ANY), (None, "大学", "2.1", NS, None, None)],
    ),
    (
        "amount-line-before-any-marker",
        "1.5亿元已拨付\n1.2 已完成",
        [(None, None, None, ANY, ANY, ANY), (None, "", "1.2", DONE, ANY, None)],
    ),
    (
        "line-starting-with-amount",
        "成果转化1.2 推进中\n2.5万元已到位\n示范区5.1 已完成",
        [(None, "成果转化", "1.2", IP, None, None), (None, "示范区", "5.1", DONE, ANY, None)],
    ),
    # ---- item numbers and references mixed in one message
    (
        "mixed-item-ref-paren-prefix",
        "1. 已完成\n成果转化1.2 推进中\n(3) 尚未启动\n大学2.1 受阻",
        [
            (1, "", "1", DONE, ANY, None),
            (None, "成果转化", "1.2", IP, None, None),
            (3, None, None, NS, None, None),
            (None, "大学", "2.1", BLK, None, None),
        ],
    ),
    (
        "mixed-circled-ref-di-bz",
        "①已完成；成果1.2 进展60%；第3项 尚未启动；bz.2 推进中",
        [
            (1, None, None, DONE, ANY, None),
            (None, "成果", "1.2", IP, 60, None),
            (3, None, None, NS, None, None),
            (None, "", "bz.2", IP, None, None),
        ],
    ),
    (
        "mixed-five-with-continuation",
        "（1）已完成\n2、进展60%\n预计12月底完成\n创新驱动3.1：尚未启动\n1.2 推进中\n⑤受阻",
        [
            (1, None, None, DONE, ANY, None),
            (2, "", "2", IP, 60, DEC31),
            (None, "创新驱动", "3.1", NS, None, None),
            (None, "", "1.2", IP, None, None),
            (5, None, None, BLK, None, None),
        ],
    ),
    (
        "preamble-then-items",
        "各项任务进展如下：\n1. 已完成\n2. 推进中\n3. 尚未启动",
        [
            (None, None, None, ANY, ANY, ANY),
            (1, "", "1", DONE, ANY, None),
            (2, "", "2", IP, None, None),
            (3, "", "3", NS, None, None),
        ],
    ),
]


def _reading(part: ReplyPart) -> Part:
    ref = part.reference
    got = parse_reply(part.text, NOW)
    return (
        part.item,
        ref.short if ref else None,
        ref.number if ref else None,
        got.status,
        got.percent,
        got.expected_date,
    )


def _expected(row: Part) -> Part:
    item, short, number, status, percent, date = row
    return (item, short, number, status, percent, dt.date.fromisoformat(date) if isinstance(date, str) else date)


@pytest.mark.parametrize(("message", "parts"), [(m, p) for _, m, p in TABLE], ids=[row[0] for row in TABLE])
def test_multipart_table(message: str, parts: list[Part]) -> None:
    got = [_reading(part) for part in split_reply(message)]
    assert got == [_expected(row) for row in parts]


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 45
    assert len({row[0] for row in TABLE}) == len(TABLE)


# issue 22: with every live document's short name (as the handlers pass them), a part that opens with another
# document's short name (「示例 1.2」, not the unit's) or with a piece of one (「转化 1.8」) is a part of its own,
# answered, never merged into its neighbour or passed over.
SHORTS = ["创新驱动", "大学科技园", "成果转化", "科创载体", "示例", "示范区"]
WITH_SHORTS: list[tuple[str, str, list[tuple[str, str, Any]]]] = [
    (
        "another-documents-part",
        "示例 1.2 已完成；成果转化 1.9 进展30%",
        [("示例", "1.2", DONE), ("成果转化", "1.9", IP)],
    ),
    ("a-piece-of-a-short-name", "成果 1.8 已完成；转化 1.8 受阻", [("成果", "1.8", DONE), ("转化", "1.8", BLK)]),
    ("no-piece-of-any-short-name", "成果 1.8 已完成；其中2.1 已推进", [("成果", "1.8", ANY)]),  # one part
]


@pytest.mark.parametrize(("message", "parts"), [(m, p) for _, m, p in WITH_SHORTS], ids=[r[0] for r in WITH_SHORTS])
def test_every_named_part_is_its_own_part(message: str, parts: list[tuple[str, str, Any]]) -> None:
    got = split_reply(message, SHORTS)
    assert [
        (p.reference.short, p.reference.number, parse_reply(p.text, NOW).status) for p in got if p.reference
    ] == parts
