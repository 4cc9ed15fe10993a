#!/usr/bin/env bash
# Sets up Storyboard Studio on a fresh Debian machine with Python 3.11: system packages (as root),
# a virtual environment in .venv, CPU torch pinned first, then the project with its dev tools and the
# render farm's Ray (its tests run an embedded cluster).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  need=()
  for pkg in ffmpeg espeak-ng melt xvfb poppler-utils desktop-file-utils shared-mime-info libglib2.0-bin libgl1 libegl1 libx11-6 libfontconfig1 libxkbcommon0 \
             libglib2.0-0 libdbus-1-3 libpulse0 libxrandr2 libxext6 libx11-xcb1 libxcb-cursor0 libxkbcommon-x11-0 \
             libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 \
             libxcb-xinerama0 libxcb-xfixes0 libxcb-sync1; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# Pin torch before anything asks for it: an unpinned torch pulls a multi-GB CUDA build.
.venv/bin/python -m pip install -q -c constraints.txt torch
.venv/bin/python -m pip install -q -c constraints.txt -e ".[dev,farm]"
# Optional invisible watermark (pipeline/watermark/invisible.py): --no-deps, as it declares torch and the GUI OpenCV.
.venv/bin/python -m pip install -q PyWavelets && .venv/bin/python -m pip install -q --no-deps invisible-watermark
