"""Regenerates the binary documents of the round-8 blind corpus: p03 and p04 (.docx), p05 (.xlsx) and p06
(.pdf). Run: .venv/bin/python tests/data/extract/round8/make_round8.py. The .docx / .xlsx bytes differ on each
run (zip timestamps), their content does not; the PDF is byte-identical. The .txt and .html documents are
committed as written."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py, shared by the make scripts
from cid_pdf import Page, prose, ruled_table, write_pdf  # noqa: E402
from docx_writer import grid_table, para  # noqa: E402

# ---------------------------------------------------------------- p03 (.docx): Word auto-numbered items + role line

P03_SECTIONS = [
    (
        "一、产业项目",
        [
            (
                "加快桐湾经济开发区新能源电池材料产业园建设，完成一期厂房主体工程。",
                "牵头领导：副县长 韦志诚　　牵头单位：桐湾经济开发区管委会"
                "　　配合单位：县发展改革局、县自然资源局　　完成时限：2026年11月底前",
            ),
            (
                "推进县农产品冷链物流中心建设，2026年6月底前完成初验，9月底前全面投用。",
                "牵头领导：副县长 韦志诚　　牵头单位：县商务局"
                "　　配合单位：县农业农村局、县交通运输局　　完成时限：见任务内容",
            ),
            (
                "建成投用县域数字化公共服务平台，接入政务服务事项不少于800项。",
                "牵头领导：常务副县长 邝明远　　牵头单位：县数据局　　配合单位：无　　完成时限：2026年10月底前",
            ),
        ],
    ),
    (
        "二、民生项目",
        [
            (
                "实施城区供水管网延伸工程，新铺设供水主管网18公里。",
                "牵头领导：副县长 钟晓岚　　牵头单位：县水利局"
                "　　配合单位：县住建局、县城投公司　　完成时限：2026年12月底前",
            ),
            (
                "完成县第二人民医院门诊综合楼改造并投入使用。",
                "牵头领导：副县长 钟晓岚　　牵头单位：县卫生健康局"
                "　　配合单位：县第二人民医院、县财政局　　完成时限：2026年9月底前",
            ),
            (
                "推进城乡公交一体化，实现行政村通公交全覆盖。",
                "牵头领导：副县长 韦志诚　　牵头单位：县交通运输局　　配合单位：各乡镇人民政府　　完成时限：长期坚持",
            ),
        ],
    ),
]


def make_p03() -> None:
    doc = Document()
    para(doc, "桐湾县人民政府办公室", size=22, bold=True, centre=True)
    para(doc, "桐政办发〔2026〕15号", centre=True)
    para(doc, "桐湾县人民政府办公室关于实行2026年县级重点项目项目化推进的通知", size=16, bold=True, centre=True)
    para(doc, "各乡镇人民政府，县政府各部门：")
    para(
        doc,
        "　　为推动年度重点项目早开工、早见效，县政府决定对下列县级重点项目实行项目化推进、清单化管理，"
        "每个项目明确一名牵头县领导和一个牵头单位。现将有关事项通知如下。",
    )
    for heading, items in P03_SECTIONS:
        para(doc, heading, bold=True)
        for text, roles in items:
            para(doc, text, style="List Number")  # the number is Word's, not in the text
            para(doc, roles, size=12)
    para(doc, "三、工作要求", bold=True)
    para(
        doc,
        "　　各牵头单位要建立项目推进台账，于每月5日前将上月进展报县政府督查室。县政府督查室实行“月调度、"
        "季通报”，对进度滞后的项目发督办函。",
    )
    para(doc, "桐湾县人民政府办公室", right=True)
    para(doc, "2026年2月16日", right=True)
    doc.save(str(HERE / "p03_tongwan_xmtj.docx"))


# ---------------------------------------------------------------- p04 (.docx): 工作要点 + 附表 naming the leads

P04_POINTS = [
    ("一、稳住经济基本盘", None),
    (
        "1.抓好规模以上工业企业培育，全年新增规上工业企业25家"
        "。（责任单位：县工业和信息化局、县统计局、各乡镇人民政府）",
        "1",
    ),
    ("2.扩大有效投资，全年争取地方政府专项债券资金不少于12亿元。（责任单位：县发展改革局、县财政局）", "2"),
    (
        "3.开展“县长进企业”活动，建立企业诉求“收办督评”闭环机制"
        "。（责任单位：县工商联、县工业和信息化局、县营商环境服务中心）",
        "3",
    ),
    ("二、增进民生福祉", None),
    ("4.新建改扩建幼儿园4所，新增学前教育学位1200个。（责任单位：县教育局、县住建局）", "4"),
    ("5.推进县域医共体建设，实现乡镇卫生院远程会诊全覆盖。（责任单位：县卫生健康局、县医保局、各乡镇人民政府）", "5"),
    ("6.完成城区背街小巷改造30条。（责任单位：县城管局、县住建局、榕城街道办事处）", "6"),
]
P04_LEADS = [
    ("1", "规上工业企业培育", "副县长 唐启明", "县工业和信息化局"),
    ("2", "扩大有效投资", "常务副县长 费文涛", "县发展改革局"),
    ("3", "县长进企业", "副县长 唐启明", "县营商环境服务中心"),
    ("4", "学前教育扩容", "副县长 莫秀清", "县教育局"),
    ("5", "县域医共体建设", "副县长 莫秀清", "县卫生健康局"),
    ("6", "背街小巷改造", "副县长 申立军", "县城管局"),
]


def make_p04() -> None:
    doc = Document()
    para(doc, "榕坪县人民政府文件", size=22, bold=True, centre=True)
    para(doc, "榕政发〔2026〕3号", centre=True)
    para(doc, "榕坪县人民政府关于印发2026年县政府工作要点的通知", size=16, bold=True, centre=True)
    para(doc, "各乡镇人民政府，县政府各部门，各直属机构：")
    para(
        doc,
        "　　现将《榕坪县2026年县政府工作要点》印发给你们，请认真贯彻执行。附表所列牵头单位对要点落实负总责，"
        "其他责任单位按职责分工配合。各项要点除注明时限外，均须于2026年12月底前完成。县政府办公室（督查室）"
        "每半年对要点落实情况开展一次专项督查。",
    )
    para(doc, "榕坪县人民政府", right=True)
    para(doc, "2026年1月30日", right=True)
    doc.add_page_break()
    para(doc, "榕坪县2026年县政府工作要点", size=16, bold=True, centre=True)
    for text, _ in P04_POINTS:
        para(doc, text, bold=text.startswith(("一、", "二、")))
    doc.add_page_break()
    para(doc, "附表", bold=True)
    para(doc, "2026年县政府工作要点牵头县领导和牵头单位一览表", size=16, bold=True, centre=True)
    grid_table(doc, ("要点序号", "工作事项", "牵头县领导", "牵头单位"), P04_LEADS)
    doc.save(str(HERE / "p04_rongping_gzyd.docx"))


# ---------------------------------------------------------------- p05 (.xlsx): one row per task × unit

P05_HEADER = ("序号", "攻坚任务", "责任单位", "角色", "完成时限", "备注")
P05_ROWS = [
    ("1", "引进亿元以上产业项目20个", "市投资促进局", "牵头", "2026年12月31日", ""),
    ("", "引进亿元以上产业项目20个", "市发展改革委", "配合", "2026年12月31日", ""),
    ("", "引进亿元以上产业项目20个", "各县（市、区）人民政府", "配合", "2026年12月31日", "分解到县"),
    ("2", "建立重点签约项目“签约—注册—开工”全流程跟踪服务机制", "市投资促进局", "牵头", "2026年4月30日", ""),
    ("", "建立重点签约项目“签约—注册—开工”全流程跟踪服务机制", "市市场监管局", "配合", "2026年4月30日", ""),
    ("3", "举办沅陂市秋季产业链招商推介会", "市商务局", "牵头", "2026年10月31日", ""),
    ("", "举办沅陂市秋季产业链招商推介会", "市投资促进局", "牵头", "2026年10月31日", "共同牵头"),
    ("", "举办沅陂市秋季产业链招商推介会", "市外事办", "配合", "2026年10月31日", ""),
    ("4", "清理盘活闲置工业用地1500亩", "市自然资源和规划局", "牵头", "2026年11月30日", ""),
    ("", "清理盘活闲置工业用地1500亩", "市工业和信息化局", "配合", "2026年11月30日", ""),
    ("", "清理盘活闲置工业用地1500亩", "各县（市、区）人民政府", "配合", "2026年11月30日", ""),
    ("5", "编制重点产业链招商图谱", "市工业和信息化局", "牵头", "2026年5月31日", ""),
    ("6", "落实招商引资项目要素保障“一事一议”", "市发展改革委", "牵头", "持续推进", ""),
    ("", "落实招商引资项目要素保障“一事一议”", "市财政局", "配合", "持续推进", ""),
    ("", "落实招商引资项目要素保障“一事一议”", "市自然资源和规划局", "配合", "持续推进", ""),
]


def make_p05() -> None:
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws["A1"] = "沅陂市2026年招商引资攻坚行动任务分解表"
    ws["A1"].font = Font(size=16, bold=True)
    ws.merge_cells("A1:F1")
    ws["A2"] = "制表单位：沅陂市招商引资攻坚行动指挥部办公室　　制表日期：2026年3月10日"
    ws.merge_cells("A2:F2")
    for c, h in enumerate(P05_HEADER, start=1):
        cell = ws.cell(row=3, column=c, value=h)
        cell.font = Font(bold=True)
        cell.border = box
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for r, row in enumerate(P05_ROWS, start=4):
        for c, v in enumerate(row, start=1):
            value = int(v) if c == 1 and v else (v or None)
            cell = ws.cell(row=r, column=c, value=value)
            cell.border = box
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    last = 3 + len(P05_ROWS)
    ws.cell(
        row=last + 1,
        column=1,
        value="说明：1.同一任务按责任单位分行填列，角色为“牵头”的单位对任务负总责；"
        "2.各牵头单位每月28日前在市督查督办平台填报进展；3.市政府督查室对任务落实情况实行月调度。",
    )
    ws.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=6)
    for col, w in zip("ABCDEF", (6, 46, 24, 8, 16, 12), strict=True):
        ws.column_dimensions[col].width = w
    wb.save(str(HERE / "p05_yuanbei_zstj.xlsx"))


# ---------------------------------------------------------------- p06 (.pdf): 专题会议 议定事项交办单

P06_COLS = [
    ("序号", 30.0),
    ("议定事项", 190.0),
    ("责任领导", 80.0),
    ("责任单位", 130.0),
    ("办结时限", 85.0),
]
P06_ROWS = [
    (
        "1",
        "加快推进G318苕川城区段改线工程征地拆迁，完成剩余47户房屋征收",
        "副县长 邹德华",
        "县交通运输局（牵头）、苕溪镇人民政府",
        "2026年7月31日前",
    ),
    (
        "2",
        "协调解决改线工程沿线电力、通信杆线迁改问题，拿出迁改方案",
        "副县长 邹德华",
        "县工业和信息化局（牵头）、县供电公司、县通信发展办",
        "2026年6月30日前",
    ),
    ("3", "落实改线工程县级配套资金，按工程进度及时拨付", "常务副县长 汪立群", "县财政局", "按工程进度"),
    (
        "4",
        "对征地拆迁中群众反映的问题建立台账，逐件答复",
        "副县长 邹德华",
        "苕溪镇人民政府（牵头）、县信访局",
        "2026年6月20日前",
    ),
    ("5", "每月报送工程征迁和建设进度", "—", "县交通运输局", "每月10日前"),
]


def make_p06() -> None:
    p = Page()
    p.centre(800, 16, "苕川县人民政府督查室")
    p.centre(775, 15, "会议议定事项交办单")
    p.text(50, 748, 11, "交办编号：苕督交〔2026〕27号")
    p.text(330, 748, 11, "交办日期：2026年6月3日")
    y = prose(p, 725, "会议名称：G318苕川城区段改线工程推进专题会议", indent=False)
    y = prose(p, y, "会议时间：2026年6月1日　　主持人：县长 庞嘉言", indent=False)
    y = prose(
        p,
        y,
        "县政府专题研究G318苕川城区段改线工程推进工作。现将会议议定事项交办如下，请各责任单位按时限办结，"
        "办结后3个工作日内将办理情况书面反馈县政府督查室。县政府督查室将跟踪督办，逾期未办结的予以通报。",
    )
    ruled_table(p, y - 10, P06_COLS, P06_ROWS, left=50)
    p.text(50, 250, 11, "主送：县交通运输局、县工业和信息化局、县财政局、县信访局、苕溪镇人民政府、县供电公司、")
    p.text(50, 231, 11, "县通信发展办")
    p.text(50, 212, 11, "抄送：县长、各副县长")
    p.text(390, 180, 11, "苕川县人民政府督查室")
    p.text(405, 161, 11, "2026年6月3日")
    write_pdf(HERE / "p06_tiaochuan_jbd.pdf", [p])


if __name__ == "__main__":
    make_p03()
    make_p04()
    make_p05()
    make_p06()
