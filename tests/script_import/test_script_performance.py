"""A feature-length screenplay imports, and re-imports after an edit, in well under two seconds."""

from __future__ import annotations

import time

from script_helpers import write_script
from script_samples import feature_script

from studio.frame_rate import FrameRate
from studio.project import VideoFormat
from studio.project_file import load_project, save_project
from studio.script import import_script, new_project_from_script

BUDGET_S = 2.0


def test_feature_length_script_imports_in_under_two_seconds(tmp_path):
    text, pages, scenes = feature_script(min_pages=120)
    assert pages >= 100
    path = write_script(tmp_path, text, "feature.fountain")
    folder = tmp_path / "feature.storyboard"

    start = time.perf_counter()
    project, report = new_project_from_script(path, VideoFormat(1920, 1080, FrameRate(24)))
    save_project(project, folder)
    elapsed = time.perf_counter() - start

    assert len(project.sequences) == scenes and len(report.added) == len(list(project.shots())) > 1000
    assert elapsed < BUDGET_S, f"importing {pages} pages took {elapsed:.2f} s"


def test_reimporting_an_edited_feature_is_fast_too(tmp_path):
    text, _, _ = feature_script(min_pages=120)
    path = write_script(tmp_path, text, "feature.fountain")
    project, _ = new_project_from_script(path, VideoFormat())
    folder = save_project(project, tmp_path / "feature.storyboard")
    path.write_text(text.replace("Coffee?", "Tea?"), encoding="utf-8")

    start = time.perf_counter()
    project = load_project(folder)
    command, report = import_script(project, path)
    command.do(project)
    save_project(project, folder)
    elapsed = time.perf_counter() - start

    assert report.removed and len(report.added) == len(report.removed)
    assert elapsed < BUDGET_S, f"re-importing took {elapsed:.2f} s"
