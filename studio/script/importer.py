"""Importing a screenplay or shot list: read the file, break it down, and plan the project edit.

    command, report = import_script(project, "pilot.fountain")   # nothing changed yet
    History(project).execute(command)                            # one undoable edit

`new_project_from_script` does the same into a fresh project (for `studio new --from-script`).
"""

from __future__ import annotations

from pathlib import Path

from studio.commands import MacroCommand
from studio.ids import new_id
from studio.project import Project, Sequence, VideoFormat
from studio.script.breakdown import break_down
from studio.script.coverage import CoverageRules
from studio.script.errors import ScriptImportError
from studio.script.fdx import parse_fdx
from studio.script.fountain import parse_fountain
from studio.script.plan import ScriptPlan
from studio.script.screenplay import PICTURE_ELEMENTS, Screenplay
from studio.script.shot_list import plan_shot_list
from studio.script.source import ScriptKind, open_script
from studio.script.update import ImportReport, plan_update


def read_screenplay(path: Path | str) -> Screenplay:
    """A Fountain or Final Draft file as a screenplay (a shot list is not one: see plan_script)."""
    script = open_script(path)
    if script.kind is ScriptKind.SHOT_LIST:
        raise ScriptImportError(script.path, "a shot list is not a screenplay")
    if script.kind is ScriptKind.FINAL_DRAFT:
        screenplay = parse_fdx(script.data, script.path)
    else:
        text, warnings = script.text()
        screenplay = parse_fountain(text, script.path)
        screenplay.warnings[:0] = warnings
    if not any(scene.heading or any(isinstance(e, PICTURE_ELEMENTS) for e in scene.elements) for scene in screenplay.scenes):
        raise ScriptImportError(script.path, "the script has no scenes, action or dialogue to make shots from")
    return screenplay


def plan_script(project: Project, path: Path | str, rules: CoverageRules | None = None) -> ScriptPlan:
    rules = rules or CoverageRules()
    script = open_script(path)
    if script.kind is ScriptKind.SHOT_LIST:
        text, warnings = script.text()
        plan = plan_shot_list(text, project, rules, script.path.name, script.path)
        plan.warnings[:0] = warnings
        return plan
    return break_down(read_screenplay(script.path), project, rules, script.path.name)


def import_script(project: Project, path: Path | str, rules: CoverageRules | None = None, take_title: bool = True) -> tuple[MacroCommand, ImportReport]:
    """The one edit that imports (or re-imports) `path` into `project`, not yet applied, and its report."""
    return plan_update(project, plan_script(project, path, rules), take_title)


def new_project_from_script(
    path: Path | str, video_format: VideoFormat, title: str | None = None, fallback_title: str = "Untitled", rules: CoverageRules | None = None
) -> tuple[Project, ImportReport]:
    """A new project holding the storyboard of `path`; its title is `title`, else the script's, else `fallback_title`."""
    project = Project(title=title or fallback_title, format=video_format, sequences=[Sequence(id=new_id(), name="1")])
    command, report = import_script(project, path, rules, take_title=title is None)
    command.do(project)
    return project, report
