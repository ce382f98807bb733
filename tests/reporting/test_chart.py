"""The weekly chart: a PNG whose Chinese labels are drawn with real glyphs of the bundled font."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from bot.core.vocab import Light
from bot.render import messages as m
from bot.reporting.chart import chart_data, font_name, font_path, lights_by_document, render_chart
from bot.reporting.digest import DigestRow

AS_OF = dt.date(2025, 6, 2)
LABELS = "督办进展图各单位红黄绿灯按文件近几周任务单位分工数已完成进行中受阻未报告成果转化科技创新"


def row(
    aid: int, unit: str, short: str, status: str = "in_progress", deadline: dt.date = dt.date(2025, 12, 1)
) -> DigestRow:
    return DigestRow(
        assignment_id=aid,
        unit=unit,
        document_id=short,
        document=f"{short}方案",
        task_key=f"1.{aid}",
        task_title="任务",
        role="responsible",
        status=status,
        percent=None,
        deadline=deadline,
        closed=False,
        last_report_at=dt.datetime(2025, 5, 30, tzinfo=dt.UTC),
        issued=dt.date(2025, 1, 1),
        document_short=short,
    )


ROWS = [
    row(1, "甲局", "成果转化", deadline=dt.date(2025, 5, 1)),
    row(2, "乙局", "成果转化"),
    row(3, "甲局", "科技创新", status="done"),
    row(4, "丙局", "科技创新", status="blocked"),
    row(5, "乙局", "科技创新", deadline=dt.date(2025, 6, 5)),
]


def _glyph(text: str, family: str) -> np.ndarray:
    """One text drawn alone on a small canvas, as a grey bitmap."""
    figure = Figure(figsize=(0.6, 0.6), dpi=100)
    canvas = FigureCanvasAgg(figure)
    figure.text(0.5, 0.5, text, family=family, fontsize=28, ha="center", va="center")
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 0].copy()


def test_the_chart_is_a_png_drawn_without_a_missing_glyph() -> None:
    history = [("05-19", {"done": 0, "in_progress": 3, "blocked": 0, "pending": 2})]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render_chart(chart_data(ROWS, AS_OF, history))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []


def test_the_font_comes_from_the_locked_wheel_and_has_every_label_character() -> None:
    family = font_name()
    assert family == "Noto Sans SC"
    resolved = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert Path(resolved) == font_path() and "site-packages" in resolved
    font = FT2Font(str(font_path()))
    catalogue = (
        m.CHART_TITLE
        + m.CHART_LIGHTS_TITLE
        + m.CHART_TREND_TITLE
        + m.CHART_UNITS_AXIS
        + "".join(m.CHART_LIGHT_LABELS.values())
        + "".join(m.STATUS_LABELS.values())
        + LABELS
    )
    missing = {c for c in catalogue if not c.isascii() and font.get_char_index(ord(c)) == 0}
    assert missing == set()


def test_chinese_labels_are_glyphs_not_tofu_boxes() -> None:
    """Tofu boxes all look alike: with the bundled font every character draws differently; with DejaVu Sans
    (no CJK) they draw as one and the same box, and matplotlib warns — so this test can tell the two apart."""
    chars = "督办红黄绿灯"
    real = [_glyph(c, font_name()) for c in chars]
    assert all(bitmap.min() < 128 for bitmap in real)  # ink on the canvas
    assert len({bitmap.tobytes() for bitmap in real}) == len(chars)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tofu = [_glyph(c, "DejaVu Sans") for c in chars]
    assert len({bitmap.tobytes() for bitmap in tofu}) == 1
    assert any("missing from font" in str(w.message) for w in caught)


def test_lights_by_document_take_each_units_worst_light_in_that_document() -> None:
    lights = dict(lights_by_document(ROWS, AS_OF))
    assert lights["成果转化"] == {Light.RED: 1, Light.GREEN: 1}
    assert lights["科技创新"] == {Light.GREEN: 1, Light.RED: 1, Light.YELLOW: 1}


def test_the_trend_keeps_the_last_weeks_and_ends_with_this_week() -> None:
    history = [(f"w{i}", {"done": i}) for i in range(12)]
    data = chart_data(ROWS, AS_OF, history)
    assert len(data.trend) == 8 and data.trend[-1] == (
        "06-02",
        {"pending": 0, "in_progress": 3, "blocked": 1, "done": 1},
    )


def test_many_documents_draw_the_fifteen_with_the_most_red_units_and_say_how_many_more() -> None:
    """Two hundred bars nobody reads (and 2 s to draw): the worst fifteen, in document order, and a count."""
    many = [
        row(
            100 * d + u, f"单位{u}", f"文件{d:02d}", deadline=dt.date(2025, 5, 1) if u < d % 7 else dt.date(2025, 12, 1)
        )
        for d in range(20)
        for u in range(6)
    ]
    data = chart_data(many, AS_OF)
    names = [name for name, _ in data.lights]
    assert len(names) == 15 and data.documents_left_out == 5 and names == sorted(names)
    reds = {name: counts[Light.RED] for name, counts in lights_by_document(many, AS_OF)}
    assert min(reds[n] for n in names) >= max(reds[n] for n in reds if n not in names)
    assert render_chart(data).startswith(b"\x89PNG")


def test_no_history_note_does_not_cover_the_only_point() -> None:
    """Issue 22: 「暂无往期周报」 was drawn inside the plot, over the only point of a first week."""
    from bot.reporting.chart import _trend

    figure = Figure(figsize=(5, 4), dpi=80)
    canvas = FigureCanvasAgg(figure)
    axes = figure.subplots()
    _trend(axes, [("06-02", {"pending": 10, "done": 0, "in_progress": 3, "blocked": 1})])
    canvas.draw()
    renderer = canvas.get_renderer()
    notes = [
        t for t in figure.findobj(match=lambda a: getattr(a, "get_text", None) and a.get_text() == m.CHART_NO_TREND)
    ]
    assert notes, "the note is drawn"
    points = [axes.transData.transform((x, y)) for line in axes.get_lines() for x, y in line.get_xydata()]
    for note in notes:
        box = note.get_window_extent(renderer).expanded(1.2, 1.5)
        assert not any(box.contains(px, py) for px, py in points)
