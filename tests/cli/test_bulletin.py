"""`taskbot bulletin --docx`: the 督办通报 written, opened with python-docx; bad arguments write nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import docx
import pytest

from bot.core import db
from bot.render import messages as m
from tests.support.cli import run_cli
from tests.support.store import seed_rankings


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A SQLite store holding tests/support/store.py's June 2024 (seed_rankings)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"

    async def seeded() -> None:
        engine = db.make_engine(url)
        try:
            await db.ensure_schema(engine)
            await seed_rankings(engine)
        finally:
            await engine.dispose()

    asyncio.run(seeded())
    return {"DATABASE_URL": url}


def test_the_monthly_bulletin_holds_its_sections_and_the_ranking(env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "通报.docx"
    result = run_cli("bulletin", "--docx", str(target), "--period", "month", "--as-of", "2024-06-30", env=env)
    assert result.exit_code == 0, result.stderr
    assert "4 units ranked" in result.stdout
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "督办通报" and texts[1] == "〔2024〕第X期"
    assert "关于2024年6月督办工作落实情况的通报" in texts
    headings = [texts.index(h) for h in m.BULLETIN_HEADINGS]
    assert headings == sorted(headings)  # 一 二 三 四, in that order
    slow = texts[headings[2] + 1 : headings[3]]
    assert "1. 江海区人民政府：逾期未完成1项（示例 1.1），最长逾期20天；按时完成率0%。" in slow
    good = texts[headings[1] + 1]
    assert "市科技局（按时完成率100%）、市财政局（督办回复率100%）。" in good and "蓬江" not in good
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == list(m.BULLETIN_TABLE_HEADERS)
    assert rows[1:] == [
        ["市科技局", "100%", "—", "0", "0", "100", "1"],
        ["市财政局", "—", "100%", "0", "0", "100", "1"],
        ["蓬江区人民政府", "—", "0%", "0", "0", "80", "3"],
        ["江海区人民政府", "0%", "—", "1", "20", "61", "4"],
    ]
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm), round(section.page_width.mm)) == (37, 28, 210)
    body = document.styles["Normal"].element.rPr.rFonts
    assert body.get(docx.oxml.ns.qn("w:eastAsia")) == "仿宋_GB2312"


def test_the_weekly_bulletin_covers_the_iso_week(env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "week.docx"
    result = run_cli("bulletin", "--docx", str(target), "--period", "week", "--as-of", "2024-06-05", env=env)
    assert result.exit_code == 0, result.stderr
    texts = [p.text for p in docx.Document(str(target)).paragraphs]
    assert "关于2024年第23周督办工作落实情况的通报" in texts
    assert any(t.startswith("现将2024年第23周（6月3日至6月5日）") for t in texts)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "year"], "--period"),
        (["--as-of", "2024-13-01"], "--as-of '2024-13-01': expected a date YYYY-MM-DD"),
        (["--as-of", "30.06.2024"], "expected a date YYYY-MM-DD"),
    ],
)
def test_bad_arguments_exit_2_and_write_nothing(
    env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    target = tmp_path / "bad.docx"
    result = run_cli("bulletin", "--docx", str(target), *args, env=env)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not target.exists() and list(tmp_path.glob("*.docx*")) == []


@pytest.mark.parametrize(
    ("name", "message"), [("out.pdf", "give a file name ending in .docx"), ("missing/out.docx", "does not exist")]
)
def test_a_bad_target_is_refused_before_anything_is_read(
    env: dict[str, str], tmp_path: Path, name: str, message: str
) -> None:
    result = run_cli("bulletin", "--docx", str(tmp_path / name), env=env)
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1
    assert list(tmp_path.glob("**/*.pdf")) == [] and list(tmp_path.glob("**/*.docx")) == []
