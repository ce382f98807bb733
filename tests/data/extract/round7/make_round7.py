"""Regenerates the binary documents of the round-7 blind corpus: n03 (.docx), n04 (.xlsx), n05 (.pdf) and
n08 (.docx). Run: .venv/bin/python tests/data/extract/round7/make_round7.py. The .docx / .xlsx bytes differ on
each run (zip timestamps), their content does not; the PDF is byte-identical. The .txt and .html documents are
committed as written."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py, shared by the make scripts
from cid_pdf import Page, _wrap, write_pdf  # noqa: E402


def _para(doc: Document, text: str, *, size: float = 14, bold: bool = False, centre: bool = False,
          right: bool = False) -> None:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(doc: Document, header: tuple[str, ...], rows: list[tuple[str, ...]]):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    return table


# ---------------------------------------------------------------- n03 (.docx): a table split by "续表"

N03_HEADER = ("序号", "评价指标", "2026年目标", "重点任务", "牵头单位", "配合单位", "完成时限")
N03_PART1 = [
    ("1", "开办企业", "企业开办全程网办率达到95%",
     "推行企业开办“一网通办”，实现营业执照、印章刻制、涉税事项一次办结", "区市场监管局",
     "区政务服务中心、区税务局、区公安分局", "2026年6月底前"),
    ("2", "", "—", "推行经营主体住所登记“承诺制”", "区市场监管局", "区自然资源局", "2026年9月底前"),
    ("3", "获得电力", "低压小微企业“零投资”接电覆盖率达到100%",
     "推行160千瓦及以下小微企业低压接电“零上门、零审批、零投资”服务", "区工业和信息化局", "区供电公司",
     "2026年第三季度"),
    ("4", "登记财产", "—", "推行不动产登记与水电气网过户“一窗联办”", "区自然资源局",
     "区住建局、区供电公司、区水务公司", "2026年12月底前"),
]
N03_PART2 = [
    ("5", "纳税", "非接触式办税缴费比例达到98%以上", "拓展“非接触式”办税缴费服务，推行电子发票全面应用",
     "区税务局", "区政务服务中心", "2026年11月底前"),
    ("6", "政务服务", "政务服务事项网上可办率达到99%", "推进高频政务服务事项“掌上办”“就近办”",
     "区政务服务中心", "区大数据中心、各街道办事处", "2026年12月底前"),
    ("7", "市场监管", "—", "健全涉企行政检查“扫码入企”制度，杜绝多头检查、重复检查", "区司法局",
     "区市场监管局、区应急管理局", "长期坚持"),
]


def make_n03() -> None:
    doc = Document()
    _para(doc, "岑江区人民政府办公室文件", size=22, bold=True, centre=True)
    _para(doc, "岑府办〔2026〕8号", centre=True)
    _para(doc, "岑江区人民政府办公室关于印发《岑江区2026年优化营商环境指标提升任务清单》的通知", size=16,
          bold=True, centre=True)
    _para(doc, "各街道办事处，区政府各部门，各有关单位：")
    _para(doc, "　　为对标省营商环境评价指标体系，补齐短板弱项，经区政府同意，现将《岑江区2026年优化营商环境指标"
               "提升任务清单》印发给你们，请认真抓好落实。各牵头单位要对照“2026年目标”逐项细化措施，于每季度末月"
               "25日前将指标进展和任务推进情况报区优化营商环境工作领导小组办公室（设在区发展改革局）。")
    _para(doc, "附件：岑江区2026年优化营商环境指标提升任务清单")
    _para(doc, "岑江区人民政府办公室", right=True)
    _para(doc, "2026年2月26日", right=True)
    doc.add_page_break()
    _para(doc, "附件", bold=True)
    _para(doc, "岑江区2026年优化营商环境指标提升任务清单", size=16, bold=True, centre=True)
    t1 = _table(doc, N03_HEADER, N03_PART1)
    # 评价指标 "开办企业" merged down over rows 1 and 2
    a = t1.cell(1, 1).merge(t1.cell(2, 1))
    a.text = "开办企业"
    doc.add_page_break()
    _para(doc, "续表", bold=True)
    _table(doc, N03_HEADER, N03_PART2)
    _para(doc, "注：“2026年目标”为省营商环境评价我区应达到的水平，“—”为不设量化目标。", size=10.5)
    doc.save(str(HERE / "n03_cenjiang_yshj.docx"))


def main() -> None:
    make_n03()


if __name__ == "__main__":
    main()
