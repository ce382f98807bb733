"""Regenerates the binary documents of the round-13 blind corpus: u01 (.xlsx), u03 (.docx), u04 (.pdf) and
u05 (.xlsx). Run: .venv/bin/python tests/data/extract/round13/make_round13.py. The .docx / .xlsx bytes differ on
each run (zip timestamps), their content does not; the PDF is byte-identical. The .txt and .html documents are
committed as written."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py and docx_writer.py, shared by the make scripts
from cid_pdf import Page, prose, ruled_table, write_pdf  # noqa: E402
from docx_writer import para  # noqa: E402

WRAP = Alignment(wrap_text=True, vertical="center")

# ---------------------------------------------------------------- u01 (.xlsx): several numbered 举措 in ONE cell

U01_ROWS: list[tuple[int, str, str, str, str, str]] = [
    (
        1,
        "深化“一业一证”改革",
        "1.在餐饮、便利店、药店、健身房等行业推行“一业一证”，实现一证准营；\n"
        "2.建立行业综合许可证统一有效期制度，推行到期自动延续。",
        "区政务服务中心",
        "区市场监管局、区卫生健康局",
        "6月底前",
    ),
    (
        2,
        "推进工程建设项目审批制度改革",
        "1.对社会投资低风险项目推行“拿地即开工”；\n"
        "2.全面实施竣工联合验收，一次申报、限时办结；\n"
        "3.上线运行“多测合一”信息平台，测绘成果共享互认。",
        "区住房城乡建设局",
        "区自然资源分局、区政务服务中心",
        "1.4月底前；\n2.9月底前；\n3.2026年10月31日前",
    ),
    (
        3,
        "深化国资国企改革",
        "推动区属国有企业整合重组，组建区城市发展集团。",
        "区国资中心",
        "区财政局、区人力资源社会保障局",
        "2026年底前",
    ),
]


def make_u01() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "改革任务台账"
    ws.merge_cells("A1:F1")
    ws["A1"] = "金禾区2026年重点改革任务台账"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:F2")
    ws["A2"] = "印发单位：中共金禾区委全面深化改革委员会办公室　　文号：金改办〔2026〕2号　　印发日期：2026年3月12日"
    for c, text in enumerate(("序号", "改革事项", "具体举措", "牵头单位", "配合单位", "完成时限"), start=1):
        cell = ws.cell(row=3, column=c, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for r, row in enumerate(U01_ROWS, start=4):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value).alignment = WRAP
    last = 4 + len(U01_ROWS)
    ws.merge_cells(f"A{last}:F{last}")
    ws[f"A{last}"] = (
        "注：1.“具体举措”分条列出的，“完成时限”按同一序号对应；只列一个时限的，适用于该事项全部举措。"
        "2.区委督查室每季度对改革任务推进情况开展督查，督查结果在区委全面深化改革委员会会议上通报。"
    )
    ws[f"A{last}"].alignment = Alignment(wrap_text=True)
    for col, width in zip("ABCDEF", (6, 22, 52, 18, 26, 18), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(str(HERE / "u01_jinhe_ggtz.xlsx"))


# ---------------------------------------------------------------- u03 (.docx): lead marked by BOLD, 领导（单位） pairs

# each cell of the 4th column is a list of (text, bold) paragraphs
U03_ROWS: list[tuple[str, str, str, list[tuple[str, bool]], str]] = [
    (
        "1",
        "柘塘锂电新材料产业园一期",
        "完成标准厂房主体建设6万平方米，建成投产生产线2条",
        [("王立群（县发改局）", True), ("周晓岚（县自然资源局）", False), ("柘塘经济开发区管委会", False)],
        "2026年10月底前",
    ),
    (
        "2",
        "县城第二水厂及配套管网",
        "建成日供水5万吨水厂，完成配套管网铺设并通水",
        [("李卫东（县水利局）", True), ("刘青（县住建局）", False)],
        "11月底前",
    ),
    (
        "3",
        "柘江大桥改建工程",
        "完成主桥桩基及下部结构施工",
        [("赵明川（县交通运输局）", True), ("王立群（县发改局）", True), ("县公路事业发展中心", False)],
        "12月底前",
    ),
    (
        "4",
        "县人民医院医技综合楼",
        "主体结构封顶，启动内部装修",
        [("孙丽萍（县卫生健康局）", True), ("县人民医院", False)],
        "9月底前",
    ),
    (
        "5",
        "城南片区老旧小区改造",
        "改造老旧小区12个，同步完善停车、充电设施",
        [("刘青（县住建局）", True), ("城关镇人民政府", False), ("县财政局", False)],
        "2026年11月30日前",
    ),
    (
        "6",
        "县域冷链物流中心",
        "建成冷库及分拣中心并投入试运营",
        [("陈志远（县商务局）", True), ("县供销合作社联合社", False), ("柘塘经济开发区管委会", False)],
        "8月底前",
    ),
]


def make_u03() -> None:
    doc = Document()
    para(doc, "柘塘县人民政府办公室文件", size=22, bold=True, centre=True)
    para(doc, "柘政办发〔2026〕11号", size=14, centre=True)
    para(
        doc, "柘塘县人民政府办公室关于印发2026年县级领导包联重点项目推进责任分工的通知", size=18, bold=True, centre=True
    )
    para(doc, "各乡镇人民政府，县政府各部门，柘塘经济开发区管委会：", size=14)
    for text in (
        "　　为加快推进全县重点项目建设，经县政府同意，现将《2026年县级领导包联重点项目推进责任分工》印发给你们，"
        "请认真抓好落实。",
        "　　一、各包联县领导要定期深入项目现场，协调解决项目推进中的困难和问题。各牵头单位要制定项目推进计划，"
        "明确时间节点和责任人；各责任单位要主动对接，全力做好要素保障。",
        "　　二、各牵头单位于每月28日前将项目进展情况报县发改局汇总。县政府督查室将对项目推进情况进行跟踪督查，"
        "每月通报一次。",
    ):
        para(doc, text, size=14)
    para(doc, "柘塘县人民政府办公室", size=14, right=True)
    para(doc, "2026年3月9日", size=14, right=True)
    para(doc, "附件", size=14, bold=True)
    para(doc, "2026年县级领导包联重点项目推进责任分工", size=16, bold=True, centre=True)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("序号", "项目名称", "年度建设目标", "包联县领导及责任单位", "完成时限"), strict=True
    ):
        cell.text = text
    for no, name, goal, pairs, due in U03_ROWS:
        cells = table.add_row().cells
        cells[0].text = no
        cells[1].text = name
        cells[2].text = goal
        first = True
        for text, bold in pairs:
            p = cells[3].paragraphs[0] if first else cells[3].add_paragraph()
            first = False
            run = p.add_run(text)
            run.bold = bold
            run.font.size = Pt(11)
        cells[4].text = due
    para(
        doc, "说明：“包联县领导及责任单位”栏中，字体加粗的为牵头县领导及牵头单位，其余为配合县领导及责任单位。", size=12
    )
    doc.save(str(HERE / "u03_zhetang_xmbl.docx"))


# ------------------------------------------------------ u04 (.pdf): the table in TWO HALVES of a landscape page

U04_COLS = [("序号", 26.0), ("重点任务", 160.0), ("牵头部门", 62.0), ("配合部门", 76.0), ("完成时限", 54.0)]
U04_LEFT = [
    (
        "1",
        "开展危险化学品企业安全风险隐患排查整治，实现重点企业排查全覆盖",
        "应急管理局",
        "经济发展局、各园区服务中心",
        "5月底前",
    ),
    ("2", "推进园区消防基础设施建设，新建微型消防站8个", "建设管理局", "鹭洲消防救援站", "2026年9月30日前"),
    ("3", "培训企业主要负责人和安全管理人员1200人次", "应急管理局", "人力资源局", "2026年第三季度"),
]
U04_RIGHT = [
    ("4", "开展工贸企业有限空间作业安全专项治理", "应急管理局", "各园区服务中心", "长期坚持"),
    ("5", "建设园区安全生产智能监管平台，接入重点企业监测数据", "信息中心", "应急管理局", "11月底前"),
    (
        "6",
        "整治电动自行车充电安全隐患，新增集中充电车位2000个",
        "建设管理局",
        "鹭洲消防救援站、各园区服务中心",
        "10月底前",
    ),
]


def make_u04() -> None:
    p1 = Page()
    p1.centre(790, 18, "鹭洲高新技术产业开发区安全生产委员会办公室")
    p1.centre(762, 11, "鹭高安办〔2026〕4号")
    p1.centre(735, 15, "关于印发《鹭洲高新区2026年安全生产和消防工作重点任务分工》的通知")
    y = prose(p1, 708, "管委会各部门，各园区服务中心：", indent=False)
    for text in (
        "经区安全生产委员会同意，现将《鹭洲高新区2026年安全生产和消防工作重点任务分工》印发给你们，请结合"
        "职责抓好落实。",
        "一、各牵头部门要对照任务分工，制定具体推进措施，明确时间节点；各配合部门要主动对接、密切协作。",
        "二、各牵头部门于每季度末月25日前将任务推进情况报区安委办。",
        "三、管委会督查室将对重点任务落实情况开展专项督查，对工作推进不力的予以通报。",
    ):
        y = prose(p1, y, text)
    p1.text(300, y - 28, 11, "鹭洲高新技术产业开发区安全生产委员会办公室")
    p1.text(390, y - 50, 11, "2026年3月16日")
    p1.centre(45, 10.5, "— 1 —")
    p2 = Page()  # landscape 842 x 595: the table in two halves, left then right, each with the header row
    p2.text(30, 560, 12, "附件")
    p2.centre(540, 14, "鹭洲高新区2026年安全生产和消防工作重点任务分工", left=30, right=812)
    ruled_table(p2, 515, U04_COLS, U04_LEFT, left=30.0)
    ruled_table(p2, 515, U04_COLS, U04_RIGHT, left=434.0)
    p2.centre(30, 10.5, "— 2 —", left=30, right=812)
    path = HERE / "u04_luzhou_aqxf.pdf"
    write_pdf(path, [p1, p2])
    data = path.read_bytes()
    # cid_pdf writes every page A4 portrait; turn page 2 (the second MediaBox) to landscape, same byte length
    box = b"/MediaBox [0 0 595 842]"
    second = data.index(box, data.index(box) + 1)
    path.write_bytes(data[:second] + b"/MediaBox [0 0 842 595]" + data[second + len(box) :])


# ---------------------------------------------------------------- u05 (.xlsx): an OA system's export

# the export writes every value as TEXT: 序号 "1.0" (a float turned to a string), dates "2026.10.31" / "2026/9/30"

U05_ROWS: list[tuple[str, str, str, str, str, str, str]] = [
    ("1.0", "DB-2026-0107", "新改建农村公路1500公里", "农村公路处", "各设区市交通运输局", "2026.10.31", "办理中"),
    ("2.0", "DB-2026-0108", "实施危旧桥梁改造200座", "公路管理处", "各设区市交通运输局", "2026/11/30", "办理中"),
    ("3.0", "DB-2026-0109", "新增城乡客运一体化示范县10个", "运输服务处", "各设区市交通运输局", "2026.12.31", "办理中"),
    (
        "4.0",
        "DB-2026-0110",
        "推行网约车驾驶员证、车辆运输证“一件事”联办",
        "",
        "省交通运输政务服务中心",
        "2026/6/30",
        "办理中",
    ),
    (
        "5.0",
        "DB-2026-0111",
        "在高速公路服务区新建充电桩800个",
        "综合规划处",
        "省交通投资集团有限公司",
        "2026/9/30",
        "办理中",
    ),
    ("6.0", "DB-2026-0112", "建成内河旅游客运码头4个", "水运处", "各设区市交通运输局", "2026.08.31", "未启动"),
]


def make_u05() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.merge_cells("A1:G1")
    ws["A1"] = "2026年全省交通运输为民办实事项目任务分解表"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:G2")
    ws["A2"] = "来文单位：沁江省交通运输厅　　文号：沁交发〔2026〕15号　　成文日期：2026年3月4日"
    ws.merge_cells("A3:G3")
    ws["A3"] = "主送：各设区市交通运输局，厅机关各处室"
    ws.merge_cells("A4:G4")
    ws["A4"] = "导出时间：2026-03-06 09:41:22　　导出人：办公室　陈磊　　数据来源：督查督办系统"
    header = ("序号", "系统编号", "项目名称", "牵头处室", "配合单位", "完成时限", "办理状态")
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row=5, column=c, value=text)
        cell.font = Font(bold=True)
    for r, row in enumerate(U05_ROWS, start=6):
        for c, value in enumerate(row, start=1):
            if value == "":
                continue
            ws.cell(row=r, column=c, value=value).alignment = WRAP
    ws.merge_cells("D8:D9")  # 运输服务处 leads rows 3 and 4 (序号 3.0, 4.0)
    total = 6 + len(U05_ROWS)
    ws.cell(row=total, column=1, value="合计")
    ws.cell(row=total, column=3, value="6项")
    ws.merge_cells(f"A{total + 2}:G{total + 2}")
    ws[f"A{total + 2}"] = (
        "填表说明：1.完成时限为该项目全面完成的时间。2.办理状态由系统根据各牵头处室填报情况自动生成。"
        "3.厅督查室按月调度项目进展，并在厅务会上通报。4.各牵头处室于每月5日前在系统中填报上月进展。"
    )
    ws[f"A{total + 2}"].alignment = Alignment(wrap_text=True)
    for col, width in zip("ABCDEFG", (7, 15, 44, 14, 26, 13, 10), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(str(HERE / "u05_qinjiang_wmss.xlsx"))


if __name__ == "__main__":
    make_u01()
    make_u03()
    make_u04()
    make_u05()
