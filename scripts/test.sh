#!/usr/bin/env bash
# The whole check: lint, layering contracts, the standalone Linux bundle (packaging/linux/build.sh,
# about a minute; STORYBOARD_SKIP_BUNDLE=1 leaves it out and its tests skip), then the test suite
# (offscreen Qt), which runs the bundle on a clean environment too.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/lint-imports
if [ "${STORYBOARD_SKIP_BUNDLE:-}" != 1 ]; then
  bash packaging/linux/build.sh
  export STORYBOARD_BUNDLE_DIR="$PWD/dist/storyboard-studio"
fi
.venv/bin/python -m pytest -q "$@"
