"""The PDF storyboard opens (poppler renders every page), names every shot, and pages as asked."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.export.errors import ExportError
from pipeline.export.exporter import ExportOptions, export_project
from pipeline.export.formats import ExportFormat
from pipeline.export.storyboard_pdf import StoryboardLayout
from pipeline.progress import CancelToken, no_progress
from studio.demo import demo_project
from studio.project_file import save_project

pytestmark = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("pdftotext")), reason="needs poppler-utils")


def export_pdf(project, folder: Path, out: Path, layout: StoryboardLayout | None = None):
    options = ExportOptions((ExportFormat.PDF,), storyboard=layout or StoryboardLayout())
    return export_project(project, folder, out, options, no_progress, CancelToken())


def rendered_pages(pdf: Path, tmp_path: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True, capture_output=True)
    return sorted(tmp_path.glob("page-*.png"))


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


_PANEL_HEAD = re.compile(r"(\S+)(?:\s+T\d+)?\s+\d\d:\d\d:\d\d:\d\d · [\d.]+ s")


def panel_numbers(page: str) -> list[str]:
    """Shot numbers heading the page's panels, in reading order: a number, its take, its length."""
    return [match.group(1) for line in page.splitlines() for match in _PANEL_HEAD.finditer(line)]


def test_every_page_renders_and_every_shot_number_is_on_its_page(small, tmp_path):
    pdf = tmp_path / "board.pdf"
    export_pdf(small.project, small.folder, pdf)
    shots = list(small.project.shots())
    pages = rendered_pages(pdf, tmp_path)
    assert len(pages) == 1 + math.ceil(len(shots) / 6)
    assert all(p.stat().st_size > 1000 for p in pages)
    texts = page_texts(pdf)
    assert small.project.title in texts[0] and "MAYA" in texts[0] and "JONAH" in texts[0]
    assert "00:00:02:12" in texts[0], "the title page gives the duration (60 frames at 24 fps)"
    assert panel_numbers(texts[1]) == [s.number for s in shots]
    for shot in shots:
        assert f"{shot.size.value} (" in texts[1] and "T1" in texts[1]
    assert "Kitchen closes in ten minutes." in texts[1], "dialogue is printed under its panel"
    assert "Page 2 of 2" in texts[1]


@pytest.mark.parametrize(("per_page", "pages"), [(3, 1 + 4), (4, 1 + 3), (6, 1 + 2)])
def test_panels_per_page_sets_the_page_count_and_no_shot_is_lost(tmp_path, per_page, pages):
    project = demo_project()  # eleven shots, no takes: draft panels stand in
    folder = save_project(project, tmp_path / "Demo.storyboard")
    pdf = tmp_path / "board.pdf"
    report = export_pdf(project, folder, pdf, StoryboardLayout(per_page, "Letter"))
    texts = page_texts(pdf)
    assert len(texts) == pages == len(rendered_pages(pdf, tmp_path))
    printed = [n for page in texts[1:] for n in panel_numbers(page)]
    assert printed == [s.number for s in project.shots()]
    assert all("NO TAKE" in page for page in texts[1:])
    assert len([w for w in report.warnings if "has no take" in w]) == 11


def test_a_layout_outside_three_to_six_panels_is_refused():
    with pytest.raises(ExportError, match="3 to 6 panels"):
        StoryboardLayout(8)
