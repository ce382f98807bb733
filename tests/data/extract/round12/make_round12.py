"""Regenerates the binary documents of the round-12 blind corpus: t01 (.docx), t03 (.pdf), t04 (.xlsx) and
t08 (.docx). Run: .venv/bin/python tests/data/extract/round12/make_round12.py. The .docx / .xlsx bytes differ on
each run (zip timestamps), their content does not; the PDF is byte-identical. The .txt and .html documents are
committed as written."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py and docx_writer.py, shared by the make scripts
from cid_pdf import Page, prose, ruled_table, write_pdf  # noqa: E402
from docx_writer import para  # noqa: E402

# ---------------------------------------------------------------- t01 (.docx): MULTILEVEL automatic numbering

# level 0 "一、" (chineseCounting), level 1 "1." (decimal, restarting after each level-0 paragraph): neither number is
# in the paragraphs' text, Word draws them from numbering.xml
T01_ABSTRACT = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
    '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/>'
    '<w:lvlRestart w:val="1"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
    "</w:abstractNum>"
)
T01_NUM = f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'

# a str is a level-0 heading; a tuple is a level-1 item (its text) and its roles paragraph (indented, unnumbered)
T01_LIST: list[str | tuple[str, str]] = [
    "推进文旅融合发展",
    (
        "编制全省文旅产业高质量发展三年行动计划，报省政府审定后印发实施。",
        "牵头处室：产业发展处；配合处室（单位）：政策法规处；完成时限：2026年6月底前",
    ),
    (
        "新增省级旅游度假区5家，培育一批文旅消费集聚区。",
        "牵头处室：资源开发处；配合处室（单位）：产业发展处、各市（州）文化和旅游局；完成时限：11月底前",
    ),
    (
        "开展A级旅游景区动态复核，对复核不达标的景区依规处理。",
        "牵头处室：资源开发处；配合处室（单位）：各市（州）文化和旅游局；完成时限：第三季度末",
    ),
    "提升公共文化服务效能",
    (
        "建成城市书房100个、乡村文化驿站300个。",
        "牵头处室：公共服务处；配合处室（单位）：财务处、各市（州）文化和旅游局；完成时限：2026年12月31日前",
    ),
    (
        "组织“文化和自然遗产日”全省非遗展演展示活动。",
        "牵头处室：非物质文化遗产处；配合处室（单位）：省非物质文化遗产保护中心；完成时限：6月13日前",
    ),
    (
        "修订全省公共文化服务效能考核评价办法。",
        "牵头处室：政策法规处；配合处室（单位）：无；完成时限：年底前",
    ),
]


def _numbered(doc: Document, text: str, level: int, bold: bool = False) -> None:
    p = para(doc, text, size=16, bold=bold)
    p._p.get_or_add_pPr().insert(
        0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
    )


def make_t01() -> None:
    doc = Document()
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    abstract = parse_xml(T01_ABSTRACT)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(T01_NUM))
    para(doc, "青云省文化和旅游厅文件", size=22, bold=True, centre=True)
    para(doc, "青文旅发〔2026〕9号", size=14, centre=True)
    para(doc, "青云省文化和旅游厅关于印发《2026年重点工作任务分工方案》的通知", size=18, bold=True, centre=True)
    para(doc, "各市（州）文化和旅游局，厅机关各处室，厅直属各单位：")
    para(
        doc,
        "　　《青云省文化和旅游厅2026年重点工作任务分工方案》已经厅党组会议审议通过，现印发给你们，请认真抓好"
        "落实。牵头处室对所牵头任务负总责，配合处室（单位）按职责做好配合。厅督查室每季度对任务落实情况进行"
        "督查，结果在全厅通报。",
    )
    para(doc, "青云省文化和旅游厅", right=True)
    para(doc, "2026年3月10日", right=True)
    para(doc, "青云省文化和旅游厅2026年重点工作任务分工方案", size=16, bold=True, centre=True)
    for block in T01_LIST:
        if isinstance(block, str):
            _numbered(doc, block, 0, bold=True)
            continue
        _numbered(doc, block[0], 1)
        roles = para(doc, block[1], size=14)
        roles.paragraph_format.left_indent = Cm(1.5)
    para(doc, "")
    para(doc, "青云省文化和旅游厅办公室　　　　2026年3月10日印发", size=12)
    doc.save(str(HERE / "t01_qingyun_whly.docx"))


# ---------------------------------------------------------------- t03 (.pdf): header repeated, a row split over pages

T03_COLS = [("序号", 30.0), ("工作任务", 190.0), ("牵头单位", 75.0), ("责任单位", 145.0), ("完成时限", 75.0)]
T03_PAGE1 = [
    (
        "1",
        "开展城镇燃气管道、调压设施和用户端老化隐患全面排查，逐项建立隐患清单和整改责任台账",
        "县住建局",
        "汀岚县天然气有限公司",
        "4月底前",
    ),
    (
        "2",
        "完成城镇老旧燃气管道更新改造12公里",
        "县住建局",
        "县财政局、汀岚县天然气有限公司",
        "2026年11月30日前",
    ),
    (
        "3",
        "开展餐饮场所燃气安全专项检查，督促餐饮经营单位全部安装燃气泄漏报警装置和自动切断装置",
        "县市场监管局",
        "县消防救援大队、县住建局",
        "6月底前",
    ),
    # task 4 starts at the foot of page 1 ...
    ("4", "督促瓶装液化石油气供应企业建立用户信息档案，推行", "县住建局", "县市场监管局、县商务局、", ""),
]
T03_PAGE2 = [
    # ... and goes on at the top of page 2, under the repeated header, with an empty 序号 cell
    ("", "气瓶智能角阀和扫码充装，实现气瓶全程可追溯", "", "各乡镇人民政府", "9月底前"),
    (
        "5",
        "开展燃气安全宣传“进社区、进企业、进校园”活动",
        "县住建局",
        "县教育局、各乡镇人民政府",
        "长期坚持",
    ),
    ("6", "建立燃气安全隐患整治台账，实行销号管理", "县住建局", "各乡镇人民政府", "12月20日前"),
]


def make_t03() -> None:
    p1 = Page()
    p1.centre(790, 18, "汀岚县城镇燃气安全专项整治工作领导小组办公室")
    p1.centre(762, 11, "汀燃整办〔2026〕2号")
    p1.centre(735, 15, "关于印发《汀岚县城镇燃气安全专项整治任务分工》的通知")
    y = prose(p1, 708, "县城镇燃气安全专项整治工作领导小组各成员单位，各乡镇人民政府：", indent=False)
    y = prose(
        p1,
        y,
        "为深入推进城镇燃气安全专项整治，经县城镇燃气安全专项整治工作领导小组同意，现将《汀岚县城镇燃气安全"
        "专项整治任务分工》印发给你们。各牵头单位要细化工作措施，各责任单位要按照职责抓好落实，每月25日前将"
        "工作进展报送领导小组办公室。县政府督查室将对整治任务推进情况开展专项督查。",
    )
    for text in (
        "一、压实整治责任。各乡镇、各有关部门主要负责同志是本地区、本行业燃气安全整治的第一责任人，要亲自部署、"
        "亲自督导，做到排查不留死角、整治不留隐患，对排查发现的问题逐一建立台账、明确整改措施和时限。",
        "二、强化部门协同。住建、市场监管、商务、消防等部门要按照“管行业必须管安全”的要求，加强信息共享和"
        "联合执法，形成监管合力；对拒不整改或整改不到位的经营单位，依法依规严肃查处。",
        "三、做好信息报送。各单位要明确一名联络员，及时报送整治工作中的重要情况，遇有突发事件要第一时间报告，"
        "不得迟报、漏报、瞒报；整治期间，各牵头单位每季度末形成阶段性工作总结，全面梳理任务完成情况、存在问题和下"
        "一步工作打算，经本单位主要负责同志审核后报送领导小组办公室。",
        "四、加强宣传引导。各乡镇、各有关部门要充分利用广播、电视、微信公众号和村（社区）宣传栏等渠道，广泛宣传"
        "燃气安全使用常识和典型事故案例，公布举报电话，鼓励群众举报燃气安全隐患和违法违规经营行为，营造全社会"
        "共同关注燃气安全的良好氛围。",
    ):
        y = prose(p1, y, text)
    p1.text(300, y - 28, 11, "汀岚县城镇燃气安全专项整治工作领导小组办公室")
    p1.text(390, y - 50, 11, "2026年3月18日")
    p1.text(40, y - 96, 12, "附件")
    p1.centre(y - 122, 14, "汀岚县城镇燃气安全专项整治任务分工")
    bottom = ruled_table(p1, y - 138, T03_COLS, T03_PAGE1)
    assert 70 < bottom < 110, bottom  # task 4 is cut by the foot of the page
    p1.centre(45, 10.5, "— 1 —")
    p2 = Page()
    ruled_table(p2, 800, T03_COLS, T03_PAGE2)  # the header row again, then the rest of task 4
    p2.centre(45, 10.5, "— 2 —")
    write_pdf(HERE / "t03_tinglan_rqzz.pdf", [p1, p2])


# ---------------------------------------------------------------- t04 (.xlsx): a 说明 sheet, one sheet per 领域

T04_NOTES = [
    "云禾区2026年区政府工作报告重点任务分解表",
    "文号：云禾政办〔2026〕3号　　印发单位：云禾区人民政府办公室　　印发日期：2026年2月26日",
    "主送：各街道办事处，区政府各部门、各直属单位",
    "填表说明：",
    "1.本表按领域分为“经济发展”“城乡建设”“民生保障”三个工作表，各工作表序号单独编排。",
    "2.“责任单位”栏中带*号的为牵头单位，未带*号的为配合单位。",
    "3.表中单位使用简称：发改—区发展和改革局；工信—区工业和信息化局；自规—区自然资源和规划分局；统计—区统计局；"
    "住建—区住房和城乡建设局；财政—区财政局；交通—区交通运输局；教育—区教育局；卫健—区卫生健康局；"
    "民政—区民政局；各街道—各街道办事处。",
    "4.区政府督查室每季度对任务推进情况进行督查，督查结果在区政府常务会议上通报。",
    "5.各牵头单位于每季度最后一个月的20日前向区政府督查室报送进展情况。",
]
T04_SHEETS: list[tuple[str, list[tuple[str, str, str, str]]]] = [
    (
        "经济发展",
        [
            ("1", "推进云禾智能装备产业园二期建设，完成标准厂房主体工程", "发改*、工信、自规", "2026年10月底前"),
            ("2", "新增规模以上工业企业15家", "工信*、统计、各街道", "年底前"),
        ],
    ),
    (
        "城乡建设",
        [
            ("1", "改造老旧小区28个", "住建*、财政、各街道", "2026年11月底前"),
            ("2", "打通城区断头路3条", "交通*、住建*、自规", "9月底前"),
        ],
    ),
    (
        "民生保障",
        [
            ("1", "新增公办幼儿园学位1200个", "教育*、财政、住建", "8月31日前"),
            ("2", "建设社区嵌入式养老服务中心6个", "民政*、卫健、各街道", "2026年12月20日前"),
        ],
    ),
]


def make_t04() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.column_dimensions["A"].width = 110
    for r, text in enumerate(T04_NOTES, start=1):
        cell = ws.cell(row=r, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True)
        if r == 1:
            cell.font = Font(size=16, bold=True)
    for name, rows in T04_SHEETS:
        sh = wb.create_sheet(name)
        sh.merge_cells("A1:D1")
        sh["A1"] = f"云禾区2026年区政府工作报告重点任务分解表（{name}）"
        sh["A1"].font = Font(size=14, bold=True)
        sh["A1"].alignment = Alignment(horizontal="center")
        for c, text in enumerate(("序号", "重点任务", "责任单位", "完成时限"), start=1):
            sh.cell(row=2, column=c, value=text).font = Font(bold=True)
        for r, row in enumerate(rows, start=3):
            for c, text in enumerate(row, start=1):
                value: str | int = int(text) if c == 1 else text
                sh.cell(row=r, column=c, value=value).alignment = Alignment(wrap_text=True, vertical="center")
        for col, width in zip("ABCD", (7, 46, 26, 16), strict=True):
            sh.column_dimensions[col].width = width
    wb.save(str(HERE / "t04_yunhe_zfgz.xlsx"))


# ---------------------------------------------------------------- t08 (.docx): landscape table, SOFT line breaks

T08_HEADER = ("序号", "工作任务", "牵头部门", "配合部门（单位）", "完成时限", "备注")
# "\n" inside a cell is a soft line break (Shift+Enter, <w:br/>) inside ONE paragraph
T08_ROWS = [
    (
        "1",
        "实施城北水厂深度处理工艺改造",
        "工程建设部",
        "城北水厂\n财务资产部",
        "方案：4月30日前\n完工：10月31日前",
        "列入市民生实事",
    ),
    (
        "2",
        "更新改造老旧供水管网35公里",
        "管网管理部",
        "澄泉管网运维\n有限公司\n工程建设部",
        "2026年\n11月底前",
        "",
    ),
    (
        "3",
        "完成住宅小区二次供水设施统建统管移交接收",
        "客户服务中心",
        "生产运营部\n管网管理部",
        "6月底前",
        "首批40个小区",
    ),
    ("4", "上线智慧水务调度平台二期", "信息中心", "生产运营部\n城南水厂\n城北水厂", "9月30日前", ""),
    ("5", "组织迎峰度夏供水保障应急演练", "安全环保部", "生产运营部\n各子公司", "6月15日前", ""),
    (
        "6",
        "供水管网漏损率控制在9%以下",
        "生产运营部",
        "管网管理部\n澄泉管网运维\n有限公司",
        "12月20日前",
        "集团年度考核指标",
    ),
]


def _cell_text(cell, text: str) -> None:
    """One paragraph, its lines separated by <w:br/> (python-docx writes "\n" in a run as a soft break)."""
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.font.size = Pt(11)


def make_t08() -> None:
    doc = Document()
    para(doc, "澄泉水务集团有限公司", size=22, bold=True, centre=True)
    para(doc, "澄泉水务〔2026〕12号", size=14, centre=True)
    para(doc, "关于印发《2026年供水保障提升工作任务分解表》的通知", size=18, bold=True, centre=True)
    para(doc, "集团各部门，各子公司：")
    para(
        doc,
        "　　现将《澄泉水务集团有限公司2026年供水保障提升工作任务分解表》印发给你们，请牵头部门会同配合部门"
        "（单位）制定推进计划，确保按期完成。集团督查督办室按月跟踪督办，完成情况纳入年度绩效考核。",
    )
    para(doc, "澄泉水务集团有限公司", right=True)
    para(doc, "2026年3月2日", right=True)
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    para(doc, "澄泉水务集团有限公司2026年供水保障提升工作任务分解表", size=16, bold=True, centre=True)
    table = doc.add_table(rows=1, cols=len(T08_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, T08_HEADER, strict=True):
        _cell_text(cell, text)
    for row in T08_ROWS:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _cell_text(cell, text)
    back = doc.add_section()
    back.orientation = WD_ORIENT.PORTRAIT
    back.page_width, back.page_height = back.page_height, back.page_width
    para(doc, "澄泉水务集团有限公司综合办公室　　　　2026年3月2日印发", size=12)
    doc.save(str(HERE / "t08_chengquan_gsbz.docx"))


if __name__ == "__main__":
    make_t01()
    make_t03()
    make_t04()
    make_t08()
