"""The dark theme: Fusion style, a matching palette (for what QSS does not reach), resources/styles/dark.qss."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

STYLE_FILE = Path(__file__).resolve().parent.parent / "resources" / "styles" / "dark.qss"


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#25262a",
        QPalette.ColorRole.WindowText: "#d7dae0",
        QPalette.ColorRole.Base: "#1d1e21",
        QPalette.ColorRole.AlternateBase: "#222327",
        QPalette.ColorRole.Text: "#d7dae0",
        QPalette.ColorRole.Button: "#34363c",
        QPalette.ColorRole.ButtonText: "#d7dae0",
        QPalette.ColorRole.Highlight: "#3d5a80",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2f3136",
        QPalette.ColorRole.ToolTipText: "#e8e8e8",
        QPalette.ColorRole.PlaceholderText: "#6b707a",
        QPalette.ColorRole.Link: "#f0b429",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#6b707a"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b707a"))
    return palette


def apply_dark_theme(app: QApplication) -> None:
    if app.property("storyboardTheme") == "dark":
        return  # re-applying a style sheet re-polishes every widget in the process
    app.setProperty("storyboardTheme", "dark")
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(dark_palette())
    if STYLE_FILE.is_file():
        app.setStyleSheet(STYLE_FILE.read_text(encoding="utf-8"))
