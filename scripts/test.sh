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
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -q -rs "$@"
