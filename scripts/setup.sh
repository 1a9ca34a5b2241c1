#!/usr/bin/env bash
# Create .venv and install Verbatim with its test extras. Idempotent: re-runs pip only when
# pyproject.toml changed. torch is pinned to 2.13.0 (the CPU build; an open range pulls CUDA).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.verbatim-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet "torch==2.13.0"
  .venv/bin/python -m pip install --quiet -e ".[test,bench]"
  echo "$want" > "$stamp"
fi
