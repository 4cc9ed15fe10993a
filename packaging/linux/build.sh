#!/usr/bin/env bash
# Builds the draft-only Linux bundle: a PyInstaller one-folder app (dist/storyboard-studio/) and a
# tarball with a launcher and desktop integration (dist/storyboard-studio-VERSION-linux-ARCH.tar.gz).
#
#   bash packaging/linux/build.sh                        # after scripts/setup.sh
#   STORYBOARD_BUNDLE_TORCH=1 bash packaging/linux/build.sh   # generation-capable (carries the venv's torch)
#
# VENV (default .venv) is the environment the app is frozen from; PyInstaller is installed into it
# from PyPI at the pinned version. The bundle needs no Python on the target machine; it needs the
# desktop's usual libraries (X11/xcb, fontconfig, GL) and espeak-ng for scratch voices.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-.venv}
PYINSTALLER_VERSION=6.22.3
started=$(date +%s)

"$VENV/bin/python" -m pip install -q "pyinstaller==$PYINSTALLER_VERSION"
version=$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("storyboard-studio"))')
arch=$(uname -m)
variant=""
[ "${STORYBOARD_BUNDLE_TORCH:-}" = 1 ] && variant="-gpu"
name="storyboard-studio-$version-linux-$arch$variant"

for size in 16 24 32 48 64 128 256 512; do
  [ -f "resources/icons/storyboard-studio-$size.png" ] || { echo "resources/icons/storyboard-studio-$size.png is missing: run packaging/render_icons.py" >&2; exit 1; }
done

"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/linux/studio.spec

bundle=dist/storyboard-studio
cp packaging/linux/launcher.sh "$bundle/storyboard-studio"
cp packaging/linux/install.sh "$bundle/install.sh"
chmod +x "$bundle/storyboard-studio" "$bundle/install.sh"
mkdir -p "$bundle/share/applications" "$bundle/share/mime/packages" "$bundle/share/icons/hicolor/scalable/apps"
cp packaging/desktop/storyboard-studio.desktop "$bundle/share/applications/"
cp packaging/desktop/storyboard-studio-mime.xml "$bundle/share/mime/packages/storyboard-studio.xml"
cp resources/icons/storyboard-studio.svg "$bundle/share/icons/hicolor/scalable/apps/"
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "$bundle/share/icons/hicolor/${size}x${size}/apps"
  cp "resources/icons/storyboard-studio-$size.png" "$bundle/share/icons/hicolor/${size}x${size}/apps/storyboard-studio.png"
done

rm -rf "dist/$name" "dist/$name.tar.gz"
cp -a "$bundle" "dist/$name"
tar -C dist -czf "dist/$name.tar.gz" "$name"
rm -rf "dist/$name"

built=$(( $(date +%s) - started ))
echo "bundle:  $bundle ($(du -sh "$bundle" | cut -f1))"
echo "tarball: dist/$name.tar.gz ($(du -sh "dist/$name.tar.gz" | cut -f1))"
echo "built in ${built}s"
echo "try it:  $bundle/studio new demo --demo && $bundle/studio render demo.storyboard --out demo.mp4"
