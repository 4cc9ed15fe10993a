"""Consent to use a person's likeness: who agreed, to what, when, and proof that the record is intact.

A character with reference images carries a real person's likeness (a cameo). Generation needs
that person's recorded consent: a `ConsentRecord` naming them, its scope, the one-time phrase they
read on camera and the sha256 of that consent clip. The record carries an integrity hash over its
fields, so a hand edit of project.json is detected: a record whose hash does not match counts as no
consent at all. The hash detects edits, it does not prove authorship (the C2PA manifest signs takes).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studio.character import Character

# Short everyday words, so the phrase is easy to read aloud on camera and hard to reuse from another clip.
_PHRASE_WORDS = (
    "amber anchor apple arrow autumn badge basket beacon birch bridge candle canyon cedar chalk cider clover comet copper coral "
    "crane dawn delta desert ember falcon fern fjord forest garnet glacier harbor hazel heron island ivory jasper juniper kettle "
    "lantern lemon lilac maple marble meadow meteor mint nectar oasis olive onyx orbit otter pebble pepper pine planet plum "
    "quartz quill raven reef river saffron sable silver spruce summit thistle thunder tulip velvet violet walnut willow zephyr"
).split()


class ConsentScope(StrEnum):
    """Where the consent holds."""

    PROJECT = "project"  # this project only
    ALL_PROJECTS = "all_projects"  # any project of this user


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def consent_phrase(words: int = 4) -> str:
    """A fresh one-time phrase for the person to read on camera."""
    return " ".join(secrets.choice(_PHRASE_WORDS) for _ in range(words))


@dataclass(frozen=True)
class ConsentRecord:
    person: str  # who consented, as they gave their name
    scope: ConsentScope
    granted: str  # ISO 8601, UTC
    phrase: str  # the one-time phrase read on camera in the consent clip
    clip_sha256: str  # sha256 of the consent clip's bytes
    revoked: bool = False
    revoked_at: str | None = None  # ISO 8601, UTC
    integrity: str = ""  # sha256 over the fields above and project_id; see `seal`
    project_id: str | None = None  # PROJECT scope: the id of the project it covers (None: a version-1 record, unbound)

    def fields_digest(self) -> str:
        payload = {
            "person": self.person,
            "scope": self.scope.value,
            "granted": self.granted,
            "phrase": self.phrase,
            "clip_sha256": self.clip_sha256,
            "revoked": self.revoked,
            "revoked_at": self.revoked_at,
        }
        if self.project_id is not None:  # left out when unset, so version-1 records keep their hash
            payload["project_id"] = self.project_id
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(b"storyboard-studio consent 1\x00" + text.encode("utf-8")).hexdigest()

    def seal(self) -> ConsentRecord:
        """The same record with its integrity hash computed over its current fields."""
        return replace(self, integrity=self.fields_digest())

    @property
    def intact(self) -> bool:
        return bool(self.integrity) and secrets.compare_digest(self.integrity, self.fields_digest())

    def revoke(self, when: str | None = None) -> ConsentRecord:
        return replace(self, revoked=True, revoked_at=when or utc_now()).seal()


def new_consent(
    person: str, scope: ConsentScope, phrase: str, clip_sha256: str, granted: str | None = None, project_id: str | None = None
) -> ConsentRecord:
    """A sealed record; refuses an empty name or phrase and a clip hash that is not a sha256. A
    project-only consent is bound to `project_id`; consent to all projects is bound to none."""
    if not person.strip():
        raise ValueError("consent needs the name of the person who gave it")
    if not phrase.strip():
        raise ValueError("consent needs the phrase read on camera")
    if len(clip_sha256) != 64 or any(c not in "0123456789abcdef" for c in clip_sha256):
        raise ValueError(f"consent clip hash {clip_sha256!r} is not a sha256 (64 lowercase hex digits)")
    bound_to = project_id if scope == ConsentScope.PROJECT else None
    return ConsentRecord(person.strip(), scope, granted or utc_now(), phrase.strip(), clip_sha256, project_id=bound_to).seal()


def has_likeness(character: Character) -> bool:
    """A character with reference images carries someone's likeness."""
    return bool(character.reference_images)


def consent_problem(character: Character, project_id: str | None = None) -> str | None:
    """Why `character`'s likeness may not be generated in the project `project_id`, or None when it
    may (valid consent, or no likeness). Without `project_id` the project binding is not checked."""
    record = character.likeness_consent
    if not has_likeness(character):
        return None
    if record is None:
        return f"{character.name}'s likeness (reference images) has no recorded consent"
    if not record.intact:
        return f"{character.name}'s consent record failed its integrity check (it was edited by hand) and counts as no consent"
    if record.revoked:
        return f"{character.name}'s consent was revoked{f' on {record.revoked_at}' if record.revoked_at else ''}"
    if not covers_project(record, project_id):
        return (
            f"{character.name}'s consent by {record.person} covers only the project it was recorded in, not this one; "
            f"record {record.person}'s consent again here, or their consent to all projects"
        )
    return None


def covers_project(record: ConsentRecord, project_id: str | None) -> bool:
    """Consent to all projects covers any; project-only consent covers the project it names."""
    if record.scope == ConsentScope.ALL_PROJECTS or record.project_id is None or project_id is None:
        return True
    return secrets.compare_digest(record.project_id, project_id)


def has_valid_consent(character: Character, project_id: str | None = None) -> bool:
    record = character.likeness_consent
    return record is not None and record.intact and not record.revoked and covers_project(record, project_id)


def tampered_consents(characters: list[Character]) -> list[str]:
    """A message per character whose consent record fails its integrity check: what loading reports."""
    return [
        f"character {c.name}: consent record failed its integrity check (hand-edited?); it counts as no consent until consent is recorded again"
        for c in characters
        if c.likeness_consent is not None and not c.likeness_consent.intact
    ]
