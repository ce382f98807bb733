"""Regenerate the PDF test documents (committed, so the tests need no PDF writer):

    pip install reportlab && python tests/data/extract/make_pdfs.py

- nanshan_ai.pdf: nanshan_ai.txt laid out as a printed document would be: lines wrapped mid-sentence,
  a running head on every page and page numbers (— 1 —), to exercise the PDF reader and the cleaner;
- encrypted.pdf: the same, protected with a password;
- scanned.pdf: pages with only graphics (an image-only scan has no text layer).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
FONT = "STSong-Light"
PER_LINE = 34
PER_PAGE = 12


def _lines(text: str) -> list[str]:
    out = []
    for paragraph in text.splitlines():
        while len(paragraph) > PER_LINE:
            out.append(paragraph[:PER_LINE])
            paragraph = paragraph[PER_LINE:]
        out.append(paragraph)
    return out


def write(path: Path, text: str, *, encrypt: str | None = None) -> None:
    pdf = canvas.Canvas(str(path), encrypt=encrypt)
    lines = _lines(text)
    pages = [lines[i : i + PER_PAGE] for i in range(0, len(lines), PER_PAGE)]
    for number, page in enumerate(pages, start=1):
        pdf.setFont(FONT, 10)
        pdf.drawString(60, 800, "南山区科技创新局文件")
        pdf.setFont(FONT, 12)
        for i, line in enumerate(page):
            pdf.drawString(60, 760 - i * 24, line)
        pdf.setFont(FONT, 10)
        pdf.drawString(280, 40, f"— {number} —")
        pdf.showPage()
    pdf.save()


def scanned(path: Path) -> None:
    pdf = canvas.Canvas(str(path))
    for _ in range(2):
        for row in range(30):
            pdf.rect(60, 760 - row * 22, 400 - (row * 37) % 150, 12, fill=1)
        pdf.showPage()
    pdf.save()


def main() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    text = (HERE / "nanshan_ai.txt").read_text(encoding="utf-8")
    write(HERE / "nanshan_ai.pdf", text)
    write(HERE / "encrypted.pdf", text, encrypt="secret")
    scanned(HERE / "scanned.pdf")


if __name__ == "__main__":
    main()
