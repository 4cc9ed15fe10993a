"""Granting and revoking consent to a character's likeness.

Revoking locks the likeness: the character's derived embeddings leave the document (the engine
deletes their cache files, see pipeline.moderation.likeness) and every take made from the likeness
is marked `likeness_revoked` in its provenance, so exports and reviews can find and withdraw it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.consent import ConsentRecord, utc_now
from studio.errors import EditError
from studio.project import Project

LIKENESS_REVOKED = "likeness_revoked"  # take provenance key prefix: "likeness_revoked:<character id>" -> when consent was revoked


def revoked_likenesses(provenance: dict[str, str]) -> list[str]:
    """Ids of the characters whose likeness a take used and whose consent was since revoked."""
    prefix = f"{LIKENESS_REVOKED}:"
    return [key[len(prefix) :] for key in provenance if key.startswith(prefix)]


def takes_using(project: Project, character_id: str) -> list[tuple[str, str]]:
    """(shot id, take id) of every take whose provenance records the character as an input."""
    key = f"input:character:{character_id}"
    return [(shot.id, take.id) for shot in project.shots() for take in shot.takes if key in take.provenance]


@dataclass
class GrantConsent:
    character_id: str
    record: ConsentRecord
    label: str = "Record consent"
    _previous: ConsentRecord | None = field(default=None, init=False, repr=False)

    def do(self, project: Project) -> None:
        character = project.character(self.character_id)
        if not self.record.intact:
            raise EditError(f"the consent record for {character.name} is not sealed; build it with studio.consent.new_consent")
        if self.record.revoked:
            raise EditError(f"the consent record for {character.name} is already revoked; record a new consent")
        self._previous = character.likeness_consent
        character.likeness_consent = self.record

    def undo(self, project: Project) -> None:
        project.character(self.character_id).likeness_consent = self._previous


@dataclass
class RevokeConsent:
    """Revokes a character's consent, clears its embeddings and flags every take made from the likeness."""

    character_id: str
    when: str = field(default_factory=utc_now)
    label: str = "Revoke consent"
    _previous: ConsentRecord | None = field(default=None, init=False, repr=False)
    _embeddings: dict[str, str] = field(default_factory=dict, init=False, repr=False)
    _flagged: list[tuple[str, str]] = field(default_factory=list, init=False, repr=False)

    def do(self, project: Project) -> None:
        character = project.character(self.character_id)
        record = character.likeness_consent
        if record is None:
            raise EditError(f"{character.name} has no recorded consent to revoke")
        self._previous = record
        character.likeness_consent = record.revoke(self.when) if not record.revoked else record
        self._embeddings = character.embeddings
        character.embeddings = {}
        self._flagged = []
        key = f"{LIKENESS_REVOKED}:{self.character_id}"
        for shot_id, take_id in takes_using(project, self.character_id):
            take = project.shot(shot_id).take(take_id)
            if key not in take.provenance:
                take.provenance[key] = self.when
                self._flagged.append((shot_id, take_id))

    def undo(self, project: Project) -> None:
        character = project.character(self.character_id)
        character.likeness_consent = self._previous
        character.embeddings = self._embeddings
        for shot_id, take_id in self._flagged:
            project.shot(shot_id).take(take_id).provenance.pop(f"{LIKENESS_REVOKED}:{self.character_id}", None)
        self._flagged = []
