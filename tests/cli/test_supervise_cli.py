"""督查单位 in the CLI (tests/data/supervise.yaml): `taskbot summary` counts them in their own column and
not by status; `taskbot digest --unit` gives a supervising unit the digest of the tasks it supervises."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DATA
from tests.support.cli import run_cli

SUPERVISE = str(DATA / "supervise.yaml")


def _cells(stdout: str, unit: str) -> list[str]:
    line = next(line for line in stdout.splitlines() if f"│ {unit} " in line)
    return [cell.strip() for cell in line.split("│")[1:-1]]


def test_summary_and_digest_of_a_supervising_unit(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}
    assert run_cli("import", SUPERVISE, env=env).exit_code == 0
    summary = run_cli("summary", env=env)
    assert summary.exit_code == 0, summary.stderr
    # 单位 牵头 责任 督查, then 未报告 进行中 受阻 已完成: the two 督查 rows are in no status
    assert _cells(summary.stdout, "市委督查室") == ["市委督查室", "0", "0", "2", "0", "0", "0", "0"]
    assert _cells(summary.stdout, "市科技局") == ["市科技局", "1", "0", "1", "1", "0", "0", "0"]
    digest = run_cli("digest", "--unit", "中共江门市委督查室", "--as-of", "2024-04-02", env=env)
    assert digest.exit_code == 0, digest.stderr
    lines = digest.stdout.splitlines()
    assert lines[0] == "「中共江门市委督查室」督查任务汇总（2024-04-02）"
    assert lines[1].startswith("任务2项（3个单位分工）") and "逾期1个" in lines[1]
    assert "· 市发展改革局　督查示例 1.2 开展技术合同登记　逾期4天" in lines
