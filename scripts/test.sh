#!/usr/bin/env bash
# The whole check: lint, layering contracts, then the test suite (offscreen Qt).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/lint-imports
.venv/bin/python -m pytest -q "$@"
