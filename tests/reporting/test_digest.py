"""The digest builder (pure) and its text: lights, lists, changes, targets."""

from __future__ import annotations

import datetime as dt

from bot.reporting.digest import GREEN, RED, YELLOW, Chases, DigestRow, TargetRow, build_digest, render_digest

AS_OF = dt.date(2025, 6, 2)
ISSUED = dt.date(2025, 1, 1)
RECENT = dt.datetime(2025, 5, 30, 2, 0, tzinfo=dt.UTC)


def row(
    aid: int,
    unit: str,
    status: str = "in_progress",
    deadline: dt.date | None = dt.date(2025, 12, 31),
    last: dt.datetime | None = RECENT,
    closed: bool = False,
    percent: int | None = None,
) -> DigestRow:
    return DigestRow(
        assignment_id=aid,
        unit=unit,
        document_id="d",
        document="方案",
        task_key=f"1.{aid}",
        task_title=f"任务{aid}",
        role="responsible",
        status=status,
        percent=percent,
        deadline=deadline,
        closed=closed,
        last_report_at=last,
        issued=ISSUED,
    )


def test_lights_follow_the_spec_rules() -> None:
    rows = [
        row(1, "逾期局", deadline=dt.date(2025, 5, 1)),
        row(2, "受阻局", status="blocked"),
        row(3, "临期局", deadline=dt.date(2025, 6, 6)),
        row(4, "沉默局", last=dt.datetime(2025, 4, 1, tzinfo=dt.UTC)),
        row(5, "从未报告局", last=None),
        row(6, "正常局"),
        row(7, "已完成局", status="done", deadline=dt.date(2025, 5, 1)),
        row(8, "办结局", deadline=dt.date(2025, 5, 1), closed=True),
        row(9, "正常局", deadline=dt.date(2025, 5, 20)),  # the worst assignment decides the unit's light
    ]
    digest = build_digest(rows, [], AS_OF)
    assert digest.lights == {
        "逾期局": RED,
        "受阻局": RED,
        "临期局": YELLOW,
        "沉默局": YELLOW,
        "从未报告局": YELLOW,
        "正常局": RED,
        "已完成局": GREEN,
        "办结局": GREEN,
    }
    assert [(r.unit, days) for r, days in digest.overdue] == [("逾期局", 32), ("正常局", 13)]
    assert [r.unit for r in digest.blocked] == ["受阻局"]
    assert digest.silent_units == ["从未报告局", "沉默局"]
    assert digest.counts == {"pending": 0, "in_progress": 6, "blocked": 1, "done": 2}


def test_changes_since_the_previous_digest() -> None:
    before = build_digest([row(1, "甲局", percent=30), row(2, "乙局")], [], AS_OF)
    after = build_digest(
        [row(1, "甲局", percent=60), row(2, "乙局", status="blocked")],
        [],
        AS_OF + dt.timedelta(days=7),
        previous=before.snapshot(),
    )
    text = "\n".join(after.changes)
    assert "甲局　1.1 任务1：进行中30% → 进行中60%" in text
    assert "乙局　1.2 任务2：进行中 → 受阻" in text
    assert "乙局：🟢绿灯 → 🔴红灯" in text
    assert build_digest([row(1, "甲局", percent=30)], [], AS_OF, previous=before.snapshot()).changes == []


def test_render_is_short_escaped_and_lists_what_needs_attention() -> None:
    rows = [row(i, f"单位{i}", deadline=dt.date(2025, 5, 1)) for i in range(40)]
    rows.append(row(99, "<b>恶意</b>局", status="blocked"))
    targets = [
        TargetRow("方案", "实施揭榜挂帅项目20项", 20, "项", dt.date(2025, 12, 31), 12.0),
        TargetRow("方案", "技术经纪人100名", 100, "名", None, None),
    ]
    text = render_digest(build_digest(rows, targets, AS_OF))
    assert text.splitlines()[1] == "任务41项（41个单位分工）。分工进展：已完成0，进行中40，受阻1，未报告0；逾期40个。"
    assert "&lt;b&gt;恶意&lt;/b&gt;局" in text and "<b>恶意" not in text
    assert "· 单位0：1项，最长逾期32天（1.0）" in text  # 40 overdue: summed up per unit
    assert "……另有25个单位" in text
    assert "实施揭榜挂帅项目20项：12/20项（2025-12-31）" in text
    assert "技术经纪人100名：未报/100名（长期）" in text
    assert "🔴 红灯单位：单位0（逾期1项，最长32天）、" in text and "等41个单位" in text
    assert len(text) < 4096


def test_targets_reported_first_then_nearest_due_and_capped() -> None:
    targets = [TargetRow("方案", f"旧目标{i}", 10, "项", dt.date(2017, 12, 31), None) for i in range(10)]
    targets += [TargetRow("方案", f"新目标{i}", 10, "项", dt.date(2025, 12, 31 - i), None) for i in range(10)]
    targets.append(TargetRow("方案", "已报目标", 10, "项", dt.date(2017, 12, 31), 4.0))
    lines = render_digest(build_digest([row(1, "甲局")], targets, AS_OF)).splitlines()
    listed = lines[lines.index("<b>目标指标</b>") + 1 :]
    assert listed[0].startswith("· 已报目标：4/10项")
    assert listed[1].startswith("· 新目标9：") and listed[10].startswith("· 新目标0：")
    assert listed[-1] == "……另有6项" and len(listed) == 16


def _task_row(aid: int, unit: str, key: str, **kw: object) -> DigestRow:
    base = row(aid, unit, **kw)  # type: ignore[arg-type]
    return DigestRow(**{**base.__dict__, "task_key": key, "document_short": "成果转化"})


def test_headline_counts_tasks_and_unit_assignments_and_names_tasks_by_reference() -> None:
    rows = [
        _task_row(1, "甲局", "1.2", deadline=dt.date(2025, 5, 1)),
        _task_row(2, "乙局", "1.2"),
        _task_row(3, "乙局", "2.1", status="blocked"),
    ]
    text = render_digest(build_digest(rows, [], AS_OF))
    assert text.splitlines()[1].startswith("任务2项（3个单位分工）。")
    assert "· 甲局　成果转化 1.2 任务1　逾期32天" in text
    assert "· 乙局　成果转化 2.1 任务3" in text
    assert "🔴 红灯单位：甲局（逾期1项，最长32天）、乙局（受阻1项）" in text


def test_targets_show_value_over_goal_with_the_pace_and_behind_pace_first() -> None:
    issued, due = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
    as_of = dt.date(2025, 5, 30)  # 515 of 730 days: a straight line expects 14 of 20
    ahead = TargetRow("方案", "组建创新联盟10家", 10, "家", due, 9.0, issued, "成果转化", "4.1")
    behind = TargetRow("方案", "实施揭榜挂帅项目20项", 20, "项", due, 12.0, issued, "成果转化", "1.2")
    silent = TargetRow("方案", "培养技术经纪人100名", 100, "名", due, None, issued, "成果转化", None)
    lines = render_digest(build_digest([row(1, "甲局")], [ahead, behind, silent], as_of)).splitlines()
    listed = lines[lines.index("<b>目标指标</b>") + 1 :]
    assert listed == [  # reported ones first (issue 22), behind pace first among them
        "· 成果转化 1.2 实施揭榜挂帅项目20项：12/20项，应达14项 ⚠️",
        "· 成果转化 4.1 组建创新联盟10家：9/10家，应达7家",
        "· 成果转化 培养技术经纪人100名：未报/100名，应达71名 ⚠️",
    ]
    assert behind.expected(dt.date(2023, 6, 1)) == 0 and behind.expected(dt.date(2027, 1, 1)) == 20


def test_moved_targets_are_not_hidden_behind_unreported_ones_and_texts_are_cut_at_a_word() -> None:
    """Issue 22: four recorded targets fell into 「……另有15项」 behind fifteen unreported ones, and a text was cut
    inside a number (「…比例达到2…：未报/20%」)."""
    issued, due = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
    as_of = dt.date(2025, 5, 30)
    silent = [
        TargetRow("方案", f"未报指标{n:02d}项", 20, "项", due, None, issued, "成果转化", f"9.{n}") for n in range(15)
    ]
    moved = [TargetRow("方案", f"已报指标{n}项", 20, "项", due, 15.0, issued, "成果转化", f"1.{n}") for n in range(4)]
    other = TargetRow(
        "方案", "本单位指标", 20, "项", due, None, issued, "成果转化", "2.1", contributions=(("乙局", 3.0),)
    )
    lines = render_digest(build_digest([row(1, "甲局")], [*silent, *moved, other], as_of)).splitlines()
    listed = lines[lines.index("<b>目标指标</b>") + 1 :]
    shown = [line for line in listed if line.startswith("· ")]
    assert sum("已报指标" in line for line in shown[:5]) == 4
    assert any("本单位指标" in line and "各单位填报：乙局3项" in line for line in shown[:5])
    long = TargetRow("方案", "全市高新技术企业研发投入占营业收入比例达到20%以上", 20, "%", None, None, None, "", "3.1")
    line = render_digest(build_digest([row(1, "甲局")], [long], as_of)).splitlines()[-1]
    assert "比例达到…" in line and "达到2…" not in line


def test_chases_this_week_and_units_chased_three_times_without_a_report() -> None:
    rows = [row(1, "甲局", deadline=dt.date(2025, 5, 1)), row(2, "乙局"), row(3, "丙局")]
    chases = Chases(this_week={"甲局": 2, "乙局": 1, "别的局": 4}, since_last_report={"甲局": 3, "乙局": 2})
    digest = build_digest(rows, [], AS_OF, chases=chases)
    assert digest.chased_week == {"甲局": 2, "乙局": 1}  # a unit outside the audience is left out
    assert digest.chased_unheard == {"甲局": 3}  # two chases are not yet "three"
    text = render_digest(digest)
    assert "甲局本周催办2次、乙局本周催办1次" in text
    assert "⚠️ 催办3次以上仍未报告：甲局（3次）" in text
    assert "催办" not in render_digest(build_digest(rows, [], AS_OF))
