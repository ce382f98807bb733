"""Quantities in report text (「已实施揭榜挂帅项目12项」, 「完成投资3.2亿元」, 「覆盖率达到85%」), and which
of a task's quantified targets (指标) each one speaks to. Pure.

Why a reader of its own: the reply parser reads status, percent of progress and dates; a target value
is another thing — a count, an amount of money or a rate that a 工作方案 set as a goal. It must not
take 「进展60%」 (the task's progress) for a coverage rate, nor 「目标20项」 (the goal restated) for
what was achieved.

- Numbers: 12, 3.2, 1,200, full-width １２, Chinese 十二 / 二十 / 一百零五, 百分之八十五.
- Measures: money 元/万元/亿元 (and 万/亿 alone before nothing else: 「投资3.2亿」), counts
  个/家/项/名/人/件/… with an optional 万 (「1.2万家」), % and ％, and a few physical ones (平方米, 亩…).
  Values are converted to the target's measure: 3200万元 against a target in 亿元 is 0.32.
- A quantity after a word of intent (目标, 计划, 力争, 预计, 要求, 任务) or of a rule (不超过, 最高, 补贴) is
  not a value reached; a % after 进展/进度/完成 with no word of a rate (率, 比例, 占比) is progress.
- Signs are kept: 「-5项」, 「负5项」, 「减少5项」 are -5. A value reached is a level, never below zero, so a
  negative figure in a report (a change, 「同比下降5%」) is no target's value, and /target refuses one with
  its reason. A magnitude no 工作方案 has (ABSURD: 10^15 base units, 1000万亿元; 320 nines would read
  as `inf`) is no value either: refused with its reason by /target, left out of a report (the report is
  stored all the same).
- Matching: a target is a candidate when its measure is of the same kind (money, count, %, or the very
  same physical measure). Of several candidates the one whose text shares most words (character pairs)
  with the words before the number wins; a tie names none, so nothing is recorded by guess. A count
  prefers the same measure word (项 to 项) over another (个 to 项); a count with another measure word and no
  word in common is none of the task's targets, even its only one (「培育技术经纪人70名」 is not 70 of
  「揭榜挂帅项目20项」).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.numerals import CN_NUM, cn_number

MONEY = {"元": 1.0, "万元": 1e4, "亿元": 1e8, "万": 1e4, "亿": 1e8}
COUNT_WORDS = "个家项名人件场所座条次户套台支批处"
PHYSICAL = ("平方米", "公里", "亩", "吨")

_NUMBER = rf"(?:\d+(?:\.\d+)?|[{CN_NUM}]+)"
_MEASURE = (
    rf"亿元|万元|元|万平方米|平方米|公里|亩|吨|万[{COUNT_WORDS}]|[{COUNT_WORDS}](?!月|工作日|小时|百分点)"
    r"|(?:亿|万)(?![\u4e00-\u9fff])|%"
)
_QUANTITY = re.compile(
    rf"(?<![第每\d.])(?:(?P<pct>百分之(?P<pnum>{_NUMBER}))"
    rf"|(?P<num>{_NUMBER})\s*(?P<measure>{_MEASURE}))"
)
_CLAUSE = re.compile(r"[，,。；;！!？?\n]")
_INTENT = re.compile(
    r"(目标|计划|力争|预计|拟|要求|任务是|任务为|不超过|最高|补贴|奖励|资助|争取)"
    r"[^，。；]{0,8}$"
)
_PROGRESS = re.compile(r"(进展|进度|完成了?|已完成|推进|总体)[约达到了为]*$")
_RATE = re.compile(r"率|比例|占比|比重|覆盖|增长|增速|同比|环比")
_WORD_CHARS = re.compile(r"[\u4e00-\u9fff]")
_MINUS = re.compile(r"(?:(?<![\d.%])[-−]|负|减少了?|下降了?|降低了?)\s*$")
ABSURD = 1e15  # base units (元, items, m²): beyond any figure a 工作方案 sets


@dataclass(frozen=True)
class Quantity:
    """One quantity as written: its value in `measure` (e.g. 3.2 亿元), and the words before it in its clause."""

    value: float
    measure: str
    context: str

    @property
    def kind(self) -> str:
        return kind_of(self.measure)

    @property
    def absurd(self) -> bool:
        """Not a figure anyone reached: infinite (320 nines) or beyond ABSURD."""
        return not math.isfinite(self.value) or abs(self.value) * scale(self.measure) >= ABSURD


@dataclass(frozen=True)
class TargetRef:
    """A target as the matcher needs it: id, text, goal value and measure (as tasks.yaml states them)."""

    id: int
    text: str
    value: float
    measure: str | None


@dataclass(frozen=True)
class TargetMatch:
    target: TargetRef
    value: float  # in the target's measure
    quantity: Quantity


def kind_of(measure: str | None) -> str:
    """money, count, percent, or the physical measure itself; '' for none."""
    if not measure:
        return ""
    if measure in MONEY:
        return "money"
    if measure == "%":
        return "percent"
    base = measure[1:] if measure.startswith("万") and len(measure) > 1 else measure
    if base in PHYSICAL:
        return base
    if len(base) == 1 and base in COUNT_WORDS:
        return "count"
    return measure


def scale(measure: str) -> float:
    """How many base units (元, one item, one square metre) one `measure` is."""
    if measure in MONEY:
        return MONEY[measure]
    if measure.startswith("万") and len(measure) > 1:
        return 1e4
    return 1.0


def base_word(measure: str) -> str:
    return measure[1:] if measure.startswith("万") and len(measure) > 1 and measure not in MONEY else measure


def _number(text: str) -> float | None:
    text = text.replace(",", "")
    try:
        return float(text)  # inf for 320 nines: Quantity.absurd says so
    except ValueError:
        value = cn_number(text)
        return None if value is None else float(value)


def quantities(text: str) -> list[Quantity]:
    """Every quantity stating a value reached, in order (goals restated and progress percents left out)."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        start = max((m.end() for m in _CLAUSE.finditer(text, 0, match.start())), default=0)
        context = text[start : match.start()]
        if match.group("pct"):
            number, measure = _number(match.group("pnum")), "%"
        else:
            number, measure = _number(match.group("num")), match.group("measure")
        if number is None or _INTENT.search(context):
            continue
        if measure == "%" and _PROGRESS.search(context) and not _RATE.search(context):
            continue
        found.append(Quantity(-number if _MINUS.search(context) else number, measure, context))
    return found


def states_absurd(text: str) -> bool:
    """Whether the text states a magnitude no 工作方案 has (the answer says it was not counted as a value)."""
    return any(q.absurd for q in quantities(text))


def convert(quantity: Quantity, measure: str) -> float | None:
    """The quantity in `measure`, or None when the two are not of one kind."""
    if quantity.kind != kind_of(measure):
        return None
    value = quantity.value * scale(quantity.measure) / scale(measure)
    return round(value, 6)


def _pairs(text: str) -> set[str]:
    chars = "".join(_WORD_CHARS.findall(text))
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def match_targets(text: str, targets: Sequence[TargetRef]) -> list[TargetMatch]:
    """Each target the text states a value for, with that value in the target's measure (first quantity wins)."""
    matches: dict[int, TargetMatch] = {}
    for quantity in quantities(text):
        if quantity.value < 0 or quantity.absurd:  # a change or a typo, not a level reached
            continue
        candidates = [t for t in targets if t.measure and convert(quantity, t.measure) is not None]
        if not candidates:
            continue
        words = _pairs(quantity.context)

        def score(target: TargetRef, words: set[str] = words, quantity: Quantity = quantity) -> tuple[int, int]:
            same_word = int(quantity.kind != "count" or base_word(target.measure or "") == base_word(quantity.measure))
            return len(words & _pairs(target.text)), same_word

        ranked = sorted(candidates, key=score, reverse=True)
        if len(ranked) > 1 and score(ranked[0]) == score(ranked[1]):
            continue
        best = ranked[0]
        if score(best) == (0, 0):  # no word in common and another measure word: 70名 is no value of 20项
            continue
        if best.id in matches:
            continue
        value = convert(quantity, best.measure or "")
        assert value is not None
        matches[best.id] = TargetMatch(best, int(value) if float(value).is_integer() else value, quantity)
    return list(matches.values())


_STATED = re.compile(
    rf"(?P<sign>[-−]|负|减少了?|下降了?|降低了?)?\s*(?:百分之(?P<pnum>{_NUMBER})|(?P<num>{_NUMBER})\s*(?P<measure>{_MEASURE})?)"
)


def stated(text: str) -> Quantity | None:
    """The one number a person gives when asked for a value (「15项」, 「3200万元」, 「85%」, 「十五」, 「15」), for
    the 更正 of a target value and /target. A bare number has no measure (''): it is read in the target's.
    Text around one quantity is allowed (「已实施15项」); several quantities, or none, give None."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", unicodedata.normalize("NFKC", text)).strip()
    match = _STATED.fullmatch(text)
    if match is not None:
        if match.group("pnum"):
            number, measure = _number(match.group("pnum")), "%"
        else:
            number, measure = _number(match.group("num")), match.group("measure") or ""
        if number is None:
            return None
        return Quantity(-number if match.group("sign") else number, measure, "")
    found = quantities(text)
    return found[0] if len(found) == 1 else None


def value_in(quantity: Quantity, measure: str | None) -> float | None:
    """`quantity` in a target's `measure` (a bare number is taken as written), or None when the two are not of
    one kind (3.2亿元 for a target counted in 项). Whole values come back as int."""
    if not quantity.measure:
        value: float | None = quantity.value
    elif not measure:
        value = None
    else:
        value = convert(quantity, measure)
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
