#!/usr/bin/env bash
# Create .venv and install taskbot into it from uv.lock (with the test tools when called with "dev").
# uv (pinned below) is installed with pip when it is not on PATH; `uv sync --locked` refuses to run when
# pyproject.toml and uv.lock disagree, so every machine gets exactly the locked versions.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
python="${PYTHON:-python3}"
export UV_PYTHON="$python" UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy
uv="$(command -v uv || true)"
if [ -z "$uv" ] || [ "$("$uv" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  if [ ! -x .venv-uv/bin/uv ]; then
    "$python" -m venv .venv-uv
    .venv-uv/bin/python -m pip install --quiet "uv==$UV_VERSION"
  fi
  uv=.venv-uv/bin/uv
fi
if [ "${1:-}" = "dev" ]; then
  "$uv" sync --locked --quiet
else
  "$uv" sync --locked --quiet --no-dev
fi
