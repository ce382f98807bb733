"""Load benchmarks (issue 7, "Load"): many units reporting at once, and years of the whole loop.

Prints, measured in this one run (no timed asserts; ratios where there is something to compare with):
1. Reports at once. UNITS units (200) each send one report in the same instant, injected at the handler
   level: real Updates through the real Application (`process_update`: every handler, filter, the error
   handler), a third each as a tap on 进行中/受阻, a reply to a prompt (found through the outbox), and
   `/report <task> <text>`; the bot's answers go over HTTP to tests/fakebotapi.py through PTB's
   AIORateLimiter (30 messages/s, as in production). Two ways of processing them:
   - sequential: one update after another, as `taskbot run` does (PTB's default, no concurrent updates);
   - concurrent: all at once (`asyncio.gather`), as with concurrent updates or several bot processes;
   then concurrent again with SCALE units (1,000) — as many as the machine allows. For each: reports
   stored / sent (target 1.00), answered 已记录 / sent (target 1.00), and the latency from the instant
   they arrived to the report committed ("stored") and to the answer sent ("answered"), p50/p99/max.
   The answers cannot beat Telegram's limit: answered p99 ÷ (n ÷ 30 s) is printed (1.00 = at the limit).
2. Years of `taskbot simulate` (scheduler/simulate.py: the real planner, outbox, sender, reply parser and
   report service on a virtual clock, scripted units answering) over TASKS tasks (10,000: bench/generate.py,
   200 documents × 50 tasks, 300 units, deadlines spread over 2025-09 … 2028-03) for DAYS days (1,096 = three
   years), each day's messages handed on and dropped as `taskbot simulate` does. RSS at the start, at
   checkpoints and at the end, and at each checkpoint the outbox and audit_log row counts against what was
   sent and stored: outbox rows ÷ messages sent, audit rows ÷ (replies stored + digests built + import
   rows) — 1.00 means the tables grow with what was sent and nothing else — and the store's size on disk per
   message sent.
Part 1 on SQLite, then on PostgreSQL when it answers (TEST_POSTGRES_URL, a fresh schema, dropped after);
part 2 on SQLite (the simulation runs on a file of its own).

Run: `python -m bench.bench_load` (part 1 about four minutes per backend; part 2 over 10,000 tasks × three
years about four hours on 2 cores — ~4.3 million messages, the overdue reminders of the second half most of
them — and 24 minutes over 1,000 tasks); `--part reports|simulate`, `--days N`, `--tasks N`, `--from DATE`;
`--quick`: 50/200 units, 1,000 tasks × 120 days.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import sqlite3
import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

import handlers.reports
from bench.bench_scheduler import spread_deadlines
from bench.generate import generate
from bench.pg import postgres
from bot.app import build_application
from bot.core import db
from bot.core.models import Assignment, Chat, Outbox, Report, Task, Unit, utcnow
from bot.core.settings import Settings
from bot.render import callback_data
from bot.render import messages as m
from bot.tasksfile.importer import import_catalog
from bot.tasksfile.loader import load_catalog
from scheduler import simulate as sim
from tests.support.fakebotapi import FakeBotApi

TZ = ZoneInfo("Asia/Shanghai")
TOKEN = "123456:LOAD-bench-token-for-the-fake-bot-api"
BOT_ID = 42
CHAT0 = 20_000_000
PROMPT_MESSAGE = 777
TELEGRAM_RATE = 30.0  # messages a second: AIORateLimiter's overall limit, Telegram's
KINDS = ("tap", "reply", "command")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] if ordered else float("nan")


# -- 1. reports at once ---------------------------------------------------------------------------------


def load_tasks(path: Path, units: int) -> Path:
    """One document, a task per unit: unit i is responsible for task i and leads task i-1."""
    names = [f"负载单位{i:04d}" for i in range(units)]
    lines = [
        "version: 1",
        "timezone: Asia/Shanghai",
        "units:",
        *[f"  - name: {n}" for n in names],
        "documents:",
        "  - id: load-2025",
        "    title: 负载测试工作方案",
        f"    issuer: {names[0]}",
        "    issued: 2025-01-15",
        "    tasks:",
    ]
    for i, name in enumerate(names):
        lines += [
            f'      - id: "{i // 100 + 1}.{i % 100 + 1}"',
            f"        title: 第{i}项重点任务",
            f"        lead: [{names[(i + 1) % units]}]",
            f"        responsible: [{name}]",
            "        deadline: 2027-12-31",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class Reporter:
    index: int
    chat: int
    assignment: int
    key: str


async def build_report_store(url: str, tasks: Path) -> tuple[AsyncEngine, list[Reporter]]:
    engine = db.make_engine(url)
    await db.ensure_schema(engine)
    async with db.session_scope(engine) as session:
        await import_catalog(session, load_catalog(tasks), actor="bench")
        found = (
            await session.execute(
                select(Unit.id, Unit.name, Assignment.id, Task.key)
                .join(Assignment, Assignment.unit_id == Unit.id)
                .join(Task, Task.id == Assignment.task_id)
                .where(Assignment.role == "responsible")
                .order_by(Unit.name)
            )
        ).all()
        units = [Reporter(int(name[-4:]), CHAT0 + int(name[-4:]), aid, key) for _uid, name, aid, key in found]
        session.add_all(
            Chat(chat_id=u.chat, unit_id=uid, kind="private", title=name)
            for u, (uid, name, _aid, _key) in zip(units, found, strict=True)
        )
        session.add_all(
            Outbox(
                key=f"load-prompt@{u.chat}",
                kind="prompt",
                chat_id=u.chat,
                assignment_id=u.assignment,
                text="【进展询问】",
                status="sent",
                send_at=utcnow(),
                message_id=PROMPT_MESSAGE,
            )
            for u in units
        )
    return engine, units


def make_update(update_id: int, unit: Reporter, round_: int) -> dict[str, Any]:
    """One unit's report in round `round_`: the kind rotates, so no unit repeats its previous report."""
    chat = {"id": unit.chat, "type": "private", "first_name": f"联络员{unit.index}"}
    user = {"id": unit.chat, "is_bot": False, "first_name": f"联络员{unit.index}"}
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "taskbot"}
    now = int(time.time())
    kind = KINDS[(unit.index + round_) % len(KINDS)]
    percent = 10 + (unit.index * 7 + round_ * 13) % 80
    if kind == "tap":
        action = ("progress", "blocked")[round_ % 2]
        prompt = {"message_id": PROMPT_MESSAGE, "date": now, "chat": chat, "from": bot, "text": "【进展询问】"}
        return {
            "update_id": update_id,
            "callback_query": {
                "id": str(update_id),
                "chat_instance": str(unit.chat),
                "from": user,
                "message": prompt,
                "data": callback_data.make(callback_data.REPORT, unit.assignment, action),
            },
        }
    if kind == "reply":
        prompt = {"message_id": PROMPT_MESSAGE, "date": now, "chat": chat, "from": bot, "text": "【进展询问】"}
        text = f"第{round_ + 1}轮报送：正在推进，已完成{percent}%，预计12月底完成"
        return {
            "update_id": update_id,
            "message": {
                "message_id": 10_000 + update_id,
                "date": now,
                "chat": chat,
                "from": user,
                "text": text,
                "reply_to_message": prompt,
            },
        }
    text = f"/report {unit.key} 第{round_ + 1}轮：项目推进顺利，已完成{percent}%"
    return {
        "update_id": update_id,
        "message": {
            "message_id": 10_000 + update_id,
            "date": now,
            "chat": chat,
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len("/report")}],
        },
    }


class Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Round:
    mode: str
    sent: int
    stored: int
    answered: int
    queued: int  # answers Telegram did not take at once, left in the outbox for the sender
    wall: float
    stored_ms: list[float] = field(default_factory=list)
    answered_ms: list[float] = field(default_factory=list)


async def run_round(
    app: Any,
    api: FakeBotApi,
    engine: AsyncEngine,
    units: list[Reporter],
    round_: int,
    mode: str,
    first_id: int,
    stored_at: dict[int, float],
) -> Round:
    updates = [Update.de_json(make_update(first_id + n, u, round_), app.bot) for n, u in enumerate(units)]
    async with db.session_scope(engine) as session:
        before = (await session.execute(select(func.count()).select_from(Report))).scalar_one()
        queued_before = await queued_answers(session)
    seen = len(api.script.received)
    done: dict[int, float] = {}
    stored_at.clear()

    async def one(update: Update) -> None:
        await app.process_update(update)
        done[update.update_id] = time.perf_counter()

    start = time.perf_counter()
    if mode == "sequential":
        for update in updates:
            await one(update)
    else:
        await asyncio.gather(*(one(u) for u in updates))
    wall = time.perf_counter() - start
    async with db.session_scope(engine) as session:
        after = (await session.execute(select(func.count()).select_from(Report))).scalar_one()
        queued = await queued_answers(session) - queued_before
    answers = [p for p in api.script.received[seen:] if str(p.get("text", "")).startswith("已记录")]
    return Round(
        mode,
        len(updates),
        after - before,
        len({int(p["chat_id"]) for p in answers}),
        queued,
        wall,
        [(t - start) * 1000 for t in stored_at.values()],
        [(t - start) * 1000 for t in done.values()],
    )


async def queued_answers(session: Any) -> int:
    return (await session.execute(select(func.count()).select_from(Outbox).where(Outbox.kind == "answer"))).scalar_one()


def print_round(name: str, label: str, rounds: list[Round]) -> None:
    sent = sum(r.sent for r in rounds)
    stored = sum(r.stored for r in rounds)
    answered = sum(r.answered for r in rounds)
    queued = sum(r.queued for r in rounds)
    stored_ms = [x for r in rounds for x in r.stored_ms]
    answered_ms = [x for r in rounds for x in r.answered_ms]
    n = rounds[0].sent
    bound = n / TELEGRAM_RATE * 1000
    wall = statistics.median(r.wall for r in rounds)
    print(
        f"[{name}] {label}: {len(rounds)} rounds × {n:,} units: stored {stored:,}/{sent:,} = {stored / sent:.2f}, "
        f"answered 已记录 {answered:,}/{sent:,} = {answered / sent:.2f} (targets 1.00; not taken by Telegram "
        f"at once and queued for the sender: {queued:,}); median round "
        f"{wall:.2f} s = {n / wall:.0f} reports/s; the last report of a round committed after "
        f"{statistics.median(max(r.stored_ms) for r in rounds) / 1000:.2f} s = "
        f"{n / statistics.median(max(r.stored_ms) / 1000 for r in rounds):.0f} reports/s into the store"
    )
    print(
        f"[{name}]   latency from arrival, ms — stored (committed): p50 {pct(stored_ms, 0.5):,.0f}, "
        f"p99 {pct(stored_ms, 0.99):,.0f}, max {max(stored_ms):,.0f}; answered: p50 {pct(answered_ms, 0.5):,.0f}, "
        f"p99 {pct(answered_ms, 0.99):,.0f}, max {max(answered_ms):,.0f}; Telegram's 30 msg/s lets {n:,} answers "
        f"out in {bound:,.0f} ms → answered p99 ÷ that = {pct(answered_ms, 0.99) / bound:.2f}"
    )


async def bench_reports(name: str, url: str, work: Path, units: int, scale: int, rounds: int) -> None:
    most = max(units, scale)
    engine, all_units = await build_report_store(url, load_tasks(work / f"load-{name}.yaml", most))
    warnings = Warnings()
    logging.getLogger("handlers").addHandler(warnings)
    original_toast = handlers.reports.toast
    stored_at: dict[int, float] = {}

    async def timed_toast(update: Update, text: str | None = None) -> None:
        if text == m.TOAST_SAVED:
            stored_at.setdefault(update.update_id, time.perf_counter())
        await original_toast(update, text)

    handlers.reports.toast = timed_toast  # called right after the report's transaction committed
    api = FakeBotApi()
    api.thread = threading.Thread(target=api.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    try:
        with api:
            settings = Settings(telegram_bot_token=TOKEN, telegram_base_url=api.base_url, database_url=url)
            app = build_application(settings, job_installers=[], engine=engine)
            await app.initialize()
            try:
                next_id, round_ = 1, 0
                plan = [
                    ("sequential, one update after another (as `taskbot run` processes them)", "sequential", units),
                    ("concurrent, all at once", "concurrent", units),
                ]
                if scale > units:
                    plan.append((f"concurrent, {scale:,} units at once", "concurrent", scale))
                for label, mode, n in plan:
                    done = []
                    for _ in range(rounds):
                        done.append(await run_round(app, api, engine, all_units[:n], round_, mode, next_id, stored_at))
                        next_id += n
                        round_ += 1
                    print_round(name, label, done)
            finally:
                await app.shutdown()
    finally:
        handlers.reports.toast = original_toast
        logging.getLogger("handlers").removeHandler(warnings)
        await engine.dispose()
    kinds = Counter(r.getMessage().split(":")[0][:60] for r in warnings.records)
    print(
        f"[{name}]   warnings and errors logged meanwhile: {len(warnings.records)}"
        + (f" ({', '.join(f'{k} ×{v}' for k, v in kinds.most_common(3))})" if kinds else "")
    )


# -- 2. years of the simulation ----------------------------------------------------------------------------


def table_counts(path: Path) -> tuple[Counter[str], Counter[str], int]:
    """(outbox rows by status, audit rows by action, reports) read from the simulation's file (WAL: a reader
    beside the running simulation)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as conn:
        outbox = Counter(dict(conn.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()))
        audit = Counter(dict(conn.execute("SELECT action, count(*) FROM audit_log GROUP BY action").fetchall()))
        reports = conn.execute("SELECT count(*) FROM report").fetchone()[0]
    conn.close()
    return outbox, audit, reports


def store_kb(path: Path) -> float:
    """The SQLite store on disk: the file and its write-ahead log."""
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists()) / 1024


def bench_simulation(work: Path, tasks: int, days: int, start: dt.date) -> None:
    per_doc = 50
    source = spread_deadlines(
        generate(work / "sim.yaml", documents=max(1, tasks // per_doc), tasks_per_doc=per_doc, units=300)
    )
    store = work / "sim.db"
    checkpoints = sorted({1, 30, *range(91, days + 1, 91), days})  # the first day, a month, each quarter, the end
    state = {"messages": 0, "replies": 0, "t0": time.perf_counter(), "last": time.perf_counter(), "day": 0}
    sim_result: list[sim.SimulationResult] = []
    peak = [rss_mb()]
    start_rss = rss_mb()
    at_checkpoint: dict[int, float] = {}
    print(
        f"[simulate] {tasks:,} tasks (bench/generate.py, deadlines 2025-09-16 + 0…900 days), 300 units, "
        f"{days:,} days from {start}; RSS before the run {start_rss:,.0f} MB",
        flush=True,
    )
    print(
        "[simulate]   day  date         RSS MB  peak MB  messages sent  replies  outbox rows ÷ sent  "
        "audit rows ÷ (replies+digests+import)  store KB ÷ sent  s since last",
        flush=True,
    )

    def on_sent(result: sim.SimulationResult, messages: list[Any]) -> None:
        state["messages"] += len(messages)
        state["replies"] = result.replies
        if not sim_result:
            sim_result.append(result)

    def progress(day: int) -> None:
        peak[0] = max(peak[0], rss_mb())
        if day not in checkpoints:
            return
        outbox, audit, reports = table_counts(store)
        result = sim_result[0] if sim_result else None
        replies = result.replies if result else 0
        imported = sum(v for k, v in audit.items() if k.startswith("import"))
        explained = replies + audit.get("digest.build", 0) + imported
        rows = sum(outbox.values())
        now = time.perf_counter()
        at_checkpoint[day] = rss_mb()
        peak[0] = max(peak[0], at_checkpoint[day])
        print(
            f"[simulate]  {day:4d}  {start + dt.timedelta(days=day - 1)}  {rss_mb():7.0f}  {peak[0]:7.0f}  "
            f"{state['messages']:13,}  {replies:7,}  {rows:,} ÷ {state['messages']:,} = "
            f"{rows / max(1, state['messages']):.2f}  {sum(audit.values()):,} ÷ {explained:,} = "
            f"{sum(audit.values()) / max(1, explained):.2f} (reports {reports:,})  "
            f"{store_kb(store) / max(1, state['messages']):.2f}  {now - state['last']:.0f}",
            flush=True,
        )
        state["last"] = now

    result = asyncio.run(sim.simulate(source, store, start, days, TZ, progress=progress, on_sent=on_sent))
    outbox, audit, reports = table_counts(store)
    end_rss = rss_mb()
    month = min((d for d in at_checkpoint if d >= 30), default=None)
    steady = (
        f"; end − day {month} (after the first month's prompts) {end_rss - at_checkpoint[month]:+,.0f} MB"
        if month is not None and month != days
        else ""
    )
    print(
        f"[simulate] {days:,} days in {time.perf_counter() - state['t0']:,.0f} s: {result.messages:,} messages sent, "
        f"{result.replies:,} replies stored ({reports:,} report rows); outbox {dict(outbox)}; "
        f"audit_log {dict(audit.most_common(6))}"
    )
    print(
        f"[simulate]   RSS start {start_rss:,.0f} MB, end {end_rss:,.0f} MB, peak {peak[0]:,.0f} MB; "
        f"end ÷ peak {end_rss / peak[0]:.2f}{steady}"
    )
    print(
        f"[simulate]   outbox rows ÷ messages sent = {sum(outbox.values()) / max(1, result.messages):.2f} (a row "
        f"over 4,096 characters, a long digest, goes out as several messages: {result.messages - outbox['sent']:,} "
        f"extra parts); "
        f"report.add audit rows ÷ replies stored = {audit.get('report.add', 0) / max(1, result.replies):.2f} "
        f"(targets 1.00); the store on disk {store_kb(store) / 1024:,.0f} MB = "
        f"{store_kb(store) / max(1, result.messages):.2f} KB per message sent"
    )


# -- driver -------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("reports", "simulate", "all"), default="all")
    parser.add_argument("--units", type=int, default=200, help="units reporting at once (200)")
    parser.add_argument("--scale", type=int, default=1000, help="then this many at once (1,000; 0: skip)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per way of processing (3)")
    parser.add_argument("--tasks", type=int, default=10_000, help="tasks in the simulation (10,000)")
    parser.add_argument("--days", type=int, default=1096, help="simulated days (1,096 = three years)")
    parser.add_argument("--from", dest="start", default="2025-09-01", help="first simulated day (2025-09-01)")
    parser.add_argument("--quick", action="store_true", help="50 and 200 units; 1,000 tasks × 120 days")
    args = parser.parse_args()
    if args.quick:
        args.units, args.scale, args.rounds, args.tasks, args.days = 50, 200, 2, 1_000, 120
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        work = Path(tmp)
        if args.part in ("reports", "all"):
            logging.getLogger("httpx").setLevel(logging.WARNING)
            asyncio.run(
                bench_reports(
                    "sqlite", f"sqlite+aiosqlite:///{work / 'reports.db'}", work, args.units, args.scale, args.rounds
                )
            )
            pg = postgres()
            if pg is not None:
                make_url, drop_all = pg
                try:
                    asyncio.run(
                        bench_reports("postgresql", make_url("reports"), work, args.units, args.scale, args.rounds)
                    )
                finally:
                    drop_all()
        if args.part in ("simulate", "all"):
            logging.getLogger("scheduler").setLevel(logging.WARNING)
            bench_simulation(work, args.tasks, args.days, dt.date.fromisoformat(args.start))


if __name__ == "__main__":
    main()
