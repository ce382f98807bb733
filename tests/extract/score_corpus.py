"""The blind score of a corpus folder: mean per-document F1 over task, lead, responsible and deadline.

The number the corpora's READMEs and docs/extraction.md quote as "blind score": each document extracted with
no registry (the way a coordinator meets a new 分工方案) and compared with its expected YAML
(`bot.extract.compare`); a field's F1 is 2PR/(P+R), a document's score the mean of its four fields, and a
document the extractor refuses (an error, no YAML) scores 0. Targets are left out, as the tests' bar does.

Run: `python -m tests.extract.score_corpus tests/data/extract/round7 [-v]` (-v prints each difference).
Score a new set once, before anyone tunes on it: after that it is a development set.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.extract import extract_path, to_yaml
from bot.extract.compare import Comparison, compare
from bot.extract.units import UnitBook
from bot.tasksfile.loader import load_catalog
from tests.extract.support import corpus_documents

SCORED = ("task", "lead", "responsible", "deadline")


def document_score(comparison: Comparison) -> float:
    """The mean F1 of the scored fields."""
    total = 0.0
    for name in SCORED:
        s = comparison.scores[name]
        p, r = s.precision, s.recall
        total += 2 * p * r / (p + r) if p + r else 0.0
    return total / len(SCORED)


def score_document(source: Path) -> tuple[float, list[str]]:
    """(score, differences); a refused document (0, [why])."""
    try:
        extraction = extract_path(source, UnitBook())
        to_yaml(extraction)
    except Exception as exc:  # a refusal of any kind scores 0 and is shown
        return 0.0, [f"refused: {type(exc).__name__}: {exc}"]
    comparison = compare(extraction, load_catalog(source.with_name(f"{source.stem}.expected.yaml")))
    return document_score(comparison), comparison.differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every difference")
    args = parser.parse_args()
    scores = []
    for source in corpus_documents(args.folder):
        score, differences = score_document(source)
        scores.append(score)
        print(f"{source.name:<40} {score:.3f}")
        if args.verbose:
            for line in differences:
                print(f"    {line}")
    print(f"mean of {len(scores)} documents: {sum(scores) / max(1, len(scores)):.3f}")


if __name__ == "__main__":
    main()
