"""Regenerate the generated documents of the final blind extraction corpus:

    .venv/bin/python tests/data/extract/final/make_final.py

- f03_fengzhu_yshj.html: a 政府信息公开 page (索引号 / 文号 / 发布日期 / 发文日期 metadata) with a task table
  序号 | 类别 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 | 督办单位; 类别, 牵头单位 and 督办单位 use rowspan;
- f04_yunxi_zfgzbg.docx: a county notice with a Word table 序号 | 工作任务 | 牵头县领导 | 牵头责任单位 |
  协同责任单位 | 完成时限, heading rows merged across, 牵头县领导 and 牵头责任单位 merged down, a cell with two
  paragraphs, a "—" cell;
- f05_taoxi_msss.xlsx: a 民生实事 quarterly schedule: 序号 | 项目名称 | 责任单位 | 督办领导 | 一季度 | 二季度 |
  三季度 | 四季度, units in one cell on two lines with "（牵头）", empty and "—" quarter cells, a 注 row;
- f06_lanling_szjj.txt: a pandoc-style GRID table (+---+ borders, cells wrapped over several lines).

The other .txt documents are committed as written. .docx / .xlsx bytes differ between runs (zip timestamps);
their content does not.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2025, 3, 1, 9, 0, 0)

# ------------------------------------------------------------------ f03 (.html)

F03_TITLE = "枫渚市人民政府办公室关于印发枫渚市2024年优化营商环境重点任务督办清单的通知"
F03_ROWS = [
    # 序号, 类别 (None: spanned), 重点任务, 牵头单位 (None: spanned), 配合单位, 完成时限, 督办单位 (None: spanned)
    (
        "1",
        ("政务服务", 2),
        "推行“高效办成一件事”，年内上线重点事项13项",
        ("市政务服务数据管理局", 1),
        "市发展改革委、市公安局、市人力资源社会保障局",
        "2024年12月底前",
        ("市政府督查室", 5),
    ),
    (
        "2",
        None,
        "实现企业开办全程网上办理，推广电子营业执照应用",
        ("市市场监管局", 1),
        "市税务局、市公安局",
        "2024年6月底前",
        None,
    ),
    (
        "3",
        ("要素保障", 3),
        "推行惠企政策“免申即享”，兑现事项不少于30项",
        ("市财政局", 2),
        "市工业和信息化局、市商务局",
        "2024年9月底前",
        None,
    ),
    (
        "4",
        None,
        "设立中小微企业应急转贷资金池，规模达到2亿元",
        None,
        "市地方金融管理局、人行枫渚市分行",
        "2024年12月底前",
        None,
    ),
    ("5", None, "推行工业用地“标准地”供应", ("市自然资源和规划局", 1), "市发展改革委", "持续推进", None),
    (
        "6",
        ("法治保障", 2),
        "开展涉企违规收费专项整治",
        ("市市场监管局", 1),
        "市发展改革委、市财政局、市工业和信息化局",
        "2024年10月底前",
        ("市营商办", 2),
    ),
    (
        "7",
        None,
        "推行“首违不罚”清单制度，清单事项扩大至200项",
        ("市司法局", 1),
        "市级各行政执法部门",
        "2024年8月底前",
        None,
    ),
]


def _span(cell) -> str:
    if cell is None:
        return ""
    text, n = cell
    return f'<td rowspan="{n}">{text}</td>' if n > 1 else f"<td>{text}</td>"


def make_html(path: Path) -> None:
    rows = []
    for no, cat, task, lead, partners, due, sup in F03_ROWS:
        rows.append(
            f"<tr><td>{no}</td>{_span(cat)}<td>{task}</td>{_span(lead)}"
            f"<td>{partners}</td><td>{due}</td>{_span(sup)}</tr>"
        )
    body = "\n".join(rows)
    html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{F03_TITLE}</title></head>
<body>
<div class="nav">首页 &gt; 政府信息公开 &gt; 政策文件</div>
<table class="meta">
<tr><td>索引号 :</td><td>11330900MB0123456X/2024-00317</td><td>文 号 :</td><td>枫政办发〔2024〕9号</td></tr>
<tr><td>主题分类:</td><td>综合政务</td><td>发文单位:</td><td>枫渚市人民政府办公室</td></tr>
<tr><td>名 称:</td><td colspan="3">{F03_TITLE}</td></tr>
<tr><td>发布日期:</td><td>2024年04月12日</td><td>发文日期:</td><td>2024年03月29日</td></tr>
<tr><td>有效性:</td><td colspan="3">有效</td></tr>
</table>
<h1>{F03_TITLE}</h1>
<p>各县（市、区）人民政府，市政府各部门：</p>
<p>　　《枫渚市2024年优化营商环境重点任务督办清单》已经市政府同意，现印发给你们，请认真抓好落实。
各牵头单位要会同配合单位细化工作举措，于每月5日前将上月进展情况报送督办单位。
督办单位要加强跟踪问效，对推进缓慢的任务及时督促提醒。</p>
<p>附件：枫渚市2024年优化营商环境重点任务督办清单</p>
<h2>枫渚市2024年优化营商环境重点任务督办清单</h2>
<table border="1" class="tasks">
<tr><th>序号</th><th>类别</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th><th>督办单位</th></tr>
{body}
</table>
<p>注：督办单位按月跟踪任务进展，年底组织评估。</p>
<div class="foot">【打印本页】【关闭窗口】</div>
</body></html>
"""
    path.write_text(html, encoding="utf-8")


# ------------------------------------------------------------------ f04 (.docx)

F04_NOTICE = [
    "云浠县人民政府关于分解落实2024年政府工作报告目标任务的通知",
    "云政〔2024〕2号",
    "各乡镇人民政府，县政府各部门：",
    "　　《政府工作报告》已经县十七届人民代表大会第四次会议审议通过。现将2024年目标任务分解印发，请认真抓好落实。",
    "　　一、压实责任。各牵头县领导要靠前指挥，牵头责任单位要履行牵头抓总职责，协同责任单位要主动配合。",
    "　　二、按月调度。各牵头责任单位于每月25日前将当月进展情况报送县政府督查室。",
    "　　三、严格考核。目标任务完成情况纳入年度综合考核。",
    "　　附件：云浠县2024年政府工作报告目标任务分解表",
    "云浠县人民政府",
    "2024年1月31日",
    "附件",
    "云浠县2024年政府工作报告目标任务分解表",
]
F04_HEADER = ["序号", "工作任务", "牵头县领导", "牵头责任单位", "协同责任单位", "完成时限"]
# a str row is a heading merged across; None: covered by the merged cell above
F04_ROWS = [
    "一、扩大有效投资",
    [
        "1",
        "实施省市县重点项目60个，完成年度投资80亿元",
        "陈国华",
        "县发改局",
        "县财政局、县自然资源局、各乡镇人民政府",
        "2024年12月底前",
    ],
    ["2", "争取中央预算内投资和专项债券资金15亿元以上", None, None, "县财政局", "2024年11月底前"],
    ["3", "新建5G基站300个", None, "县工信局", "—", "2024年10月底前"],
    "二、提升城乡品质",
    ["4", "完成县城污水管网改造25公里", "刘春燕", "县住建局", "县生态环境分局\n县财政局", "2024年12月底前"],
    ["5", "创建省级美丽乡村示范村8个", None, "县农业农村局", "县住建局、各乡镇人民政府", "2024年12月底前"],
    ["6", "建成县城南部城市公园", None, "县城管局", "县自然资源局、云浠城投公司", "2024年9月底前"],
    ["7", "推进城乡供水一体化，农村自来水普及率达到98%", "周立", "县水利局", "各乡镇人民政府", "2024年12月底前"],
]


def _fill(cell, text: str) -> None:
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def make_docx(path: Path) -> None:
    doc = Document()
    doc.core_properties.created = FIXED
    doc.core_properties.modified = FIXED
    for line in F04_NOTICE:
        doc.add_paragraph(line)
    table = doc.add_table(rows=1 + len(F04_ROWS), cols=len(F04_HEADER))
    table.style = "Table Grid"
    for i, head in enumerate(F04_HEADER):
        _fill(table.rows[0].cells[i], head)
    for r, row in enumerate(F04_ROWS, start=1):
        cells = table.rows[r].cells
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            _fill(merged, row)
            continue
        for c, value in enumerate(row):
            if value is not None:
                _fill(cells[c], value)
    # vertical merges (table row indexes, header = 0): 牵头县领导 tasks 1-3 and 4-6, 牵头责任单位 tasks 1-2
    for col, top, bottom in [(2, 2, 4), (2, 6, 8), (3, 2, 3)]:
        top_cell = table.cell(top, col)
        text = top_cell.text
        merged = top_cell.merge(table.cell(bottom, col))
        for p in merged.paragraphs[1:]:
            p._element.getparent().remove(p._element)
        merged.paragraphs[0].text = text
    doc.save(path)


# ------------------------------------------------------------------ f05 (.xlsx)

F05_HEADER = ["序号", "项目名称", "责任单位", "督办领导", "一季度", "二季度", "三季度", "四季度"]
F05_ROWS = [
    [
        "1",
        "新建改扩建中小学校3所，新增学位2700个",
        "区教育局（牵头）\n区住建局",
        "吴海涛",
        "完成立项",
        "开工建设",
        "2所竣工",
        "3所全部交付使用",
    ],
    [
        "2",
        "改造提升农贸市场5个",
        "区商务局（牵头）\n区市场监管局、各街道办事处",
        "吴海涛",
        "完成选址",
        "开工改造",
        "全部完工",
        None,
    ],
    [
        "3",
        "新增城市公共充电桩1000个",
        "区发改局（牵头）\n区供电公司",
        "孙立",
        "完成布点规划",
        "建成300个",
        "建成700个",
        "建成1000个",
    ],
    ["4", "实施老年人居家适老化改造500户", "区民政局", "孙立", "摸底确定对象", "完成200户", "完成500户", "—"],
    [
        "5",
        "为适龄妇女免费开展“两癌”筛查1.2万人",
        "区卫生健康局（牵头）\n区妇联",
        "郑红",
        "制定方案",
        "筛查4000人",
        "筛查8000人",
        "筛查1.2万人",
    ],
    [
        "6",
        "新增城市绿道15公里",
        "区城管局（牵头）\n区自然资源局、区住建局",
        "郑红",
        "—",
        "开工建设",
        None,
        "建成15公里",
    ],
]


def make_xlsx(path: Path) -> None:
    wb = Workbook()
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    ws = wb.active
    ws.title = "季度推进计划"
    ws["A1"] = "附件"
    ws["A2"] = "陶溪区2024年十件民生实事项目季度推进计划表"
    ws.merge_cells("A2:H2")
    ws["A3"] = "陶溪区人民政府办公室　　　　　　　　2024年2月26日"
    ws.merge_cells("A3:H3")
    ws.append(F05_HEADER)
    wrap = Alignment(wrap_text=True, vertical="center")
    for row in F05_ROWS:
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.alignment = wrap
    last = ws.max_row + 1
    ws.cell(row=last, column=1, value="注：每季度末5日内，各牵头单位将项目进展情况报区政府督查室。")
    ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=8)
    wb.save(path)


# ------------------------------------------------------------------ f06 (grid table as text)

F06_WIDTHS = [6, 22, 14, 14, 12]
F06_HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
F06_ROWS = [
    [
        "1",
        "建成市级算力调度平台，接入算力资源不低于500P",
        "市数据局",
        "市发展改革委、市工业和信息化局",
        "2025年9月底前",
    ],
    ["2", "新增数字经济核心产业企业50家", "市工业和信息化局", "市市场监管局、各区县人民政府", "2025年12月底前"],
    ["3", "培育省级工业互联网平台3个", "市工业和信息化局", "市科技局", "2025年11月底前"],
    ["4", "推进公共数据授权运营试点，出台授权运营管理办法", "市数据局", "市财政局、市国资委", "2025年10月底前"],
    ["5", "开展“数字技能进万家”培训2万人次", "市人力资源社会保障局", "市总工会、团市委", "2025年12月底前"],
    ["6", "建设城市全域数字化转型示范区", "市数据局", "各区县人民政府", "持续推进"],
]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if _width(cur + ch) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur]


def _grid_row(cells: list[str]) -> list[str]:
    wrapped = [_wrap(c, w) for c, w in zip(cells, F06_WIDTHS, strict=True)]
    height = max(len(w) for w in wrapped)
    out = []
    for i in range(height):
        parts = []
        for w, width in zip(wrapped, F06_WIDTHS, strict=True):
            text = w[i] if i < len(w) else ""
            parts.append(" " + text + " " * (width - _width(text)) + " ")
        out.append("|" + "|".join(parts) + "|")
    return out


def make_grid(path: Path) -> None:
    rule = "+" + "+".join("-" * (w + 2) for w in F06_WIDTHS) + "+"
    head_rule = rule.replace("-", "=")
    lines = [
        "岚陵市人民政府办公室关于印发岚陵市2025年数字经济发展重点任务分工的通知",
        "",
        "岚政办函〔2025〕11号",
        "",
        "各区县人民政府，市政府各部门：",
        "",
        "    《岚陵市2025年数字经济发展重点任务分工》已经市政府同意，现印发给你们，请认真贯彻执行。"
        "各牵头单位每半年末将进展情况书面报送市数据局。",
        "",
        "岚陵市人民政府办公室",
        "2025年3月10日",
        "",
        "岚陵市2025年数字经济发展重点任务分工",
        "",
        rule,
        *_grid_row(F06_HEADER),
        head_rule,
    ]
    for row in F06_ROWS:
        lines += _grid_row(row)
        lines.append(rule)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    make_html(HERE / "f03_fengzhu_yshj.html")
    make_docx(HERE / "f04_yunxi_zfgzbg.docx")
    make_xlsx(HERE / "f05_taoxi_msss.xlsx")
    make_grid(HERE / "f06_lanling_szjj.txt")


if __name__ == "__main__":
    main()
