"""`studio export` from the command line: the editorial hand-off of journey 4 in one command."""

from __future__ import annotations

import argparse

import opentimelineio as otio
from export_helpers import studio

from cli.main import build_parser
from pipeline.export.formats import ExportFormat, MediaEncoding


def _export_parser() -> argparse.ArgumentParser:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["export"]


def test_the_cli_offers_exactly_the_formats_and_encodings_the_exporter_knows():
    actions = {a.dest: a for a in _export_parser()._actions}
    assert actions["format"].choices == [f.value for f in ExportFormat] + ["all"]
    assert actions["media"].choices == [m.value for m in MediaEncoding]


def test_fcp7_with_prores_and_handles_then_an_edl_and_otio_for_the_pipeline(small, tmp_path):
    done = studio("export", small.folder, "--format", "fcp7", "--media", "prores", "--handles", "12", "--out", tmp_path / "cut.xml")
    assert done.returncode == 0, done.stderr
    assert f"wrote {tmp_path / 'cut.xml'}" in done.stdout
    assert sorted(p.name for p in (tmp_path / "cut_media" / "shots").iterdir()) == sorted(f"{s.number}_T1.mov" for s in small.project.shots())
    assert (tmp_path / "cut_media" / "Last_Order_animatic.mov").is_file()
    timeline = otio.adapters.read_from_file(str(tmp_path / "cut.xml"))
    assert [c.name for c in timeline.video_tracks()[0].find_clips()] == [f"{s.number}_T1" for s in small.project.shots()]

    both = studio("export", small.folder, "--format", "edl", "--format", "otio", "--out", tmp_path / "pipeline")
    assert both.returncode == 0, both.stderr
    assert sorted(p.name for p in (tmp_path / "pipeline").iterdir()) == ["Last_Order.edl", "Last_Order.otio"]


def test_a_user_mistake_is_one_line_on_stderr_and_exit_code_2(small, tmp_path):
    done = studio("export", small.folder, "--format", "edl", "--out", tmp_path / "cut.xml")
    assert done.returncode == 2
    assert done.stderr.startswith("studio: error:") and "Traceback" not in done.stderr
    assert ".edl file" in done.stderr
    assert not (tmp_path / "cut.xml").exists()
