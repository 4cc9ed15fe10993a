"""The mobs of a cut, as the OTIO AAF adapter (otio-aaf-adapter 2.0.0) makes them through pyaaf2,
built directly as light objects (aaf_objects.py). Each step names the adapter's method it follows.

    CompositionMob "<timeline>"        slots: one per track (picture: a Sequence; sound: an 'Audio
    │                                  Pan' OperationGroup around a Sequence) and a 'TC' timecode
    ├─ SourceClip ──▶ MasterMob "<clip>"          (one per MobID in the clip's metadata)
    │                  slot 1 picture / 2 sound ──▶ file SourceMob "Mob" (CDCI / PCM descriptor)
    │                                                 slot 1 ──▶ tape SourceMob "<clip>" (TapeDescriptor)
    │                                                              1 tape, 2 timecode, 3.. one per kind
    └─ Transition (a dissolve: built by pyaaf2 once, then repeated with its length and cut point)

Values are written as pyaaf2 encodes them: lengths and positions Int64, slot ids UInt32, rates as
rationals, strings UTF-16. The few objects whose encoding involves pyaaf2's type machinery (the
dissolve's parameters, the sound pan) are built by pyaaf2 itself, once a file.
"""

from __future__ import annotations

import datetime
import uuid
from types import SimpleNamespace

import aaf2.file
import aaf2.mobid
import aaf2.rational
import opentimelineio as otio
from otio_aaf_adapter.adapters.aaf_adapter import aaf_writer

from pipeline.export.aaf_dictionary import as_storage
from pipeline.export.aaf_model import AafModel
from pipeline.export.aaf_objects import AafObject, KeyedSet, Prebuilt
from pipeline.export.aaf_properties import int32, int64, rational, string, timestamp, uint8, uint16, uint32

_TOP_LEVEL_USAGE = "Usage_TopLevel"
_TWELVE_HOURS = 60 * 60 * 12  # pyaaf2's default length of a tape or timecode, in seconds


class MobBuilder:
    """Everything under the content storage's Mobs set, in the order the adapter adds the mobs."""

    def __init__(self, f: aaf2.file.AAFFile, model: AafModel, timeline: otio.schema.Timeline) -> None:
        self.f, self.m = f, model
        self.p = p = _pids(model)
        self.now = timestamp(datetime.datetime.now())
        self.mobs: list[AafObject] = []
        self._masters: dict[str, AafObject] = {}
        self._tapes: dict[str, AafObject] = {}
        self._dissolves: dict[str, tuple] = {}
        self.composition = self._mob("CompositionMob", timeline.name, _new_mob_id())
        self.composition.data(p.Mob_UsageCode, model.encoded("Mob", "UsageCode", _TOP_LEVEL_USAGE))
        # A TaggedValue's Value is indirect: byte order and the String type's id, then the string.
        self._indirect_string_prefix = model.encoded("TaggedValue", "Value", "x")[: -len(string("x"))]

    # --- objects the adapter makes through pyaaf2's helpers ------------------------------------

    def _mob(self, class_name: str, name: str, mob_id: bytes) -> AafObject:
        m, p = self.m, self.p
        mob = AafObject(m.cls(class_name))
        mob.data(p.Mob_Name, string(name))
        mob.data(p.Mob_MobID, mob_id)
        mob.data(p.Mob_CreationTime, self.now)
        mob.data(p.Mob_LastModified, self.now)
        mob.vector(p.Mob_Slots)
        self.mobs.append(mob)
        return mob

    def _slot(self, mob: AafObject, edit_rate: bytes, segment: AafObject, slot_id: int | None = None, name: str = "") -> AafObject:
        """pyaaf2's Mob.create_timeline_slot: the next free slot id unless one is given."""
        m, p = self.m, self.p
        slots = mob.vector(p.Mob_Slots)
        slot = AafObject(m.cls("TimelineMobSlot"))
        slot.data(p.MobSlot_SlotID, uint32(slot_id if slot_id is not None else len(slots) + 1))
        slot.data(p.MobSlot_SlotName, string(name))
        slot.data(p.TimelineMobSlot_Origin, int64(0))
        slot.data(p.TimelineMobSlot_EditRate, edit_rate)
        slot.strong(p.MobSlot_Segment, segment)
        slots.append(slot)
        return slot

    def _component(self, class_name: str, kind: str, length: int) -> AafObject:
        m, p = self.m, self.p
        component = AafObject(m.cls(class_name))
        component.weak(p.Component_DataDefinition, m.definition("DataDefinitions", kind))
        component.data(p.Component_Length, int64(length))
        return component

    def _source_clip(self, kind: str, length: int, start: int, source_id: bytes, source_slot: int) -> AafObject:
        p = self.p
        clip = self._component("SourceClip", kind, length)
        clip.data(p.SourceClip_StartTime, int64(start))
        clip.data(p.SourceReference_SourceID, source_id)
        clip.data(p.SourceReference_SourceMobSlotID, uint32(source_slot))
        return clip

    def _timecode(self, length: int, start: int, fps: int, drop: bool) -> AafObject:
        p = self.p
        timecode = self._component("Timecode", "Timecode", length)
        timecode.data(p.Timecode_Start, int64(start))
        timecode.data(p.Timecode_FPS, uint16(fps))
        timecode.data(p.Timecode_Drop, uint8(drop))
        return timecode

    def _locator(self, holder: AafObject, url: str) -> None:
        m, p = self.m, self.p
        locator = AafObject(m.cls("NetworkLocator")).data(p.NetworkLocator_URLString, string(url))
        holder.vector(p.EssenceDescriptor_Locator).append(locator)

    # --- the adapter's track transcribers -------------------------------------------------------

    def add_track(self, track: otio.schema.Track) -> None:
        kind = "picture" if track.kind == otio.schema.TrackKind.Video else "sound"
        edit_rate = _rational(track[0].duration().rate)
        m, p = self.m, self.p
        if kind == "picture":
            sequence = self._component("Sequence", kind, 0)  # the adapter never sets its length
            components = sequence.vector(p.Sequence_Components)
            self._slot(self.composition, edit_rate, sequence, name=track.name)
            pan = None
        else:
            total = int(sum(item.duration().value for item in track))
            group = self._component("OperationGroup", kind, total)
            group.weak(p.OperationGroup_Operation, m.definition("OperationDefinitions", "Audio Pan"))
            sequence = self._component("Sequence", kind, total)
            components = sequence.vector(p.Sequence_Components)
            group.vector(p.OperationGroup_InputSegments).append(sequence)
            self._slot(self.composition, edit_rate, group, name=track.name)
            pan = group.keyed_set(p.OperationGroup_Parameters, 0x1B01, 16)
        last_clip = None
        for item in track:
            if isinstance(item, otio.schema.Gap):
                components.append(self._component("Filler", kind, int(item.visible_range().duration.value)))
            elif isinstance(item, otio.schema.Transition):
                components.append(self._dissolve(item))
            else:
                components.append(self._clip(item, kind, edit_rate))
                last_clip = item
        if pan is not None and last_clip is not None:
            # Each clip's pan replaces the last one in the set (one key: the Pan parameter).
            key, pan_value = self._pan(last_clip)
            pan.add(key, pan_value)

    def _clip(self, clip: otio.schema.Clip, kind: str, edit_rate: bytes) -> AafObject:
        """_TrackTranscriber.aaf_sourceclip without embedded essence."""
        m, p = self.m, self.p
        reference = clip.media_reference
        available = reference.available_range
        a_start, a_length = int(available.start_time.value), int(available.duration.value)
        mob_id = clip.metadata["AAF"]["MobID"]
        url = reference.target_url if isinstance(reference, otio.schema.ExternalReference) else None

        tape = self._tapes.get(mob_id)
        if tape is None:  # _unique_tapemob
            rate = clip.visible_range().duration.rate
            fps = round(rate)
            tape = self._tapes[mob_id] = self._mob("SourceMob", clip.name, _new_mob_id())
            descriptor = AafObject(m.cls("TapeDescriptor"))
            tape.strong(p.SourceMob_EssenceDescription, descriptor)
            tape_length = int(float(aaf2.rational.AAFRational(rate)) * _TWELVE_HOURS)
            self._slot(tape, edit_rate, self._source_clip("picture", tape_length, 0, bytes(32), 0), slot_id=1)
            self._slot(tape, edit_rate, self._timecode(a_length, a_start, fps, rate != fps))
            if url:
                self._locator(descriptor, url)
        tape_slots = tape.vector(p.Mob_Slots)
        tape_slot_id = len(tape_slots) + 1  # _create_tapemob: an empty slot of this kind
        self._slot(tape, edit_rate, self._source_clip(kind, a_length, a_start, bytes(32), 0))

        file_mob = self._mob("SourceMob", "Mob", _new_mob_id())  # _create_filemob
        file_mob.strong(p.SourceMob_EssenceDescription, self._descriptor(kind, reference, url))
        self._slot(file_mob, edit_rate, self._source_clip(kind, a_length, 0, _mob_id(tape, p), tape_slot_id))

        master = self._masters.get(mob_id)  # _create_mastermob
        if master is None:
            master = self._masters[mob_id] = self._mob("MasterMob", clip.name, _stored_mob_id(mob_id))
            comments = clip.metadata["AAF"].get("UserComments", {})
            if comments:
                tags = master.vector(p.Mob_UserComments)
                for key, value in comments.items():
                    tag = AafObject(m.cls("TaggedValue")).data(p.TaggedValue_Name, string(key))
                    tags.append(tag.data(p.TaggedValue_Value, self._indirect_string_prefix + string(value)))
        master_slot_id = 1 if kind == "picture" else 2
        master_clip = self._source_clip(kind, a_length, 0, _mob_id(file_mob, p), 1)
        master_slots = master.vector(p.Mob_Slots)
        master_slot = next((s for s in master_slots if s.props[p.MobSlot_SlotID][1] == uint32(master_slot_id)), None)
        if master_slot is None:
            master_slot = self._slot(master, edit_rate, master_clip, slot_id=master_slot_id)
        else:
            master_slot.strong(p.MobSlot_Segment, master_clip)

        visible = clip.visible_range()
        v_start, v_length = int(visible.start_time.value), int(visible.duration.value)
        if visible != available:
            master_slot.data(p.TimelineMobSlot_MarkIn, int64(v_start))
            master_slot.data(p.TimelineMobSlot_MarkOut, int64(int(visible.end_time_exclusive().value)))
        offset = int((visible.start_time - available.start_time).value)
        return self._source_clip(kind, v_length, offset, _mob_id(master, p), master_slot_id)

    def _descriptor(self, kind: str, reference: otio.core.MediaReference, url: str | None) -> AafObject:
        """VideoTrackTranscriber / AudioTrackTranscriber.default_descriptor, with no AAF metadata on the media."""
        m, p = self.m, self.p
        available = reference.available_range
        if kind == "picture":
            d = AafObject(m.cls("CDCIDescriptor"))
            d.data(p.CDCIDescriptor_ComponentWidth, uint32(8))
            d.data(p.CDCIDescriptor_HorizontalSubsampling, uint32(2))
            d.data(p.DigitalImageDescriptor_ImageAspectRatio, rational(16, 9))
            d.data(p.DigitalImageDescriptor_StoredWidth, uint32(1920))
            d.data(p.DigitalImageDescriptor_StoredHeight, uint32(1080))
            d.data(p.DigitalImageDescriptor_FrameLayout, uint8(0))  # FullFrame
            d.data(p.DigitalImageDescriptor_VideoLineMap, int32(42) + int32(0))
            if isinstance(reference, otio.schema.ExternalReference):
                d.data(p.FileDescriptor_SampleRate, _rational(available.duration.rate))
                d.data(p.FileDescriptor_Length, int64(int(available.duration.value)))
                if url:
                    self._locator(d, url)
            else:  # offline: the adapter's defaults
                d.data(p.FileDescriptor_SampleRate, rational(24, 1))
                d.data(p.FileDescriptor_Length, int64(1))
            return d
        d = AafObject(m.cls("PCMDescriptor"))
        if isinstance(reference, otio.schema.ExternalReference):
            self._locator(d, url or "")
        d.data(p.PCMDescriptor_AverageBPS, uint32(96000))
        d.data(p.PCMDescriptor_BlockAlign, uint16(2))
        d.data(p.SoundDescriptor_QuantizationBits, uint32(16))
        d.data(p.SoundDescriptor_AudioSamplingRate, rational(48000, 1))
        d.data(p.SoundDescriptor_Channels, uint32(1))
        d.data(p.FileDescriptor_SampleRate, rational(48000, 1))
        d.data(p.FileDescriptor_Length, int64(int(available.duration.rescaled_to(48000.0).value)))
        return d

    def _pan(self, clip: otio.schema.Clip) -> tuple[bytes, Prebuilt]:
        """AudioTrackTranscriber.aaf_sourceclip's pan control, built by pyaaf2 (one a file)."""
        f = self.f
        param_def = f.dictionary.lookup_parameterdef("Pan")
        value = f.create.VaryingValue()
        value.parameterdef = param_def
        value["Interpolation"].value = f.dictionary.lookup_interperlationdef("LinearInterp")
        length = int(clip.duration().value)
        for time in (f"0/{length}", f"{length - 1}/{length}"):
            point = f.create.ControlPoint()
            point["Time"].value = aaf2.rational.AAFRational(time)
            point["Value"].value = aaf2.rational.AAFRational("1/2")
            point["ControlPointSource"].value = 2
            value["PointList"].append(point)
        return bytes(param_def.auid.bytes_le), lambda name: as_storage(value, name)

    def _dissolve(self, transition: otio.schema.Transition) -> Prebuilt:
        """_TrackTranscriber.aaf_transition: pyaaf2 builds the first dissolve of each kind; the
        others are the same objects with their own length and cut point."""
        meta = transition.metadata["AAF"]
        key = repr((meta["PointList"], meta["OperationGroup"]["Operation"]))
        pattern = self._dissolves.get(key)
        if pattern is None:
            pattern = self._dissolves[key] = _dissolve_pattern(self.f, meta)
        transition_obj, group = pattern
        length = int64(int(transition.duration().value))
        p = self.p
        length_pid, cut_pid = p.Component_Length, p.Transition_CutPoint
        overrides = {id(transition_obj): {length_pid: length, cut_pid: int64(int(meta["CutPoint"]))}, id(group): {length_pid: length}}
        return lambda name: as_storage(transition_obj, name, overrides)

    def add_timecode(self, timeline: otio.schema.Timeline, default_rate: float) -> None:
        """AAFFileTranscriber.add_timecode: the composition's 'TC' slot at the cut's start."""
        m, p = self.m, self.p
        if timeline.global_start_time:
            rate, start = timeline.global_start_time.rate, int(timeline.global_start_time.value)
        else:
            rate, start = default_rate, 0
        # pyaaf2's Timecode() is 25 fps (so 12 hours of 25) until the adapter sets its rate.
        timecode = self._timecode(25 * _TWELVE_HOURS, start, int(_nearest_timecode(rate)), False)
        slots = self.composition.vector(p.Mob_Slots)
        slot = AafObject(m.cls("TimelineMobSlot"))
        slot.data(p.MobSlot_SlotID, uint32(len(slots) + 1))
        slot.data(p.MobSlot_SlotName, string("TC"))
        slot.data(p.TimelineMobSlot_Origin, int64(0))
        slot.data(p.TimelineMobSlot_EditRate, _rational(rate))
        slot.data(p.MobSlot_PhysicalTrackNumber, uint32(1))
        slot.strong(p.MobSlot_Segment, timecode)
        slots.append(slot)

    def mob_set(self) -> KeyedSet:
        """The content storage's Mobs, keyed by MobID, in the order the adapter appended them."""
        mobs = KeyedSet(self.p.Mob_MobID, 32)
        for mob in self.mobs:
            mobs.add(_mob_id(mob, self.p), mob)
        return mobs


_UMID_LABEL = bytes(aaf2.mobid.MobID.new().bytes_le[:16])  # SMPTE label, basic UMID length, instance 0


def _new_mob_id() -> bytes:
    """pyaaf2's MobID.new(): its UMID label with a random (uuid4) material number, stored bytes_le."""
    return _UMID_LABEL + uuid.uuid4().bytes_le


def _stored_mob_id(urn: str) -> bytes:
    """A MobID from its SMPTE URN, stored as pyaaf2 stores it (label as is, material as a UUID's bytes_le)."""
    prefix = "urn:smpte:umid:"
    hex_digits = urn[len(prefix) :].replace(".", "") if urn.startswith(prefix) else ""
    if len(hex_digits) != 64 or hex_digits[22:24] == "00":
        return bytes(aaf2.mobid.MobID(urn).bytes_le)  # pyaaf2 parses (or refuses) any other form
    return bytes.fromhex(hex_digits[:32]) + uuid.UUID(hex_digits[32:]).bytes_le


def _mob_id(mob: AafObject, p: SimpleNamespace) -> bytes:
    return mob.props[p.Mob_MobID][1]  # type: ignore[return-value]


# The properties written above, as `Class.Property`: their pids are read once a file.
_PROPERTIES = (
    "CDCIDescriptor.ComponentWidth",
    "CDCIDescriptor.HorizontalSubsampling",
    "Component.DataDefinition",
    "Component.Length",
    "DigitalImageDescriptor.FrameLayout",
    "DigitalImageDescriptor.ImageAspectRatio",
    "DigitalImageDescriptor.StoredHeight",
    "DigitalImageDescriptor.StoredWidth",
    "DigitalImageDescriptor.VideoLineMap",
    "EssenceDescriptor.Locator",
    "FileDescriptor.Length",
    "FileDescriptor.SampleRate",
    "Mob.CreationTime",
    "Mob.LastModified",
    "Mob.MobID",
    "Mob.Name",
    "Mob.Slots",
    "Mob.UsageCode",
    "Mob.UserComments",
    "MobSlot.PhysicalTrackNumber",
    "MobSlot.Segment",
    "MobSlot.SlotID",
    "MobSlot.SlotName",
    "NetworkLocator.URLString",
    "OperationGroup.InputSegments",
    "OperationGroup.Operation",
    "OperationGroup.Parameters",
    "PCMDescriptor.AverageBPS",
    "PCMDescriptor.BlockAlign",
    "Sequence.Components",
    "SoundDescriptor.AudioSamplingRate",
    "SoundDescriptor.Channels",
    "SoundDescriptor.QuantizationBits",
    "SourceClip.StartTime",
    "SourceMob.EssenceDescription",
    "SourceReference.SourceID",
    "SourceReference.SourceMobSlotID",
    "TaggedValue.Name",
    "TaggedValue.Value",
    "Timecode.Drop",
    "Timecode.FPS",
    "Timecode.Start",
    "TimelineMobSlot.EditRate",
    "TimelineMobSlot.MarkIn",
    "TimelineMobSlot.MarkOut",
    "TimelineMobSlot.Origin",
    "Transition.CutPoint",
)


def _pids(model: AafModel) -> SimpleNamespace:
    """Each of _PROPERTIES' pids as an attribute, `Class_Property`."""
    return SimpleNamespace(**{name.replace(".", "_"): model.pid(*name.split(".")) for name in _PROPERTIES})


_RATIONALS: dict[float, bytes] = {}


def _rational(rate: float) -> bytes:
    """A rate as pyaaf2 stores an OTIO float rate (24000/1001 for 23.976...)."""
    found = _RATIONALS.get(rate)
    if found is None:
        value = aaf2.rational.AAFRational(rate)
        found = _RATIONALS[rate] = rational(value.numerator, value.denominator)
    return found


def _nearest_timecode(rate: float) -> float:
    """The adapter's _nearest_timecode: the closest of 24, 25, 30 and 60 (the first of a tie)."""
    return min((24.0, 25.0, 30.0, 60.0), key=lambda candidate: abs(rate - candidate))


def _dissolve_pattern(f: aaf2.file.AAFFile, meta: dict) -> tuple:
    """One dissolve (Transition -> OperationGroup -> opacity VaryingValue) as the adapter's
    aaf_transition builds it, through pyaaf2; its length and cut point are replaced per transition."""
    op_def = f.dictionary.lookup_operationdef(meta["OperationGroup"]["Operation"]["Name"])
    varying = f.create.VaryingValue()
    varying.parameterdef = f.dictionary.lookup_parameterdef("AFX_FG_KEY_OPACITY_U")
    varying["VVal_Extrapolation"].value = aaf_writer.AAF_VVAL_EXTRAPOLATION_ID
    varying["VVal_FieldCount"].value = 1
    varying["Interpolation"].value = f.dictionary.lookup_interperlationdef("LinearInterp")
    points = []
    for spec in meta["PointList"][:2]:
        point = f.create.ControlPoint()
        point["EditHint"].value = "Proportional"
        point.value = spec["Value"]
        point.time = spec["Time"]
        points.append(point)
    varying["PointList"].extend(points)
    datadef = f.dictionary.lookup_datadef("picture")
    group = f.create.OperationGroup(op_def, 1)
    group["DataDefinition"].value = datadef
    group["Parameters"].append(varying)
    transition = f.create.Transition("picture", 1)
    transition["OperationGroup"].value = group
    transition["CutPoint"].value = 0
    transition["DataDefinition"].value = datadef
    return transition, group
