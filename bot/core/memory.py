"""Python's cyclic garbage collector, paused around bulk in-memory work.

Loading a 10,000-task file builds some 600,000 small objects (YAML nodes, dicts, validated models, rows)
that hold no cycles and are freed by reference counting; while they pile up the collector walks them
again and again — about half of the parse time and a third of a re-import's store time
(bench/bench_import.py). The scheduler's tick pauses it for the same reason (scheduler/jobs.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the block, its state restored after (an exception included)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
