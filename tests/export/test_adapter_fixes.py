"""Our repairs of the OTIO adapters change what they set out to change and nothing else."""

from __future__ import annotations

import contextlib
import io
import xml.etree.ElementTree as ET

import aaf2
import aaf2.mobid
import opentimelineio as otio
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.export.aaf_fast_writer import fast_aaf_writer
from pipeline.export.adapter_fixes import offset_edl_record
from pipeline.export.formats import ExportFormat, MediaEncoding
from pipeline.export.interchange import read_timeline, timeline_text
from pipeline.export.naming import parse_clip_name, safe_file_stem, unique_stems
from pipeline.export.shot_clips import shot_sources
from pipeline.export.shot_media import encode_shot_media
from pipeline.export.timeline import ClipMedia, build_timeline, mob_id
from pipeline.progress import CancelToken, no_progress
from studio.frame_rate import FrameRate


def canonical(xml_text: str) -> str:
    return ET.canonicalize(xml_data=xml_text.replace('<?xml version="1.0" ?>', ""), strip_text=True)


@pytest.fixture
def timeline(small, tmp_path):
    sources = shot_sources(small.project, small.folder)
    media = encode_shot_media(small.project, small.folder, sources, MediaEncoding.H264, 3, tmp_path / "m", tmp_path / "m", no_progress, CancelToken())
    return build_timeline(small.project, sources, media.clips)


def test_the_fast_fcp7_writer_writes_what_the_stock_adapter_writes(small, timeline, tmp_path):
    ours = timeline_text(timeline, ExportFormat.FCP7, small.project)
    assert canonical(ours) == canonical(otio.adapters.write_to_string(timeline, adapter_name="fcp_xml"))
    # A sequence read from FCP7 carries the ids it had; they are kept the same way too.
    (tmp_path / "cut.xml").write_text(ours)
    again = read_timeline(tmp_path / "cut.xml", small.project.format.frame_rate)
    assert canonical(timeline_text(again, ExportFormat.FCP7, small.project)) == canonical(otio.adapters.write_to_string(again, adapter_name="fcp_xml"))


def aaf_contents(path) -> tuple[list[str], list[str]]:
    """Every mob (sorted) and the dictionary, property by property, down through strong references;
    leaves out what differs between any two writes (creation times, the composition's random MobID)."""
    varying = {"LastModified", "CreationTime", "MobID", "SourceID"}

    def lines(obj) -> list[str]:
        out = []
        for prop in sorted(obj.properties(), key=lambda p: p.name or ""):
            if prop.name in varying:
                continue
            value = prop.value
            if isinstance(value, list):
                out.append(f"{prop.name}: [")
                for item in value:
                    out += lines(item) if hasattr(item, "properties") else [repr(item)]
                out.append("]")
            elif hasattr(value, "properties") and type(prop).__name__.startswith("StrongRef"):
                out += [f"{prop.name}: {{", *lines(value), "}"]
            else:
                out.append(f"{prop.name} = {getattr(value, 'name', None) if hasattr(value, 'properties') else value!r}")
        return out

    with aaf2.open(str(path)) as f:
        return sorted("\n".join(lines(mob)) for mob in f.content.mobs), lines(f.dictionary)


def test_the_fast_aaf_writer_writes_what_the_stock_adapter_writes(timeline, tmp_path):
    otio.adapters.write_to_file(timeline, str(tmp_path / "stock.aaf"), adapter_name="AAF", use_empty_mob_ids=True)
    with fast_aaf_writer():
        otio.adapters.write_to_file(timeline, str(tmp_path / "fast.aaf"), adapter_name="AAF", use_empty_mob_ids=True)
    stock, fast = aaf_contents(tmp_path / "stock.aaf"), aaf_contents(tmp_path / "fast.aaf")
    assert len(fast[0]) == 1 + 4 * 4, "the composition; a master, a tape, a picture and a sound file mob a shot"
    assert fast == stock


def test_the_kdenlive_export_is_the_adapters_output_with_only_the_profile_title_and_background_fixed(small, timeline):
    with contextlib.redirect_stdout(io.StringIO()):
        stock = ET.fromstring(otio.adapters.write_to_string(timeline, adapter_name="kdenlive"))
    ours = ET.fromstring(timeline_text(timeline, ExportFormat.KDENLIVE, small.project))
    for root in (stock, ours):
        root.attrib.pop("title")
        root.remove(root.find("profile"))
        root.remove(root.find("producer[@id='black_track']"))
    assert canonical(ET.tostring(ours, encoding="unicode")) == canonical(ET.tostring(stock, encoding="unicode"))


def test_mob_ids_are_valid_umids_shared_by_a_shots_picture_and_sound(timeline):
    picture, sound = timeline.video_tracks()[0].find_clips(), timeline.audio_tracks()[0].find_clips()
    ids = [c.metadata["AAF"]["MobID"] for c in picture]
    assert ids == [c.metadata["AAF"]["MobID"] for c in sound]
    assert len(set(ids)) == len(ids)
    for urn in ids:
        assert str(aaf2.mobid.MobID(urn)) == urn


@pytest.mark.parametrize("rate", [FrameRate(24), FrameRate(24000, 1001), FrameRate(25), FrameRate(30000, 1001)], ids=str)
def test_edl_timecodes_become_non_drop_and_the_record_starts_at_one_hour(rate):
    fps = rate.fps

    def written(frames: int) -> str:  # as the CMX writer writes them: drop-frame at 29.97
        return otio.opentime.to_timecode(otio.opentime.RationalTime(frames, fps), fps)

    def ndf(frames: int) -> str:
        return otio.opentime.to_timecode(otio.opentime.RationalTime(frames, fps), fps, False)

    text = f"TITLE: X\n\n001  AX       V     C        {written(12)} {written(132)} {written(0)} {written(120)}\n* LOC: {written(12)} GREEN   SHOT 1\n"
    text += f"002  AX       V     C        {written(0)} {written(24)} {written(123456)} {written(123480)}\n"
    out = offset_edl_record(text, rate).splitlines()
    assert out[1] == "FCM: NON-DROP FRAME"
    hour = 3600 * rate.timecode_base
    assert out[3].split()[-4:] == [ndf(12), ndf(132), "01:00:00:00", ndf(hour + 120)]
    assert out[4] == f"* LOC: {ndf(12)} GREEN   SHOT 1"
    assert out[5].split()[-2:] == [ndf(hour + 123456), ndf(hour + 123480)]
    assert ";" not in "\n".join(out)


def test_clip_names_parse_back_to_the_shot_number_exactly():
    assert parse_clip_name("12A_T3") == ("12A", 3)
    assert parse_clip_name("12A_PANEL") == ("12A", None)
    assert parse_clip_name("12A_T3.mov") == ("12A", 3)
    assert parse_clip_name("12A_T3 (1)") == ("12A", 3)
    assert parse_clip_name("3/4_T12") == ("3/4", 12)
    assert parse_clip_name("B-roll_0042") is None
    assert parse_clip_name("12A") is None


@given(st.text(max_size=120))
def test_any_name_gives_a_safe_non_empty_file_stem(text):
    stem = safe_file_stem(text)
    assert stem and len(stem) <= 80
    assert not set(stem) & set("/\\:*?\"<>|\x00\n\r\t'") and not stem.startswith(".")


def test_stems_that_collide_get_numbered_case_insensitively():
    assert unique_stems(["12A_T1", "12a_T1", "12A_T1", "12A_T1_2"]) == ["12A_T1", "12a_T1_2", "12A_T1_3", "12A_T1_2_2"]


def test_unused_media_plan_fields_are_independent_of_location(small, tmp_path):
    """A MobID names the shot's media, not where it sits: moving the export folder keeps the ids."""
    source = shot_sources(small.project, small.folder)[0]
    here = ClipMedia(tmp_path / "a.mov", None, 30, 3)
    there = ClipMedia(tmp_path / "elsewhere" / "a.mov", None, 30, 3)
    assert mob_id(source, here) == mob_id(source, there)
    assert mob_id(source, here) != mob_id(source, ClipMedia(tmp_path / "a.mov", None, 36, 6))
