"""One pace for every process (issue 23 §2): the combined rate of two `taskbot run` processes on one PostgreSQL.

Two real processes (webhook mode, as behind a load balancer) and the fake Bot API as a process of its own with
Telegram's flood limits enforced (`--limit`: 30 messages a second, one a second per chat); MESSAGES messages to
as many chats are queued once both are up. Prints the 429s drawn (budget 0), the combined rate from the first
to the last delivery (budget ≥ 0.9 × 30/s = 27/s) and whether each message went out once. The test of the same
run (tests/reliability/test_one_pace.py) asserts the 429s and the deliveries, not the rate: that is wall-clock.

Run: `python -m bench.bench_pace [--messages N]` (2,000 by default: about 70 s at 29/s, plus the starts).
On a loaded machine the sender cannot keep its pace: read the load average printed with the result.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.pg import postgres
from tests.reliability.conftest import PACE_MARK, BotProcess, FakeApi, free_port, pace_chats, queue_pace_broadcast

BUDGET = 0.9 * 30


def _wait(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def run(messages: int) -> None:
    pg = postgres()
    if pg is None:
        return
    make, drop_all = pg
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = make("pace")
        api = FakeApi(work, limit=True)
        api.start()
        bots: list[BotProcess] = []
        try:
            chats = asyncio.run(pace_chats(url, messages))
            for name in ("a", "b"):
                args = ("--webhook", "https://bot.example.org/tg/hook", "--listen", f"127.0.0.1:{free_port()}")
                bots.append(BotProcess(work, url, api, args=args, env={"TELEGRAM_WEBHOOK_SECRET": "x" * 16}, name=name))
            for bot in bots:
                bot.start()
            for bot in bots:
                bot.wait_up(300)
            asyncio.run(queue_pace_broadcast(url, chats))
            done = _wait(lambda: sum(PACE_MARK in d["text"] for d in api.deliveries()) >= messages, 600)
            out = [d for d in api.deliveries() if PACE_MARK in d["text"]]
            times = sorted(d["at"] for d in out)
            rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
            once = Counter(d["chat_id"] for d in out) == Counter(chats)
            stats = api.stats()
            print(
                f"[pace] two processes, {messages} messages, flood limits on (load {os.getloadavg()[0]:.1f}): "
                f"{len(out)} delivered{'' if done else ' (timed out)'}, each once: {once}; "
                f"{stats['rate_limited']} × 429 (budget 0); {rate:.1f}/s together = {rate / 30:.2f} × 30/s "
                f"(budget ≥ {BUDGET:.0f}/s: {'ok' if rate >= BUDGET else 'OVER'})"
            )
        finally:
            for bot in bots:
                bot.stop()
            api.stop()
            drop_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2_000)
    run(parser.parse_args().messages)


if __name__ == "__main__":
    main()
