"""The app's icon, from the PNG set in resources/icons (rendered from the SVG by packaging/render_icons.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICONS = Path(__file__).resolve().parent.parent.parent / "resources" / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_file(size: int) -> Path:
    return ICONS / f"storyboard-studio-{size}.png"


def app_icon() -> QIcon:
    """Every size that exists; an empty icon (Qt's default) when the files are gone."""
    icon = QIcon()
    for size in ICON_SIZES:
        if icon_file(size).is_file():
            icon.addFile(str(icon_file(size)))
    return icon
