"""`studio check`: the continuity checker. Exit 0 with no breaks, 1 with breaks, 2 on user errors.

`--accept 14/wardrobe:maya` records a break as intentional (an undoable edit, saved with the
project); `--unaccept` reports it again. Both take the reference printed in brackets.
"""

from __future__ import annotations

import argparse
import json

from studio.commands import History
from studio.continuity.checker import Finding, all_findings, check_project
from studio.continuity.commands import AcceptFinding, UnacceptFinding
from studio.errors import StudioError
from studio.project import Project
from studio.project_file import load_project, project_folder_for, save_project

EXIT_FINDINGS = 1


def _split_reference(project: Project, reference: str) -> tuple[str, str]:
    number, slash, key = reference.partition("/")
    if not slash or not key:
        raise StudioError(f"'{reference}' is not a finding reference; write SHOT/KEY as `studio check` prints it, e.g. 14/wardrobe:maya")
    return project.shot_by_number(number.strip()).id, key.strip()


def _apply_acceptances(project: Project, accept: list[str], unaccept: list[str]) -> bool:
    history = History(project)
    current = {(f.shot_id, f.key) for f in all_findings(project)}
    for reference in accept:
        shot_id, key = _split_reference(project, reference)
        if (shot_id, key) not in current:
            raise StudioError(f"no continuity break {reference} in this project; nothing to accept (run `studio check` for the list)")
        history.execute(AcceptFinding(shot_id, key))
    for reference in unaccept:
        history.execute(UnacceptFinding(*_split_reference(project, reference)))
    return history.can_undo


def _as_json(finding: Finding) -> dict:
    return {
        "rule": finding.rule.value,
        "shot": finding.shot_number,
        "previous_shot": finding.previous_number,
        "key": finding.key,
        "reference": finding.reference,
        "message": finding.message,
    }


def run_check(args: argparse.Namespace) -> int:
    folder = project_folder_for(args.path)
    project = load_project(folder)
    if _apply_acceptances(project, args.accept or [], args.unaccept or []):
        save_project(project, folder)
    findings = check_project(project)
    accepted = len(all_findings(project)) - len(findings)
    shots = sum(len(s.shots) for s in project.sequences)
    if args.json:
        print(
            json.dumps(
                {"title": project.title, "shots": shots, "findings": [_as_json(f) for f in findings], "accepted": accepted}, indent=2, ensure_ascii=False
            )
        )
    else:
        note = f" ({accepted} accepted as intentional, not shown)" if accepted else ""
        if findings:
            print(f"{len(findings)} continuity break(s) in {project.title!r}, {shots} shots checked{note}:")
            for finding in findings:
                print(f"  [{finding.reference}] {finding.message}")
            print("accept one as intentional with: studio check PATH --accept SHOT/KEY")
        else:
            print(f"no continuity breaks in {project.title!r}, {shots} shots checked{note}")
    return EXIT_FINDINGS if findings else 0
