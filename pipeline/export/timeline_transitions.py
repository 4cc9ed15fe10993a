"""Each shot's dissolve or fade on the exported cut, as OTIO Transitions between the picture clips.

A shot's transition is centred on its cut, as the animatic plays it (pipeline/assemble/transitions.py).
An OTIO transition takes no time of its own: it overlaps its neighbours, so every clip keeps its
position and length, and the overlap is played from the media's handles:

    track     [ 1_T1            |cut| 2_T1            ]
    dissolve              |<-in->|<-out->|          in = d // 2, out = d - d // 2
    1_T1 file [head|  cut range   |tail]            the tail handle plays under `out`
    2_T1 file             [head|  cut range  |tail] the head handle plays under `in`

So a transition can be no longer than the handles allow; without handles (or with too few) it is
shortened, still centred, or left out, with a warning naming the shot and the handles it needs.

A fade through black is written as a dissolve too. OTIO has one standard transition,
SMPTE_Dissolve, which each adapter turns into its editor's own dissolve (FCP7 'Cross Dissolve',
a CMX 'D' event, an AAF VideoDissolve); a dip to black needs a black clip between the shots, which
would change the cut's length and clip count. The shot's transition type stays in the metadata.
The opening fade of the film (a transition on the first shot) has no clip to dissolve from and is
left out: editors add fades from black themselves, and some readers refuse a transition first in a
track (the EDL reader does).
"""

from __future__ import annotations

import copy

import opentimelineio as otio

from pipeline.assemble.transitions import transition_length
from pipeline.export.shot_clips import ShotSource
from pipeline.export.timeline import METADATA_KEY, ClipMedia
from studio.shot import TransitionType

# The AAF writer copies these into the file: the standard AAF VideoDissolve operation (what Avid
# writes for a dissolve), a linear level from 0 to 1, and the cut point inside the transition.
_AAF_DISSOLVE = {
    "Identification": "0c3bea40-fc05-11d2-8a29-0050040ef7d2",
    "Name": "VideoDissolve_2",
    "Description": "Video Dissolve",
    "IsTimeWarp": False,
    "Bypass": 0,
    "NumberInputs": 2,
    "OperationCategory": "OperationCategory_Effect",
    "DataDefinition": {"Name": "Picture"},
}


def _frames(value: int, rate: float) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(value, rate)


def _tail(media: ClipMedia, duration: int) -> int:
    return media.available - media.head - duration


def _fitted(wanted: int, before_limit: int, after_limit: int) -> int:
    """The longest transition up to `wanted` frames, centred as d // 2 | d - d // 2, that fits."""
    length = min(wanted, 2 * before_limit + 1, 2 * after_limit)
    while length > 0 and (length // 2 > before_limit or length - length // 2 > after_limit):
        length -= 1
    return length


def _transition(source: ShotSource, length: int, rate: float) -> otio.schema.Transition:
    before = length // 2
    return otio.schema.Transition(
        name="Cross Dissolve",  # the FCP7 writer names the effect after it; Premiere and Resolve know this one
        transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
        in_offset=_frames(before, rate),
        out_offset=_frames(length - before, rate),
        metadata={
            METADATA_KEY: {"shot_id": source.shot.id, "type": source.shot.transition.type.value, "duration": length},
            "AAF": {
                "CutPoint": before,
                "PointList": [{"Value": 0, "Time": 0}, {"Value": 1, "Time": 1}],
                "OperationGroup": {"Operation": dict(_AAF_DISSOLVE)},
            },
        },
    )


def add_transitions(track: otio.schema.Track, sources: list[ShotSource], media: dict[str, ClipMedia], rate: float) -> list[str]:
    """Puts each shot's transition between its clip and the previous one on `track` (one clip per
    source, in order). Returns warnings for transitions shortened or left out."""
    warnings = []
    clips = list(track)
    if len(clips) != len(sources):
        raise ValueError(f"the picture track has {len(clips)} items for {len(sources)} shots")
    first = sources[0].shot.transition if sources else None
    if first is not None and first.type is not TransitionType.CUT and first.duration > 0:
        warnings.append(
            f"shot {sources[0].shot.number}: the {first.type.value} that opens the film is not in the exported timelines (it has no shot to come from); add a fade from black in the editor"
        )
    taken_after = 0  # frames of the previous clip's start already under its own incoming transition
    placed: list[tuple[int, otio.schema.Transition]] = []
    for index in range(1, len(sources)):
        source, previous = sources[index], sources[index - 1]
        wanted = transition_length(source.shot.transition, source.duration, previous.duration)
        if wanted == 0:
            taken_after = 0
            continue
        incoming, outgoing = media[source.shot.id], media[previous.shot.id]
        # `in` plays the incoming head handle over the outgoing clip's last frames (not those under
        # its own incoming transition); `out` plays the outgoing tail handle over the incoming clip.
        before_limit = min(incoming.head, previous.duration - taken_after)
        after_limit = min(_tail(outgoing, previous.duration), source.duration)
        length = _fitted(wanted, before_limit, after_limit)
        if length < wanted:
            needed = wanted - wanted // 2
            transition = source.shot.transition
            what = f"is {length} frames long in the exported timelines" if length else "is left out of the exported timelines"
            warnings.append(
                f"shot {source.shot.number}: its {transition.duration}-frame {transition.type.value} needs {needed} frames of handle on each side of the cut; it {what}: export media with at least {needed} frames of handles (--media h264 --handles {needed})"
            )
        taken_after = length - length // 2
        if length:
            placed.append((index, _transition(source, length, rate)))
    for index, transition in reversed(placed):
        track.insert(index, transition)
    return warnings


def has_transitions(timeline: otio.schema.Timeline) -> bool:
    return any(isinstance(item, otio.schema.Transition) for track in timeline.tracks for item in track)


def without_transitions(timeline: otio.schema.Timeline) -> otio.schema.Timeline:
    """A copy with every transition taken out: the cut as plain cuts, for writers that cannot carry them."""
    plain = copy.deepcopy(timeline)
    for track in plain.tracks:
        for index in reversed(range(len(track))):
            if isinstance(track[index], otio.schema.Transition):
                del track[index]
    return plain


def centre_transitions(timeline: otio.schema.Timeline) -> otio.schema.Timeline:
    """Moves each edit point to the middle of its transition, as the storyboard keeps them. A CMX
    3600 dissolve starts at its edit (the EDL reader gives in_offset 0): the same frames dissolve
    either way, but read as written, each shot before a dissolve would come back d // 2 frames short.

        read:    [ A      ][ B            ]      moved:  [ A         ][ B         ]
                           |<----d---->|                          |<-d/2->|<-d/2->|
    """
    for track in timeline.tracks:
        items = list(track)
        for index, item in enumerate(items):
            if not isinstance(item, otio.schema.Transition) or not 0 < index < len(items) - 1:
                continue
            before, after = items[index - 1], items[index + 1]
            rate = item.in_offset.rate
            length = round((item.in_offset + item.out_offset).value)
            shift = _frames(length // 2, rate) - item.in_offset
            if shift.value == 0 or before.source_range is None or after.source_range is None or after.source_range.duration <= shift:
                continue
            before.source_range = otio.opentime.TimeRange(before.source_range.start_time, before.source_range.duration + shift)
            after.source_range = otio.opentime.TimeRange(after.source_range.start_time + shift, after.source_range.duration - shift)
            item.in_offset, item.out_offset = item.in_offset + shift, item.out_offset - shift
    return timeline
