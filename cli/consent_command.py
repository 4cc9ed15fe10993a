"""`studio consent`: record, revoke and show consent to a character's likeness.

grant records who consented, the scope and the one-time phrase read on camera, with the sha256 of
the consent clip (the clip itself stays with the user). revoke locks the likeness: it deletes the
character's cached embeddings and flags every take made from it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from studio.character_import import find_character
from studio.errors import StudioError
from studio.project import Project
from studio.project_file import load_project, project_folder_for, save_project


def _character_id(project: Project, name_or_id: str) -> str:
    return find_character(project, name_or_id).id


def run_consent(args: argparse.Namespace) -> int:
    from studio.commands import History
    from studio.commands.consent import GrantConsent, RevokeConsent, takes_using
    from studio.consent import ConsentScope, consent_problem, new_consent
    from studio.media_store import sha256_of_file

    folder = project_folder_for(args.path)
    project = load_project(folder)
    action = args.consent_command
    if action == "show":
        for character in project.characters:
            record = character.likeness_consent
            problem = consent_problem(character, project.id)
            state = problem or (f"consent by {record.person} ({record.scope.value}) on {record.granted}" if record else "no likeness, no consent needed")
            print(f"{character.name}: {state}")
        return 0
    character_id = _character_id(project, args.character)
    history = History(project)
    if action == "grant":
        clip = Path(args.clip)
        if not clip.is_file():
            raise StudioError(f"consent clip {clip} not found; record the person reading the phrase and pass that file with --clip")
        try:
            record = new_consent(args.person, ConsentScope(args.scope), args.phrase, sha256_of_file(clip), project_id=project.id)
        except ValueError as exc:
            raise StudioError(f"consent for {project.character(character_id).name}: {exc}") from None
        history.execute(GrantConsent(character_id, record))
        save_project(project, folder)
        print(f"recorded consent by {record.person} for {project.character(character_id).name} ({record.scope.value})")
        return 0
    from pipeline.moderation.likeness import delete_likeness_embeddings

    character = project.character(character_id)
    removed = delete_likeness_embeddings(character, folder)
    history.execute(RevokeConsent(character_id))
    save_project(project, folder)
    flagged = len(takes_using(project, character_id))
    print(f"revoked consent for {character.name}: {len(removed)} cached embedding(s) deleted, {flagged} take(s) flagged likeness_revoked")
    return 0


def add_consent_parser(sub: argparse._SubParsersAction) -> None:
    consent = sub.add_parser("consent", help="record, revoke or show consent to characters' likenesses (needed before generation)")
    consent_sub = consent.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    show = consent_sub.add_parser("show", help="every character's consent state (the default)")
    show.add_argument("path")
    grant = consent_sub.add_parser("grant", help="record consent to a character's likeness")
    grant.add_argument("path")
    grant.add_argument("character", help="the character's name or id")
    grant.add_argument("--person", required=True, help="the name of the person who consented")
    grant.add_argument("--phrase", required=True, help="the one-time phrase they read on camera")
    grant.add_argument("--clip", required=True, help="the consent clip (its sha256 is recorded)")
    grant.add_argument("--scope", choices=["project", "all_projects"], default="project")
    revoke = consent_sub.add_parser("revoke", help="revoke consent: deletes the likeness's embeddings and flags its takes")
    revoke.add_argument("path")
    revoke.add_argument("character", help="the character's name or id")
