"""`taskbot remind overdue --dry-run` names every late unit, reachable or not (issue 22, item 11)."""

from __future__ import annotations

import asyncio

from bot.core import db
from bot.render import messages as m
from tests.support.cli import run_cli
from tests.support.store import bind, seed


def _listed(stdout: str) -> dict[str, str]:
    """unit → its line, for the lines `remind` prints per unit."""
    return {line.split(" — ")[0]: line for line in stdout.splitlines() if " — " in line}


def test_a_dry_run_on_a_store_with_no_bound_chat_lists_every_late_unit(sqlite_url: str) -> None:
    """mini.yaml: 1.2 (due 2024-06-30) is late for 市科技局 and 市财政局 (1.1, end of 2025, for its units too).
    No chat is bound: the dry run used to say that no unit is concerned; it lists them, marked 未绑定. After a
    催办 of 市财政局 (bound now), the dry run marks it 今天已催办."""
    engine = db.make_engine(sqlite_url)

    async def prepare() -> None:
        await db.ensure_schema(engine)
        await seed(engine)

    asyncio.run(prepare())
    env = {"DATABASE_URL": sqlite_url}
    dry = run_cli("remind", "overdue", "--dry-run", env=env)
    assert dry.exit_code == 0, dry.stderr
    listed = _listed(dry.stdout)
    assert {"市科技局", "市财政局"} <= set(listed) and "1.2" in listed["市财政局"]
    assert all(f"0 chats [{m.CLI_CHASE_UNBOUND}]" in line for line in listed.values())
    assert "dry run: 0 units, 0 chats; nothing queued" in dry.stdout

    asyncio.run(bind(engine, 501, "市财政局"))
    assert run_cli("remind", "unit", "市财政局", env=env).exit_code == 0
    listed = _listed(run_cli("remind", "overdue", "--dry-run", env=env).stdout)
    assert f"1 chats [{m.CLI_CHASE_TODAY}]" in listed["市财政局"]
    assert f"[{m.CLI_CHASE_UNBOUND}]" in listed["市科技局"]
    asyncio.run(engine.dispose())
