#!/usr/bin/env bash
# Install everything the tests need (Python packages; Debian's chromium for the browser tests, strace for
# the network audit and a TTF font for the PDF fixtures), check the code with ruff, then run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v strace >/dev/null 2>&1 || missing+=(strace)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
      || echo "warning: could not install ${missing[*]}; browser/PDF tests will fail" >&2
  else
    echo "warning: missing ${missing[*]}; run: sudo apt-get install ${missing[*]}" >&2
  fi
fi
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/python -m ruff check --quiet . || { echo "ruff found the problems above (fix them, or run: .venv/bin/ruff check --fix .)" >&2; exit 1; }
exec .venv/bin/python -m pytest -q "$@"
