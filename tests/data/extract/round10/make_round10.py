"""Regenerates the binary documents of the round-10 blind corpus: r03 (.docx), r04 (.xlsx) and r05 (.pdf).
Run: .venv/bin/python tests/data/extract/round10/make_round10.py. The .docx / .xlsx bytes differ on each run (zip
timestamps), their content does not; the PDF is byte-identical. The .txt and .html documents are committed as
written."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py and docx_writer.py, shared by the make scripts
from cid_pdf import Page, _wrap, prose, write_pdf  # noqa: E402
from docx_writer import para  # noqa: E402

# ---------------------------------------------------------------- r03 (.docx): roles in a table NESTED in a cell

R03_HEADER = ("序号", "工作任务", "责任分工", "完成时限")
# a str row is a heading row merged across the table; a task row's roles are (label, units) pairs, drawn as a
# small two-column table inside the 责任分工 cell
R03_ROWS: list[str | tuple[str, str, list[tuple[str, str]], str]] = [
    "一、道路隐患排查整治",
    (
        "1",
        "开展国省道和县乡道交通安全隐患排查，建立隐患清单并动态更新",
        [("牵头", "县公安局交警大队"), ("配合", "县交通运输局、县应急管理局")],
        "4月底前",
    ),
    (
        "2",
        "完成急弯陡坡、临水临崖路段安防设施建设85公里",
        [("牵头", "县交通运输局"), ("配合", "县财政局、各乡镇人民政府")],
        "2026年第三季度",
    ),
    (
        "3",
        "整治农村公路平交路口120处，增设减速带和警示标志",
        [("牵头", "县交通运输局、县公安局交警大队"), ("配合", "各乡镇人民政府")],
        "2026年11月30日前",
    ),
    "二、重点车辆和驾驶人管理",
    (
        "4",
        "落实“两客一危一货”车辆动态监控，督促运输企业落实主体责任",
        [("牵头", "县交通运输局")],
        "长期坚持",
    ),
    (
        "5",
        "清理逾期未审验、逾期未换证的驾驶人，逐人告知并督促办理",
        [("牵头", "县公安局交警大队"), ("配合", "无")],
        "6月底前",
    ),
    (
        "6",
        "开展农村面包车、电动三轮车违法载人专项整治",
        [("牵头", "各乡镇人民政府"), ("配合", "县公安局交警大队、县农业农村局")],
        "2026年12月31日前",
    ),
]


def make_r03() -> None:
    doc = Document()
    para(doc, "芷坪县安全生产委员会办公室", size=22, bold=True, centre=True)
    para(doc, "芷安办〔2026〕5号", size=14, centre=True)
    para(doc, "关于印发芷坪县2026年道路交通安全隐患治理任务分工的通知", size=18, bold=True, centre=True)
    para(doc, "县安委会各成员单位，各乡镇人民政府：")
    para(
        doc,
        "　　为深入开展道路交通安全隐患治理，遏制较大以上道路交通事故发生，经县安委会同意，现将《芷坪县2026年道路"
        "交通安全隐患治理任务分工》印发给你们，请认真抓好落实。各牵头单位于每月25日前将工作进展报县安委办，"
        "县安委办将适时开展督导检查。",
    )
    para(doc, "芷坪县安全生产委员会办公室", right=True)
    para(doc, "2026年4月3日", right=True)
    para(doc, "附件", bold=True)
    para(doc, "芷坪县2026年道路交通安全隐患治理任务分工", size=16, bold=True, centre=True)
    table = doc.add_table(rows=1, cols=len(R03_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, R03_HEADER, strict=True):
        cell.text = text
    for row in R03_ROWS:
        cells = table.add_row().cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            merged.text = row
            continue
        num, task, roles, due = row
        cells[0].text = num
        cells[1].text = task
        cells[3].text = due
        inner = cells[2].add_table(rows=0, cols=2)
        inner.style = "Table Grid"
        for label, units in roles:
            ic = inner.add_row().cells
            ic[0].text = label
            ic[1].text = units
    para(doc, "注：“责任分工”栏中，“牵头”为牵头单位，“配合”为配合单位。", size=12)
    doc.save(str(HERE / "r03_zhiping_jtaq.docx"))


# ---------------------------------------------------------------- r04 (.xlsx): a whole document in column A

R04_LINES = [
    "榴岙镇人民政府关于印发榴岙镇2026年美丽乡村建设重点任务清单的通知",
    "榴政〔2026〕4号",
    "",
    "各村（社区），镇属各站所：",
    "    现将《榴岙镇2026年美丽乡村建设重点任务清单》印发给你们，请对照清单抓好落实。各责任单位于每月20日前"
    "将上月进展报镇党政办。以上任务由镇督查督办室跟踪督办。",
    "",
    "榴岙镇人民政府",
    "2026年2月24日",
    "",
    "榴岙镇2026年美丽乡村建设重点任务清单",
    "一、村庄环境整治",
    "1.完成8个村生活垃圾分类示范村创建。",
    "责任单位：镇农业农村办（牵头），镇环卫所",
    "包村领导：副镇长 金若愚",
    "完成时限：6月底前",
    "2.拆除危旧房和违章搭建，清理乱堆乱放点位300处。",
    "责任单位：镇综合执法队（牵头），镇村镇建设办，各村（社区）",
    "包村领导：副镇长 金若愚",
    "完成时限：9月底前",
    "3.改造提升农村公厕12座。",
    "责任单位：镇村镇建设办",
    "包村领导：镇人大主席 邬长庚",
    "完成时限：2026年10月中旬",
    "二、产业和文化提升",
    "4.建设上岙村精品民宿集聚区，新增民宿床位150张。",
    "责任单位：镇文旅办（牵头），上岙村",
    "包村领导：副镇长 柯晴",
    "完成时限：2026年12月31日前",
    "5.申报省级历史文化村落保护利用重点村。",
    "责任单位：镇文旅办（牵头），镇党政办，下岙村",
    "包村领导：副镇长 柯晴",
    "完成时限：按县统一部署",
    "6.开展农村人居环境“红黑榜”评比，结果在各村公示栏公布。",
    "责任单位：镇党政办（牵头），各村（社区）",
    "包村领导：党委副书记 詹沐",
    "完成时限：每月25日前",
    "",
    "抄送：县农业农村局，县文化和旅游局。",
    "榴岙镇党政办公室　　2026年2月24日印发",
]


def make_r04() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for r, text in enumerate(R04_LINES, start=1):
        if text:
            ws.cell(row=r, column=1, value=text)
    ws.column_dimensions["A"].width = 120
    wb.save(str(HERE / "r04_liuao_mlxc.xlsx"))


# ---------------------------------------------------------------- r05 (.pdf): a table with NO ruling lines

R05_COLS = [
    ("序号", 30.0),
    ("问题", 120.0),
    ("整改措施", 160.0),
    ("责任领导", 55.0),
    ("责任单位", 85.0),
    ("整改时限", 65.0),
]
# the 序号 and 问题 only on the first row of a problem; the next rows of the same problem leave them empty
R05_ROWS = [
    (
        "1",
        "部分惠农补贴资金发放不及时，个别项目滞留超过半年",
        "全面清查2024年以来各类惠农补贴资金拨付情况，建立问题台账",
        "副区长 严可钧",
        "区财政局（牵头）、区农业农村局",
        "立行立改",
    ),
    ("", "", "完善补贴资金拨付时限管理制度，实行按月调度", "副区长 严可钧", "区财政局", "2026年6月底前"),
    (
        "2",
        "高标准农田建设项目管护责任不落实，部分设施损毁",
        "对2021年以来建成的高标准农田开展管护情况全面排查",
        "副区长 严可钧",
        "区农业农村局",
        "2026年6月30日前",
    ),
    (
        "",
        "",
        "修复损毁的灌排设施，落实村级管护主体和管护经费",
        "副区长 严可钧",
        "区农业农村局（牵头）、区水利局、各镇人民政府",
        "2026年9月30日前",
    ),
    ("", "", "将管护情况纳入镇村年度考核", "副区长 严可钧", "区农业农村局", "6月底前完成，长期坚持"),
    (
        "3",
        "政务服务“好差评”整改回访不到位",
        "建立差评工单限时整改和回访机制，差评整改率达到100%",
        "副区长 宁书瑶",
        "区政务服务中心",
        "长期坚持",
    ),
]


def _r05_table(page: Page, top: float, left: float = 28.0) -> float:
    """The rows as text at fixed column positions, wrapped inside each column, with no line drawn at all."""
    size, lead, gap = 9.0, 12.0, 7.0
    xs = [left]
    for _, w in R05_COLS:
        xs.append(xs[-1] + w)
    y = top
    for body in [tuple(h for h, _ in R05_COLS), *R05_ROWS]:
        cells = [_wrap(t, w - 6, size) if t else [] for t, (_, w) in zip(body, R05_COLS, strict=True)]
        for x, c in zip(xs, cells, strict=False):
            for k, ln in enumerate(c):
                page.text(x, y - k * lead, size, ln)
        y -= max(len(c) for c in cells) * lead + gap
    return y


def make_r05() -> None:
    p1 = Page()
    p1.centre(790, 20, "中共汀兰区人民政府党组")
    p1.centre(760, 11, "汀府党组〔2026〕3号")
    p1.centre(730, 15, "关于印发区委第二巡察组反馈问题整改清单的通知")
    y = prose(p1, 700, "区政府各部门党组（党委）：", indent=False)
    y = prose(
        p1,
        y,
        "区委第二巡察组于2026年3月对区政府党组开展了常规巡察并反馈了意见。现将整改清单印发给你们，请各责任单位"
        "逐项抓好落实。清单中标注“立行立改”的措施，须于2026年4月30日前整改到位；其余措施按清单所列时限完成，"
        "整改工作于2026年9月30日前全面完成。",
    )
    y = prose(
        p1,
        y,
        "各责任单位于每月25日前将整改进展报区政府办公室。区政府督查室负责整改情况的跟踪督办和对账销号。",
    )
    p1.text(360, y - 30, 11, "中共汀兰区人民政府党组")
    p1.text(380, y - 49, 11, "2026年4月8日")
    p1.centre(60, 10.5, "— 1 —")
    p2 = Page()
    p2.text(40, 800, 12, "附件")
    p2.centre(775, 15, "区委第二巡察组反馈问题整改清单", left=28, right=567)
    _r05_table(p2, 745)
    p2.centre(60, 10.5, "— 2 —")
    write_pdf(HERE / "r05_tinglan_xczg.pdf", [p1, p2])


if __name__ == "__main__":
    make_r03()
    make_r04()
    make_r05()
