"""The window's actions and menus, wired from the shortcut table to the window's operations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from ui.shortcuts import SHORTCUTS

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _action(window: MainWindow, name: str, slot: Callable[[], object]) -> QAction:
    text, keys, tip = SHORTCUTS[name]
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setToolTip(f"{tip} ({keys[0]})")
    action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)  # shortcuts work whichever dock has focus
    return action


def build_menus(window: MainWindow) -> dict[str, QAction]:
    w = window
    edits = w.edits
    c = w.controller
    actions: dict[str, QAction] = {}

    def add(name: str, slot: Callable[[], object]) -> QAction:
        actions[name] = _action(w, name, slot)
        return actions[name]

    menu = w.menuBar().addMenu("&File")
    menu.addAction(add("new", w.new_project))
    menu.addAction(add("open", w.open_dialog))
    w.recent_menu = menu.addMenu("Open &Recent")
    w.recent_menu.aboutToShow.connect(w.fill_recent_menu)
    w.fill_recent_menu()
    for name, slot in (("save", w.save), ("save_as", w.save_as_dialog)):
        menu.addAction(add(name, slot))
    menu.addSeparator()
    relink = QAction("Re&link Missing Media…", w)
    relink.setStatusTip("Find missing media files in a folder and copy them back into the project")
    relink.triggered.connect(lambda _checked=False: w.relink_dialog())
    menu.addAction(relink)
    actions["relink"] = relink
    menu.addSeparator()
    menu.addAction(add("quit", w.close))

    menu = w.menuBar().addMenu("&Edit")
    undo = c.undo_stack.createUndoAction(w, "&Undo")
    redo = c.undo_stack.createRedoAction(w, "&Redo")
    undo.setShortcuts([QKeySequence(k) for k in SHORTCUTS["undo"][1]])
    redo.setShortcuts([QKeySequence(k) for k in SHORTCUTS["redo"][1]])
    for action in (undo, redo):
        w.addAction(action)
        menu.addAction(action)
    actions["undo"], actions["redo"] = undo, redo
    menu.addSeparator()
    menu.addAction(add("select_all", lambda: c.select([s.id for s in c.project.shots()])))

    menu = w.menuBar().addMenu("&Timeline")
    menu.addAction(add("add_shot", lambda: edits.add_shot(c.selected_ids[-1] if c.selected_ids else None)))
    menu.addAction(add("split", edits.split_at_playhead))
    menu.addAction(add("duplicate", lambda: edits.duplicate(list(c.selected_ids))))
    menu.addAction(add("delete", lambda: edits.delete(list(c.selected_ids))))
    menu.addAction(add("ripple_delete", lambda: edits.delete(list(c.selected_ids))))
    menu.addSeparator()
    for name, slot in (
        ("prev_shot", lambda: w.jump_shot(-1)),
        ("next_shot", lambda: w.jump_shot(1)),
        ("prev_frame", lambda: c.set_playhead(c.playhead - 1)),
        ("next_frame", lambda: c.set_playhead(c.playhead + 1)),
        ("mark_in", w.mark_in),
        ("mark_out", w.mark_out),
    ):
        menu.addAction(add(name, slot))
    menu.addSeparator()
    view = w.timeline.view
    for name, slot in (("zoom_in", lambda: view.zoom_by(1.25)), ("zoom_out", lambda: view.zoom_by(0.8)), ("zoom_fit", view.fit)):
        menu.addAction(add(name, slot))

    menu = w.menuBar().addMenu("&Playback")
    player = w.preview
    for name, slot in (("play", player.toggle), ("shuttle_back", player.shuttle_back), ("stop", player.stop), ("shuttle_forward", player.shuttle_forward)):
        menu.addAction(add(name, slot))
    menu.addSeparator()
    loop = add("loop", lambda: player.set_loop(actions["loop"].isChecked()))
    loop.setCheckable(True)
    menu.addAction(loop)

    menu = w.menuBar().addMenu("&Render")
    queue = w.render_queue
    menu.addAction(add("render_stale", queue.render_stale))
    menu.addAction(add("regenerate", lambda: queue.regenerate(list(c.selected_ids))))
    menu.addAction(add("cancel_render", queue.cancel))

    menu = w.menuBar().addMenu("&View")
    for dock in w.docks.values():
        menu.addAction(dock.toggleViewAction())
    menu.addSeparator()
    menu.addAction(add("full_screen", w.toggle_full_screen))
    leave = add("leave_full_screen", w.leave_full_screen)
    leave.setEnabled(False)  # Esc belongs to the widgets until the preview is full screen
    menu.addAction(leave)
    menu.addSeparator()
    reset = QAction("Reset Layout", w)
    reset.triggered.connect(w.reset_layout)
    menu.addAction(reset)

    menu = w.menuBar().addMenu("&Help")
    menu.addAction(add("shortcuts", w.show_shortcuts))
    welcome = QAction("&Welcome and Demo Project…", w)
    welcome.setStatusTip("The first-run welcome again: create the demo film, backends and model weights explained")
    welcome.triggered.connect(lambda _checked=False: w.show_welcome())
    menu.addAction(welcome)
    about = QAction("About Storyboard Studio and Diagnostics…", w)
    about.setStatusTip("Versions, GPU and free VRAM, model folders; copy the report for a bug report")
    about.triggered.connect(lambda _checked=False: w.show_about())
    menu.addAction(about)
    actions["about"] = about
    return actions
