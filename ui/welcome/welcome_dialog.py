"""The first-run welcome: what the two kinds of backend are, where model weights go, and the demo
film created in a folder the user picks (the documents folder by default) and opened.

Shown once: the answer is remembered in the app's settings (ui/settings.py), whichever button
closes it. Help ▸ Welcome shows it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from studio.errors import StudioError
from ui.about.app_icon import app_icon
from ui.welcome.demo_folder import create_demo, default_projects_folder

if TYPE_CHECKING:
    from ui.main_window import MainWindow

WELCOME_SHOWN_KEY = "welcome/shown"

WELCOME_TEXT = """
<p><b>Welcome to Storyboard Studio.</b> Lay out shots on the timeline, describe each one in the
Shot Inspector, and render: every shot becomes a take you can keep, compare and regenerate alone.</p>
<p><b>Two kinds of renderer.</b> The <b>draft</b> backend draws an animatic from your shot
descriptions on any CPU, in seconds, with scratch voices for the dialogue (espeak-ng). It is the
default and needs nothing else. The <b>generation</b> backends (<i>ltx</i>, <i>wan</i>,
<i>animatediff</i>) make video with diffusion models on your GPU; they need the GPU build of the app
and the model weights on disk.</p>
<p><b>Model weights</b> are never downloaded behind your back. Put each model in a folder and point
the app at it: <code>STORYBOARD_LTX_MODEL_DIR</code>, <code>STORYBOARD_WAN_MODEL_DIR</code>,
<code>STORYBOARD_ANIMATEDIFF_MODEL_DIR</code> (or <code>--model-dir</code> on the command line), or
let the Hugging Face cache hold them; <code>studio models download MODEL --to DIR</code> fetches them
when you ask. Help ▸ About shows what this machine has.</p>
<p>The demo film, <i>Last Order</i> (eleven shots, two characters, rain), is a good place to start.</p>
"""


def welcome_was_shown(settings: QSettings) -> bool:
    return str(settings.value(WELCOME_SHOWN_KEY, "false")).lower() == "true"


def remember_welcome_shown(settings: QSettings) -> None:
    settings.setValue(WELCOME_SHOWN_KEY, "true")
    settings.sync()


class WelcomeDialog(QDialog):
    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.demo_folder: Path | None = None  # where the demo was created, once it is
        self.setObjectName("welcomeDialog")
        self.setWindowTitle("Welcome to Storyboard Studio")
        self.setMinimumWidth(620)

        top = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(96, 96))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(logo)
        text = QLabel(WELCOME_TEXT)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        top.addWidget(text, 1)

        self.folder_edit = QLineEdit(str(default_projects_folder()), objectName="demoFolder")
        self.folder_edit.setToolTip("The demo is saved here as “Last Order.storyboard”")
        choose = QPushButton("Choose…")
        choose.clicked.connect(lambda _checked=False: self.choose_folder())
        where = QHBoxLayout()
        where.addWidget(QLabel("Create the demo in:"))
        where.addWidget(self.folder_edit, 1)
        where.addWidget(choose)

        self.error_label = QLabel(objectName="welcomeError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #e06c5c")
        self.create_button = QPushButton("Create and Open the Demo", objectName="createDemoButton")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(lambda _checked=False: self.create_and_open_demo())
        self.skip_button = QPushButton("Start with an Empty Project", objectName="skipWelcomeButton")
        self.skip_button.clicked.connect(lambda _checked=False: self.reject())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.create_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(where)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.finished.connect(lambda _result: remember_welcome_shown(window.settings))

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Where should the demo project go?", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def create_and_open_demo(self) -> bool:
        text = self.folder_edit.text().strip()
        if not text:
            self.error_label.setText("Choose a folder for the demo project first.")
            return False
        try:
            self.demo_folder = create_demo(Path(text))
        except (OSError, StudioError) as exc:
            self.error_label.setText(f"Could not create the demo in {text}: {getattr(exc, 'strerror', None) or exc}. Choose another folder.")
            return False
        self.accept()
        self.window_.open_path(self.demo_folder)
        return True


def show_welcome(window: MainWindow) -> WelcomeDialog:
    dialog = WelcomeDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def show_welcome_on_first_run(window: MainWindow) -> WelcomeDialog | None:
    """The welcome, unless this user has seen it (or answered it) before."""
    if welcome_was_shown(window.settings):
        return None
    return show_welcome(window)
