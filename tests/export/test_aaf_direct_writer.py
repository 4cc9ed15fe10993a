"""The direct AAF writer writes what the OTIO AAF adapter writes through pyaaf2, object by object,
and what it writes reads back, with pyaaf2 and with the adapter, as the timeline it was given."""

from __future__ import annotations

import io
from pathlib import Path

import aaf2
import aaf2.cfb
import aaf2.properties as aaf_props
import opentimelineio as otio
import pytest
from export_helpers import build_small_project
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.export import aaf_direct_writer
from pipeline.export.aaf_compound_file import Storage, Stream, write_compound_file
from pipeline.export.aaf_fast_writer import fast_aaf_writer
from pipeline.export.adapter_fixes import fast_metadata_lookups
from pipeline.export.formats import ExportFormat
from pipeline.export.interchange import _as_written, read_timeline, write_timeline
from pipeline.export.shot_clips import shot_sources
from pipeline.export.timeline import ClipMedia, build_timeline
from pipeline.export.timeline_transitions import add_transitions
from studio.frame_rate import FrameRate
from studio.shot import Transition, TransitionType

DURATIONS = (14, 97, 9, 241)
TRANSITIONS = (Transition(), Transition(TransitionType.DISSOLVE, 8), Transition(TransitionType.FADE, 6), Transition(TransitionType.DISSOLVE, 5))
# Written anew by every write: creation times and the identification's id (random MobIDs are named by order: aaf_objects).
_VARYING = {"CreationTime", "LastModified", "Date", "GenerationAUID"}


def cut(root: Path, rate: FrameRate, offline: set[int] = frozenset(), silent: set[int] = frozenset(), transitions: bool = True) -> tuple:
    """The small project's cut as an export makes it, with media planned (not encoded): shots in
    `offline` have no picture file, shots in `silent` no sound (a gap on the sound track)."""
    small = build_small_project(root, rate, DURATIONS, takes=False)
    if transitions:
        for shot, transition in zip(small.project.shots(), TRANSITIONS, strict=True):
            shot.transition = transition
    sources = shot_sources(small.project, small.folder)
    media = {
        s.shot.id: ClipMedia(
            None if i in offline else root / "media" / f"{s.file_stem}.mov", None if i in silent else root / "media" / f"{s.file_stem}.wav", s.duration + 8, 4
        )
        for i, s in enumerate(sources)
    }
    timeline = build_timeline(small.project, sources, media)
    if transitions:
        add_transitions(timeline.video_tracks()[0], sources, media, rate.fps)
    return small.project, _as_written(timeline, ExportFormat.AAF)


def aaf_objects(path: Path) -> list[str]:
    """Every object of the file (header, dictionary, every mob and what it holds, the
    metadictionary's classes and types), property by property. Random MobIDs are named by the
    order they first appear in, so references between mobs are still compared."""
    mob_names: dict[str, str] = {}

    def mob(value: object) -> str:
        return mob_names.setdefault(str(value), f"mob{len(mob_names)}")

    lines: list[str] = []

    def walk(obj, indent: str) -> None:  # noqa: ANN001 - a pyaaf2 object
        lines.append(f"{indent}<{obj.classdef.class_name}>")
        for p in sorted(obj.property_entries.values(), key=lambda p: p.pid):
            if p.name in _VARYING:
                continue
            if isinstance(p, aaf_props.StrongRefProperty):
                lines.append(f"{indent} {p.name}:")
                walk(p.value, indent + "  ")
            elif isinstance(p, (aaf_props.StrongRefVectorProperty, aaf_props.StrongRefSetProperty)):
                lines.append(f"{indent} {p.name} [{len(p)}]")
                for item in p.value:
                    walk(item, indent + "  ")
            elif isinstance(p, aaf_props.WeakRefArrayProperty):
                lines.append(f"{indent} {p.name} -> {[str(r) for r in p.references]}")
            elif isinstance(p, aaf_props.WeakRefProperty):
                lines.append(f"{indent} {p.name} -> {p.ref} {getattr(p.value, 'name', None)}")
            elif isinstance(p.value, aaf2.mobid.MobID) and p.value.int:
                lines.append(f"{indent} {p.name} = {mob(p.value)}")
            else:
                lines.append(f"{indent} {p.name} = {p.value!r}")

    with aaf2.open(str(path)) as f:
        for m in f.content.mobs:
            mob(m.mob_id)
        walk(f.header, "")
        for classdef in sorted(f.metadict["ClassDefinitions"].value, key=lambda c: str(c.auid)):
            lines.append(f"class {classdef.class_name} {classdef.auid} {[(p.property_name, p.pid) for p in classdef.propertydefs]}")
        lines += sorted(f"type {typedef.type_name} {typedef.auid}" for typedef in f.metadict["TypeDefinitions"].value)
    return lines


def both_writers(timeline: otio.schema.Timeline, tmp_path: Path) -> tuple[Path, Path]:
    adapter, direct = tmp_path / "adapter.aaf", tmp_path / "direct.aaf"
    with fast_aaf_writer():
        otio.adapters.write_to_file(timeline, str(adapter), adapter_name="AAF", use_empty_mob_ids=True)
    assert aaf_direct_writer.fits(timeline)
    aaf_direct_writer.write_aaf(timeline, direct)
    return adapter, direct


CASES = {
    "24 fps, dissolves": (FrameRate(24), set(), set(), True),
    "23.976, an offline shot and a silent one": (FrameRate(24000, 1001), {1}, {2}, True),
    "29.97, silent first shot": (FrameRate(30000, 1001), set(), {0}, True),
    "25 fps, no sound at all, plain cuts": (FrameRate(25), set(), {0, 1, 2, 3}, False),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_the_direct_writer_writes_every_object_the_adapter_writes(case, tmp_path):
    rate, offline, silent, transitions = CASES[case]
    _, timeline = cut(tmp_path, rate, offline, silent, transitions)
    adapter, direct = both_writers(timeline, tmp_path)
    ours, theirs = aaf_objects(direct), aaf_objects(adapter)
    assert ours == theirs
    assert sum("<Transition>" in line for line in ours) == (3 if transitions else 0)


def test_a_shot_used_twice_shares_its_master_clip_as_in_the_adapters_file(tmp_path):
    """An edited cut may use one take twice: one master and tape mob for both, as the adapter does."""
    _, timeline = cut(tmp_path, FrameRate(24), transitions=False)
    for track in timeline.tracks:
        again = track[0].deepcopy()
        start, length = again.source_range.start_time, again.source_range.duration
        half = otio.opentime.RationalTime(length.value // 2, length.rate)
        again.source_range = otio.opentime.TimeRange(start + half, half)
        track.append(again)
    adapter, direct = both_writers(timeline, tmp_path)
    assert aaf_objects(direct) == aaf_objects(adapter)


def clips_as_written(timeline: otio.schema.Timeline) -> list[tuple]:
    """What the AAF reader gives back of each track: every item's kind, name, source range and,
    for a transition, its offsets; for picture clips, the comments we put on their master clip
    (sound clips share it: they read back with the same comments)."""
    out = []
    for track in timeline.tracks:
        video = track.kind == otio.schema.TrackKind.Video
        for item in track:
            if isinstance(item, otio.schema.Transition):
                out.append(("transition", item.in_offset.value, item.out_offset.value))
            elif isinstance(item, otio.schema.Gap):
                out.append(("gap", item.duration().value))
            else:
                comments = dict(item.metadata.get("AAF", {}).get("UserComments", {})) if video else None
                out.append(("clip", item.name, item.source_range.start_time.value, item.source_range.duration.value, comments))
    return out


@pytest.mark.parametrize("rate", [FrameRate(24), FrameRate(24000, 1001)], ids=str)
def test_a_directly_written_cut_reads_back_as_the_timeline_written(rate, tmp_path):
    project, timeline = cut(tmp_path, rate, offline={3}, silent={1})
    path = write_timeline(timeline, ExportFormat.AAF, tmp_path / "cut.aaf", project)
    back = read_timeline(path, project.format.frame_rate)
    written = clips_as_written(timeline)
    assert clips_as_written(back) == written
    picture = [item for item in written if item[0] == "clip"][: len(DURATIONS)]
    assert [item[3] for item in picture] == list(DURATIONS)
    assert picture[0][4]["Storyboard Studio shot id"] == next(iter(project.shots())).id
    assert back.global_start_time == timeline.global_start_time
    # And it reads back exactly as the adapter's own file does.
    with fast_aaf_writer():
        otio.adapters.write_to_file(timeline, str(tmp_path / "adapter.aaf"), adapter_name="AAF", use_empty_mob_ids=True)
    assert clips_as_written(read_timeline(tmp_path / "adapter.aaf", project.format.frame_rate)) == written


def test_timelines_the_direct_writer_does_not_cover_go_through_the_adapter(tmp_path):
    project, timeline = cut(tmp_path, FrameRate(24))
    clip = timeline.video_tracks()[0].find_clips()[0]
    clip.metadata["AAF"]["MobAttributeList"] = {"_USER_POS": 1}
    assert not aaf_direct_writer.fits(timeline)
    path = write_timeline(timeline, ExportFormat.AAF, tmp_path / "cut.aaf", project)
    with aaf2.open(str(path)) as f:
        master = next(m for m in f.content.mastermobs() if m.name == clip.name)
        assert master["MobAttributeList"].value[0].name == "_USER_POS"


def test_a_thousand_shot_cut_is_the_same_as_the_adapters(tmp_path):
    """Sizes where the compound file needs several FAT and directory sectors and large streams."""
    _, small = cut(tmp_path, FrameRate(24))
    big = otio.schema.Timeline(name="Big", global_start_time=small.global_start_time)
    for track in small.tracks:
        copy = otio.schema.Track(name=track.name, kind=track.kind)
        for n in range(250):
            for item in track:
                item = item.deepcopy()
                if isinstance(item, otio.schema.Clip):
                    item.name = f"{item.name}_{n}"
                    aaf = item.metadata["AAF"]
                    aaf["MobID"] = aaf["MobID"][:-8] + f"{n:08x}"
                copy.append(item)
        big.tracks.append(copy)
    adapter, direct = both_writers(big, tmp_path)
    assert aaf_objects(direct) == aaf_objects(adapter)


names = st.text(alphabet="abcXYZ019 -{}_", min_size=1, max_size=31)


@st.composite
def folders(draw, depth: int = 0) -> Storage:  # noqa: ANN001 - hypothesis' draw
    children: dict[str, Storage | Stream] = {}
    for name in draw(st.lists(names, max_size=40 if depth == 0 else 6, unique_by=str.upper)):
        if depth < 2 and draw(st.booleans()):
            children[name] = draw(folders(depth + 1))
            children[name].name = name
        else:
            size = draw(st.sampled_from([0, 1, 63, 64, 65, 4095, 4096, 9000]))
            children[name] = Stream(name, bytes((i * 7 + len(name)) % 256 for i in range(size)))
    return Storage("Root Entry" if depth == 0 else "f", bytes(range(16)), list(children.values()))


def read_back(data: bytes) -> dict[str, object]:
    cfb = aaf2.cfb.CompoundFileBinary(io.BufferedReader(io.BytesIO(data)), "rb")  # pyaaf2 takes a BytesIO as a new file
    found: dict[str, object] = {}

    def walk(entry, path: str) -> None:  # noqa: ANN001 - a pyaaf2 DirEntry
        for child in cfb.listdir(entry):
            if child.isdir():
                found[f"{path}/{child.name}"] = bytes(child.class_id.bytes_le)
                walk(child, f"{path}/{child.name}")
            else:
                found[f"{path}/{child.name}"] = child.open("r").read()

    walk(cfb.find("/"), "")
    return found


def flatten(storage: Storage, path: str = "") -> dict[str, object]:
    found: dict[str, object] = {}
    for child in storage.children:
        if isinstance(child, Storage):
            found[f"{path}/{child.name}"] = child.class_id
            found.update(flatten(child, f"{path}/{child.name}"))
        else:
            found[f"{path}/{child.name}"] = child.data
    return found


@settings(max_examples=40, deadline=None)
@given(folders())
def test_any_tree_of_folders_and_streams_reads_back_from_the_compound_file(root):
    out = io.BytesIO()
    write_compound_file(root, out, bytes(16), bytes(range(16)))
    assert read_back(out.getvalue()) == flatten(root)


# OTIO cannot list a key holding NUL, and a lone surrogate (category Cs) is no UTF-8 string it could take.
keys = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(keys, st.integers(-(2**63), 2**63 - 1), max_size=6), keys)
def test_metadata_look_ups_without_exceptions_answer_as_otio_does(content, key):
    """fast_metadata_lookups (on while the AAF and the other writers run) changes speed, not answers."""
    clip = otio.schema.Clip(metadata=content)
    stock = (clip.metadata.get(key), clip.metadata.get(key, "missing"), key in clip.metadata, list(clip.metadata), dict(clip.metadata.items()))
    with fast_metadata_lookups():
        fast = (clip.metadata.get(key), clip.metadata.get(key, "missing"), key in clip.metadata, list(clip.metadata), dict(clip.metadata.items()))
    assert fast == stock
    assert stock[3] == list(content) or sorted(stock[3]) == sorted(content)
