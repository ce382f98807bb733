"""Regenerate the binary documents of the round-5 blind corpus (.pdf, .docx, .xlsx).

Run: `.venv/bin/python tests/data/extract/round5/make_round5.py`. The .txt and .html documents are
committed as written. The .docx and .xlsx bytes differ on each run (zip timestamps), their content
does not. reportlab is not in the venv, so the PDF is written by hand exactly as round4's
make_round4.py does: a Type0 font on the standard Adobe-GB1 CID font STSong-Light with the UniGB-UCS2-H
encoding (not embedded), text in hex UCS-2 strings, ruled tables drawn with line operators.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py, shared by the make scripts
from cid_pdf import Page, _wrap, write_pdf  # noqa: E402
from docx_writer import para  # noqa: E402

# ---------------------------------------------------------------- l07: 督办通知单 forms (.pdf)

L07_FORMS = [
    (
        "加快县城第二水厂建设，确保6月底前通水试运行。",
        "县水利局",
        "县城投集团、县自然资源局",
        "2026年6月30日前",
    ),
    (
        "制定县城区停车收费管理办法，按程序提请县政府常务会议审议。",
        "县发展改革局",
        "县城管局、县公安局交警大队",
        "2026年5月31日前",
    ),
    ("完成东城片区征迁安置房分配方案公示。", "县住建局", "东城街道办事处", "2026年二季度末"),
    ("开展校外培训机构专项治理，建立动态监管台账。", "县教育局", "县市场监管局、县民政局", "长期坚持"),
    ("落实高标准农田建设县级配套资金3200万元。", "县财政局", "县农业农村局", "2026年4月30日前"),
    (
        "完成全县养老机构消防安全隐患整改“清零”，整改隐患点位86处。",
        "县民政局",
        "县消防救援大队",
        "2026年9月底前",
    ),
]
L07_REQ = "每月25日前书面报送办理进展，办结后5个工作日内报送办结报告。"


def _l07_cover() -> Page:
    page = Page()
    page.centre(770, 22, "檀口县人民政府督查室")
    page.centre(740, 18, "督 查 督 办 通 知")
    page.centre(712, 12, "檀府督〔2026〕7号")
    page.line(50, 700, 545, 700)
    page.centre(670, 15, "关于县政府第十五次常务会议议定事项的督办通知")
    y = 635
    lines = [
        "县水利局，县发展改革局，县住建局，县教育局，县财政局，县民政局：",
        "　　为推动县政府第十五次常务会议（2026年4月13日）议定事项落到实处，经县政府领导同意，",
        "现将督办通知单印发给你们。请各主办单位主动对接协办单位，按督办通知单载明的事项和时限",
        "抓好办理，并于每月25日前将办理进展书面报送县政府督查室；逾期未办结的，将按规定予以通报。",
        "",
        "　　附件：督办通知单（共6份）",
    ]
    for s in lines:
        page.text(60, y, 12, s)
        y -= 22
    page.text(380, y - 40, 12, "檀口县人民政府督查室")
    page.text(395, y - 62, 12, "2026年4月15日")
    page.centre(40, 10, "— 1 —")
    return page


def _l07_form(page: Page, top: float, no: int, form: tuple[str, str, str, str]) -> None:
    item, lead, resp, due = form
    page.centre(top, 16, "督 办 通 知 单")
    page.text(360, top - 22, 10.5, f"编号：檀督〔2026〕7-{no}")
    rows = [
        ("督办事项", item),
        ("交办依据", "县政府第十五次常务会议议定事项"),
        ("主办单位", lead),
        ("协办单位", resp),
        ("办结时限", due),
        ("督办要求", L07_REQ),
        ("督办单位", "县政府督查室（联系电话：0000-0000000）"),
    ]
    x0, x1, x2 = 60.0, 140.0, 535.0
    size, lead_h = 11.0, 15.0
    y = top - 32
    page.line(x0, y, x2, y)
    for label, text in rows:
        lines = _wrap(text, x2 - x1 - 10, size)
        h = max(1, len(lines)) * lead_h + 8
        page.text(x0 + 8, y - 14, size, label)
        for i, s in enumerate(lines):
            page.text(x1 + 6, y - 14 - i * lead_h, size, s)
        page.line(x0, y - h, x2, y - h)
        page.line(x0, y, x0, y - h)
        page.line(x1, y, x1, y - h)
        page.line(x2, y, x2, y - h)
        y -= h


def make_l07() -> None:
    pages = [_l07_cover()]
    for k in range(0, len(L07_FORMS), 2):
        page = Page()
        if k == 0:
            page.text(55, 800, 14, "附件")
        _l07_form(page, 770, k + 1, L07_FORMS[k])
        _l07_form(page, 400, k + 2, L07_FORMS[k + 1])
        page.centre(40, 10, f"— {k // 2 + 2} —")
        pages.append(page)
    write_pdf(HERE / "l07_tankou_dbtz.pdf", pages)


# ---------------------------------------------------------------- .docx helpers


# ---------------------------------------------------------------- l03: joint 两办 notice, Word auto numbering

L03_SECTIONS = [
    (
        "一、夯实基层组织体系",
        [
            (
                "推行乡镇党委书记抓基层治理责任清单制度，年内实现全覆盖。",
                [("牵头单位", "县委组织部"), ("协办单位", "县委编办、县民政局（县委社会工委）、各乡镇党委")],
            ),
            (
                "选优配强村（社区）“两委”班子，开展村党组织书记轮训，全年培训不少于300人次。",
                [("牵头单位", "县委组织部"), ("协办单位", "县委党校、各乡镇党委"), ("完成时限", "2026年9月底前")],
            ),
        ],
    ),
    (
        "二、提升基层服务能力",
        [
            (
                "推动乡镇便民服务中心标准化建设，完成16个乡镇便民服务中心改造提升。",
                [
                    ("牵头单位", "县政务服务中心"),
                    ("协办单位", "县财政局、各乡镇人民政府"),
                    ("完成时限", "2026年10月底前"),
                ],
            ),
            (
                "建立村（社区）工作事项准入清单，清理规范村级组织工作事项和挂牌。",
                [("牵头单位", "县民政局"), ("协办单位", "县委组织部、县委编办"), ("完成时限", "2026年6月底前")],
            ),
        ],
    ),
    (
        "三、健全基层治理机制",
        [
            (
                "深化“网格+警格”联动，推行矛盾纠纷多元化解“一站式”服务。",
                [
                    ("牵头单位", "县委政法委"),
                    ("协办单位", "县公安局、县司法局、各乡镇党委"),
                    ("完成时限", "持续推进"),
                ],
            ),
            (
                "建设县级社会工作服务中心和乡镇社会工作站。",
                [("牵头单位", "县民政局（县委社会工委）"), ("完成时限", "2026年12月底前")],
            ),
            (
                "开展“清风村居”专项监督，整治群众身边不正之风和腐败问题。",
                [("牵头单位", "县纪委监委"), ("协办单位", "县委组织部、县农业农村局")],
            ),
        ],
    ),
]


def make_l03() -> None:
    doc = Document()
    para(doc, "中共栎溪县委办公室", size=20, bold=True, centre=True)
    para(doc, "栎溪县人民政府办公室", size=20, bold=True, centre=True)
    para(doc, "栎办发〔2026〕9号", centre=True)
    para(
        doc,
        "中共栎溪县委办公室 栎溪县人民政府办公室关于印发《栎溪县2026年加强基层治理重点任务分解方案》的通知",
        size=18,
        bold=True,
        centre=True,
    )
    para(doc, "各乡镇党委、人民政府，县委各部委，县直各单位：")
    para(
        doc,
        "　　《栎溪县2026年加强基层治理重点任务分解方案》已经县委、县政府同意，现印发给你们，请结合实际认真贯彻落实。"
        "各牵头单位要于每季度最后一个月20日前将工作进展情况报县委督查室、县政府督查室。",
    )
    sign = para(doc, "中共栎溪县委办公室　　栎溪县人民政府办公室")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = para(doc, "2026年3月10日")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_page_break()
    para(doc, "栎溪县2026年加强基层治理重点任务分解方案", size=18, bold=True, centre=True)
    para(
        doc,
        "　　为深入推进基层治理体系和治理能力现代化，结合我县实际，现将2026年加强基层治理重点任务分解如下。",
    )
    for heading, items in L03_SECTIONS:
        para(doc, heading, bold=True)
        for text, fields in items:
            # Word's automatic numbering (style List Number): "1." is displayed, not in the text
            para(doc, text, style="List Number")
            for label, value in fields:
                para(doc, f"　　{label}：{value}")
    para(doc, "四、工作要求", bold=True)
    para(
        doc,
        "　　各乡镇、各部门要把加强基层治理摆上重要议事日程，主要负责同志亲自抓，分管负责同志具体抓，"
        "确保各项任务按时保质完成。县委督查室、县政府督查室将适时开展专项督查。",
    )
    doc.save(str(HERE / "l03_lixi_jczl.docx"))


# ---------------------------------------------------------------- l04: bureau-internal table, horizontal merges

L04_HEAD = ("序号", "工作任务", "分管局领导", "牵头科室", "责任科室（单位）", "完成时间")
L04_ROWS: list[tuple[str, ...]] = [
    ("一、深入打好污染防治攻坚战",),
    (
        "1",
        "完成细颗粒物（PM2.5）年均浓度控制在30微克/立方米以内的年度目标",
        "韩建军",
        "大气环境科",
        "市环境监测站、执法支队",
        "2026.12",
    ),
    ("2", "推进城市建成区黑臭水体动态清零，完成入河排污口整治45个", "韩建军", "水生态环境科", None, "2026.09.30"),
    ("3", "完成土壤污染重点监管单位隐患排查“回头看”", "周丽萍", "土壤生态环境科", "固体废物与化学品科", "2026.6"),
    ("二、提升生态环境治理能力",),
    ("4", "开展生态环境执法“双随机、一公开”检查，实现重点排污单位全覆盖", "周丽萍", "执法支队", None, "全年"),
    ("5", "建成全市生态环境监测数据共享平台", "韩建军", "科技与财务科", "市环境监测站、办公室", "2026.10"),
    (
        "6",
        "完成第二轮中央生态环境保护督察反馈问题年度整改任务",
        "陈立新",
        "督察办",
        "各相关科室（单位）",
        "2026.11.30",
    ),
]


def make_l04() -> None:
    doc = Document()
    para(doc, "琅峰市生态环境局", size=20, bold=True, centre=True)
    para(doc, "琅环发〔2026〕2号", centre=True)
    para(doc, "关于印发《琅峰市生态环境局2026年工作要点任务分解表》的通知", size=18, bold=True, centre=True)
    para(doc, "局机关各科室、局属各单位：")
    para(
        doc,
        "　　经局党组会议研究同意，现将《琅峰市生态环境局2026年工作要点任务分解表》印发给你们。"
        "各牵头科室对牵头任务负总责，于每月最后一个工作日前将推进情况报局办公室，由局办公室汇总后报局党组。",
    )
    sign = para(doc, "琅峰市生态环境局")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = para(doc, "2026年2月12日")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para(doc, "附件", bold=True)
    para(doc, "琅峰市生态环境局2026年工作要点任务分解表", size=16, bold=True, centre=True)
    table = doc.add_table(rows=1, cols=len(L04_HEAD))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, L04_HEAD, strict=True):
        cell.text = text
    for row in L04_ROWS:
        cells = table.add_row().cells
        if len(row) == 1:
            merged = cells[0].merge(cells[-1])
            merged.text = row[0]
            continue
        for i, value in enumerate(row):
            if value is not None:
                cells[i].text = value
        if row[4] is None:
            # one 科室 does the whole task: its cell spans 牵头科室 and 责任科室（单位）
            merged = cells[3].merge(cells[4])
            merged.text = row[3]
    doc.save(str(HERE / "l04_langfeng_gzyd.docx"))


# ---------------------------------------------------------------- xlsx helpers


def _cache_formulas(path: Path, values: dict[str, dict[str, str]]) -> None:
    """Give formula cells the cached value Excel stores, since openpyxl writes none.

    `values` maps a sheet part name (xl/worksheets/sheet1.xml) to {cell ref: value}.
    """
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in values:
                xml = data.decode("utf-8")
                for ref, value in values[info.filename].items():
                    pattern = re.compile(rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?')
                    xml, n = pattern.subn(lambda m, v=value: f"{m.group(1)}<f>{m.group(2)}</f><v>{v}</v>", xml)
                    assert n == 1, (ref, n)
                data = xml.encode("utf-8")
            dst.writestr(info, data)
    tmp.replace(path)


# ---------------------------------------------------------------- l05: 代表建议 交办表 (.xlsx)

L05_ROWS = [
    (
        "第0008号",
        "关于加快城区停车场建设的建议",
        "杨光明",
        "县住建局",
        "县自然资源局、县公安局交警大队",
        dt.date(2026, 6, 30),
    ),
    ("第0015号", "关于改善西河片区农村饮水安全的建议", "何秀兰", "县水利局", "县卫生健康局", dt.date(2026, 6, 30)),
    ("第0023号", "关于增设城乡公交线路的建议", "罗庆丰", "县交通运输局、县公交公司", None, dt.date(2026, 5, 31)),
    ("第0031号", "关于加强中小学校园食品安全监管的建议", "唐雪梅", "县市场监管局", "县教育局", dt.date(2026, 6, 30)),
    (
        "第0042号",
        "关于扶持茶叶产业品牌建设的建议",
        "苏振华",
        "县农业农村局",
        "县商务局、县财政局",
        dt.date(2026, 8, 31),
    ),
    (
        "第0057号",
        "关于规范城区夜间施工噪声管理的建议",
        "彭　丽",
        "县生态环境局",
        "县住建局、县城管局",
        dt.date(2026, 6, 30),
    ),
]


def make_l05() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "交办表"
    ws["A1"] = "附件"
    ws.merge_cells("A2:G2")
    ws["A2"] = "湄坞县第十八届人民代表大会第五次会议代表建议交办表"
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A3:G3")
    ws["A3"] = "湄坞县人民政府办公室　　　　2026年3月20日"
    ws["A3"].alignment = Alignment(horizontal="right")
    header = ("序号", "建议编号", "建议标题", "领衔代表", "主办单位", "协办单位", "办结时限")
    for col, text in enumerate(header, start=1):
        c = ws.cell(row=4, column=col, value=text)
        c.font = Font(bold=True)
    cached: dict[str, str] = {}
    for i, (no, title, person, lead, resp, due) in enumerate(L05_ROWS):
        r = 5 + i
        ws.cell(row=r, column=1, value="=ROW()-4")
        cached[f"A{r}"] = str(i + 1)
        ws.cell(row=r, column=2, value=no)
        ws.cell(row=r, column=3, value=title)
        ws.cell(row=r, column=4, value=person)
        ws.cell(row=r, column=5, value=lead)
        ws.cell(row=r, column=6, value=resp)
        c = ws.cell(row=r, column=7, value=due)
        c.number_format = 'yyyy"年"m"月"d"日"'
    last = 4 + len(L05_ROWS)
    ws.merge_cells(start_row=last + 2, start_column=1, end_row=last + 2, end_column=7)
    ws.cell(
        row=last + 2,
        column=1,
        value="注：1.办结时限为书面答复代表的最后期限。2.涉及多个承办单位的，由主办单位牵头办理并统一答复代表，"
        "协办单位应于主办单位办结时限前30日将协办意见函告主办单位。3.第0042号为县政府领导领衔督办建议。",
    ).alignment = Alignment(wrap_text=True)
    ws.freeze_panes = "A5"
    ws.auto_filter.ref = f"A4:G{last}"
    for col, width in zip("ABCDEFG", (6, 11, 40, 10, 24, 30, 16), strict=True):
        ws.column_dimensions[col].width = width
    path = HERE / "l05_meiwu_jyjb.xlsx"
    wb.save(str(path))
    _cache_formulas(path, {"xl/worksheets/sheet1.xml": cached})


# ---------------------------------------------------------------- l06: 重点项目 计划表 (.xlsx)

L06_ROWS: list[tuple] = [  # type: ignore[type-arg]
    ("一、产业项目（3个）",),
    (
        "砚川新材料产业园二期",
        "新建标准化厂房8万平方米及配套设施",
        52000,
        18000,
        dt.datetime(2025, 9, 1),
        dt.datetime(2026, 12, 1),
        "县工信局",
        "砚川经开区管委会",
        "赵文斌",
    ),
    (
        "年产3万吨竹木精深加工项目",
        "新建竹木精深加工生产线4条",
        26000,
        12000,
        dt.datetime(2026, 4, 1),
        dt.datetime(2027, 6, 1),
        "县林业局",
        "砚川竹业发展有限公司",
        "赵文斌",
    ),
    (
        "砚川冷链物流中心",
        "新建冷库5万立方米及分拣配送中心",
        15000,
        15000,
        dt.datetime(2026, 3, 1),
        dt.datetime(2026, 11, 1),
        "县商务局",
        "县供销集团",
        "孙海涛",
    ),
    ("二、基础设施项目（2个）",),
    (
        "砚川至石门二级公路改建工程",
        "改建二级公路21公里",
        68000,
        25000,
        dt.datetime(2025, 6, 1),
        dt.datetime(2026, 10, 1),
        "县交通运输局",
        "县交投公司",
        "孙海涛",
    ),
    (
        "城西片区供水管网改造工程",
        "改造供水管网36公里",
        9800,
        9800,
        "续建",
        dt.datetime(2026, 9, 1),
        "县水利局",
        "县城投集团、县自来水公司",
        "李晓红",
    ),
    ("三、社会民生项目（1个）",),
    (
        "县人民医院内科综合楼",
        "新建内科综合楼3.2万平方米",
        31000,
        14000,
        dt.datetime(2025, 11, 1),
        dt.datetime(2027, 12, 1),
        "县卫生健康局",
        "县人民医院",
        "李晓红",
    ),
]


def make_l06() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "2026年县级重点项目"
    ws["A1"] = "附件1"
    ws.merge_cells("A2:J2")
    ws["A2"] = "砚川县2026年县级重点项目建设计划表"
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A3:J3")
    ws["A3"] = "印发单位：砚川县重大项目建设服务中心　　　　　　　印发日期：2026年2月28日"
    # two header rows: 投资（万元） over 总投资 | 2026年计划投资, 时间节点 over 开工时间 | 竣工时间
    top = {
        1: "序号",
        2: "项目名称",
        3: "建设内容及规模",
        4: "投资（万元）",
        6: "时间节点",
        8: "行业主管部门",
        9: "建设单位",
        10: "包抓县领导",
    }
    for col, text in top.items():
        ws.cell(row=4, column=col, value=text).font = Font(bold=True)
    for col in (1, 2, 3, 8, 9, 10):
        ws.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
    ws.merge_cells("D4:E4")
    ws.merge_cells("F4:G4")
    for col, text in {4: "总投资", 5: "2026年计划投资", 6: "开工时间", 7: "竣工时间"}.items():
        ws.cell(row=5, column=col, value=text).font = Font(bold=True)
    r = 6
    no = 0
    first_data = r
    for row in L06_ROWS:
        if len(row) == 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=10)
            ws.cell(row=r, column=1, value=row[0]).font = Font(bold=True)
            r += 1
            continue
        no += 1
        ws.cell(row=r, column=1, value=no)
        for col, value in enumerate(row, start=2):
            c = ws.cell(row=r, column=col, value=value)
            if isinstance(value, dt.datetime):
                c.number_format = 'yyyy"年"m"月"'
            elif isinstance(value, int):
                c.number_format = "#,##0"
        r += 1
    last = r - 1
    ws.cell(row=r, column=1, value="合计")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    ws.cell(row=r, column=4, value=f"=SUM(D{first_data}:D{last})").number_format = "#,##0"
    ws.cell(row=r, column=5, value=f"=SUM(E{first_data}:E{last})").number_format = "#,##0"
    totals = [sum(row[2] for row in L06_ROWS if len(row) > 1), sum(row[3] for row in L06_ROWS if len(row) > 1)]
    for col, width in zip("ABCDEFGHIJ", (6, 28, 34, 10, 14, 11, 11, 14, 24, 12), strict=True):
        ws.column_dimensions[col].width = width
    path = HERE / "l06_yanchuan_zdxm.xlsx"
    wb.save(str(path))
    _cache_formulas(path, {"xl/worksheets/sheet1.xml": {f"D{r}": str(totals[0]), f"E{r}": str(totals[1])}})


def main() -> None:
    make_l03()
    make_l04()
    make_l05()
    make_l06()
    make_l07()


if __name__ == "__main__":
    main()
