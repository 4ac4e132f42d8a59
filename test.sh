#!/usr/bin/env bash
# Sets up .venv and headless Chromium, then runs the whole test suite on real parts.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1; then
  echo "test: installing Debian chromium for the browser test"
  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "test: chromium could not be installed; the browser test will fail"
fi
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False ANONYMIZED_TELEMETRY=False
exec .venv/bin/python -m pytest -q "$@"
