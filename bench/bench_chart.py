"""The weekly chart's cost in the tick (issue 15): what drawing the coordinators' chart adds at the send moment.

Prints, measured in this one run (no timed asserts), for the digest rows of 10,000 tasks × 5 units in 200
documents over 300 units (built in memory, as `digest_rows` returns them) with 7 earlier weeks of counts:
- importing matplotlib and registering the bundled CJK font (paid by the first chart of a process);
- `chart_data` (lights per document, the trend) and `render_chart` (the PNG), the median of 5 runs, each
  against the 1 s budget, and the PNG's size;
- the same for one lead unit's tasks (what /chart draws), and what ~300 lead units' charts at one send
  moment would cost — why the tick draws only the coordinators' (scheduler/jobs.py `weekly_chart`).

Run: `python -m bench.bench_chart` (about half a minute).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

from bot.reporting.digest import DigestRow

T = TypeVar("T")
BUDGET_S = 1.0
AS_OF = dt.date(2025, 12, 1)
STATUSES = ("pending", "in_progress", "blocked", "done")


def rows(
    documents: int = 200, tasks_per_doc: int = 50, units: int = 300, per_task: int = 5, seed: int = 7
) -> list[DigestRow]:
    rng = random.Random(seed)
    names = [f"单位{i:03d}" for i in range(units)]
    out: list[DigestRow] = []
    for d in range(documents):
        for t in range(tasks_per_doc):
            deadline = AS_OF + dt.timedelta(days=rng.randint(-200, 700))
            for k, unit in enumerate(rng.sample(names, per_task)):
                out.append(
                    DigestRow(
                        assignment_id=len(out) + 1,
                        unit=unit,
                        document_id=f"doc-{d:04d}",
                        document=f"第{d}号工作方案",
                        task_key=f"{t // 10 + 1}.{t % 10 + 1}",
                        task_title=f"任务{d}-{t}",
                        role="lead" if k == 0 else "responsible",
                        status=rng.choice(STATUSES),
                        percent=None,
                        deadline=deadline,
                        closed=False,
                        last_report_at=dt.datetime(2025, 11, rng.randint(1, 28), tzinfo=dt.UTC),
                        issued=dt.date(2024, 1 + d % 9, 15),
                        document_short=f"方案{d}",
                    )
                )
    return out


def timed(fn: Callable[[], T], runs: int = 5) -> tuple[float, T]:
    """Median seconds of `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(times), result


def main() -> None:
    start = time.perf_counter()
    from bot.reporting.chart import chart_data, font_name, render_chart

    font_name()
    cold = time.perf_counter() - start
    print(f"matplotlib imported and the CJK font registered in {cold:.2f} s (once per process, at the first chart)")
    everything = rows()
    history = [(f"10-{day:02d}", {s: 12_500 for s in STATUSES}) for day in range(1, 8)]
    lead = everything[0].unit
    led_tasks = {(r.document_id, r.task_key) for r in everything if r.unit == lead and r.role == "lead"}
    mine = [r for r in everything if (r.document_id, r.task_key) in led_tasks]
    for label, subset in (("the coordinators (all)", everything), (f"one lead unit ({len(led_tasks)} tasks)", mine)):
        data_s, data = timed(lambda subset=subset: chart_data(subset, AS_OF, history))
        draw_s, png = timed(lambda data=data: render_chart(data))
        total = data_s + draw_s
        print(
            f"{label}: {len(subset):,} rows, {len(data.lights)} documents: chart_data {data_s:.3f} s + "
            f"render_chart {draw_s:.3f} s = {total:.3f} s = {total / BUDGET_S:.2f} of the {BUDGET_S:.0f} s budget; "
            f"PNG {len(png):,} bytes"
        )
        if subset is mine:
            print(
                f"  ~300 lead units' charts at one send moment would add ~{300 * total:.0f} s to that tick: "
                "the tick draws the coordinators' only, a lead unit asks with /chart"
            )


if __name__ == "__main__":
    main()
