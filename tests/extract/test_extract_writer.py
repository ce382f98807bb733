"""The writer: whatever text a document carries, the YAML it is written as validates and reads back as
the same values (ruamel.yaml's emitter quotes what needs quoting; nothing is written by hand)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.extract import extract_text, to_yaml
from bot.extract.model import ExtractedDocument, ExtractedTask, Extraction, ProposedUnit
from bot.extract.units import UnitBook
from bot.tasksfile.loader import load_catalog
from bot.tasksfile.schema import CONTROL
from bot.tasksfile.unitnames import name_key, untypable

NASTY = [
    "\t",
    "\n",
    "=",
    "+86",
    ".inf",
    "-.inf",
    ".nan",
    "~",
    "null",
    "yes",
    "no",
    "0x1F",
    "1e3",
    "2024-01-01",
    "#",
    ": ",
    "- ",
    "? ",
    "'",
    '"',
    "\\",
    "&a",
    "*a",
    "!tag",
    "%",
    "@",
    "`",
    "|",
    ">",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\u3000",
    "\u2028",
    "\x85",
    "\ufeff",
    "（",
    "）",
    "牽頭單位：",
]
ANY = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30)
PIECE = st.one_of(st.sampled_from(NASTY), ANY, st.sampled_from(["市科技局", "各县(市、区)", "完成时限"]))
TEXT = st.lists(PIECE, max_size=6).map("".join)
LINE = TEXT.map(str.strip).filter(lambda s: 0 < len(s) <= 200)
NAME = LINE.filter(lambda s: untypable(s) is None)  # what tasks.yaml accepts as a unit name
TITLE = LINE.map(lambda s: CONTROL.sub(" ", s).strip()).filter(bool)  # the writer's own: no control character
DATES = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


def _task(draw: st.DrawFn, number: int, names: list[str]) -> ExtractedTask:
    lead = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
    responsible = draw(st.lists(st.sampled_from(names), min_size=0 if lead else 1, max_size=3, unique=True))
    return ExtractedTask(
        id=draw(st.sampled_from([f"{number}", f"{number}.1", f"bz.{number}", f"{number}-2"])),
        section=draw(st.none() | LINE),
        title=draw(TITLE),
        body=draw(TEXT),
        lead=lead,
        responsible=[n for n in responsible if n not in lead] or lead,
        deadline=draw(st.none() | DATES),
        recurrence=None,
        source_line=draw(st.none() | st.integers(1, 10_000)),
        deadline_note=draw(st.none() | TEXT),
        warnings=draw(st.lists(TEXT, max_size=2)),
    )


@st.composite
def extractions(draw: st.DrawFn) -> Extraction:
    names = draw(st.lists(NAME, min_size=1, max_size=5, unique_by=name_key))
    tasks = [_task(draw, n, names) for n in range(1, draw(st.integers(1, 4)) + 1)]
    seen: set[str] = set()
    for task in tasks:  # ids are unique within a document
        while task.id in seen:
            task.id += "x"
        seen.add(task.id)
    issued = draw(DATES)
    document = ExtractedDocument(
        id="doc-1",
        title=draw(LINE),
        issuer=names[0],
        number=draw(st.none() | LINE),
        issued=issued,
        period=None,
        addressees=draw(st.lists(st.sampled_from(names), max_size=2, unique=True)),
        source=draw(LINE),
        targets=[],
        tasks=tasks,
        mode=draw(st.sampled_from(["markers", "prose"])),
        warnings=draw(st.lists(TEXT, max_size=2)),
    )
    units = [ProposedUnit(n, new=draw(st.booleans()), note=draw(st.none() | TEXT)) for n in names]
    return Extraction(document, units, draw(st.none() | LINE))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extractions())
def test_any_extraction_validates_and_reads_back_unchanged(extraction: Extraction) -> None:
    catalog = load_catalog(Path("out.yaml"), text=to_yaml(extraction))
    doc = extraction.document
    (entry,) = catalog.documents
    assert (entry.title, entry.number, entry.source, entry.issued) == (doc.title, doc.number, doc.source, doc.issued)
    assert [
        (t.key, t.section, t.title, t.body, list(t.lead), list(t.responsible), t.deadline) for t in catalog.tasks
    ] == [(t.id, t.section, t.title, t.body, t.lead, t.responsible, t.deadline) for t in doc.tasks]


DOCUMENT = (
    "市科技局关于印发《测试工作方案》的通知\n各县（市、区）人民政府：\n市科技局\n2024年3月1日\n"
    "测试工作方案\n一、主要任务\n（一）第一组\n1.{body}（牵头单位：市科技局；责任单位：{unit}）\n"
    "2.第二项工作。（责任单位：市财政局）\n"
)


@settings(max_examples=150, deadline=None)
@given(body=TEXT.filter(lambda s: "\n" not in s), unit=st.sampled_from(["市教育局", "市發展改革委", "市+86局"]))
@example(body=",\r", unit="市教育局")  # found by this test: a bare \r inside a line broke the text tables' .csv reader
def test_any_extracted_document_validates_and_reads_back(body: str, unit: str) -> None:
    extraction = extract_text(DOCUMENT.format(body=body, unit=unit), "doc.txt", UnitBook())
    catalog = load_catalog(Path("out.yaml"), text=to_yaml(extraction))
    assert [(t.key, t.title, t.body, list(t.lead), list(t.responsible)) for t in catalog.tasks] == [
        (t.id, t.title, t.body, t.lead, t.responsible) for t in extraction.document.tasks
    ]
