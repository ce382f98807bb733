"""Extractor benchmark (issue 4): speed against its budgets, and accuracy per field.

Prints, measured in this one run:
- the five seed documents extracted (with data/tasks.yaml as the registry), total wall time and its
  ratio to the budget of 1 s ("well under a second");
- generated documents of 1 MB, 2 MB and 49 MB (marked items in (一)…(六十) sections under 二、三、…;
  49 MB is just under the reader's 50 MB limit), the extraction's wall time and its ratio to the budget of
  5 s, 3 s and 60 s: it grows linearly with the size (issue 21: 2 MB took 14 s, growing with the square);
  the YAML of the 1 and 2 MB documents is timed apart;
- precision/recall per field over every document set, as the tests print them: the seeds (against
  data/tasks.yaml), the project's own test documents, the blind corpus (issue 13: written by someone
  who never read the extractor) and the real-layout corpus (issue 21), against their expected YAML with no
  registry, and the real-layout corpus again with data/tasks.yaml as the registry; then one line per set
  with the totals. `--quick` leaves out the 49 MB document.

Run: `python -m bench.bench_extract`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bot.core.numerals import to_cn
from bot.extract import extract_path, extract_text, load_registry, to_yaml
from bot.extract.compare import FIELDS, Score, compare, format_scores
from bot.extract.units import UnitBook
from bot.tasksfile.loader import load_catalog
from tests.extract.builders import huizhou_docx

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
OWN = ROOT / "tests" / "data" / "extract"
BLIND = OWN / "blind"
REAL = OWN / "real"
SUFFIXES = (".txt", ".html", ".pdf", ".docx", ".xlsx")
SEEDS_BUDGET_S = 1.0
SIZES = ((1, 5.0), (2, 3.0), (49, 60.0))  # MB, budget in seconds
_ITEM = (
    "{k}.建立健全第{n}项科技成果转化工作机制。鼓励高校、科研机构、医疗卫生机构健全本单位促进科技成果转化管理制度，"
    "推动高校引入专业服务机构，加强科技成果转化专职机构建设，将科技成果转化工作成效纳入绩效考核体系。"
    "探索以转化应用为导向的科技成果评价机制，促进科技成果转化工作规范、高效、有序开展，力争到2025年完成。"
    "由市科技局牵头，市财政局配合。（牵头单位：市科学技术局；责任单位：市财政局、市教育局、各县（市、区）人民政府；"
    "完成时限：2025年底前）"
)


def big_document(size: int = 1024 * 1024) -> str:
    """A plan of at least `size` bytes (UTF-8): a notice, goals, and marked items in many sections —
    (一)…(六十) of ten items each under each top section 二、三、…, so every item is a task at any size."""
    parts = [
        "江门市科学技术局关于印发《江门市科技创新基准行动方案》的通知",
        "各县（市、区）人民政府，市直有关单位：",
        "江门市科学技术局",
        "2024年1月1日",
        "江门市科技创新基准行动方案",
        "一、工作目标",
        "到2026年，新建平台100个。",
    ]
    n, top, written = 0, 1, sum(len(p.encode()) + 1 for p in parts)
    while written < size:
        top += 1
        parts.append(f"{to_cn(top)}、第{top - 1}部分主要任务")
        for section in range(1, 61):
            parts.append(f"（{to_cn(section)}）第{section}组任务")
            for k in range(1, 11):
                n += 1
                parts.append(_ITEM.format(k=k, n=n))
            written += sum(len(p.encode()) + 1 for p in parts[-11:])
            if written >= size:
                break
    parts += [f"{to_cn(top + 1)}、保障措施", "（一）加强组织领导。市科技局要统筹协调各项工作。"]
    return "\n".join(parts)


def main() -> None:
    registry = ROOT / "data" / "tasks.yaml"
    start = time.perf_counter()
    book = load_registry(registry)
    reference = load_catalog(registry)
    loaded = time.perf_counter() - start
    seeds = sorted(SEEDS.glob("*.txt"))
    start = time.perf_counter()
    extractions = [extract_path(seed, book) for seed in seeds]
    texts = [to_yaml(extraction) for extraction in extractions]
    seeds_s = time.perf_counter() - start
    print(f"registry data/tasks.yaml loaded in {loaded:.3f} s (once per run, not counted below)")
    print(
        f"five seeds: {sum(len(e.document.tasks) for e in extractions)} tasks, {sum(map(len, texts)):,} chars "
        f"of YAML in {seeds_s:.3f} s — ratio {seeds_s / SEEDS_BUDGET_S:.2f} of the {SEEDS_BUDGET_S:.0f} s budget"
    )
    for megabytes, budget in SIZES:
        if megabytes > 2 and "--quick" in sys.argv:
            continue
        _big(megabytes, budget, book)
    rows = [(c.document, c.scores) for c in (compare(e, reference) for e in extractions)]
    print("\nseeds against data/tasks.yaml:")
    print(format_scores(rows))
    sets = {"seeds": rows}
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder, registry in (
            ("own", OWN, UnitBook()),
            ("blind", BLIND, UnitBook()),
            ("real", REAL, UnitBook()),
            ("real+reg", REAL, book),
            ("heldout", OWN / "heldout", UnitBook()),
            ("final", OWN / "final", UnitBook()),
            ("round4", OWN / "round4", UnitBook()),
            ("round5", OWN / "round5", UnitBook()),
            ("round6", OWN / "round6", UnitBook()),
            ("round7", OWN / "round7", UnitBook()),
            ("round8", OWN / "round8", UnitBook()),
            ("round9", OWN / "round9", UnitBook()),
            ("round10", OWN / "round10", UnitBook()),
            ("round11", OWN / "round11", UnitBook()),
        ):
            sets[name] = _score_folder(folder, Path(tmp), registry)
            which = "data/tasks.yaml as the registry" if registry is book else "no registry"
            print(f"\n{name} documents against their expected YAML ({which}):")
            print(format_scores(sets[name]))
    print("\nper set, all documents (precision/recall):")
    print("set".ljust(10) + "".join(f"{f:>18}" for f in FIELDS))
    for name, set_rows in sets.items():
        total = {f: Score() for f in FIELDS}
        for _, scores in set_rows:
            for f in FIELDS:
                total[f].add(scores[f])
        print(name.ljust(10) + "".join(f"{total[f].precision:.3f}/{total[f].recall:.3f}".rjust(18) for f in FIELDS))


def _big(megabytes: int, budget: float, book: UnitBook) -> None:
    """The extraction is timed against the budget; the YAML (ruamel's emitter and the validation, linear
    but slow: ~12 s per MB here) is timed apart, and not for the 49 MB document."""
    text = big_document(megabytes * 1024 * 1024)
    start = time.perf_counter()
    big = extract_text(text, f"bench-{megabytes}mb.txt", book)
    took = time.perf_counter() - start
    line = (
        f"{megabytes} MB document ({len(text.encode()) / 1024 / 1024:.2f} MB, {len(big.document.tasks)} tasks) "
        f"extracted in {took:.3f} s — ratio {took / budget:.2f} of the {budget:.0f} s budget"
    )
    if megabytes <= 2:
        start = time.perf_counter()
        to_yaml(big)
        line += f"; its YAML written and validated in {time.perf_counter() - start:.3f} s"
    print(line, flush=True)


def _score_folder(folder: Path, tmp: Path, book: UnitBook) -> list[tuple[str, dict[str, Score]]]:
    """Each `NAME.expected.yaml` against its document (NAME.txt/.html/.pdf/.docx/.xlsx; the .docx the tests
    build when none is committed)."""
    rows = []
    for expected in sorted(folder.glob("*.expected.yaml")):
        name = expected.name.removesuffix(".expected.yaml")
        source = next((p for p in sorted(folder.glob(f"{name}.*")) if p.suffix in SUFFIXES), None)
        if source is None and name == "huizhou_table":
            source = huizhou_docx(tmp / "huizhou_table.docx")
        if source is not None:
            rows.append((source.name, compare(extract_path(source, book), load_catalog(expected)).scores))
    return rows


if __name__ == "__main__":
    main()
