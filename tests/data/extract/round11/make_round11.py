"""Regenerates the binary documents of the round-11 blind corpus: s03 (.docx), s04 (.xlsx) and s05 (.pdf).
Run: .venv/bin/python tests/data/extract/round11/make_round11.py. The .docx / .xlsx bytes differ on each run (zip
timestamps), their content does not; the PDF is byte-identical. The .txt and .html documents are committed as
written."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py and docx_writer.py, shared by the make scripts
from cid_pdf import Page, prose, ruled_table, write_pdf  # noqa: E402
from docx_writer import para  # noqa: E402

# ---------------------------------------------------------------- s03 (.docx): one small field | value table per task

S03_FIELDS = ("任务编号", "任务名称", "牵头部门", "协同部门", "责任人", "完成标准", "完成时间")
# a str is a heading paragraph between the tables; a tuple is one task, drawn as its own two-column table
S03_BLOCKS: list[str | tuple[str, ...]] = [
    "一、打造高水平专业群",
    (
        "1-1",
        "修订智能制造专业群人才培养方案",
        "教务处",
        "智能制造学院、招生就业处",
        "副院长　韩知秋",
        "新版人才培养方案经学院党委会审定并印发",
        "2026年二季度",
    ),
    (
        "1-2",
        "建设智能制造专业群公共实训基地",
        "资产管理处",
        "智能制造学院、计划财务处",
        "副院长　韩知秋",
        "实训基地建成并通过学院组织的验收",
        "2026年12月20日前（含）",
    ),
    "二、提升师资队伍水平",
    (
        "2-1",
        "实施“双师型”教师培养计划",
        "人事处",
        "教务处、各二级学院",
        "党委副书记　庞思远",
        "年度“双师型”教师认定结果完成公示",
        "上半年",
    ),
    (
        "2-2",
        "选派专业教师赴合作企业开展实践锻炼",
        "人事处",
        "校企合作办公室",
        "党委副书记　庞思远",
        "派出教师完成实践并提交实践总结",
        "2026年8月31日前",
    ),
    "三、深化产教融合",
    (
        "3-1",
        "牵头组建市域产教联合体",
        "校企合作办公室",
        "科研处",
        "院长　温叙白",
        "组建方案获市教育局批复",
        "下半年",
    ),
    (
        "3-2",
        "建设面向中小企业的技术服务平台",
        "科研处",
        "无",
        "院长　温叙白",
        "平台挂牌运行，服务制度印发",
        "年中",
    ),
]


def make_s03() -> None:
    doc = Document()
    para(doc, "澜州职业技术学院文件", size=22, bold=True, centre=True)
    para(doc, "澜职院发〔2026〕5号", size=14, centre=True)
    para(doc, "关于印发《澜州职业技术学院2026年“双高计划”建设任务分解》的通知", size=18, bold=True, centre=True)
    para(doc, "学院各部门、各二级学院：")
    para(
        doc,
        "　　《澜州职业技术学院2026年“双高计划”建设任务分解》已经学院党委会研究同意，现印发给你们，请认真抓好"
        "落实。牵头部门对任务完成负总责，协同部门积极配合；责任人为该任务的分管院领导。学院党政办公室负责任务"
        "推进情况的跟踪督办，每季度通报一次。",
    )
    para(doc, "澜州职业技术学院", right=True)
    para(doc, "2026年2月27日", right=True)
    para(doc, "澜州职业技术学院2026年“双高计划”建设任务分解", size=16, bold=True, centre=True)
    for block in S03_BLOCKS:
        if isinstance(block, str):
            para(doc, block, bold=True)
            continue
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for field, value in zip(S03_FIELDS, block, strict=True):
            cells = table.add_row().cells
            cells[0].text = field
            cells[1].text = value
        para(doc, "")
    doc.save(str(HERE / "s03_lanzhou_sgjs.docx"))


# ---------------------------------------------------------------- s04 (.xlsx): a state enterprise's 台账

S04_HEADER = ("序号", "重点工作", "责任部门", "配合部门", "责任人", "完成标准", "完成时限", "辅助列")
S04_ROWS: list[str | tuple[str, ...]] = [
    "一、投资与建设",
    (
        "1-1",
        "滨江片区安置房项目主体结构封顶",
        "工程管理部",
        "安全质量部",
        "副总经理 卓一凡",
        "6栋住宅主体结构全部封顶并通过分部验收",
        "第三季度末",
        "GC-07",
    ),
    (
        "1-2",
        "推进城北污水处理厂提标改造项目前期工作",
        "投资发展部",
        "工程管理部、财务融资部",
        "副总经理 卓一凡",
        "取得初步设计批复",
        "上半年",
        "TZ-02",
    ),
    (
        "1-3",
        "更新在建项目台账并报集团办公室",
        "工程管理部",
        "",
        "部长 邝楠",
        "台账数据与现场进度一致",
        "每月10日前",
        "GC-11",
    ),
    "二、经营与管理",
    (
        "2-1",
        "盘活闲置商业用房",
        "资产运营部",
        "法务审计部",
        "副总经理 池映雪",
        "闲置商业用房出租率达到90%",
        "12月20日前（含）",
        "ZY-03",
    ),
    (
        "2-2",
        "落实年度融资计划",
        "财务融资部",
        "投资发展部",
        "总会计师 骆亦白",
        "年度融资计划资金全部到位",
        "下半年",
        "CW-01",
    ),
]


def make_s04() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "2026年重点工作台账"
    ws.merge_cells("A1:G1")
    ws["A1"] = "澜江城建投资集团有限公司2026年重点工作任务台账"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:G2")
    ws["A2"] = "编制单位：集团办公室　　　　　　编制日期：2026年2月9日"
    for c, text in enumerate(S04_HEADER, start=1):
        ws.cell(row=3, column=c, value=text).font = Font(bold=True)
    r = 4
    for row in S04_ROWS:
        if isinstance(row, str):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
            ws.cell(row=r, column=1, value=row).font = Font(bold=True)
        else:
            for c, text in enumerate(row, start=1):
                if text:
                    ws.cell(row=r, column=c, value=text).alignment = Alignment(wrap_text=True)
        r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
    ws.cell(
        row=r,
        column=1,
        value="注：1.责任部门为该项工作的牵头部门，配合部门协助落实；2.责任人为分管领导或部门负责人；"
        "3.集团办公室每月对台账完成情况进行跟踪督办。",
    )
    ws.column_dimensions["H"].hidden = True  # the 辅助列 (sort keys of the office's system) is hidden
    for col, width in zip("ABCDEFG", (7, 34, 12, 20, 16, 30, 14), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(str(HERE / "s04_lanjiang_gztz.xlsx"))


# ---------------------------------------------------------------- s05 (.pdf): a deadline beside each unit

S05_COLS = [("序号", 30.0), ("工作任务", 170.0), ("牵头科室", 80.0), ("责任科室（单位）及完成时限", 240.0)]
S05_ROWS = [
    ("1", "修订局机关各科室（中心）安全生产职责清单", "局办公室", "安全管理科（4月底前）、人事科（4月底前）"),
    (
        "2",
        "开展校园消防安全隐患排查整治",
        "安全管理科",
        "各中小学校（6月底前）、各幼儿园（6月底前）、后勤保障中心（9月底前）",
    ),
    ("3", "完成校舍安全鉴定和C级危房加固改造", "计划财务科", "后勤保障中心（8月底前）、各中小学校（10月底前）"),
    ("4", "落实校车安全管理“一车一档”", "安全管理科", "各中小学校（长期坚持）"),
    (
        "5",
        "开展实验室危险化学品专项检查",
        "教育技术装备中心",
        "各中小学校（5月底前）、安全管理科（6月底前）",
    ),
    (
        "6",
        "组织师生安全教育和应急疏散演练",
        "基础教育科",
        "各中小学校（12月20日前（含））、各幼儿园（12月20日前（含））",
    ),
]


def make_s05() -> None:
    p1 = Page()
    p1.centre(790, 20, "汐桥区教育局")
    p1.centre(760, 11, "汐教〔2026〕7号")
    p1.centre(730, 15, "关于印发汐桥区教育系统2026年安全生产“三管三必须”责任分工的通知")
    y = prose(p1, 700, "局机关各科室（中心），各中小学校、幼儿园：", indent=False)
    y = prose(
        p1,
        y,
        "为落实“管行业必须管安全、管业务必须管安全、管生产经营必须管安全”要求，现将《汐桥区教育系统2026年"
        "安全生产“三管三必须”责任分工》印发给你们。表中每个责任科室（单位）后括号内为该科室（单位）完成本项"
        "任务的时限。局安全管理科将适时开展督导检查。",
    )
    p1.text(380, y - 30, 11, "汐桥区教育局")
    p1.text(380, y - 49, 11, "2026年3月5日")
    p1.centre(60, 10.5, "— 1 —")
    p2 = Page()
    p2.text(40, 800, 12, "附件")
    p2.centre(775, 15, "汐桥区教育系统2026年安全生产“三管三必须”责任分工")
    ruled_table(p2, 750, S05_COLS, S05_ROWS)
    p2.centre(60, 10.5, "— 2 —")
    write_pdf(HERE / "s05_xiqiao_aqzr.pdf", [p1, p2])


if __name__ == "__main__":
    make_s03()
    make_s04()
    make_s05()
