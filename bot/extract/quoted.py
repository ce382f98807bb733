"""A task cell that quotes its source in corner brackets (a 政府工作报告 责任分解's 报告原文 column, V2).

The brackets 「…」 only say where the words come from; the work is the sentence inside them, without its
closing "。". Inner quotation marks (“小巨人”) are the sentence's own and stay."""

import re

_WRAPPED = re.compile(r"^\s*「([^「」]+)」\s*[。.]?\s*$")


def unquoted(cell: str) -> str:
    """The quoted sentence of a cell that is one 「…」 quotation and nothing else; any other cell as it is."""
    m = _WRAPPED.match(cell)
    return m.group(1).strip().rstrip("。") if m else cell
