"""Names that survive editorial: clips called `12A_T3`, and file names every file system accepts.

A clip's name is the shot number and the take, joined by an underscore, because that is what
editors, assistants and online editors read and keep through every round trip. A shot with no take
is shown by its panel or a slate and is called `12A_PANEL`. Shot numbers are the production's own
text, so clip names keep them exactly; file names are made safe separately.
"""

from __future__ import annotations

import re
import unicodedata

from studio.shot import Shot
from studio.take import Take

PANEL_SUFFIX = "PANEL"
_CLIP_NAME = re.compile(rf"^(?P<number>.+)_(?:T(?P<take>\d+)|{PANEL_SUFFIX})$")
# Characters that some file system, shell, URL or EDL comment refuses or misreads.
_UNSAFE = re.compile(r"[^\w.+-]+", re.UNICODE)
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 80


def clip_name(shot: Shot, take: Take | None) -> str:
    return f"{shot.number}_T{take.number}" if take is not None else f"{shot.number}_{PANEL_SUFFIX}"


def parse_clip_name(name: str) -> tuple[str, int | None] | None:
    """('12A', 3) for '12A_T3', ('12A', None) for '12A_PANEL'; None for a name we did not write.

    Editors' tools append to names ('12A_T3.mov', '12A_T3 (1)', '12A_T3.new.01'); those tails are
    dropped before matching, the shot number itself is never altered."""
    text = name.strip()
    text = re.sub(r"\.(mov|mp4|mxf|wav)$", "", text, flags=re.IGNORECASE)
    text = re.sub(r"(\s*\(\d+\)|\.new\.\d+|\s+copy(\s*\d+)?)$", "", text, flags=re.IGNORECASE)
    match = _CLIP_NAME.match(text)
    if not match:
        return None
    take = match.group("take")
    return match.group("number"), int(take) if take is not None else None


def safe_file_stem(text: str, fallback: str = "untitled") -> str:
    """A file name stem from any title or shot number: letters (any script), digits, '.', '+', '-' and '_'.

    Slashes, quotes, colons and control characters become '_', so 'Shot 3/4 "rain"' can never
    escape the export folder or break a URL, an EDL comment or a shell command."""
    normalized = unicodedata.normalize("NFC", text)
    stem = _UNSAFE.sub("_", normalized).strip("._")
    stem = re.sub(r"_+", "_", stem)[:MAX_STEM].rstrip("._")
    if not stem:
        return fallback
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    return stem


def unique_stems(stems: list[str]) -> list[str]:
    """The stems with '_2', '_3' ... appended where two would collide (case-insensitively, as on macOS)."""
    used: set[str] = set()
    result = []
    for stem in stems:
        candidate, count = stem, 1
        while candidate.casefold() in used:
            count += 1
            candidate = f"{stem}_{count}"
        used.add(candidate.casefold())
        result.append(candidate)
    return result
