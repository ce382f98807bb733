"""The weekly digest's chart (督办进展图): a PNG a 领导 reads at a glance. Pure: data in, PNG bytes out.

Left: per document, how many units are red, yellow, green on its tasks (stacked bars; a unit takes the
worst light of its assignments in that document, by the digest's rules); at most 15 bars, the documents
with the most red units, the title saying how many more there are. Right: the trend of the unit
assignments done / in progress / blocked / not reported over the last weeks, from the counts stored with
each weekly digest (DigestRun.counts) and this week's.

Why these choices: matplotlib's object API on the Agg canvas (no pyplot: no global figure state, safe
in the bot's threads); the Chinese font is Noto Sans SC from the `pylopdf-fonts-zh-cn` wheel (SIL OFL),
a locked dependency, so a fresh machine draws the same glyphs with no system font installed; the font is
registered by file and named per figure, never by a machine's font list.

`render_chart` takes a lock: the bot draws in a worker thread (`asyncio.to_thread`, so that the ~0.5 s of
drawing does not stop the event loop), and `rc_context` sets matplotlib's global rcParams, which two
drawings at once (the tick's weekly chart and a /chart) would tread on.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pylopdf_fonts_zh_cn
from matplotlib import font_manager, rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.core.vocab import Light, Status
from bot.render import messages as m
from bot.reporting.digest import LIGHT_ORDER, DigestRow, is_done, light_of, unit_last_heard
from bot.reporting.output_file import staged

LIGHT_COLOURS = {Light.RED: "#d9363e", Light.YELLOW: "#f2b705", Light.GREEN: "#3a9d5d"}
TREND = (
    (Status.DONE, "#3a9d5d"),
    (Status.IN_PROGRESS, "#2f6fb3"),
    (Status.BLOCKED, "#d9363e"),
    (Status.PENDING, "#9aa0a6"),
)
TREND_WEEKS = 8
MAX_DOCUMENTS = 15  # bars on the left: the documents with the most red units (`worst_documents`)
DPI = 110
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class ChartData:
    as_of: dt.date
    lights: list[tuple[str, Counter[Light]]]  # (document's short name, units per light), document order
    trend: list[tuple[str, Mapping[str, int]]]  # (week label, assignments per status), oldest first
    documents_left_out: int = 0  # documents beyond MAX_DOCUMENTS, not drawn


def font_path() -> Path:
    return Path(pylopdf_fonts_zh_cn.sans_path())


@cache
def font_name() -> str:
    """Registers the bundled CJK font with matplotlib (once) and returns its family name."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def lights_by_document(rows: Iterable[DigestRow], as_of: dt.date) -> list[tuple[str, Counter[Light]]]:
    """Per document (short name, else title), the units by the worst light of their assignments in it."""
    rows = list(rows)
    heard = unit_last_heard(rows)
    worst: dict[str, dict[str, Light]] = {}
    for row in rows:
        name = row.document_short or row.document
        light = light_of(row, as_of, heard[row.unit])
        units = worst.setdefault(name, {})
        if row.unit not in units or LIGHT_ORDER[light] < LIGHT_ORDER[units[row.unit]]:
            units[row.unit] = light
    return [(name, Counter(units.values())) for name, units in worst.items()]


def worst_documents(lights: list[tuple[str, Counter[Light]]], keep: int) -> list[tuple[str, Counter[Light]]]:
    """At most `keep` documents: those with the most red (then yellow) units, in document order. Two hundred
    documents would be two hundred bars nobody reads, drawn in over 2 s (bench/bench_chart.py); the chart
    says how many it leaves out (a bar summing them would dwarf the others)."""
    if len(lights) <= keep:
        return lights
    ranked = sorted(range(len(lights)), key=lambda i: (-lights[i][1][Light.RED], -lights[i][1][Light.YELLOW], i))
    return [lights[i] for i in sorted(ranked[:keep])]


def counts_of(rows: Iterable[DigestRow]) -> dict[str, int]:
    """Assignments per status as the digest counts them (办结 counts as done)."""
    counts = Counter({status: 0 for status in Status})
    for row in rows:
        counts[Status.DONE if is_done(row) else row.status] += 1
    return {str(k): v for k, v in counts.items()}


def chart_data(
    rows: Sequence[DigestRow], as_of: dt.date, history: Sequence[tuple[str, Mapping[str, int]]] = ()
) -> ChartData:
    """`history`: (week label, counts) of earlier digests, oldest first; this week's is added from `rows`."""
    trend = [*history, (as_of.strftime("%m-%d"), counts_of(rows))][-TREND_WEEKS:]
    lights = lights_by_document(rows, as_of)
    shown = worst_documents(lights, MAX_DOCUMENTS)
    return ChartData(as_of, shown, trend, len(lights) - len(shown))


def render_chart(data: ChartData) -> bytes:
    """The chart as PNG bytes."""
    family = font_name()
    with _DRAWING, rc_context({"font.family": [family], "axes.unicode_minus": False}):
        figure = Figure(figsize=(10, 4.6), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        figure.suptitle(m.CHART_TITLE.format(date=data.as_of.isoformat()), fontsize=14)
        left, right = figure.subplots(1, 2, width_ratios=(1.1, 1))
        _lights(left, data.lights, data.documents_left_out)
        _trend(right, data.trend)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _lights(axes: Axes, lights: list[tuple[str, Counter[Light]]], left_out: int) -> None:
    axes.set_title(
        m.CHART_LIGHTS_TITLE_WORST.format(n=len(lights), more=left_out) if left_out else m.CHART_LIGHTS_TITLE,
        fontsize=11,
    )
    names = [name for name, _ in lights][::-1]
    left = [0] * len(names)
    for light in (Light.RED, Light.YELLOW, Light.GREEN):
        values = [counts[light] for _, counts in lights][::-1]
        bars = axes.barh(names, values, left=left, color=LIGHT_COLOURS[light], label=m.CHART_LIGHT_LABELS[light])
        axes.bar_label(
            bars, labels=[str(v) if v else "" for v in values], label_type="center", color="white", fontsize=9
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_xlabel(m.CHART_UNITS_AXIS)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, fontsize=9, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)


def _trend(axes: Axes, trend: list[tuple[str, Mapping[str, int]]]) -> None:
    axes.set_title(m.CHART_TREND_TITLE, fontsize=11)
    labels = [label for label, _ in trend]
    weeks = list(range(len(labels)))  # positions, labelled below: labels as x values ("06-03") read as dates
    for status, colour in TREND:
        axes.plot(
            weeks,
            [counts.get(status, 0) for _, counts in trend],
            marker="o",
            color=colour,
            label=m.STATUS_LABELS[status],
        )
    axes.set_xticks(weeks, labels)
    if len(trend) < 2:  # under the week's label, not in the plot: there it covered the only point
        axes.set_xlabel(m.CHART_NO_TREND, fontsize=9, color="#666")
    axes.set_ylim(bottom=0)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=4, fontsize=9, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)


def write_png(png: bytes, path: Path) -> None:
    """Atomically: a temporary file beside `path`, renamed over it (a reader never sees half a picture)."""
    with staged(path) as tmp:
        tmp.write_bytes(png)
