"""The draft backend's picture: the user's panel or a generated storyboard card, and the renderer's
contract (frame count and shape, determinism, progress, cancel, errors a user can cause)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from draft_helpers import HEIGHT, WIDTH, make_request, render_all, write_pattern

from pipeline.backends.base import ShotRenderError, ShotRenderRequest
from pipeline.backends.draft.caption import PAPER, caption_band
from pipeline.backends.draft.renderer import DraftRenderer
from pipeline.backends.registry import create_backend
from pipeline.progress import CancelToken, ProgressEvent, RenderCancelled
from studio.camera import CameraMove, CameraMoveType, Direction
from studio.character import Character
from studio.location import Location, TimeOfDay, WorldState
from studio.project import StylePreset
from studio.shot import SCREEN_X, CharacterInShot, ScreenPosition, ShotSize

RED = (224, 32, 32)
ANA = Character(id="ana", name="ANA", color="#e02020")
BEN = Character(id="ben", name="BEN", color="#2050d0")


def ana_at(position: ScreenPosition = ScreenPosition.CENTER) -> tuple[Character, CharacterInShot]:
    return ANA, CharacterInShot("ana", position)


def pixels_near(frame: np.ndarray, colour: tuple[int, int, int], within: int = 30) -> np.ndarray:
    return np.abs(frame.astype(np.int16) - np.array(colour, dtype=np.int16)).max(axis=2) <= within


def street(time_of_day: TimeOfDay, weather: str = "", palette: tuple[str, ...] = ()) -> Location:
    return Location(id="street", name="Main Street", interior=False, world=WorldState(time_of_day=time_of_day, weather=weather, palette=palette))


# --- the renderer's contract ---------------------------------------------------------------------
def test_the_registry_creates_the_draft_renderer() -> None:
    backend = create_backend("draft")
    assert isinstance(backend, DraftRenderer)
    assert (backend.name, backend.version) == ("draft", "1")


@pytest.mark.parametrize(("width", "height", "frames"), [(WIDTH, HEIGHT, 7), (321, 181, 1), (64, 48, 3)])
def test_renders_exactly_the_shots_frames_at_the_requested_size(width: int, height: int, frames: int) -> None:
    request = make_request(
        move=CameraMove(CameraMoveType.TRUCK, Direction.LEFT, 0.5),
        frames=frames,
        width=width,
        height=height,
        cast=(ana_at(),),
        location=street(TimeOfDay.DAY, "rain"),
    )
    rendered = render_all(request)
    assert len(rendered) == frames
    for frame in rendered:
        assert frame.shape == (height, width, 3) and frame.dtype == np.uint8 and frame.flags.c_contiguous


def test_the_same_request_renders_the_same_pixels() -> None:
    def request() -> ShotRenderRequest:
        return make_request(
            move=CameraMove(CameraMoveType.HANDHELD, Direction.NONE, 0.05),
            cast=(ana_at(ScreenPosition.LEFT), (BEN, CharacterInShot("ben", ScreenPosition.RIGHT))),
            location=street(TimeOfDay.NIGHT, "heavy rain", ("#0b1020", "#1f2a44", "#d94f8c", "#f2a541")),
            description="Rain hammers the street.",
            frames=6,
        )

    first, second = render_all(request()), render_all(request())
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


def test_the_seed_changes_the_set_but_not_the_framing() -> None:
    one = render_all(make_request(location=street(TimeOfDay.DAY), size=ShotSize.WS, frames=1, seed=1))[0]
    two = render_all(make_request(location=street(TimeOfDay.DAY), size=ShotSize.WS, frames=1, seed=2))[0]
    assert not np.array_equal(one, two)


def test_progress_is_reported_for_every_frame() -> None:
    events: list[ProgressEvent] = []
    render_all(make_request(frames=5, number="9B"), events=events)
    assert [e.done for e in events] == [0, 1, 2, 3, 4, 5]
    assert {(e.job, e.stage, e.total) for e in events} == {("shot 9B", "picture", 5)}


def test_cancelling_stops_the_frames() -> None:
    token = CancelToken()
    frames = DraftRenderer().render_frames(make_request(frames=50), lambda e: None, token)
    next(frames), next(frames)
    token.cancel()
    with pytest.raises(RenderCancelled):
        next(frames)


def test_a_shot_cancelled_before_it_starts_draws_nothing() -> None:
    token = CancelToken()
    token.cancel()
    events: list[ProgressEvent] = []
    with pytest.raises(RenderCancelled):
        list(DraftRenderer().render_frames(make_request(frames=5), events.append, token))
    assert events == []


@pytest.mark.parametrize("frames", [0, -3])
def test_a_shot_without_frames_is_refused_with_the_fix(frames: int) -> None:
    with pytest.raises(ShotRenderError) as caught:
        DraftRenderer().render_frames(make_request(frames=frames, number="7"), lambda e: None, CancelToken())
    assert str(caught.value).startswith("shot 7 has no frames") and "duration of at least one frame" in str(caught.value)


def test_a_bad_character_colour_is_refused_naming_the_character() -> None:
    odd = Character(id="ana", name="ANA", color="reddish")
    with pytest.raises(ShotRenderError, match=r"^shot 4: colour of character ANA 'reddish' is not a hex colour"):
        render_all(make_request(cast=((odd, CharacterInShot("ana")),)))


def test_a_bad_palette_colour_is_refused_naming_the_fix() -> None:
    with pytest.raises(ShotRenderError, match=r"^shot 4: palette colour '#12345' is not a hex colour like #1a2b3c; correct it$"):
        render_all(make_request(location=street(TimeOfDay.DAY, palette=("#000000", "#12345"))))


# --- the user's panel ----------------------------------------------------------------------------
def test_a_missing_panel_names_the_shot_the_file_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ShotRenderError) as caught:
        render_all(make_request(panel_path=tmp_path / "gone.png", number="4"))
    assert str(caught.value) == "shot 4: panel image media/gone.png is missing; re-import the panel or clear it"


@pytest.mark.parametrize("content", [b"", b"not a png at all", b"\x89PNG\r\n\x1a\n" + bytes(40)])
def test_an_unreadable_panel_names_the_shot_the_file_and_the_fix(tmp_path: Path, content: bytes) -> None:
    broken = tmp_path / "ab.png"
    broken.write_bytes(content)
    with pytest.raises(ShotRenderError) as caught:
        render_all(make_request(panel_path=broken, number="4"))
    assert str(caught.value) == "shot 4: panel image media/ab.png cannot be read (not an image or damaged); re-import the panel or clear it"


def test_a_panel_of_another_shape_covers_the_frame_centred(tmp_path: Path) -> None:
    square = write_pattern(tmp_path / "square.png", 2 * HEIGHT, 2 * HEIGHT)
    frame = render_all(make_request(panel_path=tmp_path / "square.png", frames=1))[0]
    # Scaled to cover the width, the square panel's middle band fills the frame.
    scale = WIDTH / square.shape[1]
    expected = cv2.resize(square, (WIDTH, round(square.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    top = (expected.shape[0] - HEIGHT) // 2
    difference = np.abs(frame.astype(np.int16) - expected[top : top + HEIGHT].astype(np.int16))
    assert np.median(difference) <= 6


def test_a_transparent_panel_is_laid_on_white_paper(tmp_path: Path) -> None:
    sketch = np.zeros((HEIGHT, WIDTH, 4), dtype=np.uint8)  # fully transparent black ...
    cv2.circle(sketch, (WIDTH // 2, HEIGHT // 2), 40, (0, 0, 0, 255), -1)  # ... with one opaque black disc
    cv2.imwrite(str(tmp_path / "sketch.png"), sketch)
    frame = render_all(make_request(panel_path=tmp_path / "sketch.png", frames=1))[0]
    assert frame[5, 5].tolist() == [255, 255, 255]
    assert frame[HEIGHT // 2, WIDTH // 2].tolist() == [0, 0, 0]


def test_a_grey_panel_comes_out_as_rgb(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "grey.png"), np.full((HEIGHT, WIDTH), 128, dtype=np.uint8))
    frame = render_all(make_request(panel_path=tmp_path / "grey.png", frames=1))[0]
    assert frame.shape == (HEIGHT, WIDTH, 3) and (frame == 128).all()


def test_panel_colours_arrive_as_rgb(tmp_path: Path) -> None:
    image = np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8)
    image[:] = (40, 90, 200)  # BGR on disk: a blue picture
    cv2.imwrite(str(tmp_path / "blue.png"), image)
    frame = render_all(make_request(panel_path=tmp_path / "blue.png", frames=1))[0]
    assert frame[0, 0].tolist() == [200, 90, 40]


# --- the generated card -------------------------------------------------------------------------
def test_an_extreme_close_up_figure_fills_the_frame_and_an_extreme_wide_one_is_a_speck() -> None:
    areas, widths = {}, {}
    for size in ShotSize:
        frame = render_all(make_request(size=size, cast=(ana_at(),), frames=1))[0]
        silhouette = pixels_near(frame, RED)
        areas[size] = int(silhouette.sum())
        widths[size] = int(silhouette.sum(axis=1).max())  # the figure's widest row: shoulders, or the face
    assert areas[ShotSize.ECU] > 0.6 * WIDTH * HEIGHT
    assert areas[ShotSize.ECU] > 100 * areas[ShotSize.EWS] > 0
    # Each step wider frames the figure smaller (areas need not follow: the frame crops close shots).
    assert [widths[s] for s in ShotSize] == sorted(widths.values(), reverse=True)
    assert len(set(widths.values())) == len(ShotSize)


@pytest.mark.parametrize("position", list(ScreenPosition))
def test_a_figure_stands_at_its_screen_position(position: ScreenPosition) -> None:
    frame = render_all(make_request(size=ShotSize.LS, cast=(ana_at(position),), frames=1))[0]
    ys, xs = np.nonzero(pixels_near(frame, RED))
    assert xs.mean() == pytest.approx(SCREEN_X[position] * WIDTH, abs=0.02 * WIDTH)


def test_each_figure_is_drawn_in_its_own_colour() -> None:
    cast = (ana_at(ScreenPosition.LEFT), (BEN, CharacterInShot("ben", ScreenPosition.RIGHT)))
    frame = render_all(make_request(size=ShotSize.MS, cast=cast, frames=1))[0]
    red_x = np.nonzero(pixels_near(frame, RED))[1].mean()
    blue_x = np.nonzero(pixels_near(frame, (32, 80, 208)))[1].mean()
    assert red_x < WIDTH / 2 < blue_x


def mean_luma(frame: np.ndarray) -> float:
    return float(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).mean())


def test_the_time_of_day_lights_the_card() -> None:
    def card(time_of_day: TimeOfDay) -> np.ndarray:
        return render_all(make_request(location=street(time_of_day), size=ShotSize.WS, frames=1))[0][: HEIGHT // 2]

    night, dusk, day = card(TimeOfDay.NIGHT), card(TimeOfDay.DUSK), card(TimeOfDay.DAY)
    assert mean_luma(night) < mean_luma(dusk) < mean_luma(day)
    assert night[..., 2].mean() > night[..., 0].mean()  # night sky is blue
    assert dusk[..., 0].mean() > dusk[..., 1].mean()  # dusk glows orange and purple, not green


def test_the_locations_palette_tints_the_card() -> None:
    plain = render_all(make_request(location=street(TimeOfDay.DAY), size=ShotSize.WS, frames=1))[0]
    green = render_all(make_request(location=street(TimeOfDay.DAY, palette=("#0a3010", "#20a040", "#80f080")), size=ShotSize.WS, frames=1))[0]
    greenness = [float(f[..., 1].mean() - (f[..., 0].mean() + f[..., 2].mean()) / 2) for f in (plain, green)]
    assert greenness[1] > greenness[0] + 10


def test_rain_falls_between_frames_of_a_static_exterior() -> None:
    dry = render_all(make_request(location=street(TimeOfDay.DAY), frames=3))
    wet = render_all(make_request(location=street(TimeOfDay.DAY, "rain"), frames=3))
    assert np.array_equal(dry[0], dry[2])
    assert not np.array_equal(wet[0], wet[2])
    assert mean_luma(wet[0]) > mean_luma(render_all(make_request(location=street(TimeOfDay.DAY, "overcast"), frames=1))[0])


def test_noir_renders_in_black_and_white() -> None:
    frame = render_all(make_request(location=street(TimeOfDay.DUSK), cast=(ana_at(),), frames=1, style=StylePreset.NOIR))[0]
    picture = frame[: HEIGHT - caption_band(make_request()).shape[0]]
    assert (picture[..., 0] == picture[..., 1]).all() and (picture[..., 1] == picture[..., 2]).all()


def test_the_caption_band_carries_the_description_and_stays_put_while_the_camera_moves() -> None:
    request = make_request(
        move=CameraMove(CameraMoveType.PAN, Direction.RIGHT, 1.0), description="Ana crosses the street.", location=street(TimeOfDay.DAY), frames=5
    )
    band = caption_band(request)
    frames = render_all(request)
    bottom = slice(HEIGHT - band.shape[0], HEIGHT)
    assert all(np.array_equal(frame[bottom], band) for frame in frames)
    assert not np.array_equal(frames[0][: bottom.start], frames[-1][: bottom.start])
    ink = (band.astype(np.int16) - np.array(PAPER)).max(axis=2) < -60
    assert ink[:, : WIDTH // 2].sum() > 50  # the description, on the left
    assert ink[:, -WIDTH // 5 :].sum() > 20  # the size and lens, on the right


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_a_long_description_wraps_and_stays_below_the_subtitles(width: int, height: int) -> None:
    short = caption_band(make_request(description="A door.", width=width, height=height))
    long = caption_band(make_request(description=" ".join(["The longest description anyone ever wrote for a shot."] * 12), width=width, height=height))
    # The assembly sets subtitles with their baseline 78/720 of the frame's height above the bottom.
    assert short.shape[0] < long.shape[0] <= 0.1 * height < 78 / 720 * height
