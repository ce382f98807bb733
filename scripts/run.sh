#!/usr/bin/env bash
# The main job on a fresh machine: set up, load data/tasks.yaml into the embedded SQLite store and
# print what every unit has to do. (Once the scheduler lands, this runs `taskbot simulate` when no
# TELEGRAM_BOT_TOKEN is set, and the bot itself when one is.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/taskbot validate
.venv/bin/taskbot import
.venv/bin/taskbot summary
