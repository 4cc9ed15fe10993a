"""Turning an import plan into one undoable edit of the project, and a report of what it changes.

Matching is by id (see studio.script.plan): a planned shot whose id is in the project is kept exactly
as the user left it (size, lens, move, duration, takes, even a rewritten description, and wherever it
was moved); a planned shot that is not there is added after the nearest earlier shot of its scene; an
imported shot whose source is gone is removed; shots the user added by hand are never touched. Scenes
follow the script's order; a scene that left the script is removed once it is empty, and kept (with a
warning) while it still holds shots of the user's own; on a first import, the empty starter sequence
that `studio new` makes gives way to the scenes. New shots get numbers that fit between their
neighbours (12A after 12), so the numbers already on paper stay valid. Characters and locations are
only ever added: one the script no longer names keeps its casting work and is listed in the report.

    before  [1 est][2 MAYA][3 JONAH]      script: MAYA's line cut, a new action line after JONAH's
    after   [1 est]        [3 JONAH][3A action]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.commands import AddCharacter, AddLocation, AddSequence, MacroCommand, RemoveSequence, SetField
from studio.project import Project, Sequence
from studio.script.commands import InsertShots, RemoveShots, ReorderSequences
from studio.script.plan import ScriptPlan, is_script_id
from studio.script.text import character_key
from studio.shot import Shot
from studio.shot_number import number_between


@dataclass
class ImportReport:
    source: str
    added: list[str] = field(default_factory=list)  # shot numbers
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    added_scenes: list[str] = field(default_factory=list)
    removed_scenes: list[str] = field(default_factory=list)
    renamed_scenes: list[str] = field(default_factory=list)
    added_characters: list[str] = field(default_factory=list)
    added_locations: list[str] = field(default_factory=list)
    not_in_script: list[str] = field(default_factory=list)  # characters the project has and the script no longer names
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.added or self.removed or self.added_scenes or self.removed_scenes or self.renamed_scenes or self.added_characters or self.added_locations
        )

    def lines(self) -> list[str]:
        def numbers(items: list[str]) -> str:
            shown = ", ".join(items[:12])
            return shown + (f" and {len(items) - 12} more" if len(items) > 12 else "")

        out = [f"shots: {len(self.added)} added, {len(self.removed)} removed, {len(self.kept)} kept"]
        if self.added:
            out.append(f"  added {numbers(self.added)}")
        if self.removed:
            out.append(f"  removed {numbers(self.removed)}")
        if self.added_scenes or self.removed_scenes or self.renamed_scenes:
            out.append(f"scenes: {len(self.added_scenes)} added, {len(self.removed_scenes)} removed, {len(self.renamed_scenes)} renumbered")
        if self.added_characters:
            out.append(f"characters added: {', '.join(self.added_characters)}")
        if self.added_locations:
            out.append(f"locations added: {', '.join(self.added_locations)}")
        if self.not_in_script:
            out.append(f"characters no longer in the script (kept): {', '.join(self.not_in_script)}")
        out.extend(f"warning: {w}" for w in self.warnings)
        return out


def plan_update(project: Project, plan: ScriptPlan, take_title: bool = True) -> tuple[MacroCommand, ImportReport]:
    """The edit that brings `project` in line with `plan` (not yet applied), and what it will do."""
    report = ImportReport(plan.source, warnings=list(plan.warnings))
    commands: list = []
    casting = plan.casting
    for character in casting.new_characters:
        commands.append(AddCharacter(character))
        report.added_characters.append(character.name)
    for location in casting.new_locations:
        commands.append(AddLocation(location))
        report.added_locations.append(location.name)
    script_names = {character_key(casting.names[cid]) for scene in plan.scenes for p in scene.shots for cid in _cast_ids(p.shot)}
    report.not_in_script = [c.name for c in project.characters if character_key(c.name) not in script_names]
    first_import = not any(is_script_id(s.id) for s in project.sequences)
    if take_title and first_import and plan.title and plan.title != project.title:
        commands.append(SetField("project", None, "title", plan.title))

    planned = {p.shot.id: p for scene in plan.scenes for p in scene.shots}
    existing = {shot.id: shot for shot in project.shots()}
    removed = [s for s in project.shots() if is_script_id(s.id) and s.id not in planned]
    removed_ids = {s.id for s in removed}
    if removed:
        commands.append(RemoveShots([s.id for s in removed], label="Remove shots whose lines left the script"))
    report.removed = [s.number for s in removed]
    report.kept = [existing[i].number for i in planned if i in existing]

    layout = {seq.id: [s.id for s in seq.shots if s.id not in removed_ids] for seq in project.sequences}
    names = {seq.id: seq.name for seq in project.sequences}
    order = [seq.id for seq in project.sequences]
    new_shots: dict[str, Shot] = {}
    adds: list = []
    new_sequences: list[Sequence] = []
    renames: list = []
    for scene in plan.scenes:
        fresh = [p.shot for p in scene.shots if p.shot.id not in existing]
        new_shots.update((s.id, s) for s in fresh)
        if scene.id not in layout:
            new_sequences.append(Sequence(scene.id, scene.name, fresh))
            layout[scene.id] = [s.id for s in fresh]
            order.append(scene.id)
            report.added_scenes.append(scene.name)
            continue
        ids = layout[scene.id]
        placements = []
        for j, p in enumerate(scene.shots):
            if p.shot.id in existing:
                continue
            index = next((ids.index(q.shot.id) + 1 for q in reversed(scene.shots[:j]) if q.shot.id in ids), 0)
            ids.insert(index, p.shot.id)
            placements.append((index, p.shot))
        if placements:
            adds.append(InsertShots(scene.id, placements, label="Add shots for new lines"))
        if names[scene.id] != scene.name and scene.heading and names[scene.id].endswith(scene.heading):
            renames.append(SetField("sequence", scene.id, "name", scene.name, label="Renumber scene"))
            report.renamed_scenes.append(f"{names[scene.id]} -> {scene.name}")
    commands.extend(adds)
    commands.extend(AddSequence(len(project.sequences) + i, seq) for i, seq in enumerate(new_sequences))
    commands.extend(renames)

    scene_ids = {scene.id for scene in plan.scenes}
    dropped = []
    for seq in project.sequences:
        if seq.id in scene_ids or layout[seq.id]:
            if seq.id not in scene_ids and is_script_id(seq.id):
                report.warnings.append(f"scene {seq.name} is no longer in the script; kept because it holds shots you added or moved there")
            continue
        if is_script_id(seq.id) or (first_import and not seq.shots):  # gone from the script, or the empty starter sequence
            dropped.append(seq.id)
            commands.append(RemoveSequence(seq.id))
            if is_script_id(seq.id):
                report.removed_scenes.append(seq.name)
    order = [i for i in order if i not in dropped]
    final = _script_order(order, [scene.id for scene in plan.scenes])
    if final != order:
        commands.append(ReorderSequences(final))

    _number_new_shots(final, layout, existing, new_shots, planned, removed_ids)
    report.added = [new_shots[i].number for seq in final for i in layout[seq] if i in new_shots]
    return MacroCommand(f"Import {plan.source}", commands), report


def _cast_ids(shot: Shot) -> set[str]:
    return {c.character_id for c in shot.characters} | {d.character_id for d in shot.dialogue}


def _script_order(current: list[str], script: list[str]) -> list[str]:
    """Script scenes in script order; any other sequence stays right after the one it followed."""
    in_script = set(script)
    following: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for seq_id in current:
        if seq_id in in_script:
            anchor = seq_id
        else:
            following.setdefault(anchor, []).append(seq_id)
    final = list(following.get(None, []))
    for seq_id in script:
        final.append(seq_id)
        final.extend(following.get(seq_id, []))
    return final


def _number_new_shots(final, layout, existing, new_shots, planned, removed_ids) -> None:
    flat = [shot_id for seq_id in final for shot_id in layout[seq_id]]
    taken = {s.number for i, s in existing.items() if i not in removed_ids}
    next_existing: list[str | None] = [None] * len(flat)
    following = None
    for i in range(len(flat) - 1, -1, -1):
        next_existing[i] = following
        if flat[i] in existing:
            following = existing[flat[i]].number
    before = None
    for i, shot_id in enumerate(flat):
        shot = new_shots.get(shot_id)
        if shot is not None:
            preferred = planned[shot_id].preferred_number
            shot.number = preferred if preferred and preferred not in taken else number_between(before, next_existing[i], taken)
            taken.add(shot.number)
            before = shot.number
        else:
            before = existing[shot_id].number
