"""Regenerate the binary documents of the round-6 blind corpus (m06 .docx, m07 .xlsx, m08 .pdf).

Run: `.venv/bin/python tests/data/extract/round6/make_round6.py`. The .txt and .html documents are
committed as written. The .docx and .xlsx bytes differ on each run (zip timestamps), their content
does not. reportlab is not in the venv, so the PDF is written by hand as round 4 does: a Type0 font on
the standard Adobe-GB1 CID font STSong-Light with the UniGB-UCS2-H encoding (not embedded), text in
hex UCS-2 strings, the ruled table drawn with line operators.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py, shared by the make scripts
from cid_pdf import Page, _wrap, write_pdf  # noqa: E402
from docx_writer import para  # noqa: E402

# ---------------------------------------------------------------- m06 (.docx)

M06_ROWS: list[tuple[str, ...]] = [
    ("一、降低经营成本",),
    (
        "1",
        "落实阶段性降低失业保险、工伤保险费率政策",
        "省人力资源社会保障厅",
        "市人社局",
        "市财政局、市税务局",
        "2026年12月31日前",
    ),
    (
        "2",
        "清理规范涉企收费，开展涉企违规收费专项整治",
        "省发展改革委、省市场监管局",
        "市发展改革委",
        "市市场监管局、市财政局",
        "2026年9月底前",
    ),
    (
        "3",
        "推行工业用地“标准地”出让，新增“标准地”供应不少于800亩",
        "省自然资源厅",
        "市自然资源和规划局",
        "各县（市、区）人民政府",
        "2026年11月底前",
    ),
    ("二、优化服务保障",),
    (
        "4",
        "建立民营企业诉求“直通车”机制，诉求办结率达到95%以上",
        "省工商联",
        "市工商联、市发展改革委",
        "市政务服务管理局",
        "2026年12月底前",
    ),
    (
        "5",
        "开展清理拖欠企业账款专项行动",
        "省工业和信息化厅",
        "市工业和信息化局",
        "市财政局、市国资委",
        "2026年6月30日前",
    ),
    ("6", "每季度召开一次政企恳谈会，面对面协调解决企业诉求", "省工商联", "市工商联", "—", "每季度"),
]


def make_m06() -> None:
    """A city office relays a province's measures: the table names the province's lead for 对口 contact."""
    doc = Document()
    para(doc, "云洲市人民政府办公室文件", size=22, bold=True, centre=True)
    para(doc, "云政办发〔2026〕14号", centre=True)
    para(
        doc,
        "云洲市人民政府办公室关于印发《云洲市贯彻落实〈澄江省促进民营经济发展若干措施〉任务分工》的通知",
        size=16,
        bold=True,
        centre=True,
    )
    para(doc, "各县（市、区）人民政府，市政府各部门：")
    para(
        doc,
        "　　为贯彻落实《澄江省促进民营经济发展若干措施》（澄政发〔2026〕5号），经市政府同意，现将我市承接落实"
        "任务分工印发给你们，请认真抓好落实。表中“省牵头单位”一栏供各单位与省级部门对口衔接，不作为我市任务分工。"
        "请各市牵头单位于每季度末月20日前将工作进展情况报市政府督查室。",
    )
    para(doc, "云洲市人民政府办公室")
    para(doc, "2026年4月16日")
    para(doc, "（此件公开发布）")
    doc.add_page_break()
    para(doc, "附件", bold=True)
    para(doc, "云洲市贯彻落实《澄江省促进民营经济发展若干措施》任务分工", size=16, bold=True, centre=True)
    header = ("序号", "省级任务", "省牵头单位", "市牵头单位", "市配合单位", "完成时限")
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in M06_ROWS:
        cells = table.add_row().cells
        if len(row) == 1:
            merged = cells[0].merge(cells[-1])
            merged.text = row[0]
            continue
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    doc.save(str(HERE / "m06_yunzhou_mqfz.docx"))


# ---------------------------------------------------------------- m07 (.xlsx)

M07_MONTHS = [f"{m}月" for m in range(3, 13)]
# (序号, 项目名称, 建设内容, 责任单位, {month: mark}, 备注)
M07_ROWS: list[tuple[str, str, str, str, dict[int, str], str]] = [
    (
        "1",
        "迎宾大道改造提升",
        "改造道路4.2公里，同步实施雨污分流",
        "县住建局（牵头）、县交通运输局",
        {3: "●", 4: "●", 5: "●", 6: "★"},
        "",
    ),
    (
        "2",
        "滨河路拓宽工程",
        "拓宽道路1.8公里，新建人行步道",
        "县交通运输局（牵头）、县自然资源局、城南街道",
        {4: "●", 5: "●", 6: "●", 7: "●", 8: "●", 9: "★"},
        "",
    ),
    (
        "3",
        "老城区背街小巷整治",
        "整治背街小巷36条",
        "县城管局（牵头）、城关街道",
        {3: "●", 4: "●", 5: "●", 6: "●", 7: "★", 8: "●", 9: "●"},
        "完工后持续管护",
    ),
    (
        "4",
        "县城智慧停车系统",
        "建设智慧停车泊位1500个",
        "县城投公司（牵头）、县公安局交警大队",
        {5: "●", 6: "●", 7: "●", 8: "●", 9: "●", 10: "●", 11: "★"},
        "",
    ),
    (
        "5",
        "城北路网连通工程",
        "打通断头路3条",
        "县住建局、县自然资源局",
        {4: "●", 5: "●", 6: "●", 7: "●", 8: "●", 9: "●", 10: "●", 11: "●"},
        "跨年项目",
    ),
    (
        "6",
        "主干道路灯节能改造",
        "更换LED路灯2600盏",
        "县城管局（牵头）、县供电公司",
        {6: "●", 7: "●", 8: "●", 9: "●", 10: "★"},
        "",
    ),
]


def make_m07() -> None:
    """A 挂图作战 sheet: one column per month, ● for work under way and ★ for the completion node."""
    wb = Workbook()
    ws = wb.active
    ws.title = "挂图作战表"
    ncol = 4 + len(M07_MONTHS) + 1
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(1, 1, "岚坪县2026年县城道路提升工程挂图作战表").font = Font(size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    ws.cell(2, 1, "岚坪县城市建设攻坚指挥部办公室　　　　2026年3月10日")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=ncol)
    ws.cell(3, 1, "图例：● 施工推进　★ 完成节点")
    header = ["序号", "项目名称", "建设内容", "责任单位", *M07_MONTHS, "备注"]
    for c, text in enumerate(header, start=1):
        ws.cell(4, c, text).font = Font(bold=True)
    green = PatternFill("solid", fgColor="C6EFCE")
    red = PatternFill("solid", fgColor="FFC7CE")
    for r, (no, name, content, units, marks, note) in enumerate(M07_ROWS, start=5):
        ws.cell(r, 1, int(no))
        ws.cell(r, 2, name)
        ws.cell(r, 3, content)
        ws.cell(r, 4, units)
        for month, mark in marks.items():
            cell = ws.cell(r, 5 + month - 3, mark)
            cell.fill = red if mark == "★" else green
            cell.alignment = Alignment(horizontal="center")
        ws.cell(r, ncol, note or None)
    last = 5 + len(M07_ROWS)
    ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=ncol)
    ws.cell(last, 1, "注：各责任单位每月25日前更新形象进度，报县城市建设攻坚指挥部办公室。")
    ws.freeze_panes = "E5"
    for col, width in zip("ABCD", (6, 20, 30, 34), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(str(HERE / "m07_lanping_gtzz.xlsx"))


# ---------------------------------------------------------------- m08 (.pdf)

M08_COLS = [
    ("序号", 24),
    ("会议", 84),
    ("议定事项", 130),
    ("主办单位", 62),
    ("协办单位", 76),
    ("办理时限", 62),
    ("办理进展", 62),
]
# (序号, 会议 or "" when merged with the row above, 议定事项, 主办, 协办, 时限, 进展)
M08_ROWS: list[tuple[str, ...]] = [
    (
        "1",
        "区政府第31次常务会议（3月6日）",
        "研究制定区级人才公寓配租管理办法",
        "区人社局",
        "区住建局、区财政局",
        "2026年5月31日前",
        "已办结，办法已印发",
    ),
    (
        "2",
        "",
        "启动城东片区控制性详细规划修编",
        "区自然资源局",
        "城东街道办事处",
        "2026年10月底前",
        "规划编制单位已确定",
    ),
    (
        "3",
        "区政府第34次常务会议（4月10日）",
        "完成区第二人民医院门诊楼主体封顶",
        "区卫生健康局",
        "区城投公司",
        "2026年8月31日前",
        "主体施工至6层",
    ),
    ("4", "", "出台支持预制菜产业发展若干措施", "区农业农村局", "区商务局、区市场监管局", "2026年6月30日前", "已办结"),
    (
        "5",
        "区政府第36次常务会议（5月15日）",
        "开展城区燃气管道老化更新改造，完成改造管道28公里",
        "区住建局",
        "区城管局、区应急管理局",
        "2026年12月31日前",
        "已完成9.5公里",
    ),
    ("6", "", "建立重大项目“一项目一专班”推进机制", "区发展改革局", "—", "长期坚持", "已建立专班14个"),
]


def _m08_table(page: Page, top: float) -> float:
    """Header then rows; the 会议 cell is merged down over its group (no rule, text in the first row)."""
    size, lead, pad = 9.0, 12.5, 3.0
    xs = [40.0]
    for _, w in M08_COLS:
        xs.append(xs[-1] + w)
    y = top
    page.line(xs[0], y, xs[-1], y)
    rows = [tuple(h for h, _ in M08_COLS), *M08_ROWS]
    for i, body in enumerate(rows):
        cells = [_wrap(t, w - 2 * pad, size) for t, (_, w) in zip(body, M08_COLS, strict=True)]
        h = max(len(c) for c in cells) * lead + 2 * pad
        for x, c in zip(xs, cells, strict=False):
            for k, ln in enumerate(c):
                if ln:
                    page.text(x + pad, y - pad - size - k * lead, size, ln)
        for x in xs:
            page.line(x, y, x, y - h)
        merged_below = i + 1 < len(rows) and rows[i + 1][1] == ""
        page.line(xs[0], y - h, xs[1], y - h)
        if not merged_below:
            page.line(xs[1], y - h, xs[2], y - h)
        page.line(xs[2], y - h, xs[-1], y - h)
        y -= h
    return y


def make_m08() -> None:
    page = Page()
    page.centre(790, 16, "区政府常务会议议定事项督办台账")
    page.centre(768, 12, "（2026年第二季度）")
    page.text(40, 745, 10.5, "填报单位：双江区人民政府督查室")
    page.text(370, 745, 10.5, "编制日期：2026年7月3日")
    y = _m08_table(page, 735)
    page.text(40, y - 20, 10, "说明：1.办理进展截至2026年6月30日；2.已办结事项经区政府分管领导审核后销号；")
    page.text(40, y - 35, 10, "3.各主办单位每月28日前通过督查督办平台更新办理进展。")
    page.centre(40, 10, "第 1 页 共 1 页")
    write_pdf(HERE / "m08_shuangjiang_ydsx.pdf", [page])


def main() -> None:
    make_m06()
    make_m07()
    make_m08()


if __name__ == "__main__":
    main()
