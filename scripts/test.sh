#!/usr/bin/env bash
# Set up with the test tools, lint, then run the whole suite (SQLite always; PostgreSQL at
# TEST_POSTGRES_URL when it answers, and required when CI=true), in two steps (issue 23: the suite took
# 16–22 minutes on 2 cores, one test at a time):
# 1. everything but the fault tests, on every core (pytest-xdist; TEST_WORKERS=N to choose, 0 for none);
#    the end-to-end tests share one worker (their Bot API emulator is started once a worker);
# 2. the fault tests (-m reliability: real `taskbot run` processes killed, restarted, paced against the
#    limit-enforcing fake Bot API, PostgreSQL restarted), one at a time: their timing is what they test.
# Arguments go to both steps (a step whose selection is empty is not a failure).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
# The end-to-end tests' Bot API emulator (npm telegram-test-api, pinned by its package-lock.json).
if command -v npm >/dev/null 2>&1; then
  (cd tests/e2e/emulator && npm ci --no-audit --no-fund --silent)
fi
# The web 看板's browser tests (tests/web/test_browser.py): Debian's chromium and chromedriver, and CJK fonts for
# the screenshots. Installed only when missing and when we may (root with apt-get); otherwise those tests are
# skipped with the reason, and with CI=true they fail.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk
  fi
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy

step() {  # pytest exits 5 when nothing was selected
  local status=0
  .venv/bin/python -m pytest -q -rs "$@" || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq 5 ]
}
# coverage of bot/, handlers/ and scheduler/ by this step, printed least covered first (pyproject [tool.coverage])
step -n "${TEST_WORKERS:-auto}" --dist loadgroup -m "not reliability" --cov --cov-report=term:skip-covered "$@"
step -m reliability "$@"
