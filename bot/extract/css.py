"""What a page's CSS says about its layout, as far as the text of a 分工方案 depends on it.

Web editors and CMS themes draw a table or a numbered list with CSS instead of the HTML elements: `<div>`s
displayed as table / table-row / table-cell (L10), a CSS GRID of flat cell `<div>`s whose column count is the
number of tracks in `grid-template-columns` (T3), nested `<ol>`s whose numbers "一、" / "1." come from
`list-style-type` and are in no text (T1). This module reads the stylesheets once (a rule is split on braces,
never searched by a backtracking regex, so any sheet stays linear) and says, per class, what the parser needs:
the table tag a class stands for, the number of grid tracks, the list style. It also writes the number a list
style shows before the k-th item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.numerals import to_cn

DISPLAY = re.compile(r"display\s*:\s*(table(?:-row|-cell)?|grid|inline-grid)\b")
DISPLAY_TAG = {"table": "table", "table-row": "tr", "table-cell": "td", "grid": "grid", "inline-grid": "grid"}
_COLUMNS = re.compile(r"grid-template-columns\s*:\s*([^;]+)")
_LIST_STYLE = re.compile(r"list-style(?:-type)?\s*:\s*([\w-]+)")
_REPEAT = re.compile(r"repeat\(\s*(\d+)\s*,([^()]*(?:\([^()]*\)[^()]*)*)\)")  # repeat(3, 1fr minmax(0, 2fr))
_STYLE_OPEN = re.compile(r"<style[^>]*>", re.IGNORECASE)
_CHINESE_STYLES = {
    "cjk-ideographic",
    "simp-chinese-informal",
    "simp-chinese-formal",
    "trad-chinese-informal",
    "trad-chinese-formal",
    "cjk-decimal",
}


@dataclass
class PageStyle:
    """Per class name: the table tag it is displayed as, its grid's track count, its list style."""

    displays: dict[str, str] = field(default_factory=dict)
    tracks: dict[str, int] = field(default_factory=dict)
    lists: dict[str, str] = field(default_factory=dict)


def style_sheets(html: str) -> list[str]:
    """The text of each <style> element; one pass, an unclosed one ends the search (no rescan to the end)."""
    sheets: list[str] = []
    lower = html.lower()
    pos = 0
    while (m := _STYLE_OPEN.search(html, pos)) is not None:
        end = lower.find("</style", m.end())
        if end < 0:
            break
        sheets.append(html[m.end() : end])
        pos = end
    return sheets


def page_style(html: str) -> PageStyle:
    """The classes the page's stylesheets display as a table, a row, a cell or a grid, and their list styles."""
    style = PageStyle()
    for sheet in style_sheets(html):
        for rule in sheet.split("}"):  # a rule is "selectors { body": split, not a regex (linear on any sheet)
            selectors, _, body = rule.rpartition("{")
            names = [m.group(1) for s in selectors.split(",") if (m := re.search(r"\.([\w-]+)\s*$", s))]
            for name in names:
                _apply(style, name, body)
    return style


def _apply(style: PageStyle, name: str, body: str) -> None:
    if shown := DISPLAY.search(body):
        style.displays[name] = DISPLAY_TAG[shown.group(1)]
    if columns := _COLUMNS.search(body):
        style.tracks[name] = grid_tracks(columns.group(1))
    if listed := _LIST_STYLE.search(body):
        style.lists[name] = listed.group(1).lower()


def grid_tracks(value: str) -> int:
    """The number of columns a `grid-template-columns` value makes: "56px 2fr 1fr" 3, "repeat(5, 1fr)" 5,
    "[a] 1fr [b] 2fr" 2 (line names are no tracks); an auto-fill repeat or junk 0 (not a table we can read)."""
    value = re.sub(r"\[[^\]]*\]", " ", value)
    count = sum(int(r.group(1)) * len(_tokens(r.group(2))) for r in _REPEAT.finditer(value))
    rest = _REPEAT.sub(" ", value)
    if "repeat(" in rest:
        return 0
    return min(count + len(_tokens(rest)), 50)


def _tokens(value: str) -> list[str]:
    """Whitespace-separated tracks, a minmax(…) / fit-content(…) one track."""
    return re.findall(r"[\w.%-]+\([^()]*\)|[^\s()]+", value.strip())


def list_label(style: str, n: int) -> str:
    """The number a list style shows before the n-th item, as a typed number would be written: decimal "1.",
    a Chinese style "一、"; a bullet, none or a letter style "" (no number to read)."""
    if style in ("decimal", "decimal-leading-zero"):
        return f"{n}."
    if style in _CHINESE_STYLES:
        return f"{to_cn(n)}、"
    return ""
