"""`studio new --from-script` and `studio import`, run as a user runs them: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from script_helpers import DATA, write_script

REPO = Path(__file__).resolve().parents[2]


def studio(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *map(str, args)], cwd=REPO, capture_output=True, text=True, timeout=120)


def info(folder: Path) -> dict:
    result = studio("info", folder, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_new_from_script_builds_the_storyboard(tmp_path):
    result = studio("new", tmp_path / "order", "--from-script", DATA / "last_order.fountain")
    assert result.returncode == 0, result.stderr
    assert "created" in result.stdout and "12 added" in result.stdout
    summary = info(tmp_path / "order.storyboard")
    assert summary["title"] == "Last Order"
    assert [s["name"] for s in summary["sequences"]] == ["1 EXT. MAIN STREET - NIGHT", "2 INT. ROSIE'S DINER - CONTINUOUS", "3 EXT. MAIN STREET - NIGHT"]
    # street: the establishing wide and Jonah's entrance; diner: establishing wide, Jonah's entrance, six
    # speeches and the coffee insert; street again: one establishing wide
    assert [s["shots"] for s in summary["sequences"]] == [2, 9, 1]
    assert summary["shots"] == 12
    assert summary["characters"] == ["MAYA", "JONAH"]
    assert sorted(summary["locations"]) == ["EXT. MAIN STREET - NIGHT", "INT. ROSIE'S DINER - NIGHT"]
    assert summary["duration_frames"] > 12 * 24


def test_the_tour_script_and_its_final_draft_twin_give_the_same_counts(tmp_path):
    counts = []
    for name in ("night_shift.fountain", "night_shift.fdx"):
        folder = tmp_path / name.replace(".", "_")
        assert studio("new", folder, "--from-script", DATA / name).returncode == 0
        summary = info(folder.with_name(folder.name + ".storyboard"))
        counts.append(
            (summary["title"], len(summary["sequences"]), summary["shots"], summary["characters"], len(summary["locations"]), summary["duration_frames"])
        )
    assert counts[0] == counts[1]
    assert counts[0][:5] == ("NIGHT SHIFT", 5, 21, ["MAYA", "JONAH", "McCLANE", "OLD TOM"], 4)


def test_title_option_wins_over_the_title_page(tmp_path):
    assert studio("new", tmp_path / "t", "--from-script", DATA / "last_order.fountain", "--title", "Working Title").returncode == 0
    assert info(tmp_path / "t.storyboard")["title"] == "Working Title"


def test_import_into_an_existing_project_and_again_after_an_edit(tmp_path):
    assert studio("new", tmp_path / "p").returncode == 0
    folder = tmp_path / "p.storyboard"
    script = write_script(tmp_path, (DATA / "last_order.fountain").read_text(encoding="utf-8"), "pilot.fountain")
    first = studio("import", folder, script)
    assert first.returncode == 0, first.stderr
    assert info(folder)["shots"] == 12 and len(info(folder)["sequences"]) == 3  # the empty starter sequence is gone
    again = studio("import", folder, script)
    assert again.returncode == 0 and "nothing to change" in again.stdout
    script.write_text(script.read_text(encoding="utf-8") + "\nINT. BUS - NIGHT\n\nJonah sleeps against the window.\n", encoding="utf-8")
    edited = studio("import", folder, script)
    assert edited.returncode == 0
    assert "1 added, 0 removed, 12 kept" in edited.stdout
    summary = info(folder)
    assert summary["shots"] == 13 and summary["sequences"][-1]["name"] == "4 INT. BUS - NIGHT"


def test_a_bad_script_writes_nothing_and_exits_2(tmp_path):
    bad = write_script(tmp_path, "INT. ROOM - DAY\n\nShe waits. [[never closed\n", "bad.fountain")
    result = studio("new", tmp_path / "fresh", "--from-script", bad)
    assert result.returncode == 2
    assert result.stderr.startswith("studio: error: ") and "bad.fountain: line 3:" in result.stderr
    assert not (tmp_path / "fresh.storyboard").exists()


def test_a_bad_script_leaves_an_existing_project_untouched(tmp_path):
    assert studio("new", tmp_path / "keep", "--from-script", DATA / "last_order.fountain").returncode == 0
    folder = tmp_path / "keep.storyboard"
    before = (folder / "project.json").read_bytes()
    files_before = sorted(p.name for p in folder.iterdir())
    binary = tmp_path / "scan.fdx"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    for args in (("import", folder, binary), ("new", folder, "--from-script", binary, "--force"), ("import", folder, tmp_path / "missing.fountain")):
        result = studio(*args)
        assert result.returncode == 2 and result.stderr.startswith("studio: error: ")
        assert (folder / "project.json").read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == files_before


def test_importing_into_a_missing_project_says_how_to_start_one(tmp_path):
    result = studio("import", tmp_path / "nothing.storyboard", DATA / "last_order.fountain")
    assert result.returncode == 2 and "no such project folder" in result.stderr


def test_demo_and_from_script_together_are_refused(tmp_path):
    result = studio("new", tmp_path / "both", "--demo", "--from-script", DATA / "last_order.fountain")
    assert result.returncode == 2 and "either --demo or --from-script" in result.stderr
    assert not (tmp_path / "both.storyboard").exists()


def test_an_imported_script_renders_to_an_animatic_with_the_draft_backend(tmp_path):
    created = studio("new", tmp_path / "small", "--from-script", DATA / "last_order.fountain", "--size", "160x90")
    assert created.returncode == 0, created.stderr
    folder = tmp_path / "small.storyboard"
    rendered = studio("render", folder, "--out", tmp_path / "small.mp4")
    assert rendered.returncode == 0, rendered.stderr
    assert "12 rendered, 0 unchanged, 0 failed" in rendered.stdout
    summary = info(folder)
    assert summary["takes"] == 12 and summary["shot_status"] == {"current": 12}
    probe = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=nb_read_frames",
            "-of",
            "csv=p=0",
            str(tmp_path / "small.mp4"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(probe.stdout.strip()) == summary["duration_frames"]
