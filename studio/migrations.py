"""Upgrades of older stored object versions, registered with `studio.schema.upgrader`.

When a class's stored form changes, bump its version in studio/document_types.py and add the step
here. Each step takes the raw dict of one version and returns the next version's dict.
"""

import uuid

from studio.schema import upgrader


@upgrader("Project", from_version=1)
def _project_gains_mix(data: dict) -> dict:
    """Project.2 adds the mix settings. A version-1 project had no faders: it gets the default mix (every
    track at unity, music ducked 10 dB under dialogue, the assembled mix normalised to -23 LUFS). Its
    takes stay current: the mix is applied at assembly, outside every shot's render inputs."""
    data.setdefault("mix", {"schema": "MixSettings.1"})
    return data


@upgrader("Shot", from_version=1)
def _shot_gains_continuity_ledger(data: dict) -> dict:
    """Shot.2 adds the continuity ledger; a version-1 shot logged nothing and accepted nothing."""
    data.setdefault("continuity_changes", [])
    data.setdefault("accepted_breaks", [])
    return data


@upgrader("Shot", from_version=2)
def _shot_gains_approval(data: dict) -> dict:
    """Shot.3 records whether the shot's preview is approved for the final pass; none was before."""
    data.setdefault("approved", False)
    return data


@upgrader("CharacterInShot", from_version=1)
def _cast_gains_continuity_changes(data: dict) -> dict:
    """CharacterInShot.2 adds the cast member's continuity changes; version 1 had none."""
    data.setdefault("changes", [])
    return data


@upgrader("Take", from_version=1)
def _take_gains_stems(data: dict) -> dict:
    """Take.2 keeps the sound's stems; a version-1 take recorded only the mix (export renders its
    stems from the document when it needs them)."""
    data.setdefault("stems", {})
    return data


@upgrader("VoiceSettings", from_version=1)
def _voice_gains_engine(data: dict) -> dict:
    """VoiceSettings.2 chooses the synthesizer; every version-1 voice was an espeak-ng scratch voice."""
    data.setdefault("engine", "espeak")
    data.setdefault("model", None)
    data.setdefault("speaker", 0)
    return data


@upgrader("SoundCue", from_version=1)
def _cue_gains_span(data: dict) -> dict:
    """SoundCue.2 can run across several shots; every version-1 cue sounded in its own shot only."""
    data.setdefault("span_shots", 1)
    return data


@upgrader("Take", from_version=2)
def _take_gains_lip_sync(data: dict) -> dict:
    """Take.3 can point at its dialogue's word and phoneme timings; a version-2 take recorded none."""
    data.setdefault("lip_sync", None)
    return data


@upgrader("Character", from_version=1)
def _character_gains_likeness_consent(data: dict) -> dict:
    """Character.2 records consent to generate the likeness its reference images carry; no version-1
    character had any, so one with reference images is refused by generation until consent is recorded."""
    data.setdefault("likeness_consent", None)
    return data


@upgrader("Project", from_version=2)
def _project_gains_id(data: dict) -> dict:
    """Project.3 has a stable id; a version-2 project gets a fresh one, kept from its next save on."""
    data.setdefault("id", uuid.uuid4().hex)
    return data


@upgrader("Character", from_version=2)
def _character_gains_voice_sample(data: dict) -> dict:
    """Character.3 can keep its cameo's voice sample; a version-2 cameo kept none."""
    data.setdefault("voice_sample", None)
    return data


@upgrader("ConsentRecord", from_version=1)
def _consent_gains_project(data: dict) -> dict:
    """ConsentRecord.2 names the project a project-only consent covers. A version-1 record named none:
    it keeps covering whichever project holds it (its integrity hash was computed without the field)."""
    data.setdefault("project_id", None)
    return data
