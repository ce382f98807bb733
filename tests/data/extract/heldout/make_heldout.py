"""Regenerate the .html, .docx and .xlsx documents of the held-out extraction corpus.

Why a script: binary formats (Word merged cells, Excel merged ranges and date cells) must be
reproducible and reviewable; the text documents are committed as written. Run with the project's
environment: `.venv/bin/python tests/data/extract/heldout/make_heldout.py`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent

H02_HTML = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>松岭区人民政府办公室关于印发松岭区2024年优化营商环境重点任务分工方案的通知</title>
</head>
<body>
<div class="crumb">首页 &gt; 政务公开 &gt; 区政府办文件</div>
<table class="meta">
<tr><td>索引号：</td><td>SL-2024-00917</td><td>发布机构：</td><td>松岭区人民政府办公室</td></tr>
<tr><td>文号：</td><td>松政办发〔2024〕9号</td><td>发布日期：</td><td>2024-04-08</td></tr>
</table>
<h1>松岭区人民政府办公室关于印发松岭区2024年优化营商环境重点任务分工方案的通知</h1>
<p>各街道办事处，区政府各部门：</p>
<p>　　《松岭区2024年优化营商环境重点任务分工方案》已经区政府同意，现印发给你们，请认真抓好落实。
各牵头单位请于每季度末将工作进展情况报送区营商环境办。</p>
<p style="text-align:right">松岭区人民政府办公室</p>
<p style="text-align:right">2024年4月3日</p>
<h2>松岭区2024年优化营商环境重点任务分工方案</h2>
<table border="1" class="tasks">
<tr><th>序号</th><th>重点任务</th><th>具体措施</th><th>牵头单位</th><th>责任单位</th><th>完成时限</th></tr>
<tr><td rowspan="2">1</td><td rowspan="2">提升企业开办便利度</td>
<td>推行企业开办“一网通办”，营业执照、公章刻制、税务发票、社保登记一次申请、一日办结。对新开办企业免费发放首套印章。</td>
<td rowspan="2">区&nbsp;市场监管局</td><td>区税务局、区公安 分局、区人社局</td><td>2024年6月底前</td></tr>
<tr><td>推行经营主体住所（经营场所）登记申报承诺制，在全区范围内开展“一照多址”改革。</td><td>区自然资源局</td><td>2024年9月底前</td></tr>
<tr><td rowspan="2">2</td><td rowspan="2">优化工程建设项目审批</td>
<td>社会投资低风险项目从立项到不动产登记全流程审批时间压缩至15个工作日以内。推行“拿地即开工”。</td>
<td>区行政审批&nbsp;服务局</td><td>区住建局、区自然资源局</td><td>2024年12月底前</td></tr>
<tr><td>推行联合验收、“验登合一”，在竣工验收同时办理不动产首次登记。</td><td>区住建局</td><td>区行政审批服务局、区不动产登记中心</td><td>2024年8月底前</td></tr>
<tr><td rowspan="3">3</td><td rowspan="3">强化要素保障</td>
<td>组织开展银企对接活动不少于10场，新增普惠小微贷款20亿元。</td>
<td>区金融发展服务中心</td><td>人行 松岭支行、区财政局</td><td>2024年12月底前</td></tr>
<tr><td>建立重点企业用工服务专员制度，每季度开展一次线上线下招聘会。</td><td>区人社局</td><td>各街道办事处</td><td>每季度</td></tr>
<tr><td>兑现惠企政策，推行“免申即享”，全年“免申即享”事项不少于30项。</td><td>区发改局</td><td>区财政局、区科技局、区商务局</td><td>长期坚持</td></tr>
</table>
<div class="foot">【打印本页】【关闭窗口】</div>
</body></html>
"""

H03_ROWS = [
    (
        "1",
        "实施城乡供水一体化工程。完成县第二水厂扩建，新建配水管网。",
        "新增日供水能力2万吨",
        ["县水利局"],
        "县发展改革局、县财政局",
        "2025年6月底前完成主体工程；2025年10月底前通水",
    ),
    (
        "2",
        "推进小型供水工程规范化管理。落实管护主体、人员和经费。",
        "规范化管理率达到90%",
        ["县水利局"],
        "各乡镇人民政府",
        "2025年12月底前",
    ),
    (
        "3",
        "开展农村供水水质提升专项行动。按季度开展水质抽检，抽检结果向社会公开。",
        "水质达标率达到95%",
        ["县卫生健康局", "县水利局"],
        "县疾控中心、各乡镇人民政府",
        "2025年12月底前",
    ),
    (
        "4",
        "落实农村供水工程建设资金。争取上级资金，统筹使用地方政府专项债券。",
        "落实资金1.5亿元",
        ["县财政局"],
        "县发展改革局、县水利局",
        "2025年9月底前",
    ),
    (
        "5",
        "建立农村供水应急保障机制。修订应急预案，组织开展应急演练。",
        "开展应急演练2次",
        ["县水利局"],
        "县应急管理局、各乡镇人民政府",
        "2025年11月底前",
    ),
    ("6", "推行“互联网+农村供水”智慧管理。", "—", ["县水利局"], "县数据资源局", "持续推进"),
]


def make_h03() -> None:
    """蘅川县: notice + one Word table with a 工作目标 column; a two-lead cell is two paragraphs."""
    doc = Document()
    for line in (
        "蘅川县人民政府办公室",
        "蘅政办函〔2025〕11号",
        "",
        "蘅川县人民政府办公室关于印发蘅川县2025年农村供水保障提升工作任务分工的通知",
        "各乡镇人民政府，县直有关单位：",
        "　　现将《蘅川县2025年农村供水保障提升工作任务分工》印发给你们，请认真贯彻落实。",
        "蘅川县人民政府办公室",
        "2025年3月12日",
        "",
        "蘅川县2025年农村供水保障提升工作任务分工",
    ):
        doc.add_paragraph(line)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("序号", "重点工作", "工作目标", "牵头单位", "配合单位", "完成时限"), strict=True
    ):
        cell.text = text
    for no, work, goal, leads, partners, due in H03_ROWS:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = no, work, goal
        cells[3].text = leads[0]
        for extra in leads[1:]:
            cells[3].add_paragraph(extra)
        cells[4].text, cells[5].text = partners, due
    doc.save(HERE / "h03_hengchuan_ncgs.docx")


H06_SECTIONS = [
    (
        "一、基础教育扩优提质",
        [
            (
                "1",
                "新建改扩建中小学校",
                "新建白潭区第三实验小学，改扩建白潭中学，新增学位2160个。",
                "区教育局（牵头） 区发展改革局 区住房城乡建设局",
                "2025年8月底前",
            ),
            (
                "2",
                "深化集团化办学",
                "组建教育集团3个，实现城区义务教育学校集团化办学全覆盖。",
                "区教育局",
                "2025年12月底前",
            ),
            (
                "3",
                "提升课后服务质量",
                "课后服务覆盖全部义务教育学校，引入优质社会资源不少于20项。",
                "区教育局（牵头） 各街道办事处",
                "2025年6月底前",
            ),
        ],
    ),
    (
        "二、强化教育保障",
        [
            (
                "4",
                "落实教师工资待遇",
                "确保义务教育教师平均工资收入水平不低于当地公务员平均工资收入水平。",
                "区财政局（牵头） 区教育局 区人力资源社会保障局",
                "长期坚持",
            ),
            (
                "5",
                "加强校园安全管理",
                "落实校园安全“一校一警”制度，每学期开展一次安全隐患排查。",
                "区教育局（牵头） 区公安分局 区应急管理局",
                "持续推进",
            ),
            ("6", "落实学生资助政策", "资助资金按时足额发放，做到应助尽助。", "区教育局 区财政局", "2025年12月底前"),
        ],
    ),
]


def make_h06() -> None:
    """白潭区: Word table 重点任务 + 具体内容, heading rows merged across, space-separated units."""
    doc = Document()
    for line in (
        "白潭区教育局文件",
        "白教发〔2025〕4号",
        "白潭区教育局关于印发《白潭区2025年教育重点工作任务清单》的通知",
        "各街道办事处，区属各学校（幼儿园）：",
        "　　现将《白潭区2025年教育重点工作任务清单》印发给你们，请对照清单抓好落实。"
        "责任单位中标注“牵头”的为牵头单位。",
        "白潭区教育局",
        "2025年2月26日",
        "白潭区2025年教育重点工作任务清单",
    ):
        doc.add_paragraph(line)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "重点任务", "具体内容", "责任单位", "时间节点"), strict=True):
        cell.text = text
    for heading, rows in H06_SECTIONS:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[4])
        merged.text = heading
        for values in rows:
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = text
    doc.save(HERE / "h06_baitan_jyzd.docx")


H05_ROWS = [
    (
        1,
        "创建国家AAAA级旅游景区1家。完成青岚湖景区提质改造，通过评定验收。",
        "牵头单位：县文旅广电局\n配合单位：县自然资源局、县住建局、青岚湖镇人民政府",
        "2024年9月底前",
        "陈立",
    ),
    (
        2,
        "举办“枫叶文化旅游节”。策划系列文旅活动，吸引游客50万人次以上。",
        "县文旅广电局牵头，县商务局、县公安局配合",
        "2024年三季度末",
        "陈立",
    ),
    (
        3,
        "培育乡村旅游重点村3个。",
        "牵头单位：县农业农村局\n配合单位：县文旅广电局、各乡镇人民政府",
        dt.date(2024, 11, 30),
        "周海",
    ),
    (
        4,
        "推进文旅消费惠民。发放文旅消费券300万元，延长景区夜间开放时间。",
        "牵头单位：县商务局\n配合单位：县财政局、县文旅广电局",
        "2024年12月底前",
        "吴敏",
    ),
    (
        5,
        "加强文物保护利用。完成县级文物保护单位“四有”工作。",
        "牵头单位：县文旅广电局\n配合单位：无",
        "2024年10月底前",
        "陈立",
    ),
    (
        6,
        "完善旅游公共服务设施。新建旅游厕所10座、游客服务中心2个。",
        "县交通运输局 县文旅广电局",
        "2024年12月底前",
        "周海",
    ),
]


def make_h05() -> None:
    """枫禾县: one sheet; the roles are written INSIDE the 责任单位 cell; 责任人 column of persons."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws["A1"] = "附件"
    ws["A2"] = "枫禾县2024年文旅产业发展重点任务分解表"
    ws.merge_cells("A2:E2")
    ws["A3"] = "枫禾县文化旅游发展领导小组办公室　　　　2024年3月15日"
    ws.merge_cells("A3:E3")
    ws.append(["序号", "任务内容", "责任单位", "完成时限", "责任人"])
    for row in H05_ROWS:
        ws.append(list(row))
    wrap = Alignment(wrap_text=True, vertical="center")
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = wrap
    ws["D7"].number_format = "yyyy/m/d"
    wb.save(HERE / "h05_fenghe_wlcy.xlsx")


def main() -> None:
    """Write every generated document next to this script."""
    (HERE / "h02_songling_yshj.html").write_text(H02_HTML, encoding="utf-8")
    make_h03()
    make_h05()
    make_h06()


if __name__ == "__main__":
    main()
