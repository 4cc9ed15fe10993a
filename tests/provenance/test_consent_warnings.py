"""Issue #9: a consent record edited by hand (its integrity hash no longer matches) is reported on
load by `studio info` (text and --json) and in the export report, one line per character."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cli.main import main
from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import ExportFormat
from pipeline.progress import CancelToken, no_progress
from studio.commands import History
from studio.commands.consent import GrantConsent
from studio.consent import ConsentScope, new_consent
from studio.project import Project
from studio.project_file import load_project, save_project

CLIP_HASH = hashlib.sha256(b"consent clip").hexdigest()


def saved_with_consent(project: Project, tmp_path: Path, tamper: bool) -> tuple[Path, str]:
    character = project.characters[0]
    record = new_consent("Maya Lind", ConsentScope.PROJECT, "amber river falcon quill", CLIP_HASH, granted="2026-11-25T10:00:00Z")
    History(project).execute(GrantConsent(character.id, record))
    folder = save_project(project, tmp_path / "Demo.storyboard")
    if tamper:
        file = folder / "project.json"
        document = json.loads(file.read_text())
        stored = next(c for c in document["project"]["characters"] if c["id"] == character.id)["likeness_consent"]
        stored["scope"] = "all_projects"  # widened by hand, integrity hash left as it was
        file.write_text(json.dumps(document))
    return folder, character.name


def consent_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "consent record failed its integrity check" in line]


def test_info_warns_about_a_hand_edited_consent_record(demo_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, name = saved_with_consent(demo_project, tmp_path, tamper=True)
    main(["info", str(folder)])
    lines = consent_lines(capsys.readouterr().out)
    assert len(lines) == 1 and lines[0].startswith("warning") and f"character {name}:" in lines[0]

    main(["info", str(folder), "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert len(summary["consent_warnings"]) == 1 and f"character {name}:" in summary["consent_warnings"][0]


def test_info_is_quiet_about_an_intact_consent_record(demo_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = saved_with_consent(demo_project, tmp_path, tamper=False)
    main(["info", str(folder), "--json"])
    assert json.loads(capsys.readouterr().out)["consent_warnings"] == []
    main(["info", str(folder)])
    assert consent_lines(capsys.readouterr().out) == []


def test_export_report_warns_once_about_a_hand_edited_consent_record(demo_project: Project, tmp_path: Path) -> None:
    folder, name = saved_with_consent(demo_project, tmp_path, tamper=True)
    project = load_project(folder)
    report = export_project(project, folder, tmp_path / "out" / "shots.csv", ExportOptions((ExportFormat.CSV,)), no_progress, CancelToken())
    assert (tmp_path / "out" / "shots.csv").is_file()
    lines = consent_lines("\n".join(report.warnings))
    assert len(lines) == 1 and f"character {name}:" in lines[0]


def test_export_report_has_no_consent_warning_for_an_intact_record(demo_project: Project, tmp_path: Path) -> None:
    folder, _ = saved_with_consent(demo_project, tmp_path, tamper=False)
    report = export_project(load_project(folder), folder, tmp_path / "out" / "shots.csv", ExportOptions((ExportFormat.CSV,)), no_progress, CancelToken())
    assert consent_lines("\n".join(report.warnings)) == []
