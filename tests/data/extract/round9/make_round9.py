"""Regenerates the binary documents of the round-9 blind corpus: q03 (.docx), q04 (.pdf) and q05 (.xlsx).
Run: .venv/bin/python tests/data/extract/round9/make_round9.py. The .docx / .xlsx bytes differ on each run (zip
timestamps), their content does not; the PDF is byte-identical. The .txt and .html documents are committed as
written."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py and docx_writer.py, shared by the make scripts
from cid_pdf import Page, _width, _wrap, prose, write_pdf  # noqa: E402
from docx_writer import grid_table, para  # noqa: E402

# ---------------------------------------------------------------- q03 (.docx): notice, 附件1 landscape, 附件2 contacts

Q03_HEADER = ("序号", "重点任务", "预期目标", "完成标志", "牵头单位", "责任单位", "完成时限")
# None in the 牵头单位 / 完成时限 column: the cell is merged (vMerge) into the one above
Q03_ROWS = [
    (
        "1",
        "建设县级物流配送中心，整合快递、商贸物流资源统仓共配",
        "建成县级物流配送中心1个，日均处理快件不少于3万件",
        "中心建成投运",
        "县商务局",
        "县交通运输局、县邮政分公司",
        "2026年第四季度",
    ),
    (
        "2",
        "改造提升乡镇商贸中心，完善购物、餐饮、休闲等功能",
        "改造乡镇商贸中心不少于6个",
        "通过县级验收",
        None,
        "各乡镇人民政府",
        None,
    ),
    (
        "3",
        "发展农村直播电商，开展电商带头人培训",
        "培育农村电商带头人不少于200名",
        "培训记录和带头人名单",
        None,
        "县人力资源社会保障局、团县委",
        "年底前",
    ),
    (
        "4",
        "推进产地冷链物流设施建设",
        "新增冷库库容不少于1.5万吨",
        "项目竣工验收报告",
        "县发展改革局",
        "县农业农村局、县供销社",
        "11月中旬",
    ),
    (
        "5",
        "争取中央和省级县域商业建设行动资金支持",
        "争取上级资金不少于3000万元",
        "资金下达文件",
        None,
        "县财政局",
        "2026年至2027年",
    ),
    (
        "6",
        "规范农村市场秩序，开展假冒伪劣商品专项整治",
        "—",
        "专项整治工作总结",
        "县市场监管局",
        "县公安局、各乡镇人民政府",
        "长期坚持",
    ),
]
Q03_CONTACTS = [
    ("县商务局", "何晓岚", "市场体系建设股股长", "0771-6213305"),
    ("县发展改革局", "莫振宇", "副局长", "0771-6212118"),
    ("县市场监管局", "韦丹", "办公室主任", "0771-6219021"),
    ("县财政局", "覃立新", "经建股股长", "0771-6210576"),
    ("县统计局", "黄珊", "贸易统计股干部", "0771-6215630"),
]


def make_q03() -> None:
    doc = Document()
    para(doc, "蕖阳县人民政府办公室文件", size=22, bold=True, centre=True)
    para(doc, "蕖政办发〔2026〕21号", centre=True)
    para(doc, "蕖阳县人民政府办公室关于加快推进2026年县域商业体系建设的通知", size=16, bold=True, centre=True)
    para(doc, "各乡镇人民政府，县直有关单位：")
    para(
        doc,
        "　　县域商业体系是畅通城乡经济循环、扩大农村消费的重要基础。近年来，我县县域商业设施逐步完善，"
        "但仍存在物流配送成本偏高、乡镇商业功能偏弱等短板。经县人民政府同意，现就加快推进2026年县域商业体系"
        "建设有关事项通知如下，请各乡镇、各有关单位高度重视，加强协同配合，按照附件1明确的分工抓好落实。",
    )
    para(
        doc,
        "　　各牵头单位请于每季度末将工作进展报县商务局，县商务局汇总后报县人民政府。县政府督查室将适时对"
        "落实情况开展专项督查。",
    )
    para(doc, "　　附件：1.蕖阳县2026年县域商业体系建设重点任务分工表")
    para(doc, "　　　　　2.蕖阳县县域商业体系建设工作联系人名单")
    para(doc, "蕖阳县人民政府办公室", right=True)
    para(doc, "2026年4月8日", right=True)
    para(doc, "（此件公开发布）")

    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    para(doc, "附件1", bold=True)
    para(doc, "蕖阳县2026年县域商业体系建设重点任务分工表", size=16, bold=True, centre=True)
    table = grid_table(doc, Q03_HEADER, [tuple(v or "" for v in row) for row in Q03_ROWS])
    for col in (4, 6):  # 牵头单位, 完成时限: merge each None down into the cell above
        top = None
        for r, row in enumerate(Q03_ROWS, start=1):
            if row[col] is None:
                assert top is not None
                top.merge(table.cell(r, col))
            else:
                top = table.cell(r, col)
        for r, row in enumerate(Q03_ROWS, start=1):  # merge() joins the texts: keep the top cell's only
            if row[col] is not None:
                cell = table.cell(r, col)
                for extra in cell.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)

    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    para(doc, "附件2", bold=True)
    para(doc, "蕖阳县县域商业体系建设工作联系人名单", size=16, bold=True, centre=True)
    grid_table(doc, ("单位", "联系人", "职务", "联系电话"), Q03_CONTACTS)
    doc.save(str(HERE / "q03_quyang_sytx.docx"))


# ---------------------------------------------------------------- q04 (.pdf): 进度安排 over four quarter columns

Q04_COLS = [("序号", 28.0), ("工作任务", 112.0), ("牵头单位", 70.0), ("配合单位", 86.0)]
Q04_QUARTERS = ["一季度", "二季度", "三季度", "四季度"]
Q04_QW = 55.0
Q04_ROWS = [
    (
        "1",
        "改造城镇老旧小区126个，同步完善养老、托育等配套设施",
        "市住房城乡建设局",
        "市财政局及各县（市、区）政府",
        "完成项目摸底和方案设计",
        "全面开工",
        "完成改造80个",
        "全部完工",
    ),
    (
        "2",
        "建设城市口袋公园20个",
        "市城市管理局",
        "市自然资源和规划局、各县（市、区）政府",
        "完成选址",
        "开工建设",
        "全部建成开放",
        "常态化管护",
    ),
    (
        "3",
        "实施城市燃气管道老化更新改造120公里",
        "市住房城乡建设局",
        "市应急管理局、市燃气集团",
        "完成改造计划编制",
        "改造45公里",
        "改造90公里",
        "全部完成",
    ),
    (
        "4",
        "推进城市生命线安全工程监测平台建设",
        "市数据局",
        "市住房城乡建设局、市应急管理局",
        "—",
        "完成平台招标",
        "完成主体建设并试运行",
        "—",
    ),
    (
        "5",
        "开展违法建设专项治理，坚决遏制新增违法建设",
        "各县（市、区）政府",
        "市城市管理局、市自然资源和规划局",
        "持续推进",
        "持续推进",
        "持续推进",
        "持续推进",
    ),
    (
        "6",
        "完善城市更新项目库，编制下一年度实施计划",
        "市发展改革委",
        "市直有关单位",
        "建立项目库",
        "动态调整",
        "动态调整",
        "编制2027年度实施计划",
    ),
]


def _q04_table(page: Page, top: float, left: float = 40.0) -> float:
    """The ruled table with a TWO-ROW header: 序号 … 配合单位 span both header rows, 进度安排 spans the four
    quarter columns of the second. Returns the y below it."""
    size, lead, pad = 9.5, 13.0, 3.0
    widths = [w for _, w in Q04_COLS] + [Q04_QW] * 4
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    h1 = lead + 2 * pad
    y = top
    page.line(xs[0], y, xs[-1], y)
    for k, (name, _) in enumerate(Q04_COLS):  # spanning both header rows, text centred vertically
        page.text(xs[k] + pad, y - h1 + 2, size, name)
    qx = xs[len(Q04_COLS)]
    page.text(qx + (4 * Q04_QW - _width("进度安排", size)) / 2, y - pad - size, size, "进度安排")
    page.line(qx, y - h1, xs[-1], y - h1)
    for k, name in enumerate(Q04_QUARTERS):
        page.text(qx + k * Q04_QW + pad, y - h1 - pad - size, size, name)
    for k, x in enumerate(xs):
        if k <= len(Q04_COLS) or k == len(xs) - 1:
            page.line(x, y, x, y - 2 * h1)
        else:
            page.line(x, y - h1, x, y - 2 * h1)
    y -= 2 * h1
    page.line(xs[0], y, xs[-1], y)
    for body in Q04_ROWS:
        cells = [_wrap(t, w - 2 * pad, size) for t, w in zip(body, widths, strict=True)]
        h = max(len(c) for c in cells) * lead + 2 * pad
        for x, c in zip(xs, cells, strict=False):
            for k, ln in enumerate(c):
                page.text(x + pad, y - pad - size - k * lead, size, ln)
        for x in xs:
            page.line(x, y, x, y - h)
        page.line(xs[0], y - h, xs[-1], y - h)
        y -= h
    return y


def make_q04() -> None:
    p1 = Page()
    p1.centre(790, 20, "杉屿市城市更新工作领导小组办公室")
    p1.centre(760, 11, "杉更新办〔2026〕3号")
    p1.centre(730, 15, "关于印发杉屿市2026年城市更新重点工作进度安排表的通知")
    y = prose(p1, 700, "各县（市、区）人民政府，市直有关单位：", indent=False)
    y = prose(
        p1,
        y,
        "为加快实施城市更新行动，经市城市更新工作领导小组同意，现将《杉屿市2026年城市更新重点工作进度安排表》"
        "印发给你们。表中各季度栏为该季度末应达到的形象进度，请各牵头单位对照进度安排倒排工期、挂图推进。",
    )
    y = prose(
        p1,
        y,
        "各牵头单位于每季度最后一个月的25日前将工作进展报市城市更新办，市城市更新办按季度调度通报。",
    )
    p1.text(360, y - 30, 11, "杉屿市城市更新工作领导小组办公室")
    p1.text(400, y - 49, 11, "2026年2月26日")
    p1.centre(60, 10.5, "— 1 —")
    p2 = Page()
    p2.text(40, 800, 12, "附件")
    p2.centre(775, 15, "杉屿市2026年城市更新重点工作进度安排表", left=40, right=555)
    _q04_table(p2, 750)
    p2.centre(60, 10.5, "— 2 —")
    write_pdf(HERE / "q04_shanyu_jdap.pdf", [p1, p2])


# ---------------------------------------------------------------- q05 (.xlsx): task × unit responsibility matrix

Q05_UNITS = [
    "区发展改革局",
    "区市场监管局",
    "区行政审批局",
    "区住房城乡建设局",
    "区自然资源局",
    "区税务局",
    "各街道办事处",
]
# 序号, 重点任务, 完成时限, then one mark per unit column ("★" 牵头, "●" 配合, "" none)
Q05_ROWS = [
    ("1", "推行企业开办“一日办结”，全程网办率达到98%", "2026年6月30日", "", "★", "●", "", "", "●", ""),
    ("2", "实施社会投资项目“拿地即开工”审批模式", "2026年9月30日", "", "", "●", "★", "★", "", ""),
    ("3", "开展涉企违规收费专项整治", "2026年第三季度", "★", "●", "", "", "", "", ""),
    ("4", "建立企业服务专员制度，为辖区规上企业逐一配备服务专员", "2026年5月31日", "●", "", "", "", "", "", "★"),
    ("5", "推行税费服务“一码通办”", "年底前", "", "", "●", "", "", "★", ""),
    ("6", "优化水电气网联合报装服务", "长期坚持", "", "", "●", "★", "", "", "●"),
    ("7", "配合开展营商环境满意度第三方评估", "2026年11月", "●", "●", "", "", "", "", ""),
]
Q05_CONTACTS = [
    ("区发展改革局", "尹思远", "0573-8862107"),
    ("区市场监管局", "骆青", "0573-8862315"),
    ("区行政审批局", "缪文博", "0573-8862480"),
    ("区住房城乡建设局", "阮嘉", "0573-8862533"),
    ("区自然资源局", "顾一帆", "0573-8862672"),
    ("区税务局", "柴敏", "0573-8862790"),
    ("区工商联", "祁海", "0573-8862846"),
]
Q05_NOTES = [
    "填表说明",
    "1.“责任矩阵”表中，“★”为牵头单位，对该项任务负总责；“●”为配合单位，按职责协同推进。",
    "2.各牵头单位于每月5日前在“联络员”表所列联络员处报送上月进展，由区营商办汇总。",
    "3.“完成时限”为该项任务全部完成的时间。",
    "4.联络员如有变动，请及时告知区营商办。",
]


def make_q05() -> None:
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "责任矩阵"
    ncol = 3 + len(Q05_UNITS)
    ws.cell(row=1, column=1, value="榉川区2026年优化营商环境重点任务责任矩阵表").font = Font(size=16, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(row=2, column=1, value="填报单位：榉川区优化营商环境工作领导小组办公室（盖章）")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    ws.cell(row=2, column=6, value="填报时间：2026年3月16日")
    ws.merge_cells(start_row=2, start_column=6, end_row=2, end_column=ncol)
    ws.cell(row=3, column=1, value="图例：★ 牵头单位　● 配合单位")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=ncol)
    for c, h in enumerate(["序号", "重点任务", "完成时限", *Q05_UNITS], start=1):
        cell = ws.cell(row=4, column=c, value=h)
        cell.font = Font(bold=True)
        cell.border = box
        cell.alignment = centre
    for r, row in enumerate(Q05_ROWS, start=5):
        for c, v in enumerate(row, start=1):
            value = int(v) if c == 1 else (v or None)
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = box
            cell.alignment = Alignment(wrap_text=True, vertical="center") if c == 2 else centre
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 16
    for k in range(len(Q05_UNITS)):
        ws.column_dimensions[chr(ord("D") + k)].width = 9
    ws.row_dimensions[4].height = 48
    ws.freeze_panes = "D5"

    wc = wb.create_sheet("联络员")
    for c, h in enumerate(("单位", "联络员", "联系电话"), start=1):
        wc.cell(row=1, column=c, value=h).font = Font(bold=True)
    for r, row in enumerate(Q05_CONTACTS, start=2):
        for c, v in enumerate(row, start=1):
            wc.cell(row=r, column=c, value=v)
    wc.column_dimensions["A"].width = 20
    wc.column_dimensions["C"].width = 16

    wn = wb.create_sheet("填表说明")
    for r, text in enumerate(Q05_NOTES, start=1):
        wn.cell(row=r, column=1, value=text)
    wn.column_dimensions["A"].width = 90
    wb.save(str(HERE / "q05_juchuan_zrjz.xlsx"))


if __name__ == "__main__":
    make_q03()
    make_q04()
    make_q05()
