"""Regenerates the binary documents of the round-7 blind corpus: n03 (.docx), n04 (.xlsx), n05 (.pdf) and
n08 (.docx). Run: .venv/bin/python tests/data/extract/round7/make_round7.py. The .docx / .xlsx bytes differ on
each run (zip timestamps), their content does not; the PDF is byte-identical. The .txt and .html documents are
committed as written."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # cid_pdf.py, shared by the make scripts
from cid_pdf import Page, prose, ruled_table, write_pdf  # noqa: E402
from docx_writer import grid_table, para  # noqa: E402

# ---------------------------------------------------------------- n03 (.docx): a table split by "续表"

N03_HEADER = ("序号", "评价指标", "2026年目标", "重点任务", "牵头单位", "配合单位", "完成时限")
N03_PART1 = [
    (
        "1",
        "开办企业",
        "企业开办全程网办率达到95%",
        "推行企业开办“一网通办”，实现营业执照、印章刻制、涉税事项一次办结",
        "区市场监管局",
        "区政务服务中心、区税务局、区公安分局",
        "2026年6月底前",
    ),
    ("2", "", "—", "推行经营主体住所登记“承诺制”", "区市场监管局", "区自然资源局", "2026年9月底前"),
    (
        "3",
        "获得电力",
        "低压小微企业“零投资”接电覆盖率达到100%",
        "推行160千瓦及以下小微企业低压接电“零上门、零审批、零投资”服务",
        "区工业和信息化局",
        "区供电公司",
        "2026年第三季度",
    ),
    (
        "4",
        "登记财产",
        "—",
        "推行不动产登记与水电气网过户“一窗联办”",
        "区自然资源局",
        "区住建局、区供电公司、区水务公司",
        "2026年12月底前",
    ),
]
N03_PART2 = [
    (
        "5",
        "纳税",
        "非接触式办税缴费比例达到98%以上",
        "拓展“非接触式”办税缴费服务，推行电子发票全面应用",
        "区税务局",
        "区政务服务中心",
        "2026年11月底前",
    ),
    (
        "6",
        "政务服务",
        "政务服务事项网上可办率达到99%",
        "推进高频政务服务事项“掌上办”“就近办”",
        "区政务服务中心",
        "区大数据中心、各街道办事处",
        "2026年12月底前",
    ),
    (
        "7",
        "市场监管",
        "—",
        "健全涉企行政检查“扫码入企”制度，杜绝多头检查、重复检查",
        "区司法局",
        "区市场监管局、区应急管理局",
        "长期坚持",
    ),
]


def make_n03() -> None:
    doc = Document()
    para(doc, "岑江区人民政府办公室文件", size=22, bold=True, centre=True)
    para(doc, "岑府办〔2026〕8号", centre=True)
    para(
        doc,
        "岑江区人民政府办公室关于印发《岑江区2026年优化营商环境指标提升任务清单》的通知",
        size=16,
        bold=True,
        centre=True,
    )
    para(doc, "各街道办事处，区政府各部门，各有关单位：")
    para(
        doc,
        "　　为对标省营商环境评价指标体系，补齐短板弱项，经区政府同意，现将《岑江区2026年优化营商环境指标"
        "提升任务清单》印发给你们，请认真抓好落实。各牵头单位要对照“2026年目标”逐项细化措施，于每季度末月"
        "25日前将指标进展和任务推进情况报区优化营商环境工作领导小组办公室（设在区发展改革局）。",
    )
    para(doc, "附件：岑江区2026年优化营商环境指标提升任务清单")
    para(doc, "岑江区人民政府办公室", right=True)
    para(doc, "2026年2月26日", right=True)
    doc.add_page_break()
    para(doc, "附件", bold=True)
    para(doc, "岑江区2026年优化营商环境指标提升任务清单", size=16, bold=True, centre=True)
    t1 = grid_table(doc, N03_HEADER, N03_PART1)
    # 评价指标 "开办企业" merged down over rows 1 and 2
    a = t1.cell(1, 1).merge(t1.cell(2, 1))
    a.text = "开办企业"
    doc.add_page_break()
    para(doc, "续表", bold=True)
    grid_table(doc, N03_HEADER, N03_PART2)
    para(doc, "注：“2026年目标”为省营商环境评价我区应达到的水平，“—”为不设量化目标。", size=10.5)
    doc.save(str(HERE / "n03_cenjiang_yshj.docx"))


# ---------------------------------------------------------------- n04 (.xlsx): 审计整改 台账, one sheet per 审计项目

N04_HEADER = ("序号", "审计查出的问题", "整改措施", "整改责任单位", "配合单位", "责任人", "整改时限", "整改进展")
N04_SHEETS = [
    (
        "预算执行审计",
        "一、2025年度县级预算执行审计查出问题",
        [
            (
                "1",
                "部分预算单位年底突击花钱，12月支出占全年支出比重超过30%。",
                "严格执行预算支出进度管理，建立按月通报制度。",
                "县财政局",
                "—",
                "陈卫东",
                "2026年6月底前完成，长期坚持",
                "",
            ),
            (
                "2",
                "3个单位以现金方式报销公务接待费，未按规定使用公务卡结算。",
                "清退违规报销资金，完善公务接待审批和结算流程。",
                "县机关事务服务中心",
                "县财政局",
                "刘芳",
                "立行立改",
                "",
            ),
            (
                "3",
                "政府采购预算编制不细化，部分项目采购预算与实际执行偏差较大。",
                "修订政府采购预算编制规程，开展专项业务培训。",
                "县财政局",
                "县公共资源交易中心",
                "陈卫东",
                "2026年9月30日前",
                "",
            ),
        ],
    ),
    (
        "衔接资金审计",
        "二、2025年度县乡村振兴衔接资金专项审计查出问题",
        [
            (
                "1",
                "2个村级光伏电站收益未及时分配到户。",
                "核实电站收益，按规定分配到户，建立收益分配公示制度。",
                "县乡村振兴局",
                "相关乡镇人民政府",
                "周强",
                "立行立改",
                "",
            ),
            (
                "2",
                "部分衔接资金项目完工后未及时办理资产移交。",
                "全面清查已完工项目，完成资产确权移交，建立资产管理台账。",
                "县农业农村局",
                "县财政局、各乡镇人民政府",
                "黄毅",
                "2026年8月底前",
                "",
            ),
            (
                "3",
                "县级衔接资金结转结余较大，资金使用效益不高。",
                "盘活结转结余资金，统筹用于联农带农产业项目。",
                "县财政局",
                "县乡村振兴局",
                "陈卫东",
                "2026年12月31日前",
                "",
            ),
        ],
    ),
]


def make_n04() -> None:
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    ws["A1"] = "榴溪县2025年度审计查出问题整改台账"
    ws["A1"].font = Font(size=16, bold=True)
    ws.merge_cells("A1:F1")
    ws["A2"] = "编制单位：榴溪县审计整改工作领导小组办公室"
    ws["A3"] = "编制日期：2026年3月30日"
    ws["A5"] = "填表说明："
    notes = [
        "1.本台账按审计项目分表，各分表序号独立编排。",
        "2.整改时限为“立行立改”的问题，须于2026年4月30日前整改到位。",
        "3.问题整改完成后，由整改责任单位提交佐证材料，经县审计局审核确认后对账销号。",
        "4.各整改责任单位于每月5日前在“整改进展”栏更新情况，报县审计整改工作领导小组办公室。",
        "5.责任人为整改责任单位分管负责人。",
    ]
    for i, t in enumerate(notes, start=6):
        ws.cell(row=i, column=1, value=t)
    ws.column_dimensions["A"].width = 90
    for title, heading, rows in N04_SHEETS:
        sh = wb.create_sheet(title)
        sh.page_setup.orientation = "landscape"
        sh.page_setup.paperSize = sh.PAPERSIZE_A4
        sh["A1"] = heading
        sh["A1"].font = Font(size=13, bold=True)
        sh.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(N04_HEADER))
        for c, h in enumerate(N04_HEADER, start=1):
            cell = sh.cell(row=2, column=c, value=h)
            cell.font = Font(bold=True)
            cell.border = box
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for r, row in enumerate(rows, start=3):
            for c, v in enumerate(row, start=1):
                cell = sh.cell(row=r, column=c, value=int(v) if c == 1 else v)
                cell.border = box
                cell.alignment = Alignment(wrap_text=True, vertical="center")
        for col, w in zip("ABCDEFGH", (6, 40, 40, 18, 22, 10, 20, 16), strict=True):
            sh.column_dimensions[col].width = w
        sh.freeze_panes = "A3"
        sh.print_title_rows = "2:2"
    wb.save(str(HERE / "n04_liuxi_sjzg.xlsx"))


# ---------------------------------------------------------------- n05 (.pdf): table over two pages, header repeated

N05_COLS = [
    ("序号", 32.0),
    ("项目名称", 88.0),
    ("年度目标任务", 150.0),
    ("牵头单位", 72.0),
    ("责任单位", 100.0),
    ("完成时限", 73.0),
]
N05_PAGE1 = [
    ("1", "城乡学校扩容提质", "新建城南小学，新增学位1080个", "县教育局", "县住建局、县自然资源局", "2026年8月底前"),
    ("2", "农村饮水安全巩固提升", "改造农村供水管网120公里", "县水利局", "各乡镇人民政府", "2026年第三季度"),
    ("3", "城区集中供暖扩面", "新增集中供暖面积30万平方米", "县住建局", "县城投公司、县供热公司", "次年3月底前"),
    (
        "4",
        "县人民医院新院区建设",
        "建成住院综合楼并投入使用",
        "县卫生健康局",
        "县人民医院、县发展改革局",
        "2026—2027年",
    ),
]
N05_PAGE2 = [
    ("5", "老年助餐服务", "新建社区长者食堂15个", "县民政局", "各乡镇人民政府、城关街道办事处", "2026年11月底前"),
    ("6", "农贸市场标准化改造", "改造提升农贸市场4个", "县商务局", "县市场监管局", "6月底前完成，长期坚持"),
    ("7", "公共法律服务", "实现村（社区）法律顾问全覆盖", "县司法局", "各乡镇人民政府", "长期坚持"),
]


def make_n05() -> None:
    p1 = Page()
    p1.centre(800, 16, "碧川县人民政府办公室")
    p1.centre(780, 11, "碧政办发〔2026〕6号")
    p1.centre(755, 13, "关于印发碧川县2026年民生实事项目责任分解表的通知")
    y = prose(p1, 730, "各乡镇人民政府，城关街道办事处，县直各单位：", indent=False)
    y = prose(
        p1,
        y,
        "经县十八届人大五次会议票决，2026年县政府实施7件民生实事项目。现将项目责任分解表印发给你们，"
        "请各牵头单位细化实施方案，倒排工期，确保如期完成。各牵头单位于每月20日前向县政府督查室报送"
        "项目进展，县政府督查室每季度通报一次。",
    )
    p1.text(390, y - 6, 11, "碧川县人民政府办公室")
    p1.text(405, y - 25, 11, "2026年3月5日")
    y -= 55
    p1.text(40, y, 11, "附件")
    p1.centre(y - 22, 13, "碧川县2026年民生实事项目责任分解表")
    ruled_table(p1, y - 35, N05_COLS, N05_PAGE1)
    p1.centre(40, 10, "— 1 —")
    p2 = Page()
    y = ruled_table(p2, 800, N05_COLS, N05_PAGE2)
    p2.text(40, y - 20, 10, "注：跨年度项目按年度计划推进，完成时限为项目整体完工时间。")
    p2.centre(40, 10, "— 2 —")
    write_pdf(HERE / "n05_bichuan_msss.pdf", [p1, p2])


# ---------------------------------------------------------------- n08 (.docx): 对账表 with an adjusted-deadline column

N08_HEADER = ("序号", "重点工作", "牵头单位", "配合单位", "原定完成时限", "调整后完成时限", "对账情况")
N08_ROWS = [
    (
        "1",
        "建成市民服务中心二期并投入使用",
        "市机关事务管理局",
        "市政务服务管理局",
        "2026年6月底前",
        "2026年10月底前",
        "主体已完工，延期申请经市政府同意",
    ),
    ("2", "完成中心城区雨污分流改造25公里", "市住建局", "市水务集团", "2026年9月底前", "", "已完成，申请销号"),
    (
        "3",
        "出台支持数字经济发展若干政策措施",
        "市发展改革委",
        "市工业和信息化局、市财政局",
        "2026年8月底前",
        "",
        "已出台，申请销号",
    ),
    ("4", "新增城市公园绿地面积40公顷", "市城管局", "市自然资源和规划局", "2026年12月底前", "", "推进中，已完成28公顷"),
    (
        "5",
        "推进市第一中学新校区建设",
        "市教育局",
        "市城投集团",
        "2026年9月底前",
        "2027年8月底前",
        "受征地影响，延期申请经市政府同意",
    ),
    ("6", "开通市域公交快线3条", "市交通运输局", "市公交集团", "2026年11月底前", "—", "推进中，已开通1条"),
]


def make_n08() -> None:
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    para(doc, "潆川市人民政府督查室", size=18, bold=True, centre=True)
    para(doc, "潆督〔2026〕21号", centre=True)
    para(doc, "关于2026年市政府重点工作第三季度对账情况的通报", size=16, bold=True, centre=True)
    para(doc, "各牵头单位：")
    para(
        doc,
        "　　按照市政府要求，市政府督查室会同各牵头单位对2026年市政府重点工作逐项开展了第三季度对账。现将对账"
        "情况通报如下。经市政府同意，对“调整后完成时限”栏有内容的事项，按调整后的时限督办；申请销号的事项，"
        "经市政府督查室核验后销号。请各牵头单位于10月25日前报送第四季度推进计划。",
    )
    para(doc, "附件：2026年市政府重点工作第三季度对账表")
    para(doc, "潆川市人民政府督查室", right=True)
    para(doc, "2026年10月9日", right=True)
    doc.add_page_break()
    para(doc, "附件", bold=True)
    para(doc, "2026年市政府重点工作第三季度对账表", size=16, bold=True, centre=True)
    grid_table(doc, N08_HEADER, N08_ROWS)
    para(doc, "注：对账情况截至2026年9月30日。", size=10.5)
    doc.save(str(HERE / "n08_yingchuan_dzxh.docx"))


def main() -> None:
    make_n03()
    make_n04()
    make_n05()
    make_n08()


if __name__ == "__main__":
    main()
