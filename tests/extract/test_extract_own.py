"""The project's own test documents in other styles (another city, a county, a province, prose roles,
a task table), each against its expected YAML in tests/data/extract/, read with no registry at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.extract import extract_path, to_yaml
from bot.extract.compare import compare
from bot.extract.units import UnitBook
from bot.tasksfile.loader import load_catalog
from tests.extract.builders import huizhou_docx, text_to_docx
from tests.extract.support import OWN, record


def _gb18030(tmp: Path) -> Path:
    path = tmp / "boluo_kjcx.txt"
    path.write_bytes((OWN / "boluo_kjcx.txt").read_text(encoding="utf-8").encode("gb18030"))
    return path


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "foshan-html (city, markers, web page)": (lambda tmp: OWN / "foshan_fhq.html", "foshan_fhq"),
    "boluo-txt (county, 牵头 marks)": (lambda tmp: OWN / "boluo_kjcx.txt", "boluo_kjcx"),
    "boluo-gb18030": (_gb18030, "boluo_kjcx"),
    "jiangxi-txt (province, prose)": (lambda tmp: OWN / "jiangxi_cgzh.txt", "jiangxi_cgzh"),
    "jiangxi-docx": (
        lambda tmp: text_to_docx((OWN / "jiangxi_cgzh.txt").read_text(), tmp / "jiangxi_cgzh.docx"),
        "jiangxi_cgzh",
    ),
    "nanshan-txt (district, prose)": (lambda tmp: OWN / "nanshan_ai.txt", "nanshan_ai"),
    "nanshan-pdf": (lambda tmp: OWN / "nanshan_ai.pdf", "nanshan_ai"),
    "huizhou-docx (task table)": (lambda tmp: huizhou_docx(tmp / "huizhou_table.docx"), "huizhou_table"),
}


@pytest.mark.parametrize("case", list(CASES), ids=lambda c: c.split(" ")[0])
def test_own_document_equals_expected(case: str, tmp_path: Path) -> None:
    build, expected = CASES[case]
    extraction = extract_path(build(tmp_path), UnitBook())
    comparison = compare(extraction, load_catalog(OWN / f"{expected}.expected.yaml"))
    record("own documents", case.split(" ")[0], comparison)
    assert comparison.differences == []
    assert to_yaml(extraction)
