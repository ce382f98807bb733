"""Regenerate the binary documents of the blind extraction corpus (committed, so the tests need no writer):

    .venv/bin/python tests/data/extract/blind/make_blind.py

- b04_qinghe_kjgz.docx: a city bureau's notice with its 任务分工 table (序号 | 重点任务 | 牵头单位 | 责任单位 |
  完成时限), heading rows 一、二、三、 merged across the table, cells holding several paragraphs (two lead
  units on two lines, responsible units one per line), a quarterly row;
- b05_baisha_xczx.xlsx: a county's 任务分解表 (sheet 任务分解表): an "附件" cell, a merged title row and a
  merged issuer/date row above the header, 任务类别 and 牵头单位 cells merged over several rows, a merged
  完成时限 cell, and one 完成时限 stored as an Excel date.

Document properties are fixed, so running this again gives the same text, tables and merges (only the
zip members' timestamps differ).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2025, 3, 1, 9, 0, 0)

# ------------------------------------------------------------------ b04 (.docx)

DOCX_NOTICE = [
    ("title", "清河市科学技术局关于印发《清河市2025年科技创新工作要点任务分工》的通知"),
    ("center", "清科发〔2025〕4号"),
    ("plain", "各县（市、区）科技局，清河高新区科技创新局，市直有关单位："),
    (
        "indent",
        "为深入实施创新驱动发展战略，推动全市科技创新工作提质增效，现将《清河市2025年科技创新工作要点任务分工》"
        "印发给你们，请结合实际认真抓好落实。请各牵头单位于6月25日、12月25日前分别将半年、全年工作进展情况"
        "报送市科学技术局发展规划科。",
    ),
    ("right", "清河市科学技术局"),
    ("right", "2025年2月28日"),
    ("title", "清河市2025年科技创新工作要点任务分工"),
]

DOCX_HEADER = ("序号", "重点任务", "牵头单位", "责任单位", "完成时限")

# a row is (序号, 重点任务, 牵头单位, 责任单位, 完成时限); a str row is a heading merged across the table;
# "\n" inside a cell starts a new paragraph in that cell
DOCX_ROWS: list[tuple[str, str, str, str, str] | str] = [
    "一、培育壮大创新主体",
    ("1", "新增国家高新技术企业150家，科技型中小企业入库2000家", "市科技局", "各县（市、区）科技局", "2025年12月底前"),
    (
        "2",
        "实施科技型企业梯次培育行动，遴选“专精特新”种子企业50家",
        "市工业和信息化局",
        "市科技局\n各县（市、区）人民政府",
        "2025年10月底前",
    ),
    ("3", "落实企业研发费用加计扣除政策", "市税务局", "市科技局、市财政局", "持续推进"),
    "二、建设高能级创新平台",
    (
        "4",
        "推进清河实验室建设。完成实验室一期主体工程，引进高水平科研团队5个",
        "市科技局",
        "市发展改革委、市财政局、清河高新区管委会",
        "2025年11月30日前",
    ),
    ("5", "新建省级工程技术研究中心10家", "市科技局", "各县（市、区）科技局", "2025年12月底前"),
    ("6", "建设概念验证中心和中试基地", "市科技局\n市工业和信息化局", "清河高新区管委会", "2025年9月底前"),
    "三、优化科技创新生态",
    ("7", "设立科技成果转化引导基金，基金规模不低于5亿元", "市财政局", "市科技局、市金融工作局", "2025年6月底前"),
    ("8", "每季度组织一次“科技金融路演”活动", "市金融工作局", "市科技局", "每季度末"),
]


def _paragraph(doc, text: str, style: str) -> None:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(16 if style == "title" else 12)
    if style in ("title", "center"):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif style == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif style == "indent":
        p.paragraph_format.first_line_indent = Pt(24)


def _fill(cell, text: str) -> None:
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def make_docx(path: Path) -> None:
    doc = Document()
    props = doc.core_properties
    props.author = "清河市科学技术局"
    props.title = "清河市2025年科技创新工作要点任务分工"
    props.created = FIXED
    props.modified = FIXED
    props.last_modified_by = "清河市科学技术局"
    props.revision = 1
    for style, text in DOCX_NOTICE:
        _paragraph(doc, text, style)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, DOCX_HEADER, strict=True):
        _fill(cell, text)
    for row in DOCX_ROWS:
        cells = table.add_row().cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[4])
            _fill(merged, row)
            continue
        for cell, text in zip(cells, row, strict=True):
            _fill(cell, text)
    _paragraph(doc, "", "plain")
    _paragraph(doc, "抄送：市政府办公室，市委组织部。", "plain")
    _paragraph(doc, "清河市科学技术局办公室　　　　　　2025年2月28日印发", "plain")
    doc.save(path)


# ------------------------------------------------------------------ b05 (.xlsx)

XLSX_ROWS = [
    # 序号, 任务类别, 重点任务, 牵头单位, 责任单位, 完成时限  (None: covered by a merged cell above)
    (
        1,
        "粮食安全",
        "稳定粮食播种面积32.5万亩以上，粮食产量稳定在14万吨以上",
        "县农业农村局",
        "各乡镇人民政府",
        "2024年10月底前",
    ),
    (2, None, "新建高标准农田2.8万亩", None, "县财政局、县自然资源局、各乡镇人民政府", "2024年12月底前"),
    (3, None, "落实耕地地力保护补贴政策，补贴资金及时足额发放到户", None, "县财政局", dt.datetime(2024, 6, 30)),
    (
        4,
        "防止返贫",
        "健全防止返贫动态监测和帮扶机制，守住不发生规模性返贫底线",
        "县乡村振兴局",
        "各乡镇人民政府",
        "长期坚持",
    ),
    (5, None, "脱贫人口务工规模稳定在3.6万人以上", None, "县人社局、各乡镇人民政府", "2024年12月底前"),
    (6, "乡村建设", "完成农村户厕改造3000户", "县农业农村局", "县卫生健康委、各乡镇人民政府", "2024年12月底前"),
    (7, None, "新改建农村公路120公里", "县交通运输局", "各乡镇人民政府", None),
    (8, "乡村治理", "推进移风易俗，开展高价彩礼专项治理", "县委宣传部、县民政局", "各乡镇人民政府", "持续推进"),
]
XLSX_MERGES = ["A1:F1", "A2:F2", "A3:F3", "B5:B7", "D5:D7", "B8:B9", "D8:D9", "B10:B11", "F10:F11"]


def make_xlsx(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    wb.properties.creator = "白沙县乡村振兴领导小组办公室"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    ws["A1"] = "附件"
    ws["A2"] = "白沙县2024年巩固拓展脱贫攻坚成果同乡村振兴有效衔接重点任务分解表"
    ws["A3"] = "白沙县乡村振兴领导小组办公室　　　　　　2024年3月8日"
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws["A3"].alignment = Alignment(horizontal="right")
    for col, text in enumerate(("序号", "任务类别", "重点任务", "牵头单位", "责任单位", "完成时限"), start=1):
        ws.cell(row=4, column=col, value=text).font = Font(bold=True)
    for r, row in enumerate(XLSX_ROWS, start=5):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if isinstance(value, dt.datetime):
                cell.number_format = 'yyyy"年"m"月"d"日"'
    # the merged 完成时限 of rows 10-11 holds its value in the top-left cell
    ws["F10"] = "2024年12月底前"
    for rng in XLSX_MERGES:
        ws.merge_cells(rng)
    for col, width in zip("ABCDEF", (6, 10, 46, 16, 30, 16), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"
    wb.save(path)


def main() -> None:
    make_docx(HERE / "b04_qinghe_kjgz.docx")
    make_xlsx(HERE / "b05_baisha_xczx.xlsx")


if __name__ == "__main__":
    main()
