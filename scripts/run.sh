#!/usr/bin/env bash
# The main job: install, build/refresh the index from corpus/ (incremental: a no-op when nothing
# changed), then start the web UI on http://127.0.0.1:7860.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/verbatim ingest --corpus corpus --index index
exec .venv/bin/verbatim serve --index index "$@"
