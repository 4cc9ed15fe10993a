"""Two-pass generation: fast previews of the whole sequence first, then finals of the shots the
director approved. A pass is a preset over the same engine: which backend, at what size, with how
many steps, for which shots. Preview and final takes differ in backend and size, so neither is
ever mistaken for the other when takes are re-used."""

from __future__ import annotations

from enum import StrEnum

from studio.errors import StudioError
from studio.project import Project

PREVIEW_BACKEND = "ltx"  # the fastest generation backend; with a distilled checkpoint 8 steps suffice
PREVIEW_STEPS = 8
PREVIEW_SCALE = 0.5  # half the project's size each way: a quarter of the pixels, several times faster


class RenderPass(StrEnum):
    PREVIEW = "preview"
    FINAL = "final"


def preview_size(project: Project) -> tuple[int, int]:
    """Half the project's frame, kept even (video encoders want even sizes)."""
    width, height = project.format.width, project.format.height
    return max(2, round(width * PREVIEW_SCALE / 2) * 2), max(2, round(height * PREVIEW_SCALE / 2) * 2)


def approved_shots(project: Project, chosen: list[str] | None) -> list[str]:
    """The shots a final pass renders: the approved ones (among `chosen`, when given)."""
    approved = [shot.id for shot in project.shots() if shot.approved and (chosen is None or shot.id in chosen)]
    if not approved:
        among = "of the chosen shots " if chosen is not None else ""
        raise StudioError(f"no shot {among}is approved for the final pass; approve previews first with `studio approve PROJECT --shots 3,5-7`")
    return approved
