"""The schema name and version of every object the project file holds.

Bump a version here when a class's stored form changes, and register an upgrade from the old
version with `studio.schema.upgrader` in studio/migrations.py.
"""

from studio.camera import CameraMove
from studio.character import Character, VoiceSettings
from studio.consent import ConsentRecord
from studio.continuity.changes import ContinuityChange
from studio.frame_rate import FrameRate
from studio.location import Location, WorldState, WorldStateOverride
from studio.mix import Ducking, MixSettings, TrackMix
from studio.project import Project, Sequence, VideoFormat
from studio.schema import register
from studio.shot import CharacterInShot, DialogueLine, Shot, SoundCue, Transition
from studio.take import Take

DOCUMENT_TYPES = {
    Project: 3,  # 2: mix (track faders, music ducking, loudness target); 3: id (binds project-only consent)
    MixSettings: 1,
    TrackMix: 1,
    Ducking: 1,
    VideoFormat: 1,
    FrameRate: 1,
    Sequence: 1,
    Shot: 3,  # 2: continuity_changes, accepted_breaks (the continuity ledger); 3: approved (two-pass generation)
    CameraMove: 1,
    CharacterInShot: 2,  # 2: changes (the continuity ledger)
    ContinuityChange: 1,
    DialogueLine: 1,
    SoundCue: 2,  # 2: span_shots (a cue, typically music, running on across the following shots)
    Transition: 1,
    Take: 3,  # 2: stems (dialogue, effects, music beside the mix); 3: lip_sync (dialogue timings)
    Character: 3,  # 2: likeness_consent (consent to generate a person's likeness); 3: voice_sample (the cameo's voice)
    ConsentRecord: 2,  # 2: project_id (the project a project-only consent covers)
    VoiceSettings: 2,  # 2: engine, model, speaker (neural voices)
    Location: 1,
    WorldState: 1,
    WorldStateOverride: 1,
}

for _cls, _version in DOCUMENT_TYPES.items():
    register(_cls, version=_version)
