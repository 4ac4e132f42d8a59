#!/usr/bin/env bash
# Sets up .venv, indexes corpus/ into index/ when it is missing or stale, starts the chat on 127.0.0.1:7860.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False ANONYMIZED_TELEMETRY=False
.venv/bin/python -m assistant ingest corpus --index index --prune
exec .venv/bin/python app.py --index index --host 127.0.0.1 --port 7860 "$@"
