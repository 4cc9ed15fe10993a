"""Script to storyboard: Fountain, Final Draft and shot-list CSV files into sequences of shots.

    read (source, fountain, fdx, shot_list) -> Screenplay (screenplay) -> cast (casting)
    -> coverage by rules (coverage, breakdown; props in CAPITALS seed the continuity ledger: props)
    -> ScriptPlan (plan) -> one MacroCommand (update)

Pure Python, like the rest of studio/.
"""

from studio.script.coverage import CoverageRules, Establish
from studio.script.errors import ScriptImportError
from studio.script.importer import import_script, new_project_from_script, plan_script, read_screenplay
from studio.script.plan import is_script_id
from studio.script.update import ImportReport

__all__ = [
    "CoverageRules",
    "Establish",
    "ImportReport",
    "ScriptImportError",
    "import_script",
    "is_script_id",
    "new_project_from_script",
    "plan_script",
    "read_screenplay",
]
