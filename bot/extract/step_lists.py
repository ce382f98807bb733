"""A 整改方案's 问题 blocks (V4): "问题一：…" opens a block, then 整改目标：…, a label line "整改措施：" followed by a
NUMBERED LIST of measures, and only after the list the block's 责任领导 / 责任单位 / 整改时限 lines.

The numbered measures are the steps of the block's one task: they carry no roles or times of their own, and the
role lines after them belong to the whole block, not to the last measure. So the list is folded into its label
line (the lines it leaves are blank, the line count holds) and the block stays one task. A 问题 numbered in
Chinese ("问题三：") opens task 3 as "问题3：" does."""

import re

from bot.core.numerals import cn_number

_CN_BLOCK = re.compile(r"^(\s*)(?:问题|事项)([一二三四五六七八九十]{1,3})\s*[:：]\s*")
_LABEL = re.compile(r"^\s*[\u4e00-\u9fff]{2,8}\s*[:：]\s*$")  # 整改措施： alone on its line
_STEP = re.compile(r"^\s*\d{1,2}\s*[.．、](?!\d)")
_ROLE_LINE = re.compile(r"^\s*(?:责任领导|责任单位|牵头单位|配合单位|责任人|整改时限|完成时限)\s*[:：]")
_ROLE_WORD = re.compile(r"牵头|责任单位|配合单位|负责")


def block_number(line: str) -> str:
    """ "问题三：X" → "3.X" (a block opener numbered in Chinese); any other line as it is."""
    m = _CN_BLOCK.match(line)
    number = cn_number(m.group(2)) if m else None
    return f"{m.group(1)}{number}.{line[m.end() :]}" if m and number else line


def fold_steps(lines: list[str]) -> None:
    """Fold each numbered list under a label line, followed by the block's role lines, into the label line."""
    i = 0
    while i < len(lines):
        if not _LABEL.match(lines[i]):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and _STEP.match(lines[j]) and not _ROLE_WORD.search(lines[j]):
            j += 1
        if j - i > 1 and j < len(lines) and _ROLE_LINE.match(lines[j]):
            steps = (_STEP.sub("", line).strip() for line in lines[i + 1 : j])  # no numbers: no items
            lines[i] = lines[i].rstrip() + "".join(steps)
            lines[i + 1 : j] = [""] * (j - i - 1)
        i = j
