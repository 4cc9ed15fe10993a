"""Breaking a screenplay down into scenes of shots, by the coverage rules (see studio.script.coverage)."""

from __future__ import annotations

from studio.frame_rate import FrameRate
from studio.location import TimeOfDay
from studio.project import Project
from studio.script.casting import Casting, PlaceInScene, cast, location_id_for, places_of
from studio.script.coverage import (
    CoverageRules,
    Establish,
    Timing,
    cast_in_frame,
    mention_pattern,
    new_shot,
    transition_for,
    world_override,
)
from studio.script.plan import ScenePlan, ScriptPlan, ShotPlan, SourceKeys
from studio.script.props import PropSpotter
from studio.script.screenplay import (
    Action,
    Centered,
    DualSpeech,
    Lyrics,
    Note,
    Scene,
    Screenplay,
    Section,
    Speech,
    SpeechPart,
    Synopsis,
    TransitionCue,
)
from studio.script.text import content_key
from studio.shot import CharacterInShot, DialogueLine, ScreenPosition, Shot, Transition


class _SceneBreakdown:
    """The shots of one scene, built element by element."""

    def __init__(self, planner: _Planner, scene: Scene, place: PlaceInScene | None, establish: bool) -> None:
        self.p = planner
        self.scene = scene
        self.place = place
        self.heading_key = content_key(scene.heading.text) if scene.heading else ""
        self.location_id = location_id_for(planner.casting, place) if place else None
        self.override = world_override(planner.casting.location_times[self.location_id], place.time) if place and self.location_id else None
        self.establish = establish and place is not None
        self.shots: list[Shot] = []
        self.speeches = 0
        self.last_speaker: str | None = None  # the last on-screen speaker: the next speaker's listener
        self.last_voice: Speech | None = None  # the last speech heard, on screen or off
        self.present = self._people_present()
        self.sides = {cid: i % 2 for i, cid in enumerate(self.present)}  # 0: screen left of the line, 1: right

    # --- who is in the scene -------------------------------------------------------------------
    def _mentions(self, text: str) -> list[tuple[int, str]]:
        """(offset, character id) of every character an action line names."""
        pattern = self.p.mentions
        if pattern is None:
            return []
        return [(match.start(), self.p.casting.character_id(match.group(1))) for match in pattern.finditer(text)]

    def _mentioned(self, text: str) -> list[str]:
        return list(dict.fromkeys(cid for _, cid in self._mentions(text)))

    def _people_present(self) -> list[str]:
        present: list[str] = []

        def add(cid: str) -> None:
            if cid not in present:
                present.append(cid)

        for element in self.scene.elements:
            speeches = [element] if isinstance(element, Speech) else [element.left, element.right] if isinstance(element, DualSpeech) else []
            for speech in speeches:
                if not speech.offscreen:
                    add(self.p.casting.character_id(speech.character))
            if isinstance(element, Action):
                for cid in self._mentioned(element.text):
                    add(cid)
        return present

    # --- shots ---------------------------------------------------------------------------------
    def add(self, shot: Shot, notes: tuple[str, ...] = (), placed: bool = True) -> None:
        """Appends a shot in the scene's place (a title card is in none), with what was pending."""
        if self.establish:  # the establishing wide comes before whatever the scene opens on
            self.establish = False
            self.add(self._establishing(None))
        if placed:
            shot.location_id = self.location_id
            if self.override is not None:
                shot.world_override = self.override
        all_notes = [*self.p.pending_notes, *notes]
        self.p.pending_notes.clear()
        if all_notes:
            shot.notes = "\n".join([shot.notes, *all_notes] if shot.notes else all_notes)
        if self.p.pending_transition is not None:
            shot.transition = self.p.pending_transition
            self.p.pending_transition = None
        self.shots.append(shot)

    def _establishing(self, action: Action | None) -> Shot:
        rules, place = self.p.rules, self.place
        assert place is not None
        interior = place.slugline.interior
        size = rules.establishing_size_interior if interior else rules.establishing_size_exterior
        move = rules.establishing_move_interior if interior else rules.establishing_move_exterior
        if action is None:
            identifier = self.p.keys.id_for("establish", self.heading_key)
            time = "" if place.time is TimeOfDay.DAY else f" at {place.time.value}"
            description = f"Establishing: {self.p.casting.location_names[self.location_id]}{time}."
            duration = self.p.timing.frames(rules.establishing_seconds)
            people: list[str] = []
        else:
            identifier = self.p.keys.id_for("action", self.heading_key, content_key(action.text))
            description = action.text
            duration = max(self.p.timing.frames(rules.establishing_seconds), self.p.timing.action(action.text))
            people = self._mentioned(action.text)
        return new_shot(identifier, size, rules, duration, description, camera=move, characters=cast_in_frame(people))

    def action(self, element: Action) -> None:
        if self.establish:
            self.establish = False
            shot = self._establishing(element)
        else:
            rules = self.p.rules
            people = self._mentioned(element.text)
            size = rules.action_size_one if len(people) == 1 else rules.action_size_other
            identifier = self.p.keys.id_for("action", self.heading_key, content_key(element.text))
            shot = new_shot(identifier, size, rules, self.p.timing.action(element.text), element.text, characters=cast_in_frame(people))
        self.p.props.seed(shot, element.text, self._mentions(element.text))
        self.add(shot, element.notes)

    def _lines(self, speech: Speech, start: int) -> tuple[list[DialogueLine], int]:
        cid = self.p.casting.character_id(speech.character)
        pace = self.p.casting.words_per_minute[cid]
        lines, cursor = [], start
        for part in speech.parts:
            parenthetical = ", ".join(x for x in (*speech.offscreen_marks, part.parenthetical, "singing" if part.sung else "") if x)
            lines.append(DialogueLine(cid, part.text, cursor, parenthetical))
            cursor += self.p.timing.spoken(part.text, pace)
        return lines, cursor

    def _speech_key(self, speech: Speech) -> str:
        return " | ".join(content_key(p.text) for p in speech.parts) or content_key(" ".join(speech.notes))

    def speech(self, speech: Speech) -> None:
        rules, timing = self.p.rules, self.p.timing
        cid = self.p.casting.character_id(speech.character)
        name = self.p.casting.names[cid]
        lines, end = self._lines(speech, timing.frames(rules.dialogue_lead_in_seconds))
        duration = timing.at_least_min(end + timing.frames(rules.dialogue_tail_seconds))
        identifier = self.p.keys.id_for("speech", self.heading_key, speech.key, self._speech_key(speech))
        mood = lines[0].parenthetical if lines else ""
        others = [p for p in self.present if p != cid]
        listener = self.last_speaker if self.last_speaker in others else (others[0] if others else None)
        if speech.offscreen:
            watchers = [listener] if len(others) <= 2 and listener else others
            size = rules.offscreen_empty_size if not watchers else rules.single_size if len(watchers) == 1 else rules.group_sizes[0]
            where = ", ".join(self.p.casting.names[w] for w in watchers) or "The place"
            description = f"{where} as {name} is heard ({', '.join(speech.extensions)})."
            cast = cast_in_frame(watchers, "listens")
        elif not self.present or self.present == [cid]:
            size, description = rules.single_size, f"{name} alone{', ' + mood if mood else ''}."
            cast = [CharacterInShot(cid, ScreenPosition.CENTER, mood or "speaks")]
        elif len(self.present) == 2 and listener is not None:
            size = rules.two_person_sizes[min(self.speeches // 2, len(rules.two_person_sizes) - 1)]
            left_of_line = self.sides.get(cid, 0) == 0
            cast = [
                CharacterInShot(cid, ScreenPosition.CENTER_LEFT if left_of_line else ScreenPosition.CENTER_RIGHT, mood or "speaks"),
                CharacterInShot(listener, ScreenPosition.RIGHT if left_of_line else ScreenPosition.LEFT, "listens, back to camera"),
            ]
            description = f"Over {self.p.casting.names[listener]}'s shoulder onto {name}{', ' + mood if mood else ''}."
        else:
            size = rules.group_sizes[self.speeches % len(rules.group_sizes)]
            group = [cid] + ([listener] if listener else []) if size == rules.group_sizes[0] else [cid] + others[:3]
            cast = [CharacterInShot(c, pos, (mood or "speaks") if c == cid else "listens") for c, pos in zip(group, _speaker_first(len(group)), strict=True)]
            description = f"{name} speaks to the group{', ' + mood if mood else ''}."
        if not lines:  # a cue with only a parenthetical: a reaction
            description = f"{name} reacts: {' '.join(speech.notes)}" if speech.notes else f"{name} reacts."
            duration = timing.frames(rules.action_min_seconds)
        self.add(new_shot(identifier, size, rules, duration, description, characters=cast, dialogue=lines), speech.notes)
        self.speeches += 1
        self.last_voice = speech
        if not speech.offscreen:
            self.last_speaker = cid

    def dual(self, element: DualSpeech) -> None:
        rules, timing = self.p.rules, self.p.timing
        start = timing.frames(rules.dialogue_lead_in_seconds)
        left, left_end = self._lines(element.left, start)
        right, right_end = self._lines(element.right, start)
        ids = [self.p.casting.character_id(s.character) for s in (element.left, element.right)]
        names = [self.p.casting.names[c] for c in ids]
        identifier = self.p.keys.id_for(
            "dual", self.heading_key, element.left.key, self._speech_key(element.left), element.right.key, self._speech_key(element.right)
        )
        duration = timing.at_least_min(max(left_end, right_end) + timing.frames(rules.dialogue_tail_seconds))
        shot = new_shot(
            identifier,
            rules.dual_size,
            rules,
            duration,
            f"{names[0]} and {names[1]} speak at once.",
            characters=cast_in_frame(sorted(dict.fromkeys(ids), key=lambda c: self.sides.get(c, 0)), "speaks"),  # each on their side of the line
            dialogue=left + right,
        )
        self.add(shot, element.left.notes + element.right.notes)
        self.speeches += 1
        self.last_speaker, self.last_voice = ids[1], element.right

    def lyrics(self, element: Lyrics) -> None:
        """Lyrics on their own are sung by the last voice heard in the scene, or play over it."""
        if self.last_voice is None:
            identifier = self.p.keys.id_for("lyrics", self.heading_key, content_key(element.text))
            shot = new_shot(identifier, self.p.rules.action_size_other, self.p.rules, self.p.timing.action(element.text), f"\u266a {element.text} \u266a")
            self.add(shot, element.notes + ("lyrics",))
            return
        voice = self.last_voice
        self.speech(Speech(voice.character, voice.extensions, (SpeechPart(element.text, "", sung=True),), notes=element.notes))

    def title_card(self, element: Centered) -> None:
        rules = self.p.rules
        identifier = self.p.keys.id_for("title", self.heading_key, content_key(element.text))
        duration = max(self.p.timing.frames(rules.title_card_seconds), self.p.timing.action(element.text))
        shot = new_shot(identifier, rules.title_card_size, rules, duration, f"Title card: {element.text}", notes="title card")
        self.add(shot, element.notes, placed=False)  # a card is words on black, in no place

    def run(self) -> list[Shot]:
        for element in self.scene.elements:
            if isinstance(element, Action):
                self.action(element)
            elif isinstance(element, Speech):
                self.speech(element)
            elif isinstance(element, DualSpeech):
                self.dual(element)
            elif isinstance(element, Lyrics):
                self.lyrics(element)
            elif isinstance(element, Centered):
                self.title_card(element)
            elif isinstance(element, TransitionCue):
                self.p.pending_transition = transition_for(element.text, self.p.rules, self.p.rate)
                self.p.pending_cue = element.text
            elif isinstance(element, Note):
                self.p.pending_notes.append(element.text)
            elif isinstance(element, Section):
                self.p.pending_notes.append(f"Section: {element.text}")
            elif isinstance(element, Synopsis):
                self.p.pending_notes.append(f"Synopsis: {element.text}")
        if not self.shots and self.place is not None:  # a heading and nothing else still gets a picture
            self.establish = False
            self.add(self._establishing(None))
        self.establish = False
        carried = [n for n in self.p.pending_notes if n.startswith("Section: ")]
        left = [n for n in self.p.pending_notes if not n.startswith("Section: ")]
        if left and self.shots:
            last = self.shots[-1]
            last.notes = "\n".join([last.notes, *left] if last.notes else left)
            self.p.pending_notes[:] = carried
        return self.shots


def _speaker_first(n: int) -> list[ScreenPosition]:
    return [ScreenPosition.CENTER, ScreenPosition.LEFT, ScreenPosition.RIGHT, ScreenPosition.CENTER_LEFT, ScreenPosition.CENTER_RIGHT][:n]


class _Planner:
    def __init__(self, screenplay: Screenplay, casting: Casting, rules: CoverageRules, rate: FrameRate) -> None:
        self.screenplay, self.casting, self.rules, self.rate = screenplay, casting, rules, rate
        self.timing = Timing(rules, rate)
        self.keys = SourceKeys()
        self.pending_notes: list[str] = []
        self.pending_transition: Transition | None = None
        self.pending_cue = ""
        self.mentions = mention_pattern([s.character for s in screenplay.speeches()])
        headings = [scene.heading.text if scene.heading else None for scene in screenplay.scenes]
        self.props = PropSpotter(casting.names.values(), headings)


def break_down(screenplay: Screenplay, project: Project, rules: CoverageRules, source: str) -> ScriptPlan:
    """The scenes and shots a screenplay asks for, cast against the project's characters and places."""
    headings = [scene.heading.text if scene.heading else None for scene in screenplay.scenes]
    places = places_of(headings)
    names = [s.character for s in screenplay.speeches()]
    casting = cast(project, names, places)
    planner = _Planner(screenplay, casting, rules, project.format.frame_rate)
    warnings = list(screenplay.warnings)
    if not any(scene.heading for scene in screenplay.scenes):
        warnings.append(
            "the script has no scene headings, so it was imported as one scene without a location; add headings like INT. DINER - NIGHT to get scenes"
        )
    scenes: list[ScenePlan] = []
    visited: set[str] = set()
    previous_location: str | None = None
    ordinal = 0  # headings counted; action before the first heading is scene 0, a prologue
    headed = sum(1 for scene in screenplay.scenes if scene.heading)
    for scene, place in zip(screenplay.scenes, places, strict=True):
        ordinal += 1 if scene.heading or not headed else 0
        location_id = location_id_for(casting, place) if place else None
        establish = {
            Establish.NEW_PLACE: location_id != previous_location,
            Establish.FIRST_VISIT: location_id not in visited,
            Establish.EVERY_SCENE: True,
            Establish.NEVER: False,
        }[rules.establish]
        heading_key = content_key(scene.heading.text) if scene.heading else ""
        plan = ScenePlan(
            planner.keys.id_for("scene", heading_key),
            (scene.heading.number if scene.heading else None) or str(ordinal),
            scene.heading.text if scene.heading else "",
        )
        plan.shots = [ShotPlan(shot) for shot in _SceneBreakdown(planner, scene, place, establish).run()]
        scenes.append(plan)
        if location_id is not None:
            visited.add(location_id)
        previous_location = location_id
    shots = [p.shot for scene in scenes for p in scene.shots]
    if planner.pending_notes and shots:
        shots[-1].notes = "\n".join([shots[-1].notes, *planner.pending_notes] if shots[-1].notes else planner.pending_notes)
    if planner.pending_transition is not None and shots:  # FADE OUT. at the end: nothing follows to fade in
        shots[-1].notes = "\n".join([shots[-1].notes, planner.pending_cue] if shots[-1].notes else [planner.pending_cue])
    return ScriptPlan(source, screenplay.title, scenes, casting, warnings)
