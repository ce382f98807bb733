"""Test documents in formats that are built at test time (so only their text is committed)."""

from __future__ import annotations

from pathlib import Path

import docx

HUIZHOU_HEAD = [
    "惠州市科学技术局关于印发《惠州市2024年科技创新重点工作任务分工》的通知",
    "惠市科〔2024〕6号",
    "各县（区）科技局，市直有关单位：",
    "现将《惠州市2024年科技创新重点工作任务分工》印发给你们，请认真贯彻落实。",
    "惠州市科学技术局",
    "2024年1月22日",
    "惠州市2024年科技创新重点工作任务分工",
]
HUIZHOU_ROWS = [
    ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"],
    [
        "一、强化企业创新主体地位",
        "一、强化企业创新主体地位",
        "一、强化企业创新主体地位",
        "一、强化企业创新主体地位",
        "一、强化企业创新主体地位",
    ],
    ["1", "新增国家高新技术企业300家", "市科技局", "各县（区）科技局", "2024年12月底前"],
    ["2", "推动规上工业企业研发机构全覆盖", "市工业和信息化局", "市科技局", "2024年第三季度"],
    ["二、建设高水平创新平台"] * 5,
    ["3", "推进省实验室建设", "市科技局", "市发展改革局、市财政局", "长期坚持"],
    ["4", "建设中试验证平台", "市工业和信息化局", "市科技局、仲恺高新区管委会", "2024年6月30日前"],
]


def text_to_docx(text: str, path: Path) -> Path:
    """One paragraph a line, as Word keeps a pasted document."""
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


def huizhou_docx(path: Path) -> Path:
    """A notice followed by a 任务分工表 whose heading rows span the whole table (merged cells)."""
    document = docx.Document()
    for line in HUIZHOU_HEAD:
        document.add_paragraph(line)
    table = document.add_table(rows=len(HUIZHOU_ROWS), cols=5)
    for r, row in enumerate(HUIZHOU_ROWS):
        if len(set(row)) == 1:
            table.cell(r, 0).merge(table.cell(r, 4)).text = row[0]
            continue
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("抄送：市人民政府办公室")
    document.save(str(path))
    return path
