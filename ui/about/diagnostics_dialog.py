"""About Storyboard Studio: version and a diagnostics report (pipeline.diagnostics) with Copy report.

The report is collected on a background thread: probing the GPU imports torch, which takes seconds
the first time, and the window must stay responsive meanwhile. The text shown is the text copied.
"""

from __future__ import annotations

import threading

import PySide6
from PySide6.QtCore import QObject, Qt, Signal, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from pipeline.diagnostics import app_version, collect, format_report
from ui.about.app_icon import app_icon

COLLECTING = "Collecting the diagnostics report (checking the GPU imports torch: a few seconds the first time)…"


def qt_version() -> str:
    return f"Qt {qVersion()}, PySide6 {PySide6.__version__}"


class _ReportCourier(QObject):
    """Carries the finished report from the worker thread to the dialog (a queued signal)."""

    ready = Signal(str)


class AboutDialog(QDialog):
    report_ready = Signal(str)  # the finished report text, once collected

    def __init__(self, parent: QWidget | None = None, collect_report=None) -> None:
        """`collect_report`: () -> str, run off the GUI thread (tests pass a quick one)."""
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Storyboard Studio")
        self.resize(760, 560)
        self.report_text = ""
        self._collect_report = collect_report or (lambda: format_report(collect(qt_version=qt_version())))

        header = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        header.addWidget(logo)
        title = QLabel(
            f"<b style='font-size:16pt'>Storyboard Studio</b><br>version {app_version()}<br>"
            "Multi-shot storyboards, draft animatics on any CPU, local video generation on a GPU."
        )
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header.addWidget(title, 1)

        self.report_view = QPlainTextEdit(objectName="diagnosticsReport")
        self.report_view.setReadOnly(True)
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report_view.setPlainText(COLLECTING)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy report", objectName="copyReportButton")
        self.copy_button.setToolTip("Copy the plain-text report to the clipboard, to paste into a bug report")
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(lambda _checked=False: self.copy_report())
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copied_label = QLabel()

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(QLabel("Diagnostics (include this in bug reports):"))
        layout.addWidget(self.report_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.copied_label, 1)
        row.addWidget(buttons)
        layout.addLayout(row)

    def start_collecting(self) -> None:
        courier = _ReportCourier()  # no parent: the thread keeps it alive even if the dialog is closed first
        courier.ready.connect(self._show_report)
        self._courier = courier
        collect_report = self._collect_report

        def work() -> None:
            try:
                text = collect_report()
            except Exception as exc:  # noqa: BLE001 - the report of a broken install must still appear
                text = f"Storyboard Studio diagnostics\nCould not collect the report: {type(exc).__name__}: {exc}\n"
            try:
                courier.ready.emit(text)
            except RuntimeError:  # the dialog and its courier are gone
                pass

        threading.Thread(target=work, name="diagnostics-report", daemon=True).start()

    def _show_report(self, text: str) -> None:
        self.report_text = text
        self.report_view.setPlainText(text)
        self.copy_button.setEnabled(True)
        self.report_ready.emit(text)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text)
        self.copied_label.setText("Copied to the clipboard.")


def show_about(parent: QWidget) -> AboutDialog:
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.start_collecting()
    return dialog
