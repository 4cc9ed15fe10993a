#!/bin/sh
# Registers the unpacked bundle with the desktop for this user: the `storyboard-studio` command in
# ~/.local/bin, the menu entry, the icons and the project MIME type. `install.sh --uninstall` undoes it.
set -eu
here=$(dirname "$(readlink -f "$0")")
data=${XDG_DATA_HOME:-$HOME/.local/share}
bin=$HOME/.local/bin
sizes="16 24 32 48 64 128 256 512"

refresh() {
  command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$data/mime" || true
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$data/applications" || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$bin/storyboard-studio" "$data/applications/storyboard-studio.desktop" "$data/mime/packages/storyboard-studio.xml"
  for size in $sizes; do rm -f "$data/icons/hicolor/${size}x${size}/apps/storyboard-studio.png"; done
  rm -f "$data/icons/hicolor/scalable/apps/storyboard-studio.svg"
  refresh
  echo "Storyboard Studio is no longer registered (the unpacked folder $here is left as it is)."
  exit 0
fi

mkdir -p "$bin" "$data/applications" "$data/mime/packages" "$data/icons/hicolor/scalable/apps"
ln -sf "$here/storyboard-studio" "$bin/storyboard-studio"
# Exec= names the launcher by its absolute path, so the menu works even when ~/.local/bin is not on PATH.
sed -e "s|^Exec=storyboard-studio |Exec=$here/storyboard-studio |" -e "s|^TryExec=storyboard-studio|TryExec=$here/storyboard-studio|" \
  "$here/share/applications/storyboard-studio.desktop" > "$data/applications/storyboard-studio.desktop"
cp "$here/share/mime/packages/storyboard-studio.xml" "$data/mime/packages/storyboard-studio.xml"
for size in $sizes; do
  mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
  cp "$here/share/icons/hicolor/${size}x${size}/apps/storyboard-studio.png" "$data/icons/hicolor/${size}x${size}/apps/"
done
cp "$here/share/icons/hicolor/scalable/apps/storyboard-studio.svg" "$data/icons/hicolor/scalable/apps/"
refresh
echo "Storyboard Studio is in the applications menu; from a terminal: storyboard-studio (needs ~/.local/bin on PATH)."
command -v espeak-ng >/dev/null 2>&1 || echo "Install espeak-ng for the scratch dialogue voices: sudo apt-get install espeak-ng"
