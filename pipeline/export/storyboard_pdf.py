"""The printed storyboard: a title page, then 3 to 6 panels a page, landscape, with page numbers.

Each panel: shot number and take, the picture (the take's thumbnail, or the draft animatic's middle
frame for a shot without a take, or a grey 'no take' box), size / lens / move, the description,
the dialogue, and the length as timecode and seconds. reportlab draws it, so the render workers
that export need no display and no Qt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PIL import Image
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, landscape, letter
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pipeline.export.errors import ExportError
from pipeline.export.pdf_fonts import Fonts, storyboard_fonts
from pipeline.export.shot_clips import ShotSource
from pipeline.export.stand_in import draft_still
from pipeline.progress import CancelToken, ProgressCallback, ProgressEvent
from studio import __version__
from studio.frame_rate import FrameRate
from studio.project import Project
from studio.render_inputs import ShotStatus
from studio.shot import SHOT_SIZE_NAMES, TransitionType

PAGE_SIZES = {"A4": landscape(A4), "LETTER": landscape(letter)}
GRIDS = {3: (3, 1), 4: (2, 2), 5: (3, 2), 6: (3, 2)}  # panels per page -> (columns, rows)
INK, MUTED, RULE, PAPER_GREY = HexColor("#1d2129"), HexColor("#6b7280"), HexColor("#c9ced6"), HexColor("#e4e7eb")
BADGES = {ShotStatus.STALE: ("STALE", HexColor("#d97706")), ShotStatus.NO_TAKE: ("NO TAKE", HexColor("#b91c1c"))}
MARGIN, GUTTER = 34.0, 16.0
DRAFT_STILL_WIDTH = 480


@dataclass(frozen=True)
class StoryboardLayout:
    panels_per_page: int = 6
    page_size: str = "A4"

    def __post_init__(self) -> None:
        if self.panels_per_page not in GRIDS:
            raise ExportError(f"a storyboard page holds 3 to 6 panels, not {self.panels_per_page}")
        if self.page_size.upper() not in PAGE_SIZES:
            raise ExportError(f"page size {self.page_size!r}: choose A4 or Letter")


def _lines(text: str, font: str, size: float, width: float, limit: int) -> list[str]:
    """Wrapped lines, at most `limit`, the last ending in an ellipsis when text was cut."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(simpleSplit(paragraph, font, size, width) or [""])
    if len(lines) <= limit:
        return lines
    kept = lines[:limit]
    last = kept[-1]
    while last and stringWidth(last + " …", font, size) > width:
        last = last[:-1]
    kept[-1] = last.rstrip() + " …"
    return kept


def _fps_text(rate: FrameRate) -> str:
    if rate.denominator == 1:
        return f"{rate.numerator} fps"
    return f"{rate.fps:.3f} fps ({rate})"


class _Storyboard:
    def __init__(self, project: Project, folder: Path, sources: list[ShotSource], path: Path, layout: StoryboardLayout) -> None:
        self.project, self.folder, self.sources, self.layout = project, folder, sources, layout
        self.fonts: Fonts = storyboard_fonts()
        self.page_w, self.page_h = PAGE_SIZES[layout.page_size.upper()]
        self.columns, self.rows = GRIDS[layout.panels_per_page]
        self.pages = 1 + math.ceil(len(sources) / layout.panels_per_page)
        self.canvas = Canvas(str(path), pagesize=(self.page_w, self.page_h), pageCompression=1)
        self.canvas.setTitle(f"{project.title} — storyboard")
        self.canvas.setAuthor(f"Storyboard Studio {__version__}")
        self.canvas.setSubject("Storyboard")
        self.names = {c.id: c.name for c in project.characters}
        self.warnings: list[str] = []

    # --- text helpers ------------------------------------------------------------------------
    def text(self, x: float, y: float, value: str, font: str, size: float, color: Color = INK, align: str = "left") -> None:
        c = self.canvas
        c.setFillColor(color)
        c.setFont(font, size)
        {"left": c.drawString, "right": c.drawRightString, "centre": c.drawCentredString}[align](x, y, value)

    def paragraph(self, x: float, y: float, value: str, font: str, size: float, width: float, limit: int, color: Color = INK) -> float:
        """Draws wrapped text from baseline y downwards; returns the baseline below it."""
        for line in _lines(value, font, size, width, limit):
            self.text(x, y, line, font, size, color)
            y -= size * 1.3
        return y

    def footer(self, page: int) -> None:
        f = self.fonts
        self.canvas.setStrokeColor(RULE)
        self.canvas.setLineWidth(0.5)
        self.canvas.line(MARGIN, MARGIN - 6, self.page_w - MARGIN, MARGIN - 6)
        self.text(MARGIN, MARGIN - 18, f"{self.project.title} · Storyboard Studio", f.regular, 7.5, MUTED)
        self.text(self.page_w - MARGIN, MARGIN - 18, f"Page {page} of {self.pages}", f.regular, 7.5, MUTED, "right")

    # --- title page --------------------------------------------------------------------------
    def title_page(self) -> None:
        f, project = self.fonts, self.project
        rate = project.format.frame_rate
        top = self.page_h - MARGIN
        self.text(MARGIN, top - 40, "STORYBOARD", f.bold, 10, MUTED)
        y = self.paragraph(MARGIN, top - 78, project.title, f.bold, 32, self.page_w * 0.55, 3)
        self.canvas.setStrokeColor(INK)
        self.canvas.setLineWidth(1.2)
        self.canvas.line(MARGIN, y + 14, MARGIN + 80, y + 14)
        statuses = [s.status for s in self.sources]
        facts = [
            (
                "Format",
                f"{project.format.width} × {project.format.height} ({project.format.aspect}), {_fps_text(rate)}",
            ),
            ("Duration", f"{rate.timecode(project.duration)}  ({rate.frames_to_seconds(project.duration):.1f} s, {project.duration} frames)"),
            ("Shots", f"{len(self.sources)} in {len(project.sequences)} sequence(s)"),
            (
                "Takes",
                f"{statuses.count(ShotStatus.CURRENT)} current, {statuses.count(ShotStatus.STALE)} stale, {statuses.count(ShotStatus.NO_TAKE)} without a take",
            ),
            ("Style", project.style.value),
            ("Printed", date.today().isoformat()),
        ]
        y -= 16
        for label, value in facts:
            self.text(MARGIN, y, label.upper(), f.bold, 7.5, MUTED)
            y = self.paragraph(MARGIN + 70, y, value, f.regular, 10, self.page_w * 0.5 - 70, 2) - 4
        y -= 14
        self.text(MARGIN, y, "SEQUENCES", f.bold, 10, MUTED)
        y -= 16
        for index, sequence in enumerate(project.sequences):
            if y < MARGIN + 24:
                self.text(MARGIN, y, f"… and {len(project.sequences) - index} more", f.italic, 9, MUTED)
                break
            self.paragraph(MARGIN, y, sequence.name, f.regular, 9, self.page_w * 0.4, 1)
            self.text(self.page_w * 0.55, y, f"{len(sequence.shots)} shots · {rate.timecode(sequence.duration)}", f.regular, 9, MUTED, "right")
            y -= 13
        column_x = self.page_w * 0.62
        cy = top - 40
        self.text(column_x, cy, "CAST", f.bold, 10, MUTED)
        cy -= 18
        for character in project.characters or []:
            self.text(column_x, cy, character.name, f.bold, 10)
            cy = self.paragraph(column_x, cy - 13, character.description, f.regular, 8.5, self.page_w - MARGIN - column_x, 3, MUTED) - 6
            if cy < MARGIN + 120:
                break
        if not project.characters:
            cy = self.paragraph(column_x, cy, "No characters.", f.italic, 9, 200, 1, MUTED)
        cy -= 10
        self.text(column_x, cy, "LOCATIONS", f.bold, 10, MUTED)
        cy -= 16
        for location in project.locations:
            if cy < MARGIN + 20:
                break
            cy = self.paragraph(column_x, cy, location.slug, f.regular, 9, self.page_w - MARGIN - column_x, 2) - 2
        self.footer(1)
        self.canvas.showPage()

    # --- panels ------------------------------------------------------------------------------
    def picture(self, source: ShotSource) -> tuple[ImageReader | None, str | None]:
        """The panel picture and a badge naming a stand-in."""
        if source.still is not None:
            try:
                return ImageReader(str(source.still)), None if source.take else "PANEL"
            except (OSError, ValueError) as exc:
                self.warnings.append(f"shot {source.shot.number}: its picture {source.still.name} cannot be read ({exc})")
        if source.take is None:
            height = round(DRAFT_STILL_WIDTH * self.project.format.height / self.project.format.width)
            frame = draft_still(self.project, self.folder, source, DRAFT_STILL_WIDTH, height - height % 2)
            if frame is not None:
                return ImageReader(Image.fromarray(frame)), "DRAFT"
        return None, None

    def panel(self, source: ShotSource, x: float, top: float, width: float, height: float) -> None:
        f, c, shot = self.fonts, self.canvas, source.shot
        rate = self.project.format.frame_rate
        y = top - 12
        self.text(x, y, shot.number, f.bold, 13)
        number_w = stringWidth(shot.number, f.bold, 13)
        if source.take_label:
            self.text(x + number_w + 6, y, source.take_label, f.regular, 9, MUTED)
        self.text(x + width, y, f"{rate.timecode(shot.duration)} · {rate.frames_to_seconds(shot.duration):.1f} s", f.regular, 8, MUTED, "right")
        text_room = 72.0
        box_h = min(width * self.project.format.height / self.project.format.width, height - 20 - text_room)
        box_w = box_h * self.project.format.width / self.project.format.height
        box_x, box_y = x + (width - box_w) / 2, y - 6 - box_h
        image, stand_in = self.picture(source)
        if image is not None:
            c.setFillColor(INK)
            c.rect(box_x, box_y, box_w, box_h, stroke=0, fill=1)
            iw, ih = image.getSize()
            scale = min(box_w / iw, box_h / ih)
            dw, dh = iw * scale, ih * scale
            c.drawImage(image, box_x + (box_w - dw) / 2, box_y + (box_h - dh) / 2, dw, dh)
        else:
            c.setFillColor(PAPER_GREY)
            c.rect(box_x, box_y, box_w, box_h, stroke=0, fill=1)
            self.text(box_x + box_w / 2, box_y + box_h / 2 - 4, "no take", f.italic, 11, MUTED, "centre")
        c.setStrokeColor(INK)
        c.setLineWidth(0.6)
        c.rect(box_x, box_y, box_w, box_h, stroke=1, fill=0)
        badge = BADGES.get(source.status)
        for offset, (label, color) in enumerate(b for b in (badge, (stand_in, MUTED) if stand_in else None) if b):
            self.badge(label, color, box_x + box_w - 4, box_y + box_h - 4 - offset * 13)
        ty = box_y - 11
        move = shot.camera.describe()
        technical = f"{shot.size.value} ({SHOT_SIZE_NAMES[shot.size]}) · {shot.lens_mm:g} mm · {move}"
        if shot.transition.type is not TransitionType.CUT:
            technical += f" · {shot.transition.type.value} in ({shot.transition.duration} f)"
        ty = self.paragraph(x, ty, technical, f.bold, 7.5, width, 2)
        lines_left = max(1, int((ty - (top - height)) / (7.5 * 1.3)))
        dialogue = "\n".join(f"{self.names.get(d.character_id, '?')}{f' ({d.parenthetical})' if d.parenthetical else ''}: {d.text}" for d in shot.dialogue)
        description_lines = max(1, min(3, lines_left - min(len(shot.dialogue), 3))) if dialogue else lines_left
        if shot.description:
            ty = self.paragraph(x, ty, shot.description, f.regular, 7.5, width, description_lines)
            lines_left -= min(description_lines, len(_lines(shot.description, f.regular, 7.5, width, description_lines)))
        if dialogue and lines_left > 0:
            self.paragraph(x, ty - 1, dialogue, f.italic, 7.5, width, lines_left, HexColor("#374151"))

    def badge(self, label: str, color: Color, right: float, top: float) -> None:
        f, c = self.fonts, self.canvas
        w = stringWidth(label, f.bold, 6.5) + 8
        c.setFillColor(color)
        c.roundRect(right - w, top - 10, w, 10, 2, stroke=0, fill=1)
        self.text(right - w / 2, top - 7.5, label, f.bold, 6.5, white, "centre")

    def panel_page(self, page: int, sources: list[ShotSource]) -> None:
        f = self.fonts
        top = self.page_h - MARGIN
        self.text(MARGIN, top - 10, self.project.title, f.bold, 11)
        scenes = list(dict.fromkeys(s.sequence_name for s in sources))
        scene_text = " · ".join(scenes)
        scene_lines = _lines(scene_text, f.regular, 8.5, self.page_w * 0.6, 1)
        self.text(self.page_w - MARGIN, top - 10, scene_lines[0], f.regular, 8.5, MUTED, "right")
        self.canvas.setStrokeColor(RULE)
        self.canvas.setLineWidth(0.5)
        self.canvas.line(MARGIN, top - 18, self.page_w - MARGIN, top - 18)
        grid_top, grid_bottom = top - 30, MARGIN + 4
        cell_w = (self.page_w - 2 * MARGIN - (self.columns - 1) * GUTTER) / self.columns
        cell_h = (grid_top - grid_bottom - (self.rows - 1) * GUTTER) / self.rows
        for index, source in enumerate(sources):
            column, row = index % self.columns, index // self.columns
            self.panel(source, MARGIN + column * (cell_w + GUTTER), grid_top - row * (cell_h + GUTTER), cell_w, cell_h)
        self.footer(page)
        self.canvas.showPage()


def write_storyboard_pdf(
    project: Project, folder: Path, sources: list[ShotSource], path: Path, layout: StoryboardLayout, progress: ProgressCallback, cancel: CancelToken
) -> list[str]:
    """Writes the PDF at `path`; returns warnings (unreadable pictures)."""
    board = _Storyboard(project, folder, sources, path, layout)
    board.title_page()
    per_page = layout.panels_per_page
    for page_index in range(board.pages - 1):
        cancel.raise_if_cancelled()
        progress(ProgressEvent("storyboard", "export", page_index, board.pages - 1))
        board.panel_page(page_index + 2, sources[page_index * per_page : (page_index + 1) * per_page])
    board.canvas.save()
    progress(ProgressEvent("storyboard", "export", board.pages - 1, board.pages - 1))
    return board.warnings
