"""Cameo capture: consent statement and phrase, import a clip, attach the likeness and consent as one edit."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from PySide6.QtMultimedia import QMediaDevices

from studio.character import Character
from studio.consent import ConsentScope, has_valid_consent
from studio.media_store import sha256_of_file
from studio.project import Project
from studio.project_file import save_project
from ui.cameo import CameoDialog
from ui.cameo.capture import NO_CAMERA
from ui.document_controller import DocumentController

FACE = (16, 16, 32, 32)


def fake_detector(frame: np.ndarray) -> list[tuple[int, int, int, int]]:
    return [FACE]


def two_faces(frame: np.ndarray) -> list[tuple[int, int, int, int]]:
    return [(0, 0, 24, 24), (36, 36, 24, 24)]


def synthetic_clip(path: Path, frames: int = 24) -> Path:
    """A tiny H.264 clip with a textured square where the fake detector 'finds' a face."""
    rng = np.random.default_rng(7)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=12)
        stream.width = stream.height = 64
        stream.pix_fmt = "yuv420p"
        for _ in range(frames):
            image = np.full((64, 64, 3), 90, np.uint8)
            image[16:48, 16:48] = rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


@pytest.fixture
def controller(qtbot, tmp_path: Path) -> DocumentController:
    project = Project(title="Cameo test", characters=[Character(id="hero", name="HERO")])
    folder = save_project(project, tmp_path / "Cameo.storyboard")
    controller = DocumentController()
    assert controller.open_project(folder)
    return controller


def open_dialog(qtbot, controller: DocumentController, **kwargs) -> CameoDialog:
    dialog = CameoDialog(controller, "hero", **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def test_without_a_camera_record_is_disabled_and_says_why(qtbot, controller: DocumentController) -> None:
    if QMediaDevices.videoInputs():
        pytest.skip("this machine has a camera")
    dialog = open_dialog(qtbot, controller, detector=fake_detector)
    assert not dialog.record_button.isEnabled()
    assert dialog.record_button.toolTip() == NO_CAMERA
    assert dialog.import_button.isEnabled()


def test_imported_clip_attaches_likeness_and_consent_as_one_undo_step(qtbot, controller: DocumentController, tmp_path: Path) -> None:
    clip = synthetic_clip(tmp_path / "cameo.mp4")
    dialog = open_dialog(qtbot, controller, detector=fake_detector)
    assert dialog.phrase in dialog.phrase_label.text()
    dialog.person.setText("Ada Lovelace")
    dialog.scope_all.setChecked(True)
    assert "Ada Lovelace" in dialog.statement.text() and "all of my" in dialog.statement.text()
    dialog.import_clip(clip)
    qtbot.waitUntil(lambda: dialog.analysis is not None and not dialog.busy, timeout=20000)
    assert dialog.frames.count() == len(dialog.analysis.frames) > 0
    assert dialog.accept_button.isEnabled()
    depth = controller.undo_stack.count()

    dialog.accept_button.click()

    hero = controller.project.character("hero")
    assert len(hero.reference_images) == len(dialog.analysis.frames)
    assert all(controller.media.exists(ref) for ref in hero.reference_images)
    record = hero.likeness_consent
    assert record is not None and has_valid_consent(hero)
    assert record.person == "Ada Lovelace"
    assert record.scope == ConsentScope.ALL_PROJECTS
    assert record.phrase == dialog.phrase  # the phrase shown is the one stored
    assert record.clip_sha256 == sha256_of_file(clip)
    assert controller.undo_stack.count() == depth + 1

    controller.undo_stack.undo()
    hero = controller.project.character("hero")
    assert hero.reference_images == [] and hero.likeness_consent is None


def test_unreadable_clip_shows_the_error_and_changes_nothing(qtbot, controller: DocumentController, tmp_path: Path) -> None:
    clip = tmp_path / "broken.mp4"
    clip.write_bytes(b"not a video at all" * 100)
    dialog = open_dialog(qtbot, controller, detector=fake_detector)
    dialog.person.setText("Ada Lovelace")
    depth = controller.undo_stack.count()
    dialog.import_clip(clip)
    qtbot.waitUntil(lambda: "cannot be read" in dialog.status.text() and not dialog.busy, timeout=20000)
    assert "Nothing was changed" in dialog.status.text()
    assert not dialog.accept_button.isEnabled()
    assert not dialog.apply()
    hero = controller.project.character("hero")
    assert hero.reference_images == [] and hero.likeness_consent is None
    assert controller.undo_stack.count() == depth


def test_missing_face_detector_is_reported_in_the_dialog(qtbot, controller: DocumentController, tmp_path: Path) -> None:
    clip = synthetic_clip(tmp_path / "cameo.mp4", frames=6)

    def no_detector(frame: np.ndarray) -> list:
        from pipeline.cameo.analysis import CameoError

        raise CameoError("this OpenCV has no bundled Haar face cascade")

    dialog = open_dialog(qtbot, controller, detector=no_detector)
    dialog.import_clip(clip)
    qtbot.waitUntil(lambda: "Haar" in dialog.status.text() and not dialog.busy, timeout=20000)
    assert controller.project.character("hero").likeness_consent is None


def test_several_faces_offer_thumbnails_and_the_chosen_face_is_used(qtbot, controller: DocumentController, tmp_path: Path) -> None:
    clip = synthetic_clip(tmp_path / "cameo.mp4", frames=12)
    dialog = open_dialog(qtbot, controller, detector=two_faces)
    dialog.import_clip(clip)
    qtbot.waitUntil(lambda: dialog.candidates.count() == 2 and not dialog.busy, timeout=20000)
    assert not dialog.candidates.item(0).icon().isNull()
    dialog._candidate_chosen(dialog.candidates.item(1))
    qtbot.waitUntil(lambda: dialog.analysis is not None and not dialog.busy, timeout=20000)
    assert all(frame.box == (36, 36, 24, 24) for frame in dialog.analysis.frames)


def test_accept_needs_the_persons_name(qtbot, controller: DocumentController, tmp_path: Path) -> None:
    clip = synthetic_clip(tmp_path / "cameo.mp4", frames=6)
    dialog = open_dialog(qtbot, controller, detector=fake_detector)
    dialog.import_clip(clip)
    qtbot.waitUntil(lambda: dialog.analysis is not None and not dialog.busy, timeout=20000)
    assert not dialog.apply()
    assert "name" in dialog.status.text()
    assert controller.project.character("hero").likeness_consent is None


def test_character_library_opens_cameo_capture_for_the_current_character(qtbot, controller: DocumentController, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.library.characters import CharacterLibrary
    from ui.thumbnails import ThumbnailCache

    opened: list[str] = []
    monkeypatch.setattr(CameoDialog, "exec", lambda self: opened.append(self.character_id) or 0)
    library = CharacterLibrary(controller, ThumbnailCache())
    qtbot.addWidget(library)
    assert library.cameo.text() == "Record cameo…" and library.cameo.isEnabled()
    library.cameo.click()
    assert opened == ["hero"]


def test_a_real_face_clip_attaches_its_frames_and_voice_sample(qtbot, controller: DocumentController, tmp_path: Path) -> None:
    from tests.fixtures.cameo_clips import write_cameo_clip

    clip = write_cameo_clip(tmp_path / "maya.mp4", people=1, audio=True)
    dialog = open_dialog(qtbot, controller)  # OpenCV's own cascade, no stand-in
    dialog.person.setText("Maya Lind")
    dialog.import_clip(clip)
    qtbot.waitUntil(lambda: dialog.analysis is not None and not dialog.busy, timeout=30000)

    dialog.accept_button.click()

    hero = controller.project.character("hero")
    assert hero.reference_images and hero.voice_sample is not None
    with av.open(str(controller.media.resolve(hero.voice_sample))) as wav:
        assert wav.streams.audio[0].rate == 16000
    record = hero.likeness_consent
    assert record.scope == ConsentScope.PROJECT and record.project_id == controller.project.id
    controller.undo_stack.undo()
    assert controller.project.character("hero").voice_sample is None
