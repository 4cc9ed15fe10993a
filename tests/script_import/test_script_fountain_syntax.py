"""Every element of the Fountain syntax page, read from night_shift.fountain and small snippets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from script_helpers import DATA, imported

from studio.script.errors import ScriptImportError
from studio.script.fountain import parse_fountain
from studio.script.screenplay import Action, Centered, DualSpeech, Lyrics, Note, Section, Speech, Synopsis, TransitionCue
from studio.shot import TransitionType

NIGHT_SHIFT = DATA / "night_shift.fountain"


@pytest.fixture(scope="module")
def project():
    return imported(NIGHT_SHIFT)


def _all_text(project) -> str:
    parts = [project.title]
    for seq in project.sequences:
        parts.append(seq.name)
        for shot in seq.shots:
            parts += [shot.description, shot.notes, *(d.text for d in shot.dialogue), *(d.parenthetical for d in shot.dialogue)]
    return "\n".join(parts)


def _shot_with(project, text: str):
    matches = [s for s in project.shots() if text in s.description or any(text in d.text for d in s.dialogue)]
    assert len(matches) == 1, f"{len(matches)} shots hold {text!r}"
    return matches[0]


def test_title_page_gives_the_project_title_without_emphasis(project):
    assert project.title == "NIGHT SHIFT"


def test_title_page_values_may_run_over_indented_lines():
    screenplay = parse_fountain("Title: One\nContact:\n    Jane Doe\n    jane@example.com\n\nINT. ROOM - DAY\n\nShe sits.\n")
    assert screenplay.title_page["contact"] == "Jane Doe jane@example.com"
    assert screenplay.title == "One"


def test_fade_in_at_the_top_is_a_transition_not_a_title_page():
    screenplay = parse_fountain("FADE IN:\n\nINT. ROOM - DAY\n\nShe sits.\n")
    assert screenplay.title_page == {}
    assert isinstance(screenplay.scenes[0].elements[0], TransitionCue)


def test_each_scene_heading_becomes_a_sequence_named_with_its_scene_number(project):
    assert [s.name for s in project.sequences] == [
        "1 EXT. ROSIE'S DINER - NIGHT",
        "2 INT. ROSIE'S DINER - CONTINUOUS",
        "3A FLASHBACK - DAY",
        "4 INT. ROSIE'S DINER - NIGHT",
        "5 INT. ROSIE'S DINER - KITCHEN - LATER",
    ]


def test_forced_scene_heading_with_a_dot_is_a_scene_and_a_place(project):
    flashback = project.sequences[2]
    location = project.location(flashback.shots[0].location_id)
    assert location.name == "Flashback"


def test_headings_without_numbers_are_numbered_in_order():
    screenplay = parse_fountain("INT. A - DAY\n\nOne.\n\nEXT. B - NIGHT\n\nTwo.\n\n.LIMBO\n\nThree.\n")
    assert [s.heading.text for s in screenplay.scenes] == ["INT. A - DAY", "EXT. B - NIGHT", "LIMBO"]
    assert [s.heading.number for s in screenplay.scenes] == [None, None, None]


def test_boneyard_text_is_ignored(project):
    text = _all_text(project)
    assert "HIGHWAY" not in text and "truck" not in text
    assert all("/*" not in s.notes for s in project.shots())


def test_boneyard_inside_a_speech_does_not_split_it():
    screenplay = parse_fountain("INT. ROOM - DAY\n\nMAYA\nFirst half,\n/* a cut line */\nsecond half.\n")
    (speech,) = screenplay.scenes[0].elements
    assert isinstance(speech, Speech)
    assert speech.parts[0].text == "First half, second half."


def test_character_extensions_are_one_character_not_three(project):
    assert [c.name for c in project.characters] == ["MAYA", "JONAH", "McCLANE", "OLD TOM"]
    maya = next(c for c in project.characters if c.name == "MAYA")
    maya_lines = [d for s in project.shots() for d in s.dialogue if d.character_id == maya.id]
    assert {"We're closing!", "Kitchen's closed.", "Coffee I can do."} <= {d.text for d in maya_lines}


def test_extension_variants_all_strip():
    text = "INT. ROOM - DAY\n\nBOB (V.O.)\nOne.\n\nBOB (O.S.)\nTwo.\n\nBOB (CONT'D)\nThree.\n\nBOB (O.C.)\nFour.\n\nBOB (into phone)\nFive.\n"
    speeches = parse_fountain(text).speeches()
    assert {s.character for s in speeches} == {"BOB"}
    assert [s.offscreen for s in speeches] == [True, True, False, True, False]


def test_parentheticals_are_stored_on_the_lines_they_colour(project):
    line = next(d for s in project.shots() for d in s.dialogue if d.text == "Kitchen's closed.")
    assert line.parenthetical == "not looking up"
    black = next(d for s in project.shots() for d in s.dialogue if d.text == "Black?")
    assert black.parenthetical == "beat"


def test_dual_dialogue_puts_both_characters_in_one_shot_starting_together(project):
    shot = _shot_with(project, "Black.")
    speakers = {project.character(d.character_id).name for d in shot.dialogue}
    assert speakers == {"MAYA", "JONAH"}
    assert {project.character(c.character_id).name for c in shot.characters} == {"MAYA", "JONAH"}
    first_maya = next(d for d in shot.dialogue if d.text == "Coffee I can do.")
    jonah = next(d for d in shot.dialogue if d.text == "Black.")
    assert first_maya.start == jonah.start
    assert not any("Black." in d.text for s in project.shots() if s is not shot for d in s.dialogue)


def test_caret_without_a_speech_before_it_imports_as_a_single_speech_with_a_warning():
    screenplay = parse_fountain("INT. ROOM - DAY\n\nShe waits.\n\nBOB ^\nHello.\n")
    assert isinstance(screenplay.scenes[0].elements[1], Speech)
    assert "dual dialogue" in screenplay.warnings[0]


def test_lyrics_become_sung_dialogue_lines(project):
    sung = _shot_with(project, "Ride the last bus home")
    (line,) = sung.dialogue
    assert project.character(line.character_id).name == "JONAH"
    assert line.text == "Ride the last bus home / nobody waiting there"
    assert "singing" in line.parenthetical
    standalone = _shot_with(project, "All the lonely diners")
    assert standalone.dialogue[0].text == "All the lonely diners"


def test_lyrics_with_no_voice_before_them_play_over_the_scene():
    elements = parse_fountain("INT. ROOM - DAY\n\n~La la la\n").scenes[0].elements
    assert elements == [Lyrics("La la la")]


def test_transitions_set_how_the_next_shot_begins(project):
    shots = list(project.shots())
    assert shots[0].transition.type is TransitionType.FADE  # FADE IN:
    assert shots[0].transition.duration == 24
    flashback_first = project.sequences[2].shots[0]
    assert flashback_first.transition.type is TransitionType.CUT  # CUT TO:
    kitchen_first = project.sequences[4].shots[0]
    assert kitchen_first.transition.type is TransitionType.DISSOLVE and kitchen_first.transition.duration == 24
    the_end = shots[-1]
    assert the_end.transition.type is TransitionType.FADE  # FADE OUT. before the end card


def test_forced_transition_with_greater_than():
    elements = parse_fountain("INT. ROOM - DAY\n\nShe sits.\n\n> Burn to white.\n\nShe stands.\n").scenes[0].elements
    assert elements[1] == TransitionCue("BURN TO WHITE.")


def test_centered_text_becomes_a_title_card_in_no_place(project):
    for text in ("INTERMISSION", "THE END"):
        card = _shot_with(project, text)
        assert card.description == f"Title card: {text}"
        assert card.location_id is None and card.characters == [] and card.dialogue == []
        assert "title card" in card.notes


def test_page_breaks_are_ignored(project):
    assert "===" not in _all_text(project)


def test_notes_are_kept_on_shots(project):
    sign = _shot_with(project, "sign buzzes")
    assert "Make the sign pink, not red." in sign.notes
    assert "[[" not in sign.description
    intermission = _shot_with(project, "INTERMISSION")
    assert "Check the clock prop reads midnight." in intermission.notes


def test_notes_may_span_lines_within_a_paragraph():
    (action,) = parse_fountain("INT. ROOM - DAY\n\nShe waits. [[a long\nnote]] Then goes.\n").scenes[0].elements
    assert action == Action("She waits. Then goes.", ("a long note",))


def test_sections_and_synopses_are_notes_not_shots(project):
    first = project.sequences[0].shots[0]
    assert "Section: Act One" in first.notes
    assert "Synopsis: Jonah arrives at the diner as it closes." in first.notes
    assert "Section: The Radio" in project.sequences[3].shots[0].notes
    assert not any("Act One" in s.description or "The Radio" in s.description for s in project.shots())


def test_sections_and_synopses_are_read_as_such():
    elements = parse_fountain("INT. ROOM - DAY\n\n# Act Two\n\n## Sequence 3\n\n= She decides.\n\nShe goes.\n").scenes[0].elements
    assert elements[:3] == [Section("Act Two", 1), Section("Sequence 3", 2), Synopsis("She decides.")]


def test_emphasis_is_stripped_from_all_text(project):
    text = _all_text(project)
    assert "The neon sign buzzes over an empty lot." in text
    assert "*" not in text and "_" not in text


def test_escaped_emphasis_marks_stay():
    (action,) = parse_fountain("INT. ROOM - DAY\n\nA \\*real\\* star and _underlined_ and ***both***.\n").scenes[0].elements
    assert action.text == "A *real* star and underlined and both."


def test_forced_action_is_never_a_character(project):
    assert "BANG" not in [c.name for c in project.characters]
    assert _shot_with(project, "BANG The lights die.").dialogue == []


def test_forced_character_keeps_its_mixed_case_name(project):
    radio = _shot_with(project, "Radio Nine")
    assert project.character(radio.dialogue[0].character_id).name == "McCLANE"


def test_a_lone_line_in_capitals_is_action_not_a_character():
    elements = parse_fountain("INT. ROOM - DAY\n\nBOOM!\n\nThe wall falls.\n").scenes[0].elements
    assert elements == [Action("BOOM!"), Action("The wall falls.")]


def test_two_spaces_keep_a_speech_together_across_an_empty_line():
    (speech,) = parse_fountain("INT. ROOM - DAY\n\nMAYA\nFirst.\n  \nSecond.\n").scenes[0].elements
    assert speech.parts[0].text == "First. Second."


def test_windows_line_endings_and_tabs_read_the_same():
    unix = parse_fountain("INT. ROOM - DAY\n\nMAYA\n(dry)\nHello.\n")
    windows = parse_fountain("INT. ROOM - DAY\r\n\r\n\tMAYA\r\n\t(dry)\r\n\tHello.\r\n")
    assert unix.scenes == windows.scenes


def test_text_before_the_first_heading_without_pictures_joins_the_first_scene():
    screenplay = parse_fountain("FADE IN:\n\n[[opening note]]\n\nINT. ROOM - DAY\n\nShe sits.\n")
    assert len(screenplay.scenes) == 1
    assert screenplay.scenes[0].elements[:2] == [TransitionCue("FADE IN:"), Note("opening note")]


def test_element_kinds_of_the_tour_script():
    screenplay = parse_fountain(NIGHT_SHIFT.read_text(encoding="utf-8"))
    kinds = {type(e) for scene in screenplay.scenes for e in scene.elements}
    assert {Action, Speech, DualSpeech, Lyrics, Centered, TransitionCue, Note, Section, Synopsis} <= kinds


_PIECES = st.sampled_from(
    [
        "INT. ROOM - DAY",
        "EXT. ROAD - NIGHT",
        ".FORCED",
        "MAYA",
        "@bob",
        "BOB ^",
        "(beat)",
        "Hello there.",
        "~la la",
        ">CENTER<",
        "> CUT",
        "CUT TO:",
        "# Act",
        "= synopsis",
        "===",
        "!FORCED",
        "[[note]]",
        "[[open",
        "]]",
        "/*",
        "*/",
        "*bold*",
        "_u_",
        "Title: X",
        "",
        "",
        "  ",
        "\t",
        "A line of action.",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_any_mix_of_fountain_parts_reads_or_is_refused_with_a_line_number(pieces):
    text = "\n".join(pieces)
    try:
        screenplay = parse_fountain(text, "fuzz.fountain")
    except ScriptImportError as exc:
        assert exc.line is not None and str(exc).startswith("fuzz.fountain: line ")
        return
    for speech in screenplay.speeches():
        assert speech.character and "(" not in speech.character and "^" not in speech.character
    for scene in screenplay.scenes:
        for element in scene.elements:
            for value in vars(element).values():
                if isinstance(value, str):
                    # A note's own words may hold "/*": inside [[ ]] it is text, as a writer typed it.
                    assert "[[" not in value and ("/*" not in value or isinstance(element, Note))
