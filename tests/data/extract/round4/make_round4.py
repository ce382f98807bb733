"""Regenerate the binary documents of the round-4 blind corpus (.pdf, .docx, .xlsx).

Run: `.venv/bin/python tests/data/extract/round4/make_round4.py`. The .txt and .html documents are
committed as written. The .docx and .xlsx bytes differ on each run (zip timestamps), their content
does not. reportlab is not in the venv, so the PDF is written by hand: a Type0 font on the standard
Adobe-GB1 CID font STSong-Light with the UniGB-UCS2-H encoding (not embedded, as reportlab's
UnicodeCIDFont does), text in hex UCS-2 strings, ruled table drawn with line operators.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py, shared by the make scripts
from cid_pdf import Page, _wrap, ruled_table, write_pdf  # noqa: E402
from docx_writer import para  # noqa: E402

K01_COLS = [("序号", 30), ("重点任务", 170), ("市分管领导", 56), ("牵头单位", 72), ("配合单位", 97), ("完成时限", 68)]
K01_PAGE1 = [
    ("一、稳增长扩投资",),
    ("1", "全市地区生产总值增长5.5%左右", "周立群", "市发改委", "市统计局、各县（区）人民政府", "2025年12月31日前"),
    ("2", "实施市级重点项目120个，完成年度投资300亿元以上", "周立群", "市发展改革委", "市自然资源局、市住建局", "年内"),
    ("3", "新增规模以上工业企业40家", "韩　松", "市工信局", "各县（区）人民政府", "2025年三季度末"),
    ("二、惠民生优服务",),
    ("4", "新建城市社区嵌入式服务设施10个", "林　晓", "市民政局", "市发改委、市住建局", "2025年11月底前"),
]
K01_PAGE2 = [
    ("5", "城镇新增就业2.2万人", "林　晓", "市人社局", "各县（区）人民政府", "2025年12月31日前"),
    ("6", "落实义务教育“双减”政策，推进课后服务提质增效", "林　晓", "市教育局", "—", "长期坚持"),
    ("三、抓改革强保障",),
    (
        "7",
        "推进“高效办成一件事”，新增集成办理事项15项",
        "韩　松",
        "市政务服务中心",
        "市司法局、市市场监管局",
        "2025年三季度末",
    ),
    ("8", "完成市属国有企业整合重组", "周立群", "市国资委", "市财政局", "年内"),
]


def make_k01() -> None:
    p1 = Page()
    p1.centre(790, 22, "榆陂市人民政府办公室文件")
    p1.line(50, 772, 545, 772)
    p1.centre(750, 11, "榆政办发〔2025〕4号")
    p1.centre(722, 15, "榆陂市人民政府办公室关于印发榆陂市2025年")
    p1.centre(702, 15, "《政府工作报告》重点任务分解表的通知")
    p1.text(50, 674, 11, "各县（区）人民政府，市政府各部门、各直属机构：")
    body = (
        "《榆陂市2025年〈政府工作报告〉重点任务分解表》已经市政府同意，现印发给你们，请认真抓好落实。"
        "各牵头单位要于每季度末月25日前将任务推进情况报市政府督查室。"
    )
    lines = _wrap("　　" + body, 495, 11)
    for k, ln in enumerate(lines):
        p1.text(50, 656 - 17 * k, 11, ln)
    p1.text(380, 600, 11, "榆陂市人民政府办公室")
    p1.text(400, 583, 11, "2025年2月14日")
    p1.centre(550, 14, "榆陂市2025年《政府工作报告》重点任务分解表")
    ruled_table(p1, 535, K01_COLS, K01_PAGE1, left=50.0)
    p1.centre(40, 9, "第 1 页 共 2 页")
    p2 = Page()
    p2.text(50, 805, 9, "榆政办发〔2025〕4号")
    p2.text(380, 805, 9, "重点任务分解表（续）")
    p2.line(50, 800, 545, 800)
    ruled_table(p2, 780, K01_COLS, K01_PAGE2, left=50.0)
    p2.centre(40, 9, "第 2 页 共 2 页")
    write_pdf(HERE / "k01_yubei_zfgzbg.pdf", [p1, p2])


# ---------------------------------------------------------------- XLSX (k04, k08)

WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def make_k04() -> None:
    """One sheet of notes, then one sheet per 牵头单位; 序号 continue across sheets; column E hidden."""
    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    ws["A1"] = "苇塘县2025年城乡建设重点工作任务台账"
    ws["A1"].font = Font(bold=True, size=16)
    ws["A2"] = "苇塘县人民政府办公室　　2025年4月8日"
    ws["A4"] = "填表说明："
    ws["A5"] = "1.本台账按牵头单位分表列示，序号与县政府第36次常务会议确定的任务序号一致。"
    ws["A6"] = "2.各牵头单位于每月5日前在本单位工作表“进展情况”栏更新进度，报县政府督查室。"
    ws["A7"] = "3.配合单位由牵头单位负责协调，配合单位应在每月3日前向牵头单位提供进展材料。"
    ws.column_dimensions["A"].width = 90
    sheets = [
        (
            "住建局",
            "县住房和城乡建设局",
            [
                (
                    1,
                    "完成城镇老旧小区改造14个",
                    "县财政局、城关镇人民政府",
                    "2025年10月底前",
                    "原牵头：县城投公司；2024年结转3个",
                ),
                (2, "新建改造城市燃气管网18公里", "县城管局、苇塘燃气公司", "2025年三季度末", "资金：专项债0.6亿元"),
                (3, "推进“好房子”建设试点", "县自然资源局", "长期坚持", ""),
            ],
        ),
        (
            "交通运输局",
            "县交通运输局",
            [
                (
                    4,
                    "建成苇塘至东坝二级公路",
                    "县自然资源局、东坝镇人民政府",
                    "2025年12月31日前",
                    "配合：县林业局（待定）",
                ),
                (5, "新改建农村公路45公里", "各乡镇人民政府", dt.date(2025, 11, 30), ""),
            ],
        ),
        (
            "水利局",
            "县水利局",
            [
                (
                    6,
                    "实施城乡供水一体化提升工程，农村自来水普及率达到99%",
                    "县农业农村局、各乡镇人民政府",
                    "年内",
                    "省考指标",
                ),
                (7, "完成病险水库除险加固3座", "县财政局", "2025年5月31日前", "汛前完成"),
            ],
        ),
    ]
    for name, lead, rows in sheets:
        ws = wb.create_sheet(name)
        ws.merge_cells("A1:F1")
        ws["A1"] = f"牵头单位：{lead}"
        ws["A1"].font = Font(bold=True, size=13)
        for col, head in zip(
            "ABCDEF", ["序号", "工作任务", "配合单位", "完成时限", "内部备注", "进展情况"], strict=True
        ):
            ws[f"{col}2"] = head
            ws[f"{col}2"].font = Font(bold=True)
            ws[f"{col}2"].alignment = CENTRE
        for r, (no, task, partners, due, note) in enumerate(rows, start=3):
            ws[f"A{r}"] = no
            ws[f"B{r}"] = task
            ws[f"C{r}"] = partners
            ws[f"D{r}"] = due
            if isinstance(due, dt.date):
                ws[f"D{r}"].number_format = "yyyy/m/d"
            ws[f"E{r}"] = note or None
            for col in "ABCDEF":
                ws[f"{col}{r}"].alignment = WRAP
        for col, w in zip("ABCDEF", [6, 44, 30, 16, 26, 24], strict=True):
            ws.column_dimensions[col].width = w
        ws.column_dimensions["E"].hidden = True
    wb.save(HERE / "k04_weitang_csjs.xlsx")


def make_k08() -> None:
    """常州-style 民生实事 table: 项目名称 merged over its 主要内容 rows, 分管领导 between the units."""
    wb = Workbook()
    ws = wb.active
    ws.title = "民生实事"
    ws["A1"] = "附件"
    ws.merge_cells("A2:F2")
    ws["A2"] = "菱川区2025年民生实事项目目标任务责任分解表"
    ws["A2"].font = Font(bold=True, size=16)
    ws["A2"].alignment = CENTRE
    ws.merge_cells("A3:F3")
    ws["A3"] = "菱川区人民政府办公室　　　　2025年1月24日"
    ws["A3"].alignment = Alignment(horizontal="right")
    heads = ["序号", "项目名称", "主要内容", "区政府分管领导", "牵头单位", "配合单位"]
    for col, head in zip("ABCDEF", heads, strict=True):
        ws[f"{col}4"] = head
        ws[f"{col}4"].font = Font(bold=True)
        ws[f"{col}4"].alignment = CENTRE
    groups = [
        (
            1,
            "增加优质教育资源供给",
            "陈　静",
            [
                ("新建、改扩建中小学和幼儿园6所，新增学位3600个", "区教育局", "区住建局、菱川高新区管委会"),
                ("推进集团化办学，新组建紧密型教育集团3个", "区教育局", "各街道办事处"),
            ],
        ),
        (
            2,
            "完善养老服务体系",
            "王建国",
            [
                ("新建社区嵌入式养老服务站8个", "区民政局", "各街道办事处"),
                ("为1500户困难老年人家庭实施居家适老化改造", "区民政局", "区残联"),
                ("6月底前建成区级智慧养老服务平台", "区数据局", "区民政局"),
            ],
        ),
        (
            3,
            "畅通城市交通微循环",
            "刘　海",
            [("打通断头路5条，新增公共停车泊位2000个", "区住建局", "区城管局、区公安分局交警大队")],
        ),
        (
            4,
            "提升群众就医便利度",
            "陈　静",
            [
                ("建成区中医院门诊综合楼", "区卫生健康局", "区发改局"),
                ("9月底前实现辖区社区卫生服务中心检查检验结果互认全覆盖", "区卫生健康局", "区医保局"),
            ],
        ),
    ]
    r = 5
    for no, name, leader, rows in groups:
        first = r
        for content, lead, partners in rows:
            ws[f"C{r}"] = content
            ws[f"E{r}"] = lead
            ws[f"F{r}"] = partners
            for col in "ABCDEF":
                ws[f"{col}{r}"].alignment = WRAP
            r += 1
        ws[f"A{first}"] = no
        ws[f"B{first}"] = name
        ws[f"D{first}"] = leader
        if r - 1 > first:
            for col in "ABD":
                ws.merge_cells(f"{col}{first}:{col}{r - 1}")
    ws.merge_cells(f"A{r}:F{r}")
    ws[f"A{r}"] = "注：民生实事项目完成情况纳入区政府年度绩效考核，区政府督查室每季度末通报一次进展。"
    for col, w in zip("ABCDEF", [6, 20, 46, 12, 14, 28], strict=True):
        ws.column_dimensions[col].width = w
    ws.print_title_rows = "4:4"
    wb.save(HERE / "k08_lingchuan_msss.xlsx")


# ---------------------------------------------------------------- DOCX (k05, k09)


def _cell_lines(cell, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    """One paragraph per line, as a clerk's Word cell with Enter between units."""
    cell.text = lines[0]
    for ln in lines[1:]:
        cell.add_paragraph(ln)


def make_k05() -> None:
    """WPS-style: the attachment sits in a one-column layout table with the task table NESTED in a cell."""
    doc = Document()
    para(doc, "棠汀区城乡环境综合整治领导小组办公室", size=22, bold=True, centre=True)
    para(doc, "棠整治办〔2025〕2号", centre=True)
    para(doc, "关于印发棠汀区2025年城乡环境综合整治重点任务清单的通知", size=16, bold=True, centre=True)
    para(doc, "各街道办事处，区直各相关单位：")
    para(
        doc,
        "　　现将《棠汀区2025年城乡环境综合整治重点任务清单》印发给你们，请按照清单明确的责任分工和完成时限抓好落实。"
        "各责任单位于每月25日前将当月工作进展报区整治办。",
    )
    para(doc, "棠汀区城乡环境综合整治领导小组办公室")
    para(doc, "2025年3月5日")
    outer = doc.add_table(rows=3, cols=1)
    outer.style = "Table Grid"
    c0 = outer.cell(0, 0)
    c0.text = "附件"
    c0.add_paragraph("棠汀区2025年城乡环境综合整治重点任务清单").alignment = WD_ALIGN_PARAGRAPH.CENTER
    host = outer.cell(1, 0)
    rows = [
        ("序号", ["整治任务"], ["责任单位"], ["完成时限"]),
        (
            "1",
            ["开展背街小巷环境提升行动，完成改造40条"],
            ["牵头：区城管局；配合：区住建局、各街道办事处"],
            ["2025年9月底前"],
        ),
        ("2", ["整治占道经营和流动摊贩"], ["牵头：区城管局；配合：区市场监管局、区公安分局"], ["长期坚持"]),
        (
            "3",
            ["规范非机动车停放秩序，施划停放点位2000个"],
            ["牵头：区交通运输局", "配合：区公安分局交警大队、各街道办事处"],
            ["2025年6月30日前"],
        ),
        ("4", ["开展农贸市场标准化改造，改造市场6个"], ["区市场监管局"], ["2025年三季度末"]),
        ("5", ["治理餐饮油烟扰民问题"], ["牵头：区生态环境分局；配合：无"], ["年内"]),
        (
            "6",
            ["推进生活垃圾分类示范小区创建，新创建示范小区30个"],
            ["牵头：区城管局；配合：各街道办事处"],
            ["2025年11月底前"],
        ),
    ]
    inner = host.add_table(rows=len(rows), cols=4)
    inner.style = "Table Grid"
    for i, (no, task, units, due) in enumerate(rows):
        inner.cell(i, 0).text = no
        _cell_lines(inner.cell(i, 1), task)
        _cell_lines(inner.cell(i, 2), units)
        _cell_lines(inner.cell(i, 3), due)
    outer.cell(2, 0).text = "注：本清单由区整治办负责解释，各街道办事处可结合实际细化本辖区任务。"
    doc.core_properties.author = "Administrator"
    doc.core_properties.comments = "KSOProductBuildVer 2052-12.1.0.16729"
    doc.save(HERE / "k05_tangting_hjzz.docx")


def make_k09() -> None:
    """大竹-style 民生实事 table: units one per paragraph, 序号 4 merged over two rows with their own times."""
    doc = Document()
    para(doc, "蘅皋县人民政府办公室关于对2025年民生实事进行重点督办的通知", size=16, bold=True, centre=True)
    para(doc, "蘅府办〔2025〕12号", centre=True)
    para(doc, "各乡镇人民政府，县级各部门：")
    para(
        doc,
        "　　为让人民群众生活得更有保障、更加幸福，根据县《政府工作报告》安排部署，现将2025年民生实事目标任务分解下达。"
        "请各责任领导、责任单位认真研究、细化措施，确保全年目标任务顺利完成。责任单位有两个及以上的，排在第一位的为牵头单位。"
        "县政府督查室将常年跟踪，适时开展督查。请各责任单位于每季度末月20日前将民生实事完成情况书面报县政府督查室。",
    )
    para(doc, "附件：2025年民生实事目标任务分解表")
    para(doc, "蘅皋县人民政府办公室")
    para(doc, "2025年2月18日")
    para(doc, "附件")
    para(doc, "2025年民生实事目标任务分解表", size=16, bold=True, centre=True)
    rows = [
        ("序号", "民生实事", ["责任单位"], "完成时限"),
        ("1", "启动县城滨河公园二期建设", ["县住建局", "县水利局", "县城投公司"], "12月底前"),
        ("2", "新建2座人行天桥", ["县住建局"], "9月投入使用"),
        ("3", "建成县残疾人康复中心", ["县残联", "县代建中心"], "10月底前"),
        ("4", "开工建设县第二养老院", ["县民政局"], "5月底前动工"),
        ("", "建成县老年大学新校区", ["县教育局", "县老干部局"], "12月底前"),
        ("5", "完成城区棚户区改造1200户", ["县住建局"], "12月底前"),
        ("6", "新建城东农贸市场1个", ["县商务局", "县市场监管局"], "11月底前"),
    ]
    table = doc.add_table(rows=len(rows), cols=4)
    table.style = "Table Grid"
    for i, (no, task, units, due) in enumerate(rows):
        if no:
            table.cell(i, 0).text = no
        table.cell(i, 1).text = task
        _cell_lines(table.cell(i, 2), units)
        table.cell(i, 3).text = due
    table.cell(4, 0).merge(table.cell(5, 0))
    doc.save(HERE / "k09_henggao_msss.docx")


def main() -> None:
    make_k01()
    make_k04()
    make_k05()
    make_k08()
    make_k09()


if __name__ == "__main__":
    main()
