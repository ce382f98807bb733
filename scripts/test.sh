#!/usr/bin/env bash
# Set up with the test tools, lint, then run the whole suite (SQLite always; PostgreSQL at
# TEST_POSTGRES_URL when it answers, and required when CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
.venv/bin/ruff check .
.venv/bin/python -m pytest -q -rs "$@"
