"""Fonts for the PDF storyboard: DejaVu Sans where the system has it (it covers most scripts a
script or a name is written in), else the Bitstream Vera that ships inside reportlab."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

_DEJAVU_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"), Path("/usr/local/share/fonts"), Path("/Library/Fonts"))
_FACES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf"}
_VERA = {"regular": "Vera.ttf", "bold": "VeraBd.ttf", "italic": "VeraIt.ttf"}


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str


def _register(prefix: str, files: dict[str, str]) -> Fonts | None:
    try:
        for face, file in files.items():
            pdfmetrics.registerFont(TTFont(f"{prefix}-{face}", file))
    except (TTFError, OSError):
        return None
    return Fonts(f"{prefix}-regular", f"{prefix}-bold", f"{prefix}-italic")


@cache
def storyboard_fonts() -> Fonts:
    for folder in _DEJAVU_DIRS:
        if all((folder / name).is_file() for name in _FACES.values()):
            fonts = _register("StoryboardDejaVu", {face: str(folder / name) for face, name in _FACES.items()})
            if fonts:
                return fonts
    fonts = _register("StoryboardVera", _VERA)  # found on reportlab's own font path
    return fonts or Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")
