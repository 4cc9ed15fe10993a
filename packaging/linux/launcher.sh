#!/bin/sh
# storyboard-studio: starts the bundled app from wherever the bundle was unpacked, also through a
# symlink (install.sh links it into ~/.local/bin). Arguments go to `studio` unchanged.
here=$(dirname "$(readlink -f "$0")")
if ! command -v espeak-ng >/dev/null 2>&1; then
  echo "storyboard-studio: espeak-ng is not installed; dialogue in animatics will be silent until it is (sudo apt-get install espeak-ng)" >&2
fi
exec "$here/studio" "$@"
