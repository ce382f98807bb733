"""Regenerate the non-plain-text documents of the real-layout corpus (committed, so the tests need no writer).

reportlab is NOT a project dependency: run this with a throwaway environment,

    python3 -m venv /tmp/rl-venv && /tmp/rl-venv/bin/pip install reportlab python-docx openpyxl
    /tmp/rl-venv/bin/python tests/data/extract/real/make_real.py

- r07_hexi_rjhj.html: a county government web page (政府信息公开 metadata table, notice, two task tables): table 1
  has a two-row header whose 责任分工 cell spans 牵头单位/责任单位 (colspan), category rows spanning the whole table
  (colspan), a 牵头单位 cell spanning three rows and a 完成时限 cell spanning two (rowspan); table 2 (附件2) starts
  its 序号 again at 1 and has no category rows;
- r08_jinping_whly.docx: a district notice whose own 一、二、三 are reporting rules, then a Word table whose 类别
  column is merged vertically over each group and whose 牵头单位 is merged vertically over several rows;
- r09_shuangqiao_nyxd.pdf: a county's 任务分工 as a ruled table running over two pages (the header is NOT repeated on
  page 2), heading rows spanning the table, cells wrapped over several lines;
- r10_taoling_xczx.xlsx: a workbook whose tasks are on two sheets (产业振兴, 生态宜居), each with its own header and
  序号 starting at 1; the notice header (title, issuer, date) is on the first sheet only;
- r23_beiling_zfgzbg.docx: a long Word table (25 tasks) 序号 | 重点任务 | 责任单位 | 牵头单位 | 完成时限 | 备注 with the
  责任单位 column BEFORE 牵头单位, heading rows merged across the table, a 备注 column (省考指标 …), and cells of two
  paragraphs;
- r26_huaxi_zdgz.xlsx: a county's 重点工作任务 sheet: an 附件 cell, merged title and issuer/文号/date rows, header
  序号 | 工作任务 | 牵头县领导 | 主要责任单位 | 其他责任单位 | 完成时限, category rows merged across the sheet, the
  牵头县领导 (people) merged over rows, one 完成时限 stored as an Excel date, an empty 其他责任单位, and a 注 row under
  the table saying which column leads;
- r27_pingchuan_aqsc.pdf: a one-page ruled 责任清单 序号 | 重点任务 | 责任单位 | 完成时限 whose 责任单位 cells mark the
  lead with "（牵头）";
- r12_xiangshan_zfgzbg.html: a 政府工作报告 分工 page whose table has a 责任领导 column (people) merged over rows,
  a 牵头单位 merged over rows, and a 完成时限 column.

Document properties are fixed, so running this again gives the same text, tables and merges.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2025, 3, 1, 9, 0, 0)

# ------------------------------------------------------------------ r07 (.html)

R07_TABLE1 = [
    # a str is a category row; a row is (序号, 重点任务, 牵头单位, 责任单位, 完成时限); None: covered by a rowspan above
    "一、农村生活垃圾治理",
    (
        "1",
        "完善“户分类、村收集、镇转运、县处理”收运体系，实现行政村全覆盖",
        "县城管局",
        "各乡镇人民政府",
        "2024年6月底前",
    ),
    ("2", "新建乡镇垃圾转运站3座", None, "县财政局、相关乡镇人民政府", "2024年10月底前"),
    ("3", "开展农村生活垃圾分类示范村创建，创建示范村20个", None, "县农业农村局、各乡镇人民政府", None),
    "二、农村生活污水治理",
    ("4", "完成15个行政村生活污水治理", "县生态环境分局", "县住建局、相关乡镇人民政府", "2024年11月底前"),
    ("5", "开展农村黑臭水体排查整治", "县生态环境分局", "县水利局、县农业农村局", "持续推进"),
    "三、农村厕所革命",
    ("6", "新改建农村卫生户厕2500户", "县农业农村局", "县卫生健康局、各乡镇人民政府", "2024年9月底前"),
    ("7", "建立农村厕所长效管护机制", "县农业农村局", "各乡镇人民政府", "长期坚持"),
]
# the 完成时限 of row 3 is covered by row 2's cell (rowspan 2)
R07_TABLE2 = [
    ("1", "禾溪镇集镇污水管网延伸工程", "县住建局", "禾溪镇人民政府", "2024年8月底前"),
    ("2", "青石乡垃圾中转站建设", "县城管局", "青石乡人民政府", "2024年10月底前"),
    ("3", "县域农村厕所粪污资源化利用站", "县农业农村局", "县生态环境分局", "2024年12月底前"),
    ("4", "白马村美丽乡村示范点建设", "县农业农村局", "白马镇人民政府、县文旅局", "2024年12月底前"),
]

R07_HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8">
<title>禾溪县人民政府办公室关于印发禾溪县2024年农村人居环境整治提升重点任务分工的通知</title></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<table class="meta">
<tr><td>索引号：</td><td>HXX-2024-00312</td><td>发布机构：</td><td>禾溪县人民政府办公室</td></tr>
<tr><td>发文字号：</td><td>禾政办发〔2024〕11号</td><td>发布日期：</td><td>2024-04-03</td></tr>
<tr><td>主题分类：</td><td>城乡建设、环境保护</td><td>有效性：</td><td>有效</td></tr>
</table>
<h1>禾溪县人民政府办公室关于印发禾溪县2024年农村人居环境整治提升重点任务分工的通知</h1>
<div class="content">
<p style="text-align:center">禾政办发〔2024〕11号</p>
<p>各乡镇人民政府，县政府各部门：</p>
<p>　　《禾溪县2024年农村人居环境整治提升重点任务分工》已经县政府同意，现印发给你们，请认真抓好落实。</p>
<p style="text-align:right">禾溪县人民政府办公室</p>
<p style="text-align:right">2024年4月1日</p>
<p>附件1</p>
<p style="text-align:center"><strong>禾溪县2024年农村人居环境整治提升重点任务分工表</strong></p>
"""


def _cell(text: str, **attrs: int) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"<td{extra}>{html.escape(text)}</td>"


def r07_html() -> str:
    out = [R07_HEAD, '<table border="1" cellspacing="0">']
    out.append(
        "<tr>"
        + _cell("序号", rowspan=2)
        + _cell("重点任务", rowspan=2)
        + _cell("责任分工", colspan=2)
        + _cell("完成时限", rowspan=2)
        + "</tr>"
    )
    out.append("<tr>" + _cell("牵头单位") + _cell("责任单位") + "</tr>")
    for row in R07_TABLE1:
        if isinstance(row, str):
            out.append("<tr>" + _cell(row, colspan=5) + "</tr>")
            continue
        no, task, lead, resp, due = row
        cells = [_cell(no), _cell(task)]
        if no == "1":
            cells.append(_cell(lead, rowspan=3))
        elif lead is not None:
            cells.append(_cell(lead))
        cells.append(_cell(resp))
        if no == "2":
            cells.append(_cell(due, rowspan=2))
        elif due is not None:
            cells.append(_cell(due))
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    out.append("<p>附件2</p>")
    out.append('<p style="text-align:center"><strong>禾溪县2024年农村人居环境整治提升重点项目表</strong></p>')
    out.append('<table border="1" cellspacing="0">')
    out.append("<tr>" + "".join(_cell(h) for h in ("序号", "项目名称", "牵头单位", "配合单位", "完成时限")) + "</tr>")
    for row in R07_TABLE2:
        out.append("<tr>" + "".join(_cell(c) for c in row) + "</tr>")
    out.append("</table>")
    out.append("<p>抄送：县委办公室，县人大常委会办公室，县政协办公室。</p>")
    out.append("</div>")
    out.append(
        '<div class="footer">主办：禾溪县人民政府办公室　　<a href="#">打印本页</a>　<a href="#">关闭窗口</a></div>'
    )
    out.append("</body>\n</html>\n")
    return "\n".join(out)


# ------------------------------------------------------------------ r12 (.html)

R12_ROWS = [
    # (序号, 重点工作, 责任领导, 牵头单位, 责任单位, 完成时限); None: covered by a rowspan above
    ("1", "地区生产总值增长6%以上", "周建华", "区发展和改革局", "区统计局、各镇街", "2025年12月底前"),
    ("2", "固定资产投资增长8%", None, None, "区住房和城乡建设局、区自然资源分局", "2025年12月底前"),
    ("3", "社会消费品零售总额增长7%", "孙晓梅", "区商务局", "区统计局", "2025年12月底前"),
    ("4", "举办“湘山消费季”系列促消费活动30场以上", None, None, "区文化广电旅游体育局、各镇街", "2025年10月底前"),
    ("5", "新增城镇就业5000人", None, "区人力资源和社会保障局", "各镇街", "2025年11月底前"),
    ("6", "建成区级综合养老服务中心2个", "吴国庆", "区民政局", "区卫生健康局", "2025年9月底前"),
    ("7", "实施中小学校舍改造工程12个", None, "区教育局", "区财政局、区住房和城乡建设局", "2025年8月31日前"),
    ("8", "完成湘江沿岸生态修复5公里", "周建华", "区生态环境分局", "区水利局、区林业局", "2025年12月底前"),
]
R12_SPANS = {("1", 2): 2, ("1", 3): 2, ("3", 2): 3, ("3", 3): 2, ("6", 2): 2}  # (序号, column) → rowspan

R12_HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>湘山区2025年政府工作报告重点工作责任分工</title></head>
<body>
<div class="crumb">当前位置：首页 &gt; 信息公开 &gt; 通知公告</div>
<h2>湘山区人民政府关于印发2025年政府工作报告重点工作责任分工的通知</h2>
<div class="info">来源：湘山区人民政府　　发布时间：2025-02-17 10:20　　浏览次数：386</div>
<div class="article">
<p style="text-align:center">湘政发〔2025〕2号</p>
<p>各镇人民政府、街道办事处，区政府各部门、各直属机构：</p>
<p>　　现将2025年区政府工作报告确定的重点工作责任分工印发给你们，请认真抓好落实。
各牵头单位要于每季度最后一个月的25日前，将工作推进情况报区政府督查室。</p>
<p style="text-align:right">湘山区人民政府</p>
<p style="text-align:right">2025年2月14日</p>
<table border="1">
<tr><th>序号</th><th>重点工作</th><th>责任领导</th><th>牵头单位</th><th>责任单位</th><th>完成时限</th></tr>
"""


def r12_html() -> str:
    out = [R12_HEAD]
    for row in R12_ROWS:
        cells = []
        for col, text in enumerate(row):
            if text is None:
                continue
            span = R12_SPANS.get((row[0], col))
            cells.append(_cell(text, rowspan=span) if span else _cell(text))
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    out.append("</div>\n</body>\n</html>\n")
    return "\n".join(out)


# ------------------------------------------------------------------ r08 (.docx)

R08_NOTICE = [
    ("title", "金坪区人民政府办公室关于印发金坪区2024年文化旅游融合发展重点任务分工的通知"),
    ("center", "金政办〔2024〕6号"),
    ("plain", "各街道办事处，区政府各部门，各有关单位："),
    (
        "indent",
        "《金坪区2024年文化旅游融合发展重点任务分工》已经区政府同意，现印发给你们，并就有关事项通知如下：",
    ),
    ("indent", "一、提高思想认识。各单位要把文旅融合发展摆上重要议事日程，主要负责同志亲自研究部署。"),
    (
        "indent",
        "二、细化工作举措。各牵头单位要对照分工制定具体推进方案，于2024年3月20日前报区文化和旅游局备案。",
    ),
    (
        "indent",
        "三、按时报送进展。请各牵头单位于每季度末月25日前将任务进展情况报送区文化和旅游局，区文化和旅游局汇总后报区政府。",
    ),
    ("right", "金坪区人民政府办公室"),
    ("right", "2024年3月8日"),
    ("title", "金坪区2024年文化旅游融合发展重点任务分工"),
]
R08_HEADER = ("类别", "序号", "重点任务", "牵头单位", "责任单位", "完成时限")
R08_ROWS = [
    # (类别, 序号, 重点任务, 牵头单位, 责任单位, 完成时限); None in 类别/牵头单位: merged with the cell above
    (
        "景区提质",
        "1",
        "推动金坪山景区创建国家4A级旅游景区",
        "区文化和旅游局",
        "金坪山街道办事处、区自然资源局",
        "2024年11月底前",
    ),
    (None, "2", "完成古镇游客服务中心改造提升", None, "区住房城乡建设局", "2024年8月底前"),
    (None, "3", "实施景区智慧化改造，上线“一部手机游金坪”平台", None, "区大数据中心", "2024年10月底前"),
    ("业态培育", "4", "培育夜间文旅消费集聚区2个", "区商务局", "区文化和旅游局、各街道办事处", "2024年9月底前"),
    (None, "5", "举办金坪文化旅游节等节会活动", "区文化和旅游局", "区委宣传部、各街道办事处", "2024年10月底前"),
    (None, "6", "发展乡村民宿，新增精品民宿30家", None, "区农业农村局、各街道办事处", "2024年12月底前"),
    ("要素保障", "7", "设立文旅产业发展专项资金", "区财政局", "区文化和旅游局", "2024年6月底前"),
    (None, "8", "开展文旅人才培训1000人次", "区人力资源社会保障局", "区文化和旅游局", "持续推进"),
]


def _docx_paragraph(doc, text: str, style: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(16 if style == "title" else 12)
    if style in ("title", "center"):
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif style == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif style == "indent":
        p.paragraph_format.first_line_indent = Pt(24)


def _merge_down(table, col: int, values: list[str | None]) -> None:
    """Merge each non-empty cell of column col with the None cells below it (a vertical merge)."""
    start = None
    for i, value in enumerate([*values, "end"]):
        if value is None:
            continue
        if start is not None and i - 1 > start:
            table.cell(start + 1, col).merge(table.cell(i, col))
        start = i


def r08_docx(path: Path) -> None:
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.author = "金坪区人民政府办公室"
    props.title = "金坪区2024年文化旅游融合发展重点任务分工"
    props.created = FIXED
    props.modified = FIXED
    props.last_modified_by = "金坪区人民政府办公室"
    props.revision = 1
    for style, text in R08_NOTICE:
        _docx_paragraph(doc, text, style)
    table = doc.add_table(rows=1 + len(R08_ROWS), cols=len(R08_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, R08_HEADER, strict=True):
        cell.text = text
    for r, row in enumerate(R08_ROWS, start=1):
        for c, text in enumerate(row):
            if text is not None:
                table.cell(r, c).text = text
    _merge_down(table, 0, [row[0] for row in R08_ROWS])
    _merge_down(table, 3, [row[3] for row in R08_ROWS])
    _docx_paragraph(doc, "", "plain")
    _docx_paragraph(doc, "金坪区人民政府办公室　　　　　　2024年3月8日印发", "plain")
    doc.save(path)


# ------------------------------------------------------------------ r23 (.docx)

R23_NOTICE = [
    ("title", "北岭市人民政府关于分解落实2025年政府工作报告重点任务的通知"),
    ("center", "北政发〔2025〕3号"),
    ("plain", "各区（县）人民政府，北岭高新区管委会，市政府各部门："),
    (
        "indent",
        "为确保市十七届人大四次会议审议通过的《政府工作报告》确定的各项任务落到实处，现将重点任务分解如下，"
        "请各牵头单位会同责任单位认真抓好落实。",
    ),
    ("right", "北岭市人民政府"),
    ("right", "2025年2月10日"),
    ("title", "北岭市2025年政府工作报告重点任务分解表"),
]
R23_HEADER = ("序号", "重点任务", "责任单位", "牵头单位", "完成时限", "备注")
R23_ROWS: list[tuple[str, str, str, str, str, str] | str] = [
    "一、主要预期目标",
    ("1", "地区生产总值增长6%左右", "市统计局\n各区（县）人民政府", "市发展改革委", "2025年12月底前", "省考指标"),
    ("2", "规模以上工业增加值增长7%", "各区（县）人民政府", "市工业和信息化局", "2025年12月底前", "省考指标"),
    ("3", "固定资产投资增长8%", "市住房城乡建设局\n市自然资源和规划局", "市发展改革委", "2025年12月底前", ""),
    ("4", "社会消费品零售总额增长6.5%", "市统计局", "市商务局", "2025年12月底前", ""),
    ("5", "城镇调查失业率控制在5.5%以内", "市统计局", "市人力资源社会保障局", "2025年12月底前", ""),
    "二、稳增长扩内需",
    ("6", "谋划储备重大项目300个", "各区（县）人民政府", "市发展改革委", "2025年6月底前", ""),
    ("7", "争取超长期特别国债和专项债券资金", "市发展改革委", "市财政局", "2025年10月底前", ""),
    ("8", "举办“北岭购物季”等促消费活动", "市文化旅游局、各区（县）人民政府", "市商务局", "2025年11月底前", ""),
    ("9", "推进汽车、家电以旧换新", "市财政局", "市商务局", "持续推进", ""),
    ("10", "开工建设保障性住房1200套", "市财政局、市自然资源和规划局", "市住房城乡建设局", "2025年9月底前", ""),
    "三、产业转型升级",
    ("11", "新增规模以上工业企业80家", "各区（县）人民政府", "市工业和信息化局", "2025年12月底前", ""),
    ("12", "实施技术改造项目150个", "市财政局", "市工业和信息化局", "2025年12月底前", ""),
    ("13", "培育国家级专精特新“小巨人”企业5家", "市科技局", "市工业和信息化局", "2025年11月底前", ""),
    ("14", "建设北岭算力中心一期", "北岭高新区管委会", "市大数据局", "2025年12月底前", ""),
    ("15", "新增国家高新技术企业100家", "市税务局", "市科技局", "2025年12月底前", "省考指标"),
    "四、深化改革开放",
    ("16", "深化国有企业改革，完成市属国企重组整合", "市财政局", "市国资委", "2025年8月底前", ""),
    ("17", "推进“高效办成一件事”，新增事项10个", "市直有关部门", "市政务服务局", "2025年10月底前", ""),
    ("18", "外贸进出口总额增长5%", "北岭海关", "市商务局", "2025年12月底前", ""),
    ("19", "开通国际货运班列50列", "市交通运输局", "北岭国际陆港公司", "2025年12月底前", ""),
    "五、保障改善民生",
    ("20", "城镇新增就业4万人", "各区（县）人民政府", "市人力资源社会保障局", "2025年12月底前", ""),
    ("21", "新建改扩建中小学、幼儿园15所", "市住房城乡建设局", "市教育局", "2025年8月31日前", ""),
    ("22", "建成市第二人民医院新院区", "市住房城乡建设局", "市卫生健康委", "2025年12月底前", ""),
    ("23", "新增养老机构床位1000张", "各区（县）人民政府", "市民政局", "2025年11月底前", ""),
    ("24", "完成农村供水工程提质改造", "各区（县）人民政府", "市水务局", "2025年10月底前", ""),
    ("25", "开展安全生产治本攻坚三年行动", "市安委会各成员单位", "市应急管理局", "长期坚持", ""),
]


def r23_docx(path: Path) -> None:
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.author = "北岭市人民政府"
    props.title = "北岭市2025年政府工作报告重点任务分解表"
    props.created = FIXED
    props.modified = FIXED
    props.last_modified_by = "北岭市人民政府"
    props.revision = 1
    for style, text in R23_NOTICE:
        _docx_paragraph(doc, text, style)
    table = doc.add_table(rows=1, cols=len(R23_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, R23_HEADER, strict=True):
        cell.text = text
    for row in R23_ROWS:
        cells = table.add_row().cells
        if isinstance(row, str):
            cells[0].merge(cells[-1]).text = row
            continue
        for cell, text in zip(cells, row, strict=True):
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    _docx_paragraph(doc, "", "plain")
    _docx_paragraph(doc, "北岭市人民政府办公室　　　　　　2025年2月10日印发", "plain")
    doc.save(path)


# ------------------------------------------------------------------ r26 (.xlsx)

R26_HEADER = ("序号", "工作任务", "牵头县领导", "主要责任单位", "其他责任单位", "完成时限")
R26_ROWS: list[tuple | str] = [
    # a str is a category row merged across the sheet; None in 牵头县领导: merged with the cell above
    "一、项目建设",
    (1, "实施县级重点项目80个，完成年度投资120亿元", "刘志强", "县发改局", "县自然资源局、县住建局", "2024年12月底前"),
    (2, "推进华溪工业园区标准厂房三期建设", None, "华溪工业园区管委会", "县住建局", dt.datetime(2024, 9, 30)),
    (3, "争取中央预算内投资和专项债券资金", None, "县财政局", "县发改局", "2024年10月底前"),
    "二、民生实事",
    (4, "新建城区学校2所，新增学位2400个", "杨春梅", "县教育局", "县住建局、县财政局", "2024年8月底前"),
    (5, "完成县中医院门诊综合楼主体工程", None, "县卫生健康局", "", "2024年11月底前"),
    (6, "新增城镇就业3000人", "黄伟", "县人社局", "各乡镇人民政府", "2024年12月底前"),
    (7, "建设城乡一体化供水工程", None, "县水利局", "县城投公司", "持续推进"),
]


def r26_xlsx(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "重点工作任务"
    ws.append(["附件"])
    ws.append(["华溪县2024年县政府重点工作任务分解表"])
    ws.merge_cells("A2:F2")
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append(["华溪县人民政府　　华政发〔2024〕2号　　2024年2月6日"])
    ws.merge_cells("A3:F3")
    ws.append(list(R26_HEADER))
    runs: list[list[int]] = []  # [first row, last row] of each 牵头县领导 cell
    for row in R26_ROWS:
        if isinstance(row, str):
            ws.append([row])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=6)
            continue
        ws.append([value if value != "" else None for value in row])
        if isinstance(row[5], dt.datetime):
            ws.cell(ws.max_row, 6).number_format = "yyyy-mm-dd"
        if row[2] is not None:
            runs.append([ws.max_row, ws.max_row])
        else:
            runs[-1][1] = ws.max_row
    for first, last in runs:
        if last > first:
            ws.merge_cells(start_row=first, start_column=3, end_row=last, end_column=3)
    ws.append(["注：主要责任单位为牵头单位，其他责任单位为配合单位。"])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=6)
    for col, width in zip("ABCDEF", (6, 44, 12, 20, 28, 16), strict=True):
        ws.column_dimensions[col].width = width
    wb.properties.creator = "华溪县人民政府办公室"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(path)


# ------------------------------------------------------------------ r27 (.pdf)

R27_NOTICE = [
    "坪川区安全生产委员会关于印发坪川区2025年安全生产重点工作责任清单的通知",
    "坪安委〔2025〕1号",
    "各街道安委会，区安委会各成员单位：",
    "　　现将《坪川区2025年安全生产重点工作责任清单》印发给你们，请认真抓好落实。",
    "坪川区安全生产委员会",
    "2025年1月22日",
    "坪川区2025年安全生产重点工作责任清单",
]
R27_HEADER = ("序号", "重点任务", "责任单位", "完成时限")
R27_ROWS = [
    (
        "1",
        "开展安全生产治本攻坚行动，建立重大事故隐患动态清零机制",
        "区应急管理局（牵头）、区安委会各成员单位",
        "2025年12月底前",
    ),
    ("2", "开展城镇燃气安全专项整治", "区住建局（牵头）、区市场监管局、各街道办事处", "2025年6月底前"),
    ("3", "开展高层建筑消防安全隐患排查", "区消防救援大队（牵头）、区住建局", "2025年9月底前"),
    ("4", "开展道路交通“两客一危”车辆专项检查", "区公安分局交警大队、区交通运输局", "2025年10月底前"),
    ("5", "开展自建房安全专项整治“回头看”", "区住建局", "2025年11月底前"),
    ("6", "开展安全生产月和安全宣传“五进”活动", "区应急管理局（牵头）、区委宣传部", "2025年6月30日前"),
]


def r27_pdf(path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    center = ParagraphStyle("center", parent=body, alignment=1)
    right = ParagraphStyle("right", parent=body, alignment=2)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=24, alignment=1)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    styles = [title, center, body, body, right, right, title]
    story = [Paragraph(text, style) for text, style in zip(R27_NOTICE, styles, strict=True)]
    data = [[Paragraph(text, cell) for text in R27_HEADER]]
    data += [[Paragraph(text, cell) for text in row] for row in R27_ROWS]
    table = Table(data, colWidths=[34, 220, 160, 84])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story += [Spacer(1, 8), table]
    pdf = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        title="坪川区2025年安全生产重点工作责任清单",
        author="坪川区安全生产委员会",
        creator="make_real.py",
        invariant=1,
        leftMargin=50,
        rightMargin=50,
    )
    pdf.build(story)


# ------------------------------------------------------------------ r09 (.pdf)

R09_NOTICE = [
    "霜桥县人民政府办公室关于印发霜桥县2025年农业农村现代化重点任务分工的通知",
    "霜政办发〔2025〕4号",
    "各乡镇人民政府，县政府各部门：",
    "　　《霜桥县2025年农业农村现代化重点任务分工》已经县政府同意，现印发给你们，请认真组织实施。",
    "霜桥县人民政府办公室",
    "2025年2月25日",
    "霜桥县2025年农业农村现代化重点任务分工",
]
R09_ROWS = [
    "一、稳定粮食和重要农产品供给",
    ("1", "落实粮食播种面积45万亩，产量稳定在18万吨以上", "县农业农村局", "各乡镇人民政府", "2025年10月底前"),
    (
        "2",
        "新建高标准农田3万亩，改造提升1.5万亩",
        "县农业农村局",
        "县财政局、县自然资源局、县水利局、相关乡镇人民政府",
        "2025年12月底前",
    ),
    ("3", "稳定生猪出栏量在40万头左右", "县畜牧服务中心", "各乡镇人民政府", "2025年12月底前"),
    ("4", "实施耕地保护“田长制”，坚决遏制耕地“非农化”", "县自然资源局", "县农业农村局、各乡镇人民政府", "长期坚持"),
    ("5", "建设县级粮食应急储备库", "县发改局", "县粮食和物资储备中心", "2025年9月底前"),
    "二、发展乡村特色产业",
    ("6", "培育县级以上农业产业化龙头企业10家", "县农业农村局", "县市场监管局", "2025年11月底前"),
    ("7", "建设霜桥茶叶现代农业产业园，完成一期基础设施", "县农业农村局", "县发改局、茶园镇人民政府", "2025年12月底前"),
    ("8", "推进农产品品牌建设，新认证绿色食品15个", "县农业农村局", "县市场监管局", "2025年10月底前"),
    ("9", "发展农村电商，农产品网络零售额增长15%", "县商务局", "县邮政分公司、各乡镇人民政府", "2025年12月底前"),
    ("10", "发展休闲农业和乡村旅游，打造精品线路5条", "县文旅局", "县农业农村局", "2025年9月底前"),
    ("11", "建设冷链物流集配中心2个", "县商务局", "县交通运输局、县供销社", "2025年11月底前"),
    "三、推进乡村建设",
    ("12", "新改建农村公路100公里", "县交通运输局", "各乡镇人民政府", "2025年12月底前"),
    (
        "13",
        "实施农村供水保障工程，农村自来水普及率达到95%",
        "县水利局",
        "县卫生健康局、各乡镇人民政府",
        "2025年12月底前",
    ),
    ("14", "完成农村户厕改造2000户", "县农业农村局", "县卫生健康局", "2025年10月底前"),
    ("15", "推进农村生活垃圾分类，建成示范村30个", "县城管局", "各乡镇人民政府", "2025年11月底前"),
    ("16", "开展村庄清洁行动", "县农业农村局", "各乡镇人民政府", "持续推进"),
    "四、深化农村改革",
    (
        "17",
        "开展第二轮土地承包到期后再延长30年试点",
        "县农业农村局",
        "县自然资源局、试点乡镇人民政府",
        "2025年12月底前",
    ),
    (
        "18",
        "发展壮大村级集体经济，集体经营性收入10万元以上的村占比达到60%",
        "县委组织部",
        "县农业农村局、县财政局",
        "2025年12月底前",
    ),
    ("19", "深化农村集体产权制度改革", "县农业农村局", "各乡镇人民政府", "持续推进"),
    ("20", "推进供销社综合改革，新建为农服务中心5个", "县供销社", "县财政局", "2025年10月底前"),
    (
        "21",
        "完善农业保险，实现主要粮食作物完全成本保险全覆盖",
        "县财政局",
        "县农业农村局、县金融服务中心",
        "2025年6月底前",
    ),
    ("22", "建立农村人才定向培养机制，培训高素质农民1500人", "县农业农村局", "县人社局、县教育局", "2025年11月底前"),
]
R09_HEADER = ("序号", "重点任务", "牵头单位", "配合单位", "完成时限")
R09_FOOT = "霜桥县人民政府办公室　　　　　　2025年2月25日印发"


def r09_pdf(path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    center = ParagraphStyle("center", parent=body, alignment=1)
    right = ParagraphStyle("right", parent=body, alignment=2)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=24, alignment=1)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    story = [
        Paragraph(R09_NOTICE[0], title),
        Paragraph(R09_NOTICE[1], center),
        Paragraph(R09_NOTICE[2], body),
        Paragraph(R09_NOTICE[3], body),
        Paragraph(R09_NOTICE[4], right),
        Paragraph(R09_NOTICE[5], right),
        Spacer(1, 12),
        Paragraph(R09_NOTICE[6], title),
    ]
    data = [[Paragraph(h, cell) for h in R09_HEADER]]
    spans = []
    for row in R09_ROWS:
        if isinstance(row, str):
            spans.append(("SPAN", (0, len(data)), (-1, len(data))))
            data.append([Paragraph(row, cell), "", "", "", ""])
        else:
            data.append([Paragraph(text, cell) for text in row])
    table = Table(data, colWidths=[34, 180, 80, 116, 84], repeatRows=0)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans])
    )
    story += [table, Spacer(1, 12), Paragraph(R09_FOOT, body)]

    def page_number(canvas, doc) -> None:
        canvas.setFont(font, 10)
        canvas.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")

    pdf = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        title="霜桥县2025年农业农村现代化重点任务分工",
        author="霜桥县人民政府办公室",
        creator="make_real.py",
        invariant=1,
        leftMargin=50,
        rightMargin=50,
    )
    pdf.build(story, onFirstPage=page_number, onLaterPages=page_number)


# ------------------------------------------------------------------ r10 (.xlsx)

R10_SHEETS = {
    "产业振兴": [
        ("1", "新建标准化茶园5000亩", "县农业农村局", "各乡镇人民政府", "2024年10月底前"),
        ("2", "培育省级农业产业化龙头企业2家", "县农业农村局", "县财政局", "2024年12月底前"),
        ("3", "建设农产品产地冷藏保鲜设施20个", "县商务局", "县供销社、各乡镇人民政府", "2024年11月底前"),
        ("4", "举办桃岭黄桃采摘节", "县文旅局", "桃岭镇人民政府", "2024年7月底前"),
        ("5", "发展林下经济，新增林下种养面积1万亩", "县林业局", "各乡镇人民政府", "持续推进"),
    ],
    "生态宜居": [
        ("1", "完成农村户厕改造1800户", "县农业农村局", "县卫生健康局、各乡镇人民政府", "2024年9月底前"),
        ("2", "建成乡镇污水处理设施4座", "县生态环境分局", "县住建局", "2024年12月底前"),
        ("3", "实施村庄绿化美化，新增绿化面积500亩", "县林业局", "各乡镇人民政府", "2024年11月底前"),
        ("4", "开展农村人居环境“红黑榜”评比", "县农业农村局", "县委督查室", "每季度"),
    ],
}


def r10_xlsx(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    header = ("序号", "重点任务", "牵头单位", "责任单位", "完成时限")
    for index, (name, rows) in enumerate(R10_SHEETS.items()):
        ws = wb.create_sheet(name)
        top = 1
        if index == 0:
            ws.append(["桃岭县2024年乡村振兴重点任务分解表"])
            ws.merge_cells("A1:E1")
            ws["A1"].font = Font(size=16, bold=True)
            ws["A1"].alignment = Alignment(horizontal="center")
            ws.append(["桃岭县人民政府办公室　　桃政办发〔2024〕9号　　2024年3月1日"])
            ws.merge_cells("A2:E2")
            top = 3
        ws.append([f"{'一二'[index]}、{name}"])
        ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=5)
        ws.append(list(header))
        for row in rows:
            ws.append([int(row[0]), *row[1:]])
        for col, width in zip("ABCDE", (6, 44, 16, 30, 16), strict=True):
            ws.column_dimensions[col].width = width
    wb.properties.creator = "桃岭县人民政府办公室"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(path)


def main() -> None:
    (HERE / "r07_hexi_rjhj.html").write_text(r07_html(), encoding="utf-8")
    (HERE / "r12_xiangshan_zfgzbg.html").write_text(r12_html(), encoding="utf-8")
    r08_docx(HERE / "r08_jinping_whly.docx")
    r09_pdf(HERE / "r09_shuangqiao_nyxd.pdf")
    r10_xlsx(HERE / "r10_taoling_xczx.xlsx")
    r23_docx(HERE / "r23_beiling_zfgzbg.docx")
    r26_xlsx(HERE / "r26_huaxi_zdgz.xlsx")
    r27_pdf(HERE / "r27_pingchuan_aqsc.pdf")


if __name__ == "__main__":
    main()
