"""Regenerates the binary documents of the round-16 blind corpus: x02 (.xlsx), x03 (.docx), x05 (.pdf) and
x08 (.docx). Run: .venv/bin/python tests/data/extract/round16/make_round16.py. The .docx / .xlsx bytes differ on
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

# ------------- x02 (.xlsx): a ROLE MATRIX — the units are COLUMN headers, the cells say "牵头" / "配合" in words

X02_UNITS = ("区市场监管局", "区农业农村局", "区教育局", "区卫生健康局", "区公安分局", "区商务局", "各街道办事处")
X02_ROWS: list[tuple[int, str, str, dict[str, str]]] = [
    (
        1,
        "建立食品安全“两个责任”包保工作台账，实现包保主体全覆盖",
        "6月底前",
        {"区市场监管局": "牵头", "各街道办事处": "配合"},
    ),
    (
        2,
        "开展食用农产品“治违禁 控药残 促提升”专项行动",
        "2026年10月底前",
        {"区农业农村局": "牵头", "区市场监管局": "配合", "区公安分局": "配合"},
    ),
    (
        3,
        "实现全区中小学校食堂“互联网+明厨亮灶”全覆盖",
        "9月1日前",
        {"区市场监管局": "牵头", "区教育局": "牵头"},
    ),
    (
        4,
        "开展食品安全风险监测和食源性疾病监测，完成监测样本800份",
        "11月底前",
        {"区市场监管局": "配合", "区卫生健康局": "牵头"},
    ),
    (
        5,
        "严厉打击危害食品安全违法犯罪行为",
        "长期坚持",
        {"区市场监管局": "配合", "区农业农村局": "配合", "区公安分局": "牵头"},
    ),
    (
        6,
        "在农贸市场建设食品快检室15个",
        "8月底前",
        {"区市场监管局": "配合", "区商务局": "牵头", "各街道办事处": "配合"},
    ),
]


def make_x02() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解表"
    last = get_column_letter(3 + len(X02_UNITS))  # J
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = "岚桥区创建省级食品安全示范区2026年任务分解表"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = "岚桥区食品安全委员会办公室　岚食安办〔2026〕4号　2026年3月18日　主送：区食安委各成员单位，各街道办事处"
    for c, text in enumerate(("序号", "创建任务", "完成时限"), start=1):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        cell = ws.cell(row=3, column=c, value=text)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
    ws.merge_cells(start_row=3, start_column=4, end_row=3, end_column=3 + len(X02_UNITS))
    ws.cell(row=3, column=4, value="责任单位").font = Font(bold=True)
    ws.cell(row=3, column=4).alignment = CENTRE
    for k, unit in enumerate(X02_UNITS):
        cell = ws.cell(row=4, column=4 + k, value=unit)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
    for r, (no, task, due, roles) in enumerate(X02_ROWS, start=5):
        ws.cell(row=r, column=1, value=no).alignment = CENTRE
        ws.cell(row=r, column=2, value=task).alignment = WRAP
        ws.cell(row=r, column=3, value=due).alignment = CENTRE
        for k, unit in enumerate(X02_UNITS):
            if unit in roles:
                ws.cell(row=r, column=4 + k, value=roles[unit]).alignment = CENTRE
        ws.row_dimensions[r].height = 36
    note = 5 + len(X02_ROWS)
    ws.merge_cells(f"A{note}:{last}{note}")
    ws[f"A{note}"] = (
        "说明：1.“责任单位”栏中，标注“牵头”的为牵头单位，负责统筹推进；标注“配合”的为配合单位，按职责配合落实；"
        "一项任务有两个牵头单位的，共同牵头。2.各牵头单位每季度末将进展情况报区食安办。"
        "3.区政府督查室对任务落实情况开展专项督查。"
    )
    ws[f"A{note}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[note].height = 60
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 14
    for k in range(len(X02_UNITS)):
        ws.column_dimensions[get_column_letter(4 + k)].width = 11
    wb.save(str(HERE / "x02_lanqiao_spaq.xlsx"))


# ------- x03 (.docx): the ROLES TABLE comes FIRST, keyed by 任务序号; the tasks follow as numbered paragraphs

X03_ROLES: list[tuple[str, ...]] = [
    ("1", "县住房和城乡建设局", "各乡镇人民政府", "4月30日前"),
    ("2", "县农业农村局", "各乡镇人民政府、县卫生健康局", "2026年11月底前"),
    ("3", "县卫生健康局", "县疾病预防控制中心", "5月31日前"),
    ("4", "县疾病预防控制中心", "县市场监管局、县教育局", "9月30日前"),
    ("5", "县卫生健康局", "县教育局、县融媒体中心", "12月31日前"),
    ("6", "县爱卫办", "县直各单位", "长期坚持"),
]
X03_TASKS: list[tuple[str, list[str]]] = [
    (
        "一、城乡环境卫生整治",
        [
            "1.开展城区背街小巷、城中村环境卫生集中整治，全面清理卫生死角。",
            "2.推进农村户厕改造，新改建卫生户厕1200户。",
        ],
    ),
    (
        "二、病媒生物防制",
        [
            "3.组织春季统一灭鼠灭蟑活动，城区病媒生物密度控制水平达到国家C级标准。",
            "4.在农贸市场、餐饮单位、学校等重点场所开展病媒生物监测。",
        ],
    ),
    (
        "三、健康促进",
        [
            "5.实施健康素养促进行动，全年举办健康讲座100场。",
            "6.开展无烟党政机关建设，县直机关全部建成无烟党政机关。",
        ],
    ),
]


def make_x03() -> None:
    doc = Document()
    para(doc, "禾源县爱国卫生运动委员会文件", size=22, bold=True, centre=True)
    para(doc, "禾爱卫〔2026〕2号", size=14, centre=True)
    para(doc, "关于印发《禾源县2026年爱国卫生工作任务》的通知", size=18, bold=True, centre=True)
    para(doc, "各乡镇人民政府，县爱卫会各成员单位：", size=14)
    for text in (
        "　　现将《禾源县2026年爱国卫生工作任务》印发给你们，请结合实际认真抓好落实。",
        "　　一、各项任务的牵头单位、配合单位和完成时限见任务分工一览表，表中“任务序号”与下文所列任务的序号一一对应。",
        "　　二、县爱卫办每季度通报一次任务进展情况；县政府督查室对任务落实情况进行督查。",
    ):
        para(doc, text, size=14)
    para(doc, "禾源县爱国卫生运动委员会", size=14, right=True)
    para(doc, "2026年3月5日", size=14, right=True)
    para(doc, "禾源县2026年爱国卫生工作任务", size=16, bold=True, centre=True)
    para(
        doc,
        "　　2026年，全县爱国卫生工作以改善城乡环境卫生面貌、提升群众健康水平为目标，重点抓好以下任务。",
        size=14,
    )
    para(doc, "任务分工一览表", size=14, bold=True, centre=True)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("任务序号", "牵头单位", "配合单位", "完成时限"), strict=True):
        cell.text = text
    for row in X03_ROLES:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(11)
    for heading, items in X03_TASKS:
        para(doc, heading, size=14, bold=True)
        for item in items:
            para(doc, "　　" + item, size=14)
    doc.save(str(HERE / "x03_heyuan_awgz.docx"))


# --------- x05 (.pdf): a 河湖长制 table with 序号 in CHINESE NUMERALS (一、二、…) and a 县级河湖长 column (persons)

X05_COLS = [
    ("序号", 30.0),
    ("河湖名称", 50.0),
    ("县级河湖长", 60.0),
    ("重点任务", 160.0),
    ("牵头单位", 70.0),
    ("配合单位", 82.0),
    ("完成时限", 56.0),
]
X05_ROWS: list[tuple[str, ...]] = [
    ("一", "潞水河", "林国栋", "实施潞水河城区段清淤疏浚，完成清淤8公里", "县水利局", "城关镇人民政府", "6月底前"),
    (
        "二",
        "潞水河",
        "林国栋",
        "排查整治潞水河入河排污口，完成整治42个",
        "县生态环境分局",
        "县水利局、沿河各乡镇人民政府",
        "9月30日前",
    ),
    (
        "三",
        "白石溪",
        "何雅文",
        "清理整治白石溪河道乱占、乱采、乱堆、乱建问题",
        "县水利局",
        "白石镇人民政府、县自然资源局",
        "5月31日前",
    ),
    ("四", "白石溪", "何雅文", "建设白石溪生态缓冲带3公里", "县生态环境分局", "白石镇人民政府", "2026年11月底前"),
    (
        "五",
        "青岚水库",
        "罗永康",
        "开展青岚水库饮用水水源地规范化建设，完成隔离防护设施建设",
        "县水利局",
        "县生态环境分局、县卫生健康局",
        "10月31日前",
    ),
    (
        "六",
        "全县河湖",
        "郑　海",
        "落实河湖长巡河制度，县级河湖长每季度巡河不少于1次",
        "县河长制办公室",
        "各乡镇人民政府",
        "长期坚持",
    ),
]


def make_x05() -> None:
    p1 = Page()
    p1.centre(790, 18, "潞水县河长制办公室")
    p1.centre(762, 11, "潞河长办〔2026〕3号")
    p1.centre(735, 15, "关于印发《潞水县2026年河湖长制重点任务清单》的通知")
    y = prose(p1, 708, "各乡镇人民政府，县河长制成员单位：", indent=False)
    for text in (
        "现将《潞水县2026年河湖长制重点任务清单》印发给你们，请认真抓好落实。",
        "一、清单中“县级河湖长”为该河湖的县级河湖长，负责督促指导责任河湖的任务落实；牵头单位负责统筹推进，"
        "配合单位按职责做好配合。",
        "二、各牵头单位每月25日前将任务进展报县河长制办公室，县河长制办公室每月调度一次。",
        "三、县政府督查室将对清单任务落实情况开展督查，对推进不力的予以通报。",
    ):
        y = prose(p1, y, text)
    p1.text(350, y - 28, 11, "潞水县河长制办公室")
    p1.text(380, y - 50, 11, "2026年4月8日")
    p1.centre(45, 10.5, "— 1 —")
    p2 = Page()
    p2.text(44, 790, 12, "附件")
    p2.centre(765, 14, "潞水县2026年河湖长制重点任务清单")
    ruled_table(p2, 740, X05_COLS, X05_ROWS, left=44.0)
    p2.centre(45, 10.5, "— 2 —")
    write_pdf(HERE / "x05_lushui_hhzz.pdf", [p1, p2])


# ------ x08 (.docx): tasks as Word AUTO-NUMBERED "List Number" paragraphs (the "1." is not in the text), their
# roles and time as "List Bullet" paragraphs under each, the groups as "Heading 1" paragraphs

X08_GROUPS: list[tuple[str, list[tuple[str, str, str, str]]]] = [
    (
        "一、矛盾纠纷排查化解",
        [
            (
                "建立街道、社区、网格三级矛盾纠纷排查台账，每月开展一次集中排查",
                "街道综治中心",
                "各社区居委会",
                "5月底前",
            ),
            ("完成街道人民调解委员会规范化建设，新增专职调解员6名", "街道司法所", "街道综治中心", "2026年8月底前"),
        ],
    ),
    (
        "二、社会治安防控",
        [
            ("在老旧小区新增高清视频监控点位120个", "梅林派出所", "街道城市管理办公室、各社区居委会", "9月30日前"),
            ("开展电信网络诈骗防范宣传进社区活动", "梅林派出所", "街道宣传办、各社区居委会", "长期坚持"),
        ],
    ),
    (
        "三、基层平安创建",
        [
            ("开展平安社区、平安家庭创建活动，创建平安家庭示范户200户", "街道综治中心", "街道妇联", "11月底前"),
            ("完成街道综治中心实战化改造，接入“雪亮工程”视频资源", "街道综治中心", "无", "6月30日前"),
        ],
    ),
]


def make_x08() -> None:
    doc = Document()
    para(doc, "梅林街道办事处", size=22, bold=True, centre=True)
    para(doc, "梅街办〔2026〕11号", size=14, centre=True)
    para(doc, "关于印发《梅林街道2026年平安建设重点工作安排》的通知", size=18, bold=True, centre=True)
    para(doc, "各社区居委会，街道各科室、各站所：", size=14)
    for text in (
        "　　现将《梅林街道2026年平安建设重点工作安排》印发给你们，请认真贯彻执行。",
        "　　街道党政办公室负责对各项工作落实情况进行督查，每季度通报一次。",
    ):
        para(doc, text, size=14)
    para(doc, "梅林街道办事处", size=14, right=True)
    para(doc, "2026年4月13日", size=14, right=True)
    para(doc, "梅林街道2026年平安建设重点工作安排", size=16, bold=True, centre=True)
    for heading, items in X08_GROUPS:
        doc.add_paragraph(heading, style="Heading 1")
        for work, lead, partners, due in items:
            doc.add_paragraph(work + "。", style="List Number")
            doc.add_paragraph("牵头单位：" + lead, style="List Bullet")
            doc.add_paragraph("配合单位：" + partners, style="List Bullet")
            doc.add_paragraph("完成时限：" + due, style="List Bullet")
    doc.save(str(HERE / "x08_meilin_pajs.docx"))


if __name__ == "__main__":
    make_x02()
    make_x03()
    make_x05()
    make_x08()
