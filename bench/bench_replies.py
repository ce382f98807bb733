"""The reply parser's time on hostile and long texts (moved here from the tests, issue 23: a test asserts no
wall-clock time, and these failed on a loaded machine).

Prints, measured in this one run (no timed asserts), each text's parse (`parse_reply`, cut to
`reports.MAX_REPORT_CHARS` as the bot cuts it), the slowest of 3 runs, as a ratio of its budget:
- five texts that are nothing but dates (下周五 ×1365, 12月底 ×819, …): 3 s each — a report is parsed while
  every other chat waits, and jionlp once spent ~0.1 s a date (bot.replies.dates.JIONLP_BUDGET);
- a long ordinary report (「正在推进，预计12月底完成。」×300): 2 s.

Run: `python -m bench.bench_replies` (a few seconds).
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

from bot.chat import reports
from bot.replies.parser import parse_reply

NOW = dt.datetime(2025, 3, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
DATES_BUDGET_S = 3.0
LONG_BUDGET_S = 2.0
TEXTS = [
    ("下周五 ×1365", "下周五" * 1365, DATES_BUDGET_S),
    ("12月底， ×819", "12月底，" * 819, DATES_BUDGET_S),
    ("3月 ×2048", "3月" * 2048, DATES_BUDGET_S),
    ("年底前 ×1365", "年底前" * 1365, DATES_BUDGET_S),
    ("(下周五×20。) ×67", ("下周五" * 20 + "。") * 67, DATES_BUDGET_S),
    ("a long report ×300", "正在推进，预计12月底完成。" * 300, LONG_BUDGET_S),
]


def main() -> None:
    parse_reply("正在推进，预计12月底完成", NOW)  # warm-up: jionlp's import and tables
    for label, text, budget in TEXTS:
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            parse_reply(text[: reports.MAX_REPORT_CHARS], NOW)
            runs.append(time.perf_counter() - start)
        worst = max(runs)
        print(f"[parser] {label:<20} {worst * 1000:7.0f} ms = {worst / budget:.2f} of the {budget:.0f} s budget")


if __name__ == "__main__":
    main()
