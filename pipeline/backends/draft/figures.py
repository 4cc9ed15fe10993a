"""Character silhouettes on a storyboard card, framed by the shot size and named.

A figure is measured in head heights (a standing adult is about 7.5): the shot size fixes how tall
a head is in the frame and where it sits, from an extreme close-up whose face overfills the frame
to an extreme wide shot whose people are specks on the ground.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.backends.base import ShotRenderRequest
from pipeline.backends.draft.camera_path import WorldRect
from pipeline.backends.draft.canvas import Canvas, text_width
from pipeline.backends.draft.look import RGB, luminance, mix, parse_colour
from studio.shot import SCREEN_X, ShotSize

# (head height, head centre y), both as fractions of the frame height.
FRAMING: dict[ShotSize, tuple[float, float]] = {
    ShotSize.ECU: (1.80, 0.50),  # the face overfills the frame
    ShotSize.CU: (0.50, 0.45),  # head and a little shoulder
    ShotSize.MCU: (0.30, 0.36),  # cut at the chest
    ShotSize.MS: (0.21, 0.30),  # cut at the waist
    ShotSize.MLS: (0.147, 0.20),  # cut at the knees
    ShotSize.LS: (0.093, 0.21),  # head to toe, filling most of the height
    ShotSize.WS: (0.040, 0.52),  # small in the set
    ShotSize.EWS: (0.0133, 0.647),  # a speck in the landscape
}
FEET_BELOW_HEAD_CENTRE = 7.0  # head heights from the head's centre to the soles
_UNKNOWN_COLOUR: RGB = (128, 128, 128)
# Figures sharing a screen position step aside by this fraction of the frame width, so both read.
_CROWD_STEP = 0.07

# The right half of a standing figure below the head, in head heights from the head's centre,
# from the neck down to the crotch; the left half mirrors it.
_BODY_RIGHT = np.array(
    [
        (0.16, 0.40),
        (0.17, 0.62),
        (0.55, 0.78),
        (0.95, 0.93),
        (1.10, 1.15),
        (1.14, 1.70),
        (1.10, 2.55),
        (1.02, 3.35),
        (0.90, 3.55),
        (0.74, 3.50),
        (0.64, 5.40),
        (0.52, 6.85),
        (0.60, 7.00),
        (0.13, 7.00),
        (0.15, 6.85),
        (0.07, 3.95),
    ]
)
_BODY = np.vstack([_BODY_RIGHT, _BODY_RIGHT[::-1] * (-1.0, 1.0)])


@dataclass(frozen=True)
class Figure:
    name: str
    colour: RGB
    x: float  # world x of the figure's centre line
    head_y: float  # world y of the head's centre
    head: float  # head height, world units
    label_y: float  # world y of the name label's centre
    label_height: float  # world height of the label's capitals

    @property
    def feet_y(self) -> float:
        return self.head_y + FEET_BELOW_HEAD_CENTRE * self.head

    def extent(self) -> WorldRect:
        half = max(1.25 * self.head, text_width(self.name, self.label_height) / 2.0 + 1.5 * self.label_height)
        body = WorldRect(self.x - half, self.head_y - 0.6 * self.head, self.x + half, self.feet_y + 0.3 * self.head)
        label = WorldRect(self.x - half, self.label_y - 1.5 * self.label_height, self.x + half, self.label_y + 1.5 * self.label_height)
        return body.union(label)


def label_cap_height(height: int) -> float:
    """Name labels stay legible on small frames and modest on large ones."""
    return max(7.0, 0.026 * height)


def layout_figures(request: ShotRenderRequest) -> list[Figure]:
    width, height = request.width, request.height
    head_fraction, centre_fraction = FRAMING[request.shot.size]
    head, head_y = head_fraction * height, centre_fraction * height
    cap = label_cap_height(height)
    if head < 0.12 * height:
        label_y = head_y - 0.5 * head - 1.4 * cap  # over the head of a small figure
    else:
        label_y = min(head_y + 1.6 * head, 0.74 * height)  # on the chest, clear of the caption band
    seen: dict[str, int] = {}
    figures = []
    for placed in request.shot.characters:
        character = request.character(placed.character_id)
        if character is None:
            name, colour = placed.character_id, _UNKNOWN_COLOUR
        else:
            name, colour = character.name, parse_colour(character.color, f"colour of character {character.name}", request.label)
        crowd = seen.get(placed.position.value, 0)
        seen[placed.position.value] = crowd + 1
        step = (crowd + 1) // 2 * (1 if crowd % 2 else -1) * _CROWD_STEP * width
        figures.append(Figure(name, colour, SCREEN_X[placed.position] * width + step, head_y, head, label_y, cap))
    return figures


def figures_extent(figures: list[Figure]) -> WorldRect | None:
    """The world area the figures, their shadows and their labels cover."""
    rect: WorldRect | None = None
    for figure in figures:
        rect = figure.extent() if rect is None else rect.union(figure.extent())
    return rect


def draw_figure(layer: Canvas, figure: Figure) -> None:
    """Silhouette with a rim of light and a contact shadow, then the name label, on an RGBA layer:
    drawing opaque colours on a transparent layer leaves anti-aliased edges premultiplied."""
    h, x, y = figure.head, figure.x, figure.head_y
    layer.ellipse((x, figure.feet_y), (1.3 * h, 0.2 * h), (0, 0, 0, 96))
    colour = _opaque(figure.colour)
    outline = _opaque(mix(figure.colour, (0, 0, 0), 0.45))
    body = _BODY * h + (x, y)
    layer.polygon(body, colour)
    layer.polyline(body, outline, 0.03 * h, closed=True)
    layer.ellipse((x, y), (0.39 * h, 0.5 * h), colour)
    layer.ellipse((x, y), (0.39 * h, 0.5 * h), outline, 0.03 * h)
    layer.ellipse((x, y), (0.33 * h, 0.44 * h), _opaque(mix(figure.colour, (255, 255, 255), 0.45)), 0.045 * h, start=195.0, end=265.0)
    _draw_label(layer, figure)


def _draw_label(layer: Canvas, figure: Figure) -> None:
    cap = figure.label_height
    half_w, half_h = text_width(figure.name, cap) / 2.0, 0.95 * cap
    left, right = figure.x - half_w, figure.x + half_w
    backing = mix(figure.colour, (0, 0, 0), 0.6)
    ink: RGB = (250, 250, 250) if luminance(backing) < 140 else (20, 20, 20)
    pill = _opaque(backing)
    layer.rectangle(left, figure.label_y - half_h, right, figure.label_y + half_h, pill)
    layer.ellipse((left, figure.label_y), (half_h, half_h), pill, start=90.0, end=270.0)
    layer.ellipse((right, figure.label_y), (half_h, half_h), pill, start=-90.0, end=90.0)
    layer.text(figure.name, figure.x, figure.label_y + cap / 2.0, cap, _opaque(ink))


def _opaque(colour: RGB) -> tuple[int, int, int, int]:
    return (*colour, 255)
