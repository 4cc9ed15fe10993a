"""`studio info`: the summary of a project, as text and as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.character import Character
from studio.frame_rate import FrameRate
from studio.location import Location, TimeOfDay, WorldState
from studio.media_store import MediaStore
from studio.project import Project, Sequence, VideoFormat
from studio.project_file import load_project, save_project
from studio.render_inputs import shot_input_hash
from studio.shot import CharacterInShot, DialogueLine, Shot
from studio.take import Take


def _small_project(folder: Path) -> Path:
    """Three shots (1 s, 2 s, 0.5 s at 24 fps): shot 1 rendered twice and current, shot 2 rendered
    then rewritten (stale), shot 3 never rendered."""
    media = MediaStore(folder)
    project = Project(
        title="Bus Stop",
        format=VideoFormat(1920, 1080, FrameRate(24)),
        characters=[Character(id="ana", name="ANA"), Character(id="ben", name="BEN")],
        locations=[Location(id="stop", name="Bus Stop", interior=False, world=WorldState(TimeOfDay.DAWN))],
        sequences=[
            Sequence(
                id="a",
                name="1 EXT. BUS STOP - DAWN",
                shots=[
                    Shot(id="s1", number="1", duration=24, location_id="stop", characters=[CharacterInShot("ana")]),
                    Shot(id="s2", number="2", duration=48, location_id="stop", dialogue=[DialogueLine("ben", "Late again.")]),
                ],
            ),
            Sequence(id="b", name="2 EXT. BUS STOP - DAWN", shots=[Shot(id="s3", number="2A", duration=12, location_id="stop")]),
        ],
    )
    for shot_id, take_ids in (("s1", ["t1", "t2"]), ("s2", ["t3"])):
        shot = project.shot(shot_id)
        for take_id in take_ids:
            video = media.add_bytes(take_id.encode(), ".mp4")
            shot.takes.append(Take(id=take_id, number=len(shot.takes) + 1, input_hash=shot_input_hash(project, shot), backend="draft", video=video))
        shot.active_take_id = take_ids[-1]
    project.shot("s2").description = "BEN checks his watch."  # after its render: stale
    return save_project(project, folder)


def test_info_json_reports_shots_duration_cast_takes_and_stale_shots(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    folder = _small_project(tmp_path / "Bus.storyboard")
    result = run_cli("info", folder, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    info = json.loads(result.stdout)
    assert info["title"] == "Bus Stop"
    assert info["format"] == {"width": 1920, "height": 1080, "fps": "24", "aspect": "16:9"}
    assert info["shots"] == 3
    assert (info["duration_frames"], info["duration_seconds"], info["duration_timecode"]) == (84, 3.5, "00:00:03:12")
    assert info["sequences"] == [
        {"name": "1 EXT. BUS STOP - DAWN", "shots": 2, "duration_frames": 72},
        {"name": "2 EXT. BUS STOP - DAWN", "shots": 1, "duration_frames": 12},
    ]
    assert info["characters"] == ["ANA", "BEN"]
    assert info["locations"] == ["EXT. BUS STOP - DAWN"]
    assert info["takes"] == 3
    assert info["shot_status"] == {"current": 1, "stale": 1, "no take": 1}
    assert info["stale_shots"] == ["2"]
    assert info["missing_media"] == []


def test_info_text_summarises_the_demo(tmp_project_folder: Path, run_cli: Callable[..., Any]) -> None:
    result = run_cli("info", tmp_project_folder)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Last Order  (1280x720 16:9, 24 fps, style cinematic)"
    frames = sum(s.duration for seq in load_project(tmp_project_folder).sequences for s in seq.shots)
    assert lines[1] == f"duration   00:00:{frames // 24:02d}:{frames % 24:02d}  ({frames} frames, {frames / 24} s)"
    assert lines[2] == "shots      11 in 3 sequence(s)"
    assert "characters 2: MAYA, JONAH" in lines
    assert "locations  2: EXT. MAIN STREET - NIGHT, INT. ROSIE'S DINER - NIGHT" in lines
    assert "takes      0  no take: 11" in lines
    assert lines[-1] == "stale      none"


def test_info_at_23_976_gives_seconds_of_real_time_and_timecode_in_frames(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    project = Project(
        title="NTSC",
        format=VideoFormat(1280, 720, FrameRate(24000, 1001)),
        sequences=[Sequence(id="a", name="1", shots=[Shot(id="s", number="1", duration=24 * 60)])],
    )
    result = run_cli("info", save_project(project, tmp_path / "Ntsc.storyboard"), "--json")
    info = json.loads(result.stdout)
    assert (info["format"]["fps"], info["duration_timecode"], info["duration_seconds"]) == ("24000/1001", "00:01:00:00", 60.06)


def test_info_accepts_the_project_json_path_too(tmp_project_folder: Path, run_cli: Callable[..., Any]) -> None:
    result = run_cli("info", tmp_project_folder / "project.json", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["shots"] == 11


def test_info_lists_missing_media_in_json_and_fails(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    folder = _small_project(tmp_path / "Bus.storyboard")
    missing = next((folder / "media").iterdir())
    missing.unlink()
    result = run_cli("info", folder, "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["missing_media"] == [f"media/{missing.name}"]
    assert result.stderr.startswith(f"studio: error: {missing}: missing media file")
