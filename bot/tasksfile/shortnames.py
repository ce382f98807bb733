"""Document short names (简称): how people name a document in chat, as in 「成果转化 1.2」.

`short:` in tasks.yaml wins; without it the name is derived from the title by dropping what every
document's title shares — the region in front (江门市, 广西壮族自治区), verbs of intent (促进, 推进,
加快…), the kind of document at the end (三年行动方案, 工作方案, 建设指引…) and years in brackets — and
keeping at most six characters. Derived names that collide get 2, 3… (in file order); an explicit short
name used twice is an error the loader reports with file:line.

A short name cannot hold digits, spaces or the punctuation that separates a reference from its text,
so 「成果转化1.2」 reads back unambiguously (bot/core/references.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_LENGTH = 6
SHORT_PATTERN = r"^[^\s\d０-９.,，、。:：;；()（）【】\[\]「」]{1,12}$"
_REGION = re.compile(r"^.{1,10}?(?:自治区|省|自治州|市|区|县|旗)(?=.{4})")
_YEARS = re.compile(r"[(（][^)）]*\d{4}[^)）]*[)）]|\d{4}\s*[-—–~至到]\s*\d{4}\s*年?|\d{4}\s*年度?")
_INTENT = re.compile(r"^(?:关于|印发|进一步|全面|深入|加快|加强|推进|推动|促进|支持|实施|开展|做好)+")
_KIND = re.compile(
    r"(?:的通知|(?:三|五|[0-9]+)年(?:跃升|提升|攻坚)?|(?:重点)?(?:工作)?分工|行动方案|工作方案|"
    r"实施方案|行动计划|工作计划|工作要点|实施意见|实施细则|若干措施|若干政策|建设指引|指导意见|指引|方案|计划|意见|措施|办法|通知|规划)$"
)
_TRAILING = re.compile(r"(?:建设|发展|工作|重点|高质量)+$")
_NOT_ALLOWED = re.compile(r"[\s\d０-９.,，、。:：;；()（）【】\[\]「」\"'“”《》]")


def derive(title: str) -> str:
    """A short name from a title: 江门市促进科技成果转化三年行动方案 → 科技成果转化."""
    text = _YEARS.sub("", title)
    text = _NOT_ALLOWED.sub("", text)
    core = _INTENT.sub("", text)
    core = _REGION.sub("", core, count=1)
    previous = None
    while previous != core:
        previous = core
        core = _TRAILING.sub("", _KIND.sub("", core))
    core = _INTENT.sub("", core)
    if len(core) < 2:
        core = text
    return core[:MAX_LENGTH] or "文件"


def assign(explicit: Sequence[str | None], titles: Sequence[str]) -> list[str]:
    """The short name of each document (explicit ones as given; derived ones made unique)."""
    taken = {s for s in explicit if s}
    names: list[str] = []
    for given, title in zip(explicit, titles, strict=True):
        if given:
            names.append(given)
            continue
        base = derive(title)
        name, n = base, 2
        while name in taken:
            name, n = f"{base}{chr(ord('甲') + n - 2) if n < 12 else n}", n + 1
        taken.add(name)
        names.append(name)
    return names
