"""Regenerates the binary documents of the round-14 blind corpus: v02 (.xlsx), v04 (.docx), v05 (.pdf) and
v08 (.xlsx). Run: .venv/bin/python tests/data/extract/round14/make_round14.py. The .docx / .xlsx bytes differ on
each run (zip timestamps), their content does not; the PDF is byte-identical. The .txt and .html documents are
committed as written."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py and docx_writer.py, shared by the make scripts
from cid_pdf import Page, _wrap, prose, write_pdf  # noqa: E402
from docx_writer import para  # noqa: E402

WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)

# ---------------------------------------------------------------- v02 (.xlsx): targets allocated to the townships

V02_ROWS: list[tuple[int, str, int, float, float, str]] = [
    (1, "城关镇", 3, 12, 8, "刘洪涛"),
    (2, "石桥镇", 2, 6.5, 4, "邓文彬"),
    (3, "萸江镇", 2, 5, 3, "邓文彬"),
    (4, "青岗乡", 1, 2.5, 1.5, "方雅琴"),
    (5, "萸塘经济开发区", 8, 40, 25, "刘洪涛"),
]


def make_v02() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "目标任务分解"
    ws.merge_cells("A1:F1")
    ws["A1"] = "萸塘县2026年招商引资目标任务分解表"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:F2")
    ws["A2"] = (
        "萸塘县人民政府办公室　萸政办发〔2026〕6号　2026年3月2日印发　"
        "主送：各乡镇人民政府，萸塘经济开发区管委会，县直有关单位"
    )
    ws.merge_cells("A3:F3")
    ws["A3"] = "单位：个、亿元"
    ws["A3"].alignment = Alignment(horizontal="right")
    header = (
        "序号",
        "责任单位",
        "引进亿元以上项目（个）",
        "实际到位资金（亿元）",
        "其中：省外资金（亿元）",
        "包联县领导",
    )
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row=4, column=c, value=text)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
    for r, row in enumerate(V02_ROWS, start=5):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value).alignment = CENTRE
    total = 5 + len(V02_ROWS)
    ws.cell(row=total, column=1, value="合计").alignment = CENTRE
    ws.merge_cells(f"A{total}:B{total}")
    for c in (3, 4, 5):  # the totals as values (a saved workbook's cached results), not formulas
        ws.cell(row=total, column=c, value=sum(row[c - 1] for row in V02_ROWS)).alignment = CENTRE
    note = total + 1
    ws.merge_cells(f"A{note}:F{note}")
    ws[f"A{note}"] = (
        "说明：1.各乡镇、萸塘经济开发区是本单位招商引资目标任务的责任主体，目标任务考核截止时间为2026年12月31日；"
        "实际到位资金以省招商引资信息系统统计数据为准。2.包联县领导负责督促指导包联单位完成目标任务。"
        "3.县招商服务中心负责统计调度，每月10日前汇总上月完成情况；县政府督查室每季度对完成情况开展督查并通报，"
        "年底组织考核。"
    )
    ws[f"A{note}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[note].height = 90
    for col, width in zip("ABCDEF", (6, 20, 16, 16, 18, 14), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(str(HERE / "v02_yutang_zsyz.xlsx"))


# ------------------------------------- v04 (.docx): 主责 / 协同 / 督导 columns, an EMPTY DIAGONAL first header cell

V04_ROWS: list[tuple[str, ...]] = [
    (
        "1",
        "建立作业公示制度，各年级每日书面作业总量和时长符合规定",
        "各中小学校",
        "局基础教育股",
        "区教育督导室",
        "秋季开学前",
    ),
    (
        "2",
        "推进课后服务“5+2”全覆盖，义务教育学校学生课后服务参与率达到90%以上",
        "局基础教育股",
        "各中小学校、局计划财务股",
        "区教育督导室",
        "2026年9月底前",
    ),
    (
        "3",
        "开展校外培训机构专项检查，查处无证无照违规培训行为",
        "区校外培训监管中心",
        "区市场监管局、区公安分局",
        "区纪委监委驻区教育局纪检监察组",
        "6月30日前",
    ),
    (
        "4",
        "建设区级课后服务资源平台，上线精品课程200节",
        "区电化教育馆",
        "局基础教育股",
        "区教育督导室",
        "11月底前",
    ),
    (
        "5",
        "开展家长学校“双减”专题培训，实现家长培训全覆盖",
        "各中小学校",
        "区家庭教育指导中心",
        "区教育督导室",
        "秋季开学前",
    ),
    ("6", "开展优秀作业设计案例评选，汇编作业设计案例集", "区教研室", "各中小学校", "", "12月底前"),
]


def _diagonal(cell) -> None:
    """A top-left to bottom-right line across the cell (Word's 斜线表头), the cell left without text."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    tl2br = OxmlElement("w:tl2br")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
        tl2br.set(qn(key), value)
    borders.append(tl2br)
    tc_pr.append(borders)


def make_v04() -> None:
    doc = Document()
    para(doc, "锦坪区教育局文件", size=22, bold=True, centre=True)
    para(doc, "锦教发〔2026〕5号", size=14, centre=True)
    para(doc, "锦坪区教育局关于印发《锦坪区2026年“双减”工作责任清单》的通知", size=18, bold=True, centre=True)
    para(doc, "各中小学校，局机关各股室，局属各单位：", size=14)
    for text in (
        "　　为持续巩固“双减”工作成果，现将《锦坪区2026年“双减”工作责任清单》印发给你们，请认真抓好落实。",
        "　　一、清单中的“主责单位”对事项负总责，牵头组织实施；“协同单位”按职责分工协同推进；“督导单位”负责对该"
        "事项的落实情况进行跟踪督导，不承担具体实施任务。",
        "　　二、2026年秋季学期于8月31日开学，清单中“秋季开学前”须完成的事项，应在开学前全部落实到位。",
        "　　三、各主责单位于每学期末将事项落实情况书面报局办公室。",
    ):
        para(doc, text, size=14)
    para(doc, "锦坪区教育局", size=14, right=True)
    para(doc, "2026年2月24日", size=14, right=True)
    para(doc, "附件", size=14, bold=True)
    para(doc, "锦坪区2026年“双减”工作责任清单", size=16, bold=True, centre=True)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    head = ("", "工作事项", "主责单位", "协同单位", "督导单位", "完成时限")
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    _diagonal(table.rows[0].cells[0])
    for row in V04_ROWS:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(11)
    doc.save(str(HERE / "v04_jinping_sjzr.docx"))


# ----------------------- v05 (.pdf): a THREE-LINE table, no ruling between rows, every other row SHADED grey

V05_COLS = [("序号", 30.0), ("工作任务", 190.0), ("牵头单位", 84.0), ("责任单位", 100.0), ("完成时限", 66.0)]
V05_ROWS: list[tuple[str, ...]] = [
    ("1", "完成全县42座小型水库除险加固扫尾工程", "县水利局", "县财政局、相关乡镇人民政府", "入汛前"),
    (
        "2",
        "开展地质灾害隐患点汛前排查，更新群测群防员名册",
        "县自然资源局",
        "县应急管理局、各乡镇人民政府",
        "4月10日前",
    ),
    ("3", "修订县级防汛应急预案和山洪灾害防御预案", "县应急管理局", "县水利局、县气象局", "4月底前"),
    (
        "4",
        "储备防汛编织袋5万条、救生衣2000件",
        "县应急管理局",
        "县发展和改革局、县粮食和物资储备中心",
        "入汛前",
    ),
    (
        "5",
        "清理城区排水管网，完成城区易涝点改造6处",
        "县住房和城乡建设局",
        "县城市管理局、城关镇人民政府",
        "5月20日前",
    ),
    ("6", "组织开展防汛应急演练，每个乡镇至少组织1次", "各乡镇人民政府", "县应急管理局、县水利局", "6月底前"),
]


def shaded_table(page: Page, top: float, cols: list[tuple[str, float]], rows: list[tuple[str, ...]]) -> float:
    """A 三线表: a rule above and below the header and one under the last row, no other lines; the 2nd, 4th, …
    rows on a light grey band. Cell text wrapped to the column as cid_pdf wraps it."""
    size, lead, pad, left = 9.5, 13.0, 4.0, 62.0
    xs = [left]
    for _, w in cols:
        xs.append(xs[-1] + w)
    y = top
    page.ops.append("1.2 w")
    page.line(xs[0], y, xs[-1], y)
    page.ops.append("0.6 w")
    for k, body in enumerate([tuple(h for h, _ in cols), *rows]):
        cells = [_wrap(t, w - 2 * pad, size) for t, (_, w) in zip(body, cols, strict=True)]
        h = max(len(c) for c in cells) * lead + 2 * pad
        if k > 0 and k % 2 == 0:
            page.ops.append(f"0.88 g {xs[0]:.2f} {y - h:.2f} {xs[-1] - xs[0]:.2f} {h:.2f} re f 0 g")
        for x, c in zip(xs, cells, strict=False):
            for n, ln in enumerate(c):
                page.text(x + pad, y - pad - size - n * lead, size, ln)
        y -= h
        if k == 0:
            page.line(xs[0], y, xs[-1], y)
    page.ops.append("1.2 w")
    page.line(xs[0], y, xs[-1], y)
    page.ops.append("0.6 w")
    return y


def make_v05() -> None:
    p1 = Page()
    p1.centre(790, 18, "岚溪县防汛抗旱指挥部办公室")
    p1.centre(762, 11, "岚防指办〔2026〕2号")
    p1.centre(735, 15, "关于印发《岚溪县2026年防汛工作重点任务分工》的通知")
    y = prose(p1, 708, "各乡镇人民政府，县防指各成员单位：", indent=False)
    for text in (
        "现将《岚溪县2026年防汛工作重点任务分工》印发给你们，请结合职责认真抓好落实。",
        "一、根据县气象局和县水利局会商意见，我县2026年入汛日期定为4月15日。标注“入汛前”的任务须在入汛日期之前"
        "全部完成。",
        "二、各牵头单位于每周五前将任务进展报县防指办。",
        "三、县委县政府督查室将会同县防指办开展汛前准备工作专项督查，对落实不力的单位予以通报。",
    ):
        y = prose(p1, y, text)
    p1.text(330, y - 28, 11, "岚溪县防汛抗旱指挥部办公室")
    p1.text(380, y - 50, 11, "2026年3月25日")
    p1.centre(45, 10.5, "— 1 —")
    p2 = Page()
    p2.text(50, 790, 12, "附件")
    p2.centre(765, 14, "岚溪县2026年防汛工作重点任务分工")
    shaded_table(p2, 740, V05_COLS, V05_ROWS)
    p2.centre(45, 10.5, "— 2 —")
    write_pdf(HERE / "v05_lanxi_fxrw.pdf", [p1, p2])


# --------------------------- v08 (.xlsx): every task row followed by a "进展情况" row to fill in; a 分管领导 column

V08_ROWS: list[tuple[int, str, str, str, str, str]] = [
    (
        1,
        "榆衡智能装备产业园二期：完成标准厂房建设8万平方米",
        "王志刚（管委会副主任）",
        "规划建设局",
        "经济发展局、招商服务中心",
        "2026年10月底前",
    ),
    (
        2,
        "新能源汽车零部件项目：建成投产，年内实现产值5亿元",
        "王志刚（管委会副主任）",
        "经济发展局",
        "招商服务中心",
        "年底前",
    ),
    (
        3,
        "园区污水处理厂提标改造：出水达到一级A标准",
        "何丽君（管委会副主任）",
        "生态环境分局",
        "规划建设局",
        "2026年第三季度",
    ),
    (
        4,
        "人才公寓一期：交付使用人才公寓600套",
        "何丽君（管委会副主任）",
        "人力资源和社会保障局",
        "规划建设局、财政金融局",
        "9月30日前",
    ),
    (
        5,
        "重点企业“服务专员”制度：为规上企业每家配备服务专员",
        "孙建平（管委会委员）",
        "招商服务中心",
        "各园区办事处",
        "长期坚持",
    ),
    (
        6,
        "园区主干道“三改一拓”：完成滨湖大道拓宽改造3.2公里",
        "孙建平（管委会委员）",
        "规划建设局",
        "财政金融局、滨湖园区办事处",
        "2026年12月31日前",
    ),
]


def make_v08() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "推进台账"
    ws.merge_cells("A1:F1")
    ws["A1"] = "榆衡经济技术开发区2026年重点工作推进台账"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:F2")
    ws["A2"] = "榆衡经济技术开发区管理委员会　榆开管发〔2026〕7号　2026年3月5日　主送：管委会各部门，各园区办事处"
    header = ("序号", "工作任务及年度目标", "分管领导", "牵头部门", "配合部门", "完成时限")
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row=3, column=c, value=text)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
    r = 4
    for row in V08_ROWS:
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value).alignment = WRAP
        r += 1
        ws.cell(row=r, column=2, value="进展情况").alignment = CENTRE
        ws.merge_cells(f"C{r}:F{r}")
        ws.row_dimensions[r].height = 30
        r += 1
    ws.merge_cells(f"A{r}:F{r}")
    ws[f"A{r}"] = (
        "填表说明：每项任务下方的“进展情况”行由牵头部门每季度末填写，填写后报管委会督查考核办；"
        "管委会督查考核办对各项任务推进情况进行跟踪督查，每季度通报一次。"
    )
    ws[f"A{r}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[r].height = 45
    for col, width in zip("ABCDEF", (6, 46, 22, 20, 26, 16), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(str(HERE / "v08_yuheng_zdgz.xlsx"))


if __name__ == "__main__":
    make_v02()
    make_v04()
    make_v05()
    make_v08()
