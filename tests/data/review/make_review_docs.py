"""Regenerate the three small documents of the review-sheet end-to-end tests (committed, so the tests need no
writer): a task table in a Word document, in a web page and in a PDF with ruled cells.

    python -m venv /tmp/rl && /tmp/rl/bin/pip install reportlab python-docx
    /tmp/rl/bin/python tests/data/review/make_review_docs.py

The places and plans are invented; the units are those of tests/data/mini.yaml, so the sheet's drop-downs
and the import know them (市直有关单位, an addressee, is not there: it is proposed as a new unit).
"""

from __future__ import annotations

import html
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ("序号", "重点任务", "牵头单位", "责任单位", "完成时限")


def notice(title: str, number: str, day: str) -> tuple[list[str], list[str]]:
    """The lines before and after the table of a 江门市科学技术局 notice."""
    before = [
        f"江门市科学技术局关于印发{title}的通知",
        number,
        "各县(市、区)人民政府，市直有关单位：",
        f"现将《{title}》印发给你们，请认真贯彻落实。",
        "江门市科学技术局",
        day,
        title,
        "一、工作目标",
        "到2027年，相关工作体系基本建成，服务能力明显提升。",
        "二、重点任务分工",
    ]
    after = ["三、保障措施", "各单位要加强协调配合，确保各项任务按时完成。"]
    return before, after


DOCUMENTS = {
    "review_docx": (
        "江门市科技金融融合发展行动方案",
        "江科〔2026〕12号",
        "2026年3月2日",
        [
            ("1", "设立科技成果转化引导基金", "市科技局", "市发展改革局", "2027年6月底前"),
            ("2", "建立科技型企业贷款风险补偿机制", "市科技局", "市发展改革局、各县(市、区)人民政府", "2026年12月底前"),
            ("3", "开展科技金融服务进园区活动", "市科技局", "各县(市、区)人民政府", "2027年底前"),
        ],
    ),
    "review_html": (
        "江门市技术转移体系建设工作方案",
        "江科〔2026〕15号",
        "2026年4月8日",
        [
            ("1", "建设市级技术转移服务平台", "市科技局", "市发展改革局", "2027年3月底前"),
            ("2", "培育技术经纪人队伍", "市科技局", "各县(市、区)人民政府", "2027年底前"),
            ("3", "举办科技成果路演对接活动", "市科技局", "市发展改革局、各县(市、区)人民政府", "2026年10月底前"),
        ],
    ),
    "review_pdf": (
        "江门市科技服务业提升行动方案",
        "江科〔2026〕18号",
        "2026年5月6日",
        [
            ("1", "编制科技服务业发展指引", "市科技局", "市发展改革局", "2026年12月底前"),
            ("2", "认定一批科技服务业示范机构", "市科技局", "各县(市、区)人民政府", "2027年6月底前"),
            ("3", "完善科技创新券兑付机制", "市科技局", "市发展改革局", "2027年底前"),
        ],
    ),
}


def write_docx(path: Path, title: str, number: str, day: str, rows: list[tuple[str, ...]]) -> None:
    from docx import Document

    before, after = notice(title, number, day)
    document = Document()
    for line in before:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    for line in after:
        document.add_paragraph(line)
    document.save(str(path))


def write_html(path: Path, title: str, number: str, day: str, rows: list[tuple[str, ...]]) -> None:
    before, after = notice(title, number, day)

    def tr(cells: tuple[str, ...], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"

    table = "<table border='1'>" + tr(HEADER, "th") + "".join(tr(r, "td") for r in rows) + "</table>"
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in before) + table + "\n"
    body += "".join(f"<p>{html.escape(line)}</p>\n" for line in after)
    path.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body>\n{body}</body></html>\n",
        encoding="utf-8",
    )


def write_pdf(path: Path, title: str, number: str, day: str, rows: list[tuple[str, ...]]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    before, after = notice(title, number, day)
    pdf = canvas.Canvas(str(path), invariant=1)
    pdf.setFont("STSong-Light", 11)
    y = 800
    for line in before:
        pdf.drawString(50, y, line)
        y -= 20
    widths = (28, 160, 55, 180, 80)
    lefts = [50 + sum(widths[:i]) for i in range(len(widths) + 1)]
    table = [HEADER, *rows]
    top, height = y, 24
    pdf.setFont("STSong-Light", 9)
    for r, cells in enumerate(table):
        for c, text in enumerate(cells):
            pdf.drawString(lefts[c] + 3, top - r * height - 16, text)
    pdf.setFont("STSong-Light", 11)
    for r in range(len(table) + 1):
        pdf.line(lefts[0], top - r * height, lefts[-1], top - r * height)
    for x in lefts:
        pdf.line(x, top, x, top - len(table) * height)
    y = top - len(table) * height - 24
    for line in after:
        pdf.drawString(50, y, line)
        y -= 20
    pdf.showPage()
    pdf.save()


def main() -> None:
    writers = {
        "review_docx": (write_docx, ".docx"),
        "review_html": (write_html, ".html"),
        "review_pdf": (write_pdf, ".pdf"),
    }
    for name, (title, number, day, rows) in DOCUMENTS.items():
        write, suffix = writers[name]
        write(HERE / f"{name}{suffix}", title, number, day, rows)


if __name__ == "__main__":
    main()
