"""Issue #9: a take made from a likeness whose consent was revoked never ships silently: the export
uses the shot's draft stand-in instead of that take's media and warns naming the shot and character."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import opentimelineio as otio
from test_consent_warnings import CLIP_HASH
from watermark_helpers import FLAT, FakeGenerator, shot_request

from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import ExportFormat, MediaEncoding
from pipeline.export.shot_clips import shot_sources
from pipeline.progress import CancelToken, no_progress
from pipeline.render.shot_render import render_shot
from pipeline.watermark import WatermarkSettings
from studio.character import Character
from studio.commands import History
from studio.commands.consent import GrantConsent, RevokeConsent
from studio.consent import ConsentScope, new_consent
from studio.frame_rate import FrameRate
from studio.project import Project, Sequence, StylePreset, VideoFormat
from studio.project_file import save_project
from studio.shot import CharacterInShot, Shot


def project_with_generated_take(tmp_path: Path) -> tuple[Project, Path]:
    shots = [
        Shot(id="s1", number="1", duration=6, description="Maya waits", characters=[CharacterInShot("maya")]),
        Shot(id="s2", number="2", duration=6, description="Joe enters", characters=[CharacterInShot("joe")]),
    ]
    project = Project(
        title="Revoked",
        format=VideoFormat(320, 180, FrameRate(24)),
        style=StylePreset.CLEAN,
        characters=[Character(id="maya", name="MAYA"), Character(id="joe", name="JOE")],
        sequences=[Sequence(id="sc1", name="1 INT. BAR", shots=shots)],
    )
    folder = save_project(project, tmp_path / "Revoked.storyboard")
    for shot, character in zip(shots, ("maya", "joe"), strict=True):
        take = render_shot(shot_request(duration=6), FakeGenerator(), folder, 1, no_progress, CancelToken(), watermark=WatermarkSettings(invisible=False)).take
        take.provenance[f"input:character:{character}"] = "abc123"
        shot.takes.append(take)
        shot.active_take_id = take.id
    record = new_consent("Maya Lind", ConsentScope.PROJECT, "amber river falcon quill", CLIP_HASH, granted="2026-11-25T10:00:00Z")
    history = History(project)
    history.execute(GrantConsent("maya", record))
    history.execute(RevokeConsent("maya"))
    assert "likeness_revoked:maya" in project.shot("s1").active_take.provenance
    save_project(project, folder)
    return project, folder


def test_an_export_uses_the_draft_stand_in_for_a_revoked_take_and_says_so(tmp_path: Path) -> None:
    project, folder = project_with_generated_take(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    options = ExportOptions((ExportFormat.OTIO,), media=MediaEncoding.H264, sequence_media=False)
    report = export_project(project, folder, out, options, no_progress, CancelToken())

    shots = sorted(p.name for p in (out / "media" / "shots").iterdir())
    assert "1_PANEL.mp4" in shots and not [name for name in shots if name.startswith("1_T")], shots
    assert "2_T1.mp4" in shots  # the other shot's take still ships
    revoked = [w for w in report.warnings if "revoked" in w]
    assert len(revoked) == 1 and "shot 1 take T1" in revoked[0] and "MAYA" in revoked[0]
    timeline = otio.adapters.read_from_file(str(out / "Revoked.otio"))
    names = [clip.name for clip in timeline.find_clips()]
    assert names[0] == "1_PANEL" and names[1] == "2_T1"


def test_a_reference_export_never_points_at_the_revoked_take(tmp_path: Path) -> None:
    project, folder = project_with_generated_take(tmp_path)
    sources = shot_sources(project, folder)
    assert sources[0].take is None and sources[0].video is None and "revoked" in (sources[0].problem or "")
    take_file = project.shot("s1").active_take.video
    out = tmp_path / "cut.otio"
    export_project(project, folder, out, ExportOptions((ExportFormat.OTIO,)), no_progress, CancelToken())
    urls = [clip.media_reference.target_url for clip in otio.adapters.read_from_file(str(out)).find_clips()]
    assert not any(take_file.rsplit("/", 1)[-1] in url for url in urls), urls


def test_the_assembled_animatic_leaves_the_revoked_take_out(tmp_path: Path) -> None:
    project, folder = project_with_generated_take(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    report = export_project(project, folder, out, ExportOptions((ExportFormat.OTIO,), media=MediaEncoding.H264), no_progress, CancelToken())
    with av.open(str(out / "media" / "Revoked_animatic.mp4")) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    assert len(frames) == 12
    flat = [bool(np.abs(frame[80:100, 150:170].astype(int) - FLAT).max() <= 8) for frame in frames]
    assert not any(flat[:6]), "the revoked take's picture is in the animatic"
    assert all(flat[6:]), "the other shot's take is in the animatic"
    assert project.shot("s1").active_take is not None  # the export changed nothing in the document
    assert [w for w in report.warnings if "revoked" in w]
