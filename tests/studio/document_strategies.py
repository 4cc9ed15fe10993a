"""Hypothesis strategies for whole project documents with valid cross-references.

Every field of every document class is drawn, enums over all their members, text over all of
Unicode (no lone surrogates: those cannot be typed), media references as the content-addressed
paths the media store writes ("media/<sha256>.mp4").
"""

from __future__ import annotations

from hypothesis import strategies as st

from studio.camera import CameraMove, CameraMoveType, Direction, Easing
from studio.character import Character, VoiceEngine, VoiceSettings
from studio.frame_rate import FrameRate
from studio.location import Location, TimeOfDay, WorldState, WorldStateOverride
from studio.mix import Ducking, MixSettings, TrackMix
from studio.project import Project, Sequence, StylePreset, VideoFormat
from studio.shot import (
    CharacterInShot,
    ContinuityLink,
    DialogueLine,
    ScreenPosition,
    Shot,
    ShotSize,
    SoundCue,
    SoundCueKind,
    Transition,
    TransitionType,
)
from studio.take import Take

texts = st.text(max_size=24)
names = st.text(min_size=1, max_size=16)
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)
whole_numbers = st.integers(min_value=-(2**63), max_value=2**63)
frame_counts = st.integers(min_value=0, max_value=10**7)
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
sha256_hex = st.binary(min_size=32, max_size=32).map(bytes.hex)
media_refs = st.builds(lambda digest, suffix: f"media/{digest}{suffix}", sha256_hex, st.sampled_from([".mp4", ".png", ".jpg", ".wav", ".npy", ""]))
shot_numbers = st.one_of(st.from_regex(r"\A[1-9][0-9]{0,3}[A-Z]{0,2}\Z"), texts)

NAMED_RATES = [FrameRate(24), FrameRate(25), FrameRate(30), FrameRate(24000, 1001), FrameRate(30000, 1001), FrameRate(60000, 1001), FrameRate(60)]


@st.composite
def frame_rates(draw: st.DrawFn) -> FrameRate:
    """The rates editors use, and any N/D between 1 and 240 fps."""
    if draw(st.booleans()):
        return draw(st.sampled_from(NAMED_RATES))
    denominator = draw(st.integers(min_value=1, max_value=1001))
    return FrameRate(draw(st.integers(min_value=denominator, max_value=240 * denominator)), denominator)


video_formats = st.builds(VideoFormat, width=st.integers(16, 8192), height=st.integers(16, 8192), frame_rate=frame_rates())
string_maps = st.dictionaries(texts, texts, max_size=3)
voices = st.builds(
    VoiceSettings,
    voice=texts,
    pitch=st.integers(0, 99),
    words_per_minute=st.integers(80, 450),
    engine=st.sampled_from(VoiceEngine),
    model=st.none() | texts,
    speaker=st.integers(0, 108),
)
world_states = st.builds(
    WorldState,
    time_of_day=st.sampled_from(TimeOfDay),
    weather=texts,
    lighting=texts,
    palette=st.lists(texts, max_size=4).map(tuple),
    props=st.lists(texts, max_size=4).map(tuple),
)
world_overrides = st.builds(
    WorldStateOverride,
    time_of_day=st.none() | st.sampled_from(TimeOfDay),
    weather=st.none() | texts,
    lighting=st.none() | texts,
    palette=st.none() | st.lists(texts, max_size=3).map(tuple),
    props=st.none() | st.lists(texts, max_size=3).map(tuple),
)
camera_moves = st.builds(
    CameraMove, type=st.sampled_from(CameraMoveType), direction=st.sampled_from(Direction), amount=finite_floats, easing=st.sampled_from(Easing)
)
transitions = st.builds(Transition, type=st.sampled_from(TransitionType), duration=frame_counts)
sound_cues = st.builds(
    SoundCue,
    kind=st.sampled_from(SoundCueKind),
    description=texts,
    start=frame_counts,
    duration=st.none() | frame_counts,
    media=st.none() | media_refs,
    gain_db=finite_floats,
    pan=finite_floats,
    span_shots=st.integers(1, 4),
)
track_mixes = st.builds(TrackMix, gain_db=st.floats(-60, 24), pan=st.floats(-1, 1), mute=st.booleans(), solo=st.booleans())
mix_settings = st.builds(
    MixSettings,
    dialogue=track_mixes,
    effects=track_mixes,
    music=track_mixes,
    ducking=st.builds(Ducking, depth_db=st.floats(0, 40)),
)


def characters(character_id: str) -> st.SearchStrategy[Character]:
    return st.builds(
        Character,
        id=st.just(character_id),
        name=names,
        description=texts,
        reference_images=st.lists(media_refs, max_size=2),
        voice=voices,
        color=texts,
        embeddings=st.dictionaries(texts, media_refs, max_size=2),
    )


def locations(location_id: str) -> st.SearchStrategy[Location]:
    return st.builds(
        Location,
        id=st.just(location_id),
        name=names,
        interior=st.booleans(),
        description=texts,
        world=world_states,
        establishing_plate=st.none() | media_refs,
        embeddings=st.dictionaries(texts, media_refs, max_size=2),
    )


def takes(take_id: str) -> st.SearchStrategy[Take]:
    return st.builds(
        Take,
        id=st.just(take_id),
        number=st.integers(1, 999),
        input_hash=sha256_hex,
        backend=st.sampled_from(["draft", "wan", "ltx", "animatediff"]) | texts,
        settings=string_maps,
        video=st.none() | media_refs,
        audio=st.none() | media_refs,
        stems=st.dictionaries(st.sampled_from(["dialogue", "effects", "music"]), media_refs, max_size=3),
        last_frame=st.none() | media_refs,
        thumbnail=st.none() | media_refs,
        lip_sync=st.none() | media_refs,
        model_id=st.none() | texts,
        seed=whole_numbers,
        created=texts,
        timings=st.dictionaries(texts, finite_floats, max_size=3),
        provenance=string_maps,
    )


@st.composite
def shots(draw: st.DrawFn, shot_id: str, character_ids: list[str], location_ids: list[str]) -> Shot:
    cast: list[CharacterInShot] = []
    dialogue: list[DialogueLine] = []
    if character_ids:
        for character_id in draw(st.lists(st.sampled_from(character_ids), unique=True, max_size=3)):
            cast.append(CharacterInShot(character_id, draw(st.sampled_from(ScreenPosition)), draw(texts)))
        dialogue = draw(
            st.lists(
                st.builds(DialogueLine, character_id=st.sampled_from(character_ids), text=texts, start=frame_counts, parenthetical=texts),
                max_size=3,
            )
        )
    take_ids = draw(st.lists(ids, unique=True, max_size=3))
    shot_takes = [draw(takes(take_id)) for take_id in take_ids]
    return Shot(
        id=shot_id,
        number=draw(shot_numbers),
        duration=draw(frame_counts),
        description=draw(texts),
        size=draw(st.sampled_from(ShotSize)),
        lens_mm=draw(finite_floats),
        camera=draw(camera_moves),
        characters=cast,
        location_id=draw(st.none() | st.sampled_from(location_ids)) if location_ids else None,
        world_override=draw(world_overrides),
        dialogue=dialogue,
        sound_cues=draw(st.lists(sound_cues, max_size=3)),
        transition=draw(transitions),
        seed=draw(whole_numbers),
        seed_pinned=draw(st.booleans()),
        approved=draw(st.booleans()),
        backend=draw(texts),
        model_id=draw(st.none() | texts),
        continuity=draw(st.sampled_from(ContinuityLink)),
        panel=draw(st.none() | media_refs),
        allow_dialogue_extend=draw(st.booleans()),
        notes=draw(texts),
        takes=shot_takes,
        active_take_id=draw(st.none() | st.sampled_from(take_ids)) if take_ids else None,
    )


@st.composite
def projects(draw: st.DrawFn, max_shots: int = 8) -> Project:
    """A whole project whose every cross-reference (cast, dialogue, location, active take) is valid."""
    character_ids = draw(st.lists(ids, unique=True, max_size=3))
    location_ids = draw(st.lists(ids, unique=True, max_size=3))
    sequence_ids = draw(st.lists(ids, unique=True, max_size=3))
    shot_ids = draw(st.lists(ids, unique=True, max_size=max_shots))
    sequences = [Sequence(id=sequence_id, name=draw(texts)) for sequence_id in sequence_ids]
    if sequences:
        for shot_id in shot_ids:
            draw(st.sampled_from(sequences)).shots.append(draw(shots(shot_id, character_ids, location_ids)))
    return Project(
        title=draw(texts),
        format=draw(video_formats),
        style=draw(st.sampled_from(StylePreset)),
        characters=[draw(characters(character_id)) for character_id in character_ids],
        locations=[draw(locations(location_id)) for location_id in location_ids],
        sequences=sequences,
        mix=draw(mix_settings),
    )
