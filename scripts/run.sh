#!/usr/bin/env bash
# The main job on a fresh machine: set up, load data/tasks.yaml into the store, then
#  - with no TELEGRAM_BOT_TOKEN (environment or .env): `taskbot simulate`, the whole loop offline on a
#    virtual clock against its own embedded SQLite file, printing every message sent and the final digest;
#  - with a token: `taskbot run`, the bot itself (long polling).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/taskbot validate
.venv/bin/taskbot import
token="${TELEGRAM_BOT_TOKEN:-}"
if [ -z "$token" ] && [ -f .env ]; then
  token=$(sed -n 's/^TELEGRAM_BOT_TOKEN=//p' .env | tail -n 1)
fi
if [ -z "$token" ]; then
  exec .venv/bin/taskbot simulate "$@"
fi
exec .venv/bin/taskbot run "$@"
