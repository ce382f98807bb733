"""The shapes of the round-9 corpus (see tests/data/extract/round9/README.md, Q1-Q17), each on a short text of
its own (invented places and units, not the corpus's words): a box-drawing text table with wrapped rows, "X月中旬"
as a table's 时限, a task × unit matrix of ★ / ● under a 填报单位 line, task cards as <dl> lists, three numbering
levels in one table, an 一级 heading's 牵头科室 over its 二级 headings, quarter columns with upkeep, roles
and dates given by item number. No registry."""

from __future__ import annotations

import datetime as dt
import io

from bot.extract import extract_text, to_yaml
from bot.extract.model import ExtractedTask
from bot.extract.reader import parse_bytes
from bot.extract.units import UnitBook
from tests.extract.support import roles, tasks_of

HEAD = "岚溪县农业农村局文件\n岚农〔2026〕4号\n机关各股室：\n现将责任清单印发给你们。\n岚溪县农业农村局\n2026年3月2日\n"

BOX = """┌────┬──────────────┬──────────┬──────────┐
│ 序号 │ 重点工作     │ 责任股室 │ 完成时限 │
├────┼──────────────┼──────────┼──────────┤
│ 1  │ 完成高标准农 │ 农田建设 │ 2026年6  │
│    │ 田建设3万亩  │ 股（牵头 │ 月底前   │
│    │              │ ）、计财 │          │
│    │              │ 股       │          │
├────┼──────────────┼──────────┼──────────┤
│ 2  │ 开展农机安全 │ 农机股   │ 11月中旬 │
│    │ 检查         │          │          │
└────┴──────────────┴──────────┴──────────┘
"""


def test_a_box_drawing_table_is_one_row_between_two_rules() -> None:
    tasks = tasks_of(HEAD + BOX)
    assert set(tasks) == {"1", "2"}  # Q6: the rules are no rows, the wrapped lines between two rules one row
    assert tasks["1"].title == "完成高标准农田建设3万亩"
    assert roles(tasks["1"]) == (["农田建设股"], ["计财股"], "2026年6月底前")
    assert roles(tasks["2"])[:2] == ([], ["农机股"])


def test_the_middle_of_a_month_is_its_20th() -> None:
    tasks = tasks_of(HEAD + BOX)
    assert tasks["2"].deadline == dt.date(2026, 11, 20)  # Q4: 中旬 ends on the 20th


def test_a_unit_matrix_of_stars_and_dots_gives_leads_and_partners_and_the_form_names_the_issuer() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["岚溪县2026年招商引资重点任务责任矩阵"])
    sheet.append(["填报单位：岚溪县招商引资工作领导小组办公室（盖章）", None, None, "填报时间：2026年4月1日"])
    sheet.append(["图例：★ 牵头单位　● 配合单位"])
    sheet.append(["序号", "重点任务", "完成时限", "县商务局", "县财政局", "县自然资源局"])
    sheet.append([1, "建成物流园一期", "2026年10月31日", "★", "●", None])
    sheet.append([2, "编制产业地图", "2026年6月30日", "★", None, "★"])
    sheet.append([3, "开展招商推介会", "2026年9月30日", None, "●", "●"])
    out = io.BytesIO()
    book.save(out)
    source = parse_bytes(out.getvalue(), "sheet.xlsx", ".xlsx")
    extraction = extract_text(source.text, source.name, UnitBook())
    assert extraction.document.issuer == "岚溪县招商引资工作领导小组办公室"  # Q12: 填报单位, without （盖章）
    assert extraction.document.issued == dt.date(2026, 4, 1)
    tasks = {t.id: t for t in extraction.document.tasks}
    assert roles(tasks["1"])[:2] == (["县商务局"], ["县财政局"])  # Q11: ★ leads, ● takes part
    assert roles(tasks["2"])[:2] == (["县商务局", "县自然资源局"], [])
    assert roles(tasks["3"])[:2] == ([], ["县财政局", "县自然资源局"])  # ● only: no lead


def _html_tasks(body: str) -> dict[str, ExtractedTask]:
    page = (
        "<html><body><p>岚溪县人民政府办公室</p><p>各乡镇人民政府，县直有关单位：</p>"
        f"<p>现将任务清单印发给你们。</p><p>岚溪县人民政府办公室</p><p>2026年3月2日</p>{body}</body></html>"
    )
    source = parse_bytes(page.encode(), "page.html", ".html")
    extraction = extract_text(source.text, source.name, UnitBook())
    assert to_yaml(extraction)
    return {task.id: task for task in extraction.document.tasks}


def test_task_cards_as_definition_lists_are_tasks_numbered_by_their_card() -> None:
    card = (
        "<div><h4>任务{n}　{name}</h4><dl><dt>工作内容</dt><dd>{work}。</dd><dt>责任分工</dt><dd>{roles}</dd>"
        "<dt>完成时限</dt><dd>{due}</dd></dl></div>"
    )
    tasks = _html_tasks(
        card.format(n="一", name="道路", work="硬化村道12公里", roles="县交通局负责，县财政局参与", due="9月底前")
        + card.format(n="二", name="供水", work="改造供水管网", roles="县水利局、县财政局负责", due="年底前")
    )
    assert set(tasks) == {"1", "2"}  # Q13: 任务一 → "1"
    assert tasks["1"].title == "硬化村道12公里"  # Q14: 工作内容 is the title, without "。"
    assert roles(tasks["1"])[:2] == (["县交通局"], ["县财政局"])
    assert tasks["1"].deadline == dt.date(2026, 9, 30)
    assert roles(tasks["2"])[:2] == (["县水利局", "县财政局"], [])


def test_three_numbering_levels_in_one_table_give_the_innermost_numbers() -> None:
    tasks = _html_tasks(
        "<table><tr><th>建设任务</th><th>工作事项</th><th>工作指标</th><th>任务清单</th><th>责任清单</th><th>时限清单</th></tr>"
        "<tr><td rowspan='3'>（一）道路提升</td><td rowspan='2'>1.村道</td><td>（1）村道全部硬化。</td>"
        "<td>硬化村道5公里</td><td>农技站 交通站</td><td>4月</td></tr>"
        "<tr><td rowspan='2'>（2）路灯全覆盖。</td><td>安装路灯200盏</td><td>交通站</td><td>6月中旬</td></tr>"
        "<tr><td>2.路灯</td><td>维修旧路灯</td><td>财政所</td><td>9月底前</td></tr>"
        "<tr><td>（二）环境整治</td><td>3.垃圾</td><td>（3）垃圾日产日清。</td><td>配置垃圾桶300个</td>"
        "<td>环卫所 各村（社区）</td><td>5月底前</td></tr></table>"
    )
    assert set(tasks) == {"1", "2.1", "2.2", "3"}  # Q1: the innermost, table-wide number; merged → N.1, N.2
    assert tasks["1"].title == "硬化村道5公里"
    assert roles(tasks["1"]) == ([], ["农技站", "交通站"], dt.date(2026, 4, 30))  # Q3: one space between 站所
    assert tasks["2.1"].deadline == dt.date(2026, 6, 20)
    assert roles(tasks["3"])[1] == ["环卫所", "各村(社区)"]


def test_the_lead_office_of_a_first_level_heading_leads_every_item_under_its_second_levels() -> None:
    tasks = tasks_of(
        "岚溪街道办事处文件\n岚街发〔2026〕3号\n各社区居委会：\n现将任务分解印发给你们。\n岚溪街道办事处\n2026年2月1日\n"
        "一、环境整治（牵头领导：街道办事处副主任 林一；牵头科室：城建办）\n（一）垃圾分类\n"
        "    1.新建垃圾分类亭10个。\n      责任单位：各社区\n      完成时限：6月底前\n（二）绿化\n"
        "    2.补植行道树200株。\n      责任单位：综合执法队\n      完成时限：4月底前\n"
        "二、平安建设（牵头领导：街道党工委副书记 王二；牵头科室：综治办）\n（一）消防\n"
        "    3.排查九小场所消防隐患。\n      责任单位：安监站、各社区\n      完成时限：9月底前\n"
    )
    assert set(tasks) == {"1.1.1", "1.2.1", "2.1.1"}  # Q16: 一级.二级.position
    assert roles(tasks["1.2.1"])[:2] == (["城建办"], ["综合执法队"])  # Q17: the 一级 牵头科室 leads
    assert roles(tasks["2.1.1"])[:2] == (["综治办"], ["安监站", "各社区"])


def test_quarter_columns_skip_upkeep_and_keep_going_is_open_ended() -> None:
    tasks = _html_tasks(
        "<table><tr><th rowspan='2'>序号</th><th rowspan='2'>重点任务</th><th rowspan='2'>牵头单位</th>"
        "<th colspan='4'>进度安排</th></tr><tr><th>一季度</th><th>二季度</th><th>三季度</th><th>四季度</th></tr>"
        "<tr><td>1</td><td>建设口袋公园8个</td><td>县城管局</td><td>选址</td><td>开工</td><td>全部建成开放</td>"
        "<td>常态化管护</td></tr>"
        "<tr><td>2</td><td>整治违法建设</td><td>县自然资源局</td><td>持续推进</td><td>持续推进</td><td>持续推进</td>"
        "<td>持续推进</td></tr>"
        "<tr><td>3</td><td>改造燃气管道9公里</td><td>县住建局</td><td>—</td><td>开工</td><td>完成5公里</td>"
        "<td>全部完成</td></tr></table>"
    )
    assert tasks["1"].deadline == dt.date(2026, 9, 30)  # Q10: upkeep after the completing quarter
    assert tasks["2"].deadline == "持续推进"  # Q9: no quarter holds a milestone
    assert tasks["3"].deadline == dt.date(2026, 12, 31)


def test_roles_and_dates_given_by_item_number_apply_to_the_items_named() -> None:
    tasks = tasks_of(
        HEAD + "岚溪县2026年道路养护工作方案\n一、重点任务\n1.改造农村公路15公里。\n2.新建港湾式停靠站20个。\n"
        "3.开展桥梁安全排查。\n二、责任分工\n上述第1、3项由县交通运输局牵头，第2项由县交通运输局、县公安局共同牵头；"
        "县财政局配合做好第1至2项的资金保障；各乡镇人民政府负责本辖区内第1项的组织实施。\n"
        "三、时间安排\n第1项于10月中旬前完成；第2、3项于年底前完成。\n"
    )
    assert set(tasks) == {"1.1", "1.2", "1.3"}  # the 分工 / 时间 paragraphs, read into the items, are no tasks
    assert roles(tasks["1.1"]) == (["县交通运输局"], ["县财政局", "各乡镇人民政府"], dt.date(2026, 10, 20))
    assert roles(tasks["1.2"])[:2] == (["县交通运输局", "县公安局"], ["县财政局"])  # Q15: 共同牵头, 第1至2项
    assert roles(tasks["1.3"]) == (["县交通运输局"], [], dt.date(2026, 12, 31))


def test_work_going_on_in_the_last_quarter_is_still_its_milestone() -> None:
    tasks = _html_tasks(
        "<table><tr><th rowspan='2'>序号</th><th rowspan='2'>重点任务</th><th rowspan='2'>牵头单位</th>"
        "<th colspan='4'>进度安排</th></tr><tr><th>一季度</th><th>二季度</th><th>三季度</th><th>四季度</th></tr>"
        "<tr><td>1</td><td>建设智慧停车平台</td><td>县城管局</td><td>立项</td><td>开工</td><td>持续推进</td>"
        "<td>持续推进</td></tr></table>"
    )
    assert tasks["1"].deadline == dt.date(2026, 12, 31)  # F6: 持续推进 after milestones is work, not upkeep
