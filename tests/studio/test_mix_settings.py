"""The project's mix settings: stored with the project (Project.2), upgraded from older files, refused when
out of range, undoable, and outside every shot's render inputs, so a fader move makes no shot stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.commands import AddTake, History, SetField
from studio.errors import ProjectFileError
from studio.mix import Ducking, MixSettings, Track, TrackMix
from studio.project import Project
from studio.project_file import PROJECT_FILE, load_project, save_project
from studio.render_inputs import ShotStatus, shot_input_hash, shot_status, stale_shots
from studio.take import Take

MOVED = MixSettings(
    dialogue=TrackMix(gain_db=3.0),
    effects=TrackMix(gain_db=-4.5, pan=-0.25, mute=True),
    music=TrackMix(gain_db=-12.0, pan=0.5, solo=True),
    ducking=Ducking(depth_db=6.0, threshold_db=-35.0, attack_ms=40.0, release_ms=800.0),
    loudness_lufs=-16.0,
    peak_ceiling_dbtp=-2.0,
)


def _render_all(project: Project) -> None:
    for shot in list(project.shots()):
        take = Take(id=f"{shot.id}-t1", number=1, input_hash=shot_input_hash(project, shot), backend="draft", last_frame=f"media/{shot.id}-last.png")
        AddTake(shot.id, take).do(project)


def test_mix_settings_are_saved_with_the_project_and_load_back(tmp_path: Path, demo_project: Project) -> None:
    demo_project.mix = MOVED
    folder = save_project(demo_project, tmp_path / "Mixed.storyboard")
    document = json.loads((folder / PROJECT_FILE).read_text(encoding="utf-8"))
    assert document["project"]["schema"] == "Project.3"
    assert document["project"]["mix"]["schema"] == "MixSettings.1" and document["project"]["mix"]["music"]["schema"] == "TrackMix.1"
    assert load_project(folder).mix == MOVED


def test_a_project_saved_before_mix_settings_loads_with_the_default_mix_and_its_takes_current(tmp_path: Path, demo_project: Project) -> None:
    folder = save_project(demo_project, tmp_path / "Old.storyboard")
    rendered = load_project(folder)  # as the app renders: from the file (the demo holds ints where the file has floats)
    _render_all(rendered)
    save_project(rendered, folder)
    file = folder / PROJECT_FILE
    document = json.loads(file.read_text(encoding="utf-8"))
    del document["project"]["mix"]
    document["project"]["schema"] = "Project.1"  # as the app wrote it before the mix existed
    file.write_text(json.dumps(document), encoding="utf-8")

    loaded = load_project(folder)
    assert loaded.mix == MixSettings()
    assert loaded.mix.ducking.depth_db == 10.0 and loaded.mix.loudness_lufs == -23.0
    assert stale_shots(loaded) == [] and {shot_status(loaded, s) for s in loaded.shots()} == {ShotStatus.CURRENT}
    assert json.loads((save_project(loaded, folder) / PROJECT_FILE).read_text(encoding="utf-8"))["project"]["schema"] == "Project.3"


def test_a_mix_setting_out_of_range_in_the_file_is_refused_with_its_place_and_the_fix(tmp_path: Path, demo_project: Project) -> None:
    folder = save_project(demo_project, tmp_path / "Loud.storyboard")
    file = folder / PROJECT_FILE
    document = json.loads(file.read_text(encoding="utf-8"))
    document["project"]["mix"]["music"]["gain_db"] = 99
    file.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ProjectFileError) as raised:
        load_project(folder)
    assert "project.mix.music: a track's gain (dB) must be from -60 to 24, got 99.0: mute the track instead of going lower" in str(raised.value)


def test_moving_a_fader_is_one_undoable_edit(demo_project: Project) -> None:
    history = History(demo_project)
    history.execute(SetField("project", None, "mix", demo_project.mix.with_track(Track.MUSIC, TrackMix(gain_db=-6.0))))
    assert demo_project.mix.music.gain_db == -6.0
    history.undo()
    assert demo_project.mix == MixSettings()


def test_changing_the_mix_makes_no_shot_stale_and_changes_no_render_input(demo_project: Project) -> None:
    """Mix settings act on the takes' stems at assembly and export: a fader never re-renders a shot."""
    _render_all(demo_project)
    hashes = {shot.id: shot_input_hash(demo_project, shot) for shot in demo_project.shots()}
    history = History(demo_project)
    for settings in (MOVED, MixSettings(dialogue=TrackMix(mute=True)), MixSettings(ducking=Ducking(depth_db=0.0), loudness_lufs=-31.0)):
        history.execute(SetField("project", None, "mix", settings))
        assert stale_shots(demo_project) == []
        assert {shot.id: shot_input_hash(demo_project, shot) for shot in demo_project.shots()} == hashes
