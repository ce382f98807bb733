#!/usr/bin/env bash
# Set up with the test tools, lint, then run the whole suite (SQLite always; PostgreSQL at
# TEST_POSTGRES_URL when it answers, and required when CI=true).
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
.venv/bin/python -m pytest -q -rs "$@"
