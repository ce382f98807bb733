"""Catalog decisions that are not about bad input: name folding and settings inheritance."""

from __future__ import annotations

from pathlib import Path

from bot.tasksfile.loader import load_catalog
from tests.conftest import DATA

MINI = (DATA / "mini.yaml").read_text(encoding="utf-8")


def test_full_width_and_ascii_brackets_match_both_ways() -> None:
    declared_full = MINI.replace("  - name: 各县(市、区)人民政府", "  - name: 各县（市、区）人民政府")
    catalog = load_catalog(Path("t.yaml"), text=declared_full)
    task = next(t for t in catalog.tasks if t.key == "1.1")
    assert "各县（市、区）人民政府" in task.responsible  # written with ASCII brackets in the task
    referenced_full = MINI.replace(
        "responsible: [市发展改革局, 各县(市、区)人民政府]", "responsible: [市发展改革局, 各县（市、区）人民政府]"
    )
    task = next(t for t in load_catalog(Path("t.yaml"), text=referenced_full).tasks if t.key == "1.1")
    assert "各县(市、区)人民政府" in task.responsible


def test_overrides_are_kept_per_level() -> None:
    text = MINI.replace("    source: demo.txt\n", "    source: demo.txt\n    prompt_every: weekly\n").replace(
        "        deadline: 2024-06-30\n", "        deadline: 2024-06-30\n        remind_before: [3]\n"
    )
    catalog = load_catalog(Path("t.yaml"), text=text)
    assert catalog.documents[0].settings == {"prompt_every": "weekly"}
    assert next(t for t in catalog.tasks if t.key == "1.2").settings == {"remind_before": [3]}
    assert catalog.defaults["send_at"] == "09:30"
