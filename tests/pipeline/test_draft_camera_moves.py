"""The draft backend's camera moves, measured from the pixels of a rendered test pattern.

Each move renders a known high-texture panel; the tests measure how the picture actually moved
(phase correlation, feature matches) and hold it to the move's definition in studio.camera: the
requested direction, and the requested amount within 2 %.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from draft_helpers import (
    HEIGHT,
    PATTERN_HIGH,
    PATTERN_LOW,
    WIDTH,
    apply_homography,
    make_request,
    measure_homography,
    measure_scale,
    measure_shift,
    pattern_image,
    render_all,
    write_pattern,
)

from pipeline.backends.base import ShotRenderError
from pipeline.backends.draft.camera_path import CRANE_SCALE_PER_AMOUNT, DOLLY_FOREGROUND_EXPONENT, ORBIT_TRAVEL_PER_DEGREE, TRUCK_FOREGROUND_PARALLAX
from pipeline.backends.draft.renderer import DraftRenderer
from studio.camera import ALLOWED_DIRECTIONS, MAX_AMOUNT, CameraMove, CameraMoveType, Direction, Easing, ease
from studio.character import Character
from studio.shot import CharacterInShot, ScreenPosition, ShotSize

TOLERANCE = 0.02  # of the requested amount
MAGENTA = (255, 0, 255)


@pytest.fixture(scope="module")
def panels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Frame-sized, wide (for horizontal travel), tall (for vertical travel) and fine (four times
    the frame's resolution, for zooming in without running out of detail) test patterns."""
    folder = tmp_path_factory.mktemp("panels")
    shapes = {"frame": (WIDTH, HEIGHT), "wide": (3 * WIDTH, HEIGHT), "tall": (WIDTH, 3 * HEIGHT), "fine": (4 * WIDTH, 4 * HEIGHT)}
    paths = {}
    for name, (w, h) in shapes.items():
        paths[name] = folder / f"{name}.png"
        write_pattern(paths[name], w, h, seed=len(name))
    return paths


def cumulative_shifts(frames: list[np.ndarray]) -> np.ndarray:
    """Content displacement of every frame from the first, summed over neighbouring frames."""
    steps = [measure_shift(a, b) for a, b in zip(frames, frames[1:], strict=False)]
    return np.vstack([[0.0, 0.0], np.cumsum(steps, axis=0)])


@pytest.mark.parametrize("kind", [CameraMoveType.PAN, CameraMoveType.TRUCK])
@pytest.mark.parametrize("direction", [Direction.LEFT, Direction.RIGHT])
@pytest.mark.parametrize("amount", [0.3, 1.0, 2.0])
def test_horizontal_moves_travel_the_requested_fraction_of_the_width(
    panels: dict[str, Path], kind: CameraMoveType, direction: Direction, amount: float
) -> None:
    move = CameraMove(kind, direction, amount, Easing.EASE_IN_OUT)
    frames = render_all(make_request(move=move, frames=14, panel_path=panels["wide"]))
    travelled = cumulative_shifts(frames)
    # The view travels toward `direction`, so the picture's content slides the other way.
    expected_total = (-1.0 if direction is Direction.RIGHT else 1.0) * amount * WIDTH
    assert travelled[-1, 0] == pytest.approx(expected_total, abs=TOLERANCE * amount * WIDTH)
    assert abs(travelled[-1, 1]) < 0.5
    # Frame by frame the move follows its easing curve.
    for i, (dx, _) in enumerate(travelled):
        assert dx == pytest.approx(expected_total * ease(move.easing, i / (len(frames) - 1)), abs=TOLERANCE * amount * WIDTH)


@pytest.mark.parametrize("kind", [CameraMoveType.TILT, CameraMoveType.PEDESTAL, CameraMoveType.CRANE])
@pytest.mark.parametrize("direction", [Direction.UP, Direction.DOWN])
@pytest.mark.parametrize("amount", [0.4, 2.0])
def test_vertical_moves_travel_the_requested_fraction_of_the_height(panels: dict[str, Path], kind: CameraMoveType, direction: Direction, amount: float) -> None:
    move = CameraMove(kind, direction, amount, Easing.LINEAR)
    frames = render_all(make_request(move=move, frames=16, panel_path=panels["tall"]))
    travelled = cumulative_shifts(frames)
    expected_total = (1.0 if direction is Direction.UP else -1.0) * amount * HEIGHT
    assert travelled[-1, 1] == pytest.approx(expected_total, abs=TOLERANCE * amount * HEIGHT)
    assert abs(travelled[-1, 0]) < 0.01 * abs(expected_total)
    if kind is CameraMoveType.CRANE and amount <= 0.4:
        # A rising crane also widens a little, a falling one pushes in.
        expected_scale = (1.0 + CRANE_SCALE_PER_AMOUNT * amount) ** (-1 if direction is Direction.UP else 1)
        assert measure_scale(frames[0], frames[-1]) == pytest.approx(expected_scale, abs=0.003)


@pytest.mark.parametrize(
    ("kind", "direction", "amount"),
    [
        (CameraMoveType.ZOOM, Direction.IN, 0.5),
        (CameraMoveType.ZOOM, Direction.IN, MAX_AMOUNT[CameraMoveType.ZOOM]),
        (CameraMoveType.ZOOM, Direction.OUT, 0.5),
        (CameraMoveType.ZOOM, Direction.OUT, MAX_AMOUNT[CameraMoveType.ZOOM]),
        (CameraMoveType.DOLLY_IN, Direction.IN, 1.0),
        (CameraMoveType.DOLLY_OUT, Direction.OUT, MAX_AMOUNT[CameraMoveType.DOLLY_OUT]),
    ],
)
def test_zoom_and_dolly_scale_the_picture_by_the_requested_amount(panels: dict[str, Path], kind: CameraMoveType, direction: Direction, amount: float) -> None:
    frames = render_all(make_request(move=CameraMove(kind, direction, amount), frames=8, panel_path=panels["fine"]))
    # Neighbouring frames differ little, so feature matches hold even across a 4x zoom.
    measured = float(np.prod([measure_scale(a, b) for a, b in zip(frames, frames[1:], strict=False)]))
    expected = 1.0 + amount if direction is Direction.IN else 1.0 / (1.0 + amount)
    assert measured == pytest.approx(expected, abs=TOLERANCE * amount * min(1.0, expected))
    # The scale is about the frame's centre: the centre keeps showing the same content.
    if amount <= 1.0:
        centre = apply_homography(measure_homography(frames[0], frames[-1]), WIDTH / 2, HEIGHT / 2)
        assert centre == pytest.approx((WIDTH / 2, HEIGHT / 2), abs=1.0)


def panel_position(frame: np.ndarray, panel: np.ndarray, x: float, y: float) -> tuple[float, float]:
    """Where a frame position shows the (wide) panel, in panel pixels."""
    return apply_homography(measure_homography(frame, panel), x, y)


@pytest.mark.parametrize(("direction", "amount"), [(Direction.LEFT, MAX_AMOUNT[CameraMoveType.ORBIT]), (Direction.RIGHT, 30.0)])
def test_orbit_sweeps_the_backdrop_and_turns_it_in_perspective(panels: dict[str, Path], direction: Direction, amount: float) -> None:
    panel = pattern_image(3 * WIDTH, HEIGHT, seed=len("wide"))
    frames = render_all(make_request(move=CameraMove(CameraMoveType.ORBIT, direction, amount, Easing.LINEAR), frames=9, panel_path=panels["wide"]))
    start = panel_position(frames[0], panel, WIDTH / 2, HEIGHT / 2)
    end = panel_position(frames[-1], panel, WIDTH / 2, HEIGHT / 2)
    # Circling left around the subject, the camera looks across to more of the backdrop's right.
    expected = (1.0 if direction is Direction.LEFT else -1.0) * amount * ORBIT_TRAVEL_PER_DEGREE * WIDTH
    assert end[0] - start[0] == pytest.approx(expected, abs=TOLERANCE * abs(expected))
    assert end[1] == pytest.approx(HEIGHT / 2, abs=1.0)

    def backdrop_height_seen(frame: np.ndarray, x: float) -> float:
        top = panel_position(frame, panel, x, 0.25 * HEIGHT)[1]
        return panel_position(frame, panel, x, 0.75 * HEIGHT)[1] - top

    # The side of the backdrop the camera has come round to is nearer, so a frame column there
    # spans less of it; halfway through, the backdrop faces the camera square on.
    left, right = backdrop_height_seen(frames[-1], 0.2 * WIDTH), backdrop_height_seen(frames[-1], 0.8 * WIDTH)
    nearer, farther = (left, right) if direction is Direction.LEFT else (right, left)
    assert nearer < 0.97 * farther
    middle = frames[len(frames) // 2]
    assert backdrop_height_seen(middle, 0.2 * WIDTH) == pytest.approx(backdrop_height_seen(middle, 0.8 * WIDTH), rel=0.01)


def test_handheld_shake_peaks_at_the_requested_amplitude(panels: dict[str, Path]) -> None:
    amount = 0.05
    still = render_all(make_request(frames=1, panel_path=panels["frame"]))[0]
    frames = render_all(make_request(move=CameraMove(CameraMoveType.HANDHELD, Direction.NONE, amount), frames=48, panel_path=panels["frame"]))
    offsets = np.array([measure_shift(still, f) for f in frames])
    peak = amount * HEIGHT
    assert np.abs(offsets[:, 0]).max() == pytest.approx(peak, abs=TOLERANCE * peak + 0.1)
    assert np.abs(offsets[:, 1]).max() == pytest.approx(peak, abs=TOLERANCE * peak + 0.1)
    # A hand wobbles, it does not jitter: neighbouring frames stay close.
    assert np.abs(np.diff(offsets, axis=0)).max() < 0.35 * peak


def test_handheld_shake_follows_the_seed(panels: dict[str, Path]) -> None:
    move = CameraMove(CameraMoveType.HANDHELD, Direction.NONE, 0.05)
    first = render_all(make_request(move=move, frames=6, panel_path=panels["frame"], seed=1))
    again = render_all(make_request(move=move, frames=6, panel_path=panels["frame"], seed=1))
    other = render_all(make_request(move=move, frames=6, panel_path=panels["frame"], seed=2))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_static_shot_shows_the_panel_pixel_for_pixel(panels: dict[str, Path]) -> None:
    panel = pattern_image(WIDTH, HEIGHT, seed=len("frame"))
    frames = render_all(make_request(frames=3, panel_path=panels["frame"]))
    assert all(np.array_equal(frame, panel) for frame in frames)


def _moves_at_their_limits() -> list[CameraMove]:
    return [CameraMove(kind, direction, MAX_AMOUNT[kind], Easing.LINEAR) for kind in CameraMoveType for direction in ALLOWED_DIRECTIONS[kind]]


@pytest.mark.parametrize("move", _moves_at_their_limits(), ids=lambda m: f"{m.type.value}-{m.direction.value}")
def test_no_move_ever_shows_anything_from_outside_the_plate(panels: dict[str, Path], move: CameraMove) -> None:
    renderer = DraftRenderer(outside_plate_colour=MAGENTA)
    frames = render_all(make_request(move=move, frames=10, panel_path=panels["frame"]), renderer)
    for index, frame in enumerate(frames):
        # The pattern keeps every channel in range; any sample of the magenta outside (even a
        # bilinear blend with it) would push the green channel below it.
        assert frame.min() >= PATTERN_LOW and frame.max() <= PATTERN_HIGH, f"frame {index} of {move.describe()} shows the plate's edge"


@pytest.mark.parametrize("move", _moves_at_their_limits(), ids=lambda m: f"{m.type.value}-{m.direction.value}")
def test_generated_cards_never_show_outside_the_plate_either(move: CameraMove) -> None:
    frames = render_all(make_request(move=move, frames=6), DraftRenderer(outside_plate_colour=MAGENTA))
    for frame in frames:
        assert not np.all(frame == MAGENTA, axis=2).any()


@pytest.mark.parametrize(
    ("move", "words"),
    [
        (CameraMove(CameraMoveType.PAN, Direction.UP, 0.5), "pan moves left, right"),
        (CameraMove(CameraMoveType.ZOOM, Direction.IN, 7.0), "zoom amount must be between 0 and 3.0"),
        (CameraMove(CameraMoveType.TILT, Direction.DOWN, -0.1), "tilt amount must be between"),
    ],
)
def test_an_invalid_move_is_refused_naming_the_shot_and_the_fix(move: CameraMove, words: str) -> None:
    with pytest.raises(ShotRenderError) as caught:
        render_all(make_request(move=move, number="12A"))
    message = str(caught.value)
    assert message.startswith("shot 12A") and words in message and "camera move" in message


# --- parallax on generated cards: figures stand in front of the set -----------------------------
ANA = Character(id="ana", name="ANA", color="#e02020")


def figure_pixels(frame: np.ndarray) -> np.ndarray:
    return np.abs(frame.astype(np.int16) - np.array([224, 32, 32], dtype=np.int16)).max(axis=2) <= 30


def render_card_with_ana(move: CameraMove, size: ShotSize, width: int = WIDTH, height: int = HEIGHT) -> list[np.ndarray]:
    cast = ((ANA, CharacterInShot("ana", ScreenPosition.CENTER)),)
    return render_all(make_request(move=move, size=size, cast=cast, frames=8, width=width, height=height))


def figure_travel(frames: list[np.ndarray]) -> float:
    return float(np.nonzero(figure_pixels(frames[-1]))[1].mean() - np.nonzero(figure_pixels(frames[0]))[1].mean())


def test_a_truck_carries_the_figures_further_than_a_pan() -> None:
    pan = figure_travel(render_card_with_ana(CameraMove(CameraMoveType.PAN, Direction.RIGHT, 0.3), ShotSize.LS))
    truck = figure_travel(render_card_with_ana(CameraMove(CameraMoveType.TRUCK, Direction.RIGHT, 0.3), ShotSize.LS))
    assert pan == pytest.approx(-0.3 * WIDTH, rel=TOLERANCE)  # a pan turns the camera: everything moves alike
    assert truck == pytest.approx(TRUCK_FOREGROUND_PARALLAX * pan, rel=TOLERANCE)


def test_a_dolly_enlarges_the_figures_faster_than_a_zoom() -> None:
    def growth(move: CameraMove) -> float:
        frames = render_card_with_ana(move, ShotSize.MS, 640, 360)
        return float(figure_pixels(frames[-1]).sum(axis=1).max() / figure_pixels(frames[0]).sum(axis=1).max())

    assert growth(CameraMove(CameraMoveType.ZOOM, Direction.IN, 0.5)) == pytest.approx(1.5, rel=0.03)
    assert growth(CameraMove(CameraMoveType.DOLLY_IN, Direction.IN, 0.5)) == pytest.approx(1.5**DOLLY_FOREGROUND_EXPONENT, rel=0.03)


def test_an_orbit_keeps_the_subject_in_place_while_the_set_sweeps_behind() -> None:
    frames = render_card_with_ana(CameraMove(CameraMoveType.ORBIT, Direction.LEFT, 60.0), ShotSize.LS)
    assert abs(figure_travel(frames)) < 1.0
    set_only = [np.where(figure_pixels(f)[..., None], 0, f) for f in frames]
    assert not np.array_equal(set_only[0], set_only[-1])
