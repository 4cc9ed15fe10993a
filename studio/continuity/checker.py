"""The continuity checker: breaks a script supervisor would flag, found in one pass over the ledger.

Rules (each finding names the shots and the state, and says how to fix or accept it):

- prop      a prop enters a character's hands without being introduced: nobody held it before, it is
            not on set at the shot's location, and the change is not marked deliberate.
- wardrobe  a character's wardrobe (or hair/makeup) changes within a continuous scene after the
            audience has seen it in that scene, without the change being marked deliberate.
- time      the time of day at a location goes backwards within a scene.
- axis      two characters swap screen sides between their framings in a scene (the cut crosses the
            180° line) with no axis change logged on the shots in between.
- dialogue  a character speaks in a shot they are not in (lines marked O.S./V.O./O.C. are off screen).
- chain     a chained shot (generated from its predecessor's last frame) is at another location.

A finding is accepted as intentional by adding its key to the shot's `accepted_breaks` (the
AcceptFinding command); accepted findings are not reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from studio.continuity.changes import ASPECT_NAMES, Aspect, ChangeOp, SubjectKind
from studio.continuity.ledger import fold
from studio.location import TimeOfDay
from studio.project import Project, Sequence
from studio.shot import SCREEN_X, ContinuityLink, DialogueLine, Shot


class Rule(StrEnum):
    PROP_NOT_INTRODUCED = "prop"
    WARDROBE_CHANGE = "wardrobe"
    TIME_BACKWARDS = "time"
    AXIS_CROSSED = "axis"
    DIALOGUE_OFF_SCREEN = "dialogue"
    CHAIN_LOCATION = "chain"


@dataclass(frozen=True)
class Finding:
    rule: Rule
    shot_id: str  # the shot where the break shows, and where accepting it is stored
    shot_number: str
    previous_number: str | None  # the shot it breaks with, where there is one
    key: str  # stable within the shot: what `accepted_breaks` holds
    message: str

    @property
    def reference(self) -> str:
        """How a user names the finding: shot number and key, e.g. '14/wardrobe:maya'."""
        return f"{self.shot_number}/{self.key}"


_TIME_ORDER = {
    t: i for i, t in enumerate([TimeOfDay.DAWN, TimeOfDay.MORNING, TimeOfDay.DAY, TimeOfDay.AFTERNOON, TimeOfDay.DUSK, TimeOfDay.EVENING, TimeOfDay.NIGHT])
}
_LOOK = (Aspect.WARDROBE, Aspect.HAIR_MAKEUP)
_OFF_SCREEN_MARKS = {"os", "vo", "oc", "offscreen", "offcamera", "voiceover"}


def is_off_screen(line: DialogueLine) -> bool:
    parts = line.parenthetical.lower().replace(";", ",").split(",")
    return any("".join(ch for ch in part if ch.isalnum()) in _OFF_SCREEN_MARKS for part in parts)


def check_project(project: Project) -> list[Finding]:
    """The breaks not accepted as intentional, in timeline order."""
    accepted = {shot.id: set(shot.accepted_breaks) for shot in project.shots() if shot.accepted_breaks}
    return [f for f in all_findings(project) if f.key not in accepted.get(f.shot_id, ())]


def all_findings(project: Project) -> list[Finding]:
    """Every break, accepted or not, in timeline order."""
    names = {c.id: c.name for c in project.characters}
    places = {loc.id: loc.name for loc in project.locations}
    findings: list[Finding] = []

    def found(rule: Rule, shot: Shot, previous: Shot | None, key: str, message: str) -> None:
        findings.append(Finding(rule, shot.id, shot.number, previous.number if previous else None, key, message))

    seen_props: set[str] = set()  # held by someone or on set in an earlier shot
    timeline_previous: Shot | None = None
    current: Sequence | None = None
    last_seen: dict[str, Shot] = {}  # character id -> their last shot in this scene
    last_time: dict[str, tuple[Shot, TimeOfDay]] = {}  # location id -> last time of day seen in this scene
    last_pair: dict[tuple[str, str], tuple[Shot, int, bool]] = {}  # (a, b) -> last shot framing both, its index, a left of b
    axis_marked_at = -1
    index = -1
    for sequence, shot, ledger, applied in fold(project):
        if sequence is not current:
            current, index, axis_marked_at = sequence, -1, -1
            last_seen, last_time, last_pair = {}, {}, {}
        index += 1
        scene = f"scene '{sequence.name}'"
        n = shot.number
        world = ledger.world_in_force(shot)
        place = places.get(shot.location_id or "", "")

        # chain: a chained shot continues its predecessor's last frame, so it cannot change place
        prev = timeline_previous
        if shot.continuity is ContinuityLink.CHAIN and prev is not None and prev.location_id != shot.location_id:
            found(
                Rule.CHAIN_LOCATION,
                shot,
                prev,
                "chain",
                f"shots {prev.number}→{n}: shot {n} is chained from shot {prev.number}'s last frame but moves from "
                f"{places.get(prev.location_id or '', 'no location')} to {place or 'no location'}; cut instead of chaining, or fix the location",
            )

        # dialogue: who speaks must be in the shot, unless the line is marked off screen
        cast_ids = {c.character_id for c in shot.characters}
        for speaker in dict.fromkeys(d.character_id for d in shot.dialogue if d.character_id not in cast_ids and not is_off_screen(d)):
            who = names.get(speaker, speaker)
            found(
                Rule.DIALOGUE_OFF_SCREEN,
                shot,
                None,
                f"dialogue:{speaker}",
                f"shot {n}: {who} speaks but is not in the shot; add {who} to the shot or mark the line (O.S.) or (V.O.)",
            )

        axis_changed = False
        on_set = set(world.props) if world else set()
        for step in applied:
            change = step.change
            if step.kind is SubjectKind.SEQUENCE and change.aspect is Aspect.AXIS:
                axis_changed = True
            if step.kind is not SubjectKind.CHARACTER or change.deliberate:
                continue
            who = names.get(step.subject_id, step.subject_id)
            if change.aspect in _LOOK and step.before and step.before != step.after and step.subject_id in last_seen:
                seen_in = last_seen[step.subject_id]
                found(
                    Rule.WARDROBE_CHANGE,
                    shot,
                    seen_in,
                    f"{change.aspect.value}:{step.subject_id}",
                    f"shots {seen_in.number}→{n}: {who}'s {ASPECT_NAMES[change.aspect]} changes from '{step.before}' to '{step.after}' within {scene}; "
                    f"mark it intentional or fix shot {n}",
                )
            elif change.aspect is Aspect.PROPS_IN_HAND and change.op is ChangeOp.ADD and step.before != step.after:
                prop = change.value
                if prop not in seen_props and prop not in on_set:
                    where = f"on set at {place}" if place else "on set"
                    found(
                        Rule.PROP_NOT_INTRODUCED,
                        shot,
                        None,
                        f"prop:{step.subject_id}:{prop}",
                        f"shot {n}: '{prop}' appears in {who}'s hands without being introduced (nobody held it before and it is not {where}); "
                        f"put it on set or in someone's hands earlier, mark the change deliberate, or fix shot {n}",
                    )
        if axis_changed:
            axis_marked_at = index

        # time: the clock at one place never runs backwards within a scene
        if world is not None and shot.location_id is not None and world.time_of_day in _TIME_ORDER:
            before = last_time.get(shot.location_id)
            if before is not None and _TIME_ORDER[world.time_of_day] < _TIME_ORDER[before[1]]:
                found(
                    Rule.TIME_BACKWARDS,
                    shot,
                    before[0],
                    f"time:{shot.location_id}",
                    f"shots {before[0].number}→{n}: the time of day at {place} goes back from {before[1].value} to {world.time_of_day.value} within {scene}; "
                    f"mark it intentional or fix shot {n}",
                )
            last_time[shot.location_id] = (shot, world.time_of_day)

        # axis: who is left of whom must hold from one framing of a pair to the next, unless the axis is re-marked
        framed = sorted({c.character_id: SCREEN_X[c.position] for c in shot.characters}.items())
        for i, (a, xa) in enumerate(framed):
            for b, xb in framed[i + 1 :]:
                if xa == xb:
                    continue
                a_left = xa < xb
                last = last_pair.get((a, b))
                if last is not None and last[2] != a_left and axis_marked_at <= last[1]:
                    first, second = (a, b) if last[2] else (b, a)  # `first` was left of `second` before the cut
                    one, two = names.get(first, first), names.get(second, second)
                    found(
                        Rule.AXIS_CROSSED,
                        shot,
                        last[0],
                        f"axis:{a}+{b}",
                        f"shots {last[0].number}→{n}: {one} and {two} swap screen sides ({one} is left of {two} in shot {last[0].number}, "
                        f"right of {two} in shot {n}): the cut crosses the 180° line within {scene}; log an axis change on shot {n} or flip the framing",
                    )
                last_pair[(a, b)] = (shot, index, a_left)

        for step in applied:
            if step.change.aspect is Aspect.PROPS_IN_HAND and step.change.op is ChangeOp.ADD:
                seen_props.add(step.change.value)
        seen_props |= on_set
        for character_id in cast_ids:
            last_seen[character_id] = shot
        timeline_previous = shot
    return findings
