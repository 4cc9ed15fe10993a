"""The project as an OpenTimelineIO timeline: the cut editors receive, in every interchange format.

    Timeline "Last Order"   global_start_time 01:00:00:00 at the project rate (e.g. 24000/1001)
    └─ Stack                 markers: one per sequence (scene), at its first frame
       ├─ Track "Picture"    video: one clip per shot, named 12A_T3, end to end
       │    Clip 12A_T3      media: [ head handle | the shot's frames | tail handle ]
       │                                          ^ source_range      ^ available_range covers all
       └─ Track "Sound mix"  audio: the same clips' sound (a gap where a shot has none)

Each clip's `metadata["storyboard_studio"]` holds what an import back needs (the shot id) and what
a pipeline wants (take, seed, backend, model, prompt). A marker at each clip's first frame carries
the shot number, description, camera and cast, so they show on the editor's timeline.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio

from pipeline.export.shot_clips import ShotSource
from studio import __version__
from studio.frame_rate import FrameRate
from studio.project import Project
from studio.render_inputs import ShotStatus

METADATA_KEY = "storyboard_studio"
SHOT_ID_COMMENT = "Storyboard Studio shot id"
_MOB_NAMESPACE = uuid.UUID("5b0b8d1e-1d7c-4c55-9a47-3f7c2f0c5e11")
_UMID_LABEL = "urn:smpte:umid:060a2b34.01010105.01010f20.13000000."  # basic UMID, UUID material
START_HOURS = 1  # editors expect a cut to start at 01:00:00:00
_STATUS_COLORS = {
    ShotStatus.CURRENT: otio.schema.MarkerColor.GREEN,
    ShotStatus.STALE: otio.schema.MarkerColor.ORANGE,
    ShotStatus.NO_TAKE: otio.schema.MarkerColor.RED,
}


@dataclass(frozen=True)
class ClipMedia:
    """The files a shot's clips point at, and how many frames they hold around the cut."""

    video: Path | None  # absolute path where the file will be; None: offline
    audio: Path | None
    available: int  # frames in the media file, handles included
    head: int  # frames before the shot's first frame (the head handle)


def start_frame(rate: FrameRate) -> int:
    """01:00:00:00 as a frame count: timecode counts whole frames, 24 a second at 23.976."""
    return START_HOURS * 3600 * rate.timecode_base


def start_time(rate: FrameRate) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(start_frame(rate), rate.fps)


def _frames(value: int, rate: float) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(value, rate)


def _reference(path: Path | None, available: int, rate: float) -> otio.core.MediaReference:
    available_range = otio.opentime.TimeRange(_frames(0, rate), _frames(available, rate))
    if path is None:
        # Offline, but with its length: the AAF writer refuses references without one.
        return otio.schema.MissingReference(available_range=available_range)
    # Editors expect URLs (FIELD_NOTES): the FCP7 writer copies target_url verbatim into <pathurl>.
    return otio.schema.ExternalReference(
        target_url=path.absolute().as_uri(), available_range=otio.opentime.TimeRange(_frames(0, rate), _frames(available, rate))
    )


def mob_id(source: ShotSource, media: ClipMedia) -> str:
    """The AAF MobID (a SMPTE UMID) of the shot's master clip: derived from the shot, take and media
    length, so picture and sound share one master clip, as in Avid, and a re-export relinks to it."""
    material = uuid.uuid5(_MOB_NAMESPACE, f"{source.shot.id}/{source.take.id if source.take else 'panel'}/{media.available}/{media.head}")
    return _UMID_LABEL + ".".join(material.hex[i : i + 8] for i in range(0, 32, 8))


def shot_metadata(source: ShotSource, media: ClipMedia) -> dict:
    """What a pipeline or an import back needs to know about the clip (the rest is in the marker)."""
    shot, take = source.shot, source.take
    return {
        "shot_id": shot.id,
        "shot_number": shot.number,
        "sequence": source.sequence_name,
        "take_number": take.number if take else None,
        "take_id": take.id if take else None,
        "status": source.status.value,
        "description": shot.description,
        "seed": take.seed if take else shot.seed,
        "backend": take.backend if take else shot.backend,
        "model": (take.model_id if take else shot.model_id) or "",
        "camera": f"{shot.size.value} {shot.lens_mm:g}mm {shot.camera.describe()}",
        "transition": f"{shot.transition.type.value} {shot.transition.duration}",
        "handles": media.head,
    }


def _marker(names: dict[str, str], source: ShotSource, at: int, rate: float) -> otio.schema.Marker:
    shot = source.shot
    cast = ", ".join(names.get(c.character_id, c.character_id) for c in shot.characters)
    camera = f"{shot.size.value} {shot.lens_mm:g}mm {shot.camera.describe()}"
    comment = " | ".join(part for part in (shot.description, camera, cast) if part)
    return otio.schema.Marker(
        name=f"Shot {shot.number}",
        marked_range=otio.opentime.TimeRange(_frames(at, rate), _frames(0, rate)),
        color=_STATUS_COLORS[source.status],
        comment=comment,
        # The FCP7 writer drops Marker.comment but writes what its own metadata holds.
        metadata={METADATA_KEY: {"shot_id": shot.id}, "fcp_xml": {"comment": comment}},
    )


def _video_clip(names: dict[str, str], source: ShotSource, media: ClipMedia, rate: float) -> otio.schema.Clip:
    metadata = shot_metadata(source, media)
    clip = otio.schema.Clip(
        name=source.name,
        media_reference=_reference(media.video, media.available, rate),
        source_range=otio.opentime.TimeRange(_frames(media.head, rate), _frames(source.duration, rate)),
        metadata={
            METADATA_KEY: metadata,
            # The AAF writer makes one master clip per MobID; we give it one per shot (see mob_id).
            "AAF": {
                "MobID": mob_id(source, media),
                # Avid shows a master clip's comments as bin columns; the shot id lets a cut come back.
                "UserComments": {
                    "Scene": source.sequence_name,
                    "Shot": source.shot.number,
                    "Take": source.take_label,
                    "Description": source.shot.description,
                    SHOT_ID_COMMENT: source.shot.id,
                },
            },
            # FCP7 XML and Premiere show these as the clip's Description, Scene and Shot/Take columns.
            "fcp_xml": {
                "logginginfo": {
                    "description": source.shot.description,
                    "scene": source.sequence_name,
                    "shottake": source.name,
                    "lognote": f"{SHOT_ID_COMMENT} {source.shot.id}",
                }
            },
        },
    )
    clip.markers.append(_marker(names, source, media.head, rate))
    return clip


def _audio_item(source: ShotSource, media: ClipMedia, rate: float) -> otio.core.Item:
    if media.audio is None:
        return otio.schema.Gap(duration=_frames(source.duration, rate))
    return otio.schema.Clip(
        name=source.name,
        media_reference=_reference(media.audio, media.available, rate),
        source_range=otio.opentime.TimeRange(_frames(media.head, rate), _frames(source.duration, rate)),
        metadata={METADATA_KEY: {"shot_id": source.shot.id, "stem": "mix"}, "AAF": {"MobID": mob_id(source, media)}},
    )


def build_timeline(project: Project, sources: list[ShotSource], media: dict[str, ClipMedia]) -> otio.schema.Timeline:
    frame_rate = project.format.frame_rate
    rate = frame_rate.fps
    timeline = otio.schema.Timeline(name=project.title, global_start_time=start_time(frame_rate))
    timeline.metadata[METADATA_KEY] = {
        "title": project.title,
        "frame_rate": str(frame_rate),
        "width": project.format.width,
        "height": project.format.height,
        "start_timecode": frame_rate.timecode(start_frame(frame_rate)),
        "exported_by": f"Storyboard Studio {__version__}",
    }
    # The FCP7 writer leaves the sequence's <format> empty; editors then guess the frame size.
    timeline.metadata["fcp_xml"] = {
        "media": {
            "video": {
                "format": {
                    "samplecharacteristics": {
                        "width": str(project.format.width),
                        "height": str(project.format.height),
                        "pixelaspectratio": "square",
                        "anamorphic": "FALSE",
                        "fielddominance": "none",
                    }
                }
            }
        }
    }
    picture = otio.schema.Track(name="Picture", kind=otio.schema.TrackKind.Video)
    sound = otio.schema.Track(name="Sound mix", kind=otio.schema.TrackKind.Audio)
    names = {c.id: c.name for c in project.characters}
    for source in sources:
        clip_media = media[source.shot.id]
        picture.append(_video_clip(names, source, clip_media, rate))
        sound.append(_audio_item(source, clip_media, rate))
    timeline.tracks.append(picture)
    if any(isinstance(item, otio.schema.Clip) for item in sound):
        timeline.tracks.append(sound)
    starts = {s.shot.id: s.start for s in sources}
    for sequence in project.sequences:
        if sequence.shots:
            at = starts[sequence.shots[0].id]
            marker = otio.schema.Marker(
                name=sequence.name, marked_range=otio.opentime.TimeRange(_frames(at, rate), _frames(0, rate)), color=otio.schema.MarkerColor.BLUE
            )
            marker.metadata[METADATA_KEY] = {"sequence_id": sequence.id}
            timeline.tracks.markers.append(marker)
    return timeline
