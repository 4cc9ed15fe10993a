"""Desktop app bootstrap: builds the services and the main window (a placeholder until the UI lands)."""

from __future__ import annotations

import sys


def run_app(path: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from studio.project_file import load_project

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    title = "Storyboard Studio"
    text = "No project open. Create one with: studio new PATH --demo"
    if path:
        project = load_project(path)
        title = f"{project.title} — Storyboard Studio"
        text = f"{project.title}: {sum(1 for _ in project.shots())} shots"
    window.setWindowTitle(title)
    window.setCentralWidget(QLabel(text))
    window.resize(1280, 800)
    window.show()
    return app.exec()
