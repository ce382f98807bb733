"""Regenerates the binary documents of the round-15 blind corpus: w02 (.xlsx), w03 (.docx), w06 (.pdf) and
w08 (.xlsx). Run: .venv/bin/python tests/data/extract/round15/make_round15.py. The .docx / .xlsx bytes differ on
each run (zip timestamps), their content does not; the PDF is byte-identical. The .txt and .html documents are
committed as written."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py and docx_writer.py, shared by the make scripts
from cid_pdf import Page, prose, ruled_table, write_pdf  # noqa: E402
from docx_writer import para  # noqa: E402

WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)

# ------------------------------------ w02 (.xlsx): a 推进计划表 whose node columns are the MONTHS 1月 … 12月

W02_ROWS: list[tuple[int, str, str, str, dict[int, str]]] = [
    (
        1,
        "棠溪古镇游客集散中心建设",
        "县文化广电和旅游局",
        "棠溪镇人民政府、县住建局",
        {1: "完成设计方案", 3: "开工建设", 6: "主体结构封顶", 9: "竣工验收并投入使用"},
    ),
    (
        2,
        "云岭景区游步道提升工程，新建改造游步道8公里",
        "云岭景区管理中心",
        "县交通运输局、县林业局",
        {2: "完成招标", 4: "全面开工", 7: "完成8公里游步道建设"},
    ),
    (
        3,
        "建设非遗工坊10家",
        "县文化广电和旅游局",
        "县人社局、相关乡镇人民政府",
        {3: "完成工坊遴选", 6: "建成5家", 10: "建成10家并挂牌"},
    ),
    (
        4,
        "培育精品民宿20家",
        "县文化广电和旅游局",
        "县农业农村局、县市场监管局",
        {5: "出台扶持办法", 8: "完成第一批评定", 11: "完成20家评定"},
    ),
    (
        5,
        "县博物馆陈列布展提升",
        "县博物馆",
        "县财政局",
        {4: "完成方案评审", 8: "完成布展施工", 12: "开馆试运行"},
    ),
    (
        6,
        "“智游棠溪”智慧旅游平台建设",
        "县文化广电和旅游局",
        "县数据资源局",
        {1: "完成需求调研", 3: "完成系统开发", 5: "上线试运行"},
    ),
]


def make_w02() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "推进计划表"
    last = get_column_letter(4 + 12)  # P
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = "棠溪县2026年文旅重点项目推进计划表"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = "棠溪县人民政府办公室　棠政办发〔2026〕9号　2026年2月26日印发　主送：各乡镇人民政府，县直有关单位"
    for c, text in enumerate(("序号", "项目名称及年度目标", "牵头单位", "配合单位"), start=1):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        cell = ws.cell(row=3, column=c, value=text)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
    ws.merge_cells(start_row=3, start_column=5, end_row=3, end_column=16)
    ws.cell(row=3, column=5, value="2026年推进节点").font = Font(bold=True)
    ws.cell(row=3, column=5).alignment = CENTRE
    for m in range(1, 13):
        cell = ws.cell(row=4, column=4 + m, value=f"{m}月")
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
    for r, (no, name, lead, partners, nodes) in enumerate(W02_ROWS, start=5):
        ws.cell(row=r, column=1, value=no).alignment = CENTRE
        for c, value in ((2, name), (3, lead), (4, partners)):
            ws.cell(row=r, column=c, value=value).alignment = WRAP
        for m, text in nodes.items():
            ws.cell(row=r, column=4 + m, value=text).alignment = WRAP
        ws.row_dimensions[r].height = 48
    note = 5 + len(W02_ROWS)
    ws.merge_cells(f"A{note}:{last}{note}")
    ws[f"A{note}"] = (
        "说明：1.各月栏所列为该月底前应完成的推进节点，空白月份为持续施工或准备阶段，不设节点；"
        "最后一个节点为项目年度完成节点。2.牵头单位每月25日前向县文化广电和旅游局报送节点完成情况。"
        "3.县政府督查室每月对照节点开展督查，对滞后项目下发督办通知。"
    )
    ws[f"A{note}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[note].height = 60
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 18
    ws.column_dimensions["D"].width = 22
    for m in range(1, 13):
        ws.column_dimensions[get_column_letter(4 + m)].width = 11
    wb.save(str(HERE / "w02_tangxi_wlxm.xlsx"))


# ---------- w03 (.docx): a HOSPITAL's 迎评 分工, 科室 as units, "牵头科室/配合科室" in ONE column, 评审条款 numbers

W03_ROWS: list[tuple[str, ...]] = [
    ("1", "2.1.3", "修订医疗质量安全核心制度，组织全员培训考核", "医务科/质量管理科", "周立新", "4月30日前"),
    (
        "2",
        "2.4.2",
        "完善危急值报告制度，实现危急值信息系统自动推送",
        "医务科/信息科、检验科",
        "周立新",
        "6月底前",
    ),
    ("3", "3.1.5", "开展护理质量专项督查，推进优质护理服务病房全覆盖", "护理部", "钱雅琴", "2026年第三季度"),
    (
        "4",
        "4.2.1",
        "开展医院感染防控全员培训和手卫生依从性专项检查",
        "医院感染管理科/各临床科室",
        "孙卫东",
        "5月31日前",
    ),
    (
        "5",
        "5.3.2",
        "完成病案首页数据质量专项整改",
        "病案管理科/医务科、信息科",
        "周立新",
        "8月底前",
    ),
    ("6", "6.1.4", "开展抗菌药物临床应用专项点评，建立点评结果公示制度", "药学部/医务科", "孙卫东", "9月30日前"),
]


def make_w03() -> None:
    doc = Document()
    para(doc, "沅宁市第一人民医院文件", size=22, bold=True, centre=True)
    para(doc, "沅一院发〔2026〕7号", size=14, centre=True)
    para(
        doc,
        "关于印发《沅宁市第一人民医院2026年三级医院等级评审迎评工作任务分工》的通知",
        size=18,
        bold=True,
        centre=True,
    )
    para(doc, "院内各科室：", size=14)
    for text in (
        "　　根据省卫生健康委关于三级医院评审工作的安排，我院将于2026年接受三级医院等级评审。为对标评审标准、"
        "补齐短板弱项，经院长办公会研究，现将迎评工作任务分工印发给你们，请认真抓好落实。",
        "　　一、表中“牵头科室/配合科室”一栏，斜杠前为牵头科室，斜杠后为配合科室；仅列一个科室的，由该科室独立"
        "完成。“评审条款”为该任务对应的《三级医院评审标准实施细则》条款号。",
        "　　二、各牵头科室负责人为任务第一责任人，“责任人”栏所列分管院领导负责协调推进。",
        "　　三、院长办公室负责对各项任务落实情况进行督查，每月在院周会上通报进度。",
    ):
        para(doc, text, size=14)
    para(doc, "沅宁市第一人民医院", size=14, right=True)
    para(doc, "2026年3月9日", size=14, right=True)
    para(doc, "附件", size=14, bold=True)
    para(doc, "沅宁市第一人民医院2026年三级医院等级评审迎评工作任务分工", size=16, bold=True, centre=True)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    head = ("序号", "评审条款", "工作任务", "牵头科室/配合科室", "责任人", "完成时间")
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for row in W03_ROWS:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(11)
    doc.save(str(HERE / "w03_yuanning_djps.docx"))


# ------------------- w06 (.pdf): a table WITHOUT unit columns; the roles in a 注 under it, by item number ranges

W06_COLS = [("序号", 40.0), ("重点任务", 340.0), ("完成时限", 110.0)]
W06_ROWS: list[tuple[str, ...]] = [
    ("1", "谋划储备2027年重大项目100个以上，建立滚动接续项目库", "10月底前"),
    ("2", "争取超长期特别国债和中央预算内投资项目资金", "12月底前"),
    ("3", "推行重大项目“拿地即开工”审批模式", "6月底前"),
    ("4", "新开工城镇老旧小区改造项目45个", "9月30日前"),
    ("5", "推进城中村改造，完成征收签约2000户", "2026年11月底前"),
    ("6", "加快澴阳至东岭高速公路前期工作，年内开工建设", "12月31日前"),
]
W06_NOTE = (
    "注：1.第1—3项由市发展改革委牵头，市财政局、市自然资源和规划局配合；2.第4、5项由市住房和城乡建设局牵头，"
    "各县（市、区）人民政府负责；3.第6项由市交通运输局牵头，市财政局、东岭县人民政府配合。"
)


def make_w06() -> None:
    p1 = Page()
    p1.centre(790, 18, "澴阳市人民政府办公室")
    p1.centre(762, 11, "澴政办发〔2026〕14号")
    p1.centre(735, 15, "关于印发《澴阳市2026年扩大有效投资重点任务》的通知")
    y = prose(p1, 708, "各县（市、区）人民政府，市政府各部门：", indent=False)
    for text in (
        "现将《澴阳市2026年扩大有效投资重点任务》印发给你们，请认真贯彻落实。",
        "一、各项任务的牵头单位和配合单位见任务表下方的注。牵头单位负责统筹推进，配合单位按职责做好配合。",
        "二、各牵头单位每月5日前将上月任务进展报市发展改革委汇总。",
        "三、市政府督查室将对任务落实情况开展跟踪督查，每季度通报一次。",
    ):
        y = prose(p1, y, text)
    p1.text(350, y - 28, 11, "澴阳市人民政府办公室")
    p1.text(380, y - 50, 11, "2026年4月2日")
    p1.centre(45, 10.5, "— 1 —")
    p2 = Page()
    p2.text(50, 790, 12, "附件")
    p2.centre(765, 14, "澴阳市2026年扩大有效投资重点任务")
    y = ruled_table(p2, 740, W06_COLS, W06_ROWS, left=52.0)
    prose(p2, y - 18, W06_NOTE, size=10.5, indent=False)
    p2.centre(45, 10.5, "— 2 —")
    write_pdf(HERE / "w06_huanyang_kdtz.pdf", [p1, p2])


# ---------------- w08 (.xlsx): a 城市更新 项目清单 with a 所在区域 column (a PLACE) beside 实施主体 and 行业主管部门

W08_ROWS: list[tuple[int, str, str, str, str, str]] = [
    (1, "东湖片区28个老旧小区改造", "东城区", "东城区人民政府", "市住房和城乡建设局", "2026年10月"),
    (
        2,
        "老火车站工业遗存活化利用",
        "西港区",
        "洺湾城市发展投资集团有限公司",
        "市自然资源和规划局",
        "2027年6月",
    ),
    (3, "滨江路历史文化街区保护修缮", "东城区", "洺湾文旅集团有限公司", "市文化广电旅游局", "2026年12月"),
    (4, "南塘村城中村改造", "南塘区", "南塘区人民政府", "市住房和城乡建设局", "2026年11月"),
    (5, "新建城区口袋公园12个", "各区", "各区人民政府", "市城市管理局", "2026年9月"),
    (6, "地下综合管廊二期工程5.2公里", "西港区", "洺湾水务集团有限公司", "市住房和城乡建设局", "2026年12月"),
]


def make_w08() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目清单"
    ws.merge_cells("A1:F1")
    ws["A1"] = "洺湾市2026年城市更新项目清单"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:F2")
    ws["A2"] = (
        "洺湾市城市更新工作领导小组办公室　洺更新办〔2026〕4号　2026年3月12日　"
        "主送：各区人民政府，市城市更新工作领导小组各成员单位"
    )
    header = ("序号", "项目名称", "所在区域", "实施主体", "行业主管部门", "计划完成时间")
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row=3, column=c, value=text)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
    for r, row in enumerate(W08_ROWS, start=4):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value).alignment = WRAP
    note = 4 + len(W08_ROWS)
    ws.merge_cells(f"A{note}:F{note}")
    ws[f"A{note}"] = (
        "说明：1.行业主管部门牵头推进项目，负责协调解决项目推进中的问题；实施主体负责项目的具体实施。"
        "2.“所在区域”为项目所在位置。3.市城市更新工作领导小组办公室每月调度项目进展，"
        "市政府督查室对项目推进情况开展专项督查。"
    )
    ws[f"A{note}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[note].height = 60
    for col, width in zip("ABCDEF", (6, 32, 10, 30, 22, 14), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(str(HERE / "w08_mingwan_csgx.xlsx"))


if __name__ == "__main__":
    make_w02()
    make_w03()
    make_w06()
    make_w08()
