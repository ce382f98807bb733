"""`taskbot extract`: a policy document (.txt, .html, .docx, .xlsx, .pdf) → a tasks.yaml a person can review.

Output decision: the extractor writes a *whole tasks file* — `version: 1`, a `units:` section and one
document — so `taskbot validate OUT` accepts it on its own. `units:` copies the registry's entry for
every unit the document uses and proposes (marked NEW in a comment) the units the registry lacks; to
adopt the document, move its entry under `documents:` of data/tasks.yaml and add the NEW units and
new aliases there. The registry is `--registry FILE`, else the `--against` file, else TASKS_FILE.

Pipeline (each step pure, text in and structures out; I/O only in `reader` and `writer`):
reader (format, encoding; .docx/.xlsx/.html tables) → tables (task tables pasted as text) → clean (page
noise) → structure (numbering) → plan (which parts are tasks, their ids) → markers / roles (units) →
deadline_phrases (deadlines) and target_phrases (指标) → writer (YAML, through ruamel.yaml's emitter). `compare`
scores an extraction against a reference file per task and field.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.errors import InputError, Problem
from bot.extract.assemble import Units, extract_document
from bot.extract.model import ExtractedDocument, Extraction, ProposedUnit
from bot.extract.reader import read_document
from bot.extract.textutil import fold
from bot.extract.units import UnitBook
from bot.extract.writer import render
from bot.tasksfile.loader import load_catalog

__all__ = ["Extraction", "extract_path", "extract_text", "load_registry", "to_yaml"]


def load_registry(path: Path | None) -> UnitBook:
    """The units of a tasks file (validated as a whole first), or an empty book."""
    if path is None:
        return UnitBook()
    return UnitBook(load_catalog(path).units.values())


def extract_text(
    raw: str, source: str, book: UnitBook, *, registry_name: str | None = None, doc_id: str | None = None
) -> Extraction:
    document, units = extract_document(raw, source, book, doc_id=doc_id)
    proposed = _units(units, book, document.issuer, document.addressees)
    _respell(document, proposed, book, units.spelling)
    return Extraction(document, proposed, registry_name)


def _respell(document: ExtractedDocument, units: list[ProposedUnit], book: UnitBook, table: dict[int, str]) -> None:
    """Names the extractor made from folded text, back in the document's own characters (a traditional-
    character document keeps 區民政局); registry names stay as the registry writes them."""
    if not table:
        return

    def name(value: str) -> str:
        return value if value in book.entries else value.translate(table)

    document.title = document.title.translate(table)
    document.number = document.number.translate(table) if document.number else None
    document.issuer = name(document.issuer) if document.issuer else None
    document.addressees = [name(n) for n in document.addressees]
    for task in document.tasks:
        task.lead = [name(n) for n in task.lead]
        task.responsible = [name(n) for n in task.responsible]
    for unit in units:
        unit.name = name(unit.name)
        unit.aliases = [a for a in dict.fromkeys(a.translate(table) for a in unit.aliases) if a != unit.name]
        unit.new_aliases = [a for a in dict.fromkeys(a.translate(table) for a in unit.new_aliases) if a != unit.name]


def extract_path(
    path: Path, book: UnitBook, *, registry_name: str | None = None, doc_id: str | None = None
) -> Extraction:
    source = read_document(path)
    return extract_text(source.text, source.name, book, registry_name=registry_name, doc_id=doc_id)


def to_yaml(extraction: Extraction) -> str:
    """The YAML text, checked by the same validation as `taskbot validate` before anyone sees it."""
    text = render(extraction)
    try:
        load_catalog(Path(extraction.document.source + ".yaml"), text=text)
    except InputError as exc:  # a bug of the extractor, not of the input: say so plainly
        raise InputError(
            [
                Problem(
                    extraction.document.source,
                    None,
                    None,
                    f"internal error: the extracted tasks do not validate: {p.message}",
                )
                for p in exc.problems[:3]
            ]
        ) from None
    return text


def _units(units: Units, book: UnitBook, issuer: str | None, addressees: list[str]) -> list[ProposedUnit]:
    known: list[ProposedUnit] = []
    new: list[ProposedUnit] = []
    taken = set(book.lookup)
    for name, resolutions in units.used.items():
        written = [r.written for r in resolutions if r.how != "garbled" and r.written != name]
        if name in book.entries:
            entry = book.entries[name]
            fresh = [w for w in dict.fromkeys(written) if fold(w) not in taken]
            taken.update(fold(w) for w in fresh)
            known.append(ProposedUnit(name, list(entry.aliases), list(entry.members), new_aliases=fresh))
        else:
            aliases = [w for w in dict.fromkeys(written) if fold(w) not in taken]
            taken.update(fold(w) for w in [name, *aliases])
            near = next((r.near for r in resolutions if r.near), None)
            new.append(ProposedUnit(name, aliases, new=True, note=f"close to {near}: the same unit?" if near else None))
    return known + new
