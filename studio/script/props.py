"""Props the script introduces in CAPITALS, seeded into the continuity ledger on import.

Screenplays (Fountain's convention included) write a prop or a sound in capitals the first time it is
seen: "JONAH sets down a battered SUITCASE. A DOOR BELL rings." A run of capitalised words in an
action line is read as a prop unless it is

- a character's name, possessive or not (JONAH, JONAH'S), or a character's introduction: a run
  followed by an age ("TOM, 60s," or "TOM (60s)"), which the writer capitalises for casting;
- made only of words the capitals do not make props: the script's own scene-heading words (its
  places and times, INT/EXT), transitions and camera directions (CUT, FADE, ANGLE, INSERT) and a few
  small words (THE, AND) — `NOT_PROPS`;
- a sound: it holds a sound word (BANG, CRASH) or the word after it is one ("A DOOR BELL rings") —
  `SOUND_WORDS`, one list for both, so a sound heard and a thing that sounds read alike.

A line without a lower-case letter is a shout or a title, not an introduction, and is skipped.
Only a prop's first appearance counts (later capitals are the writer's emphasis). There it is logged:

    in a character's hands   when a character is named in the same action line: the one named last
                             before the prop, else the first named after it (ADD props in hand,
                             marked deliberate, since the script is what brings it in)
    on set                   otherwise: ADD to the props on set at the shot's location
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from studio.continuity.changes import Aspect, ChangeOp, ContinuityChange, picks_up
from studio.script.sluglines import SAME_TIME_WORDS, TIME_WORDS, parse_slugline
from studio.script.text import character_key
from studio.shot import Shot

# Sounds as writers capitalise them, and the verbs that make the capitalised words before them a sound.
SOUND_WORDS = frozenset(
    """
    BANG BANGS BEEP BEEPS BLARE BLARES BLAST BLASTS BOOM BOOMS BUZZ BUZZES BUZZING CHIME CHIMES CLANG CLANGS
    CLATTER CLATTERS CLICK CLICKS CRACK CRACKS CRASH CRASHES CREAK CREAKS DING DINGS EXPLOSION GUNSHOT GUNSHOTS
    HISS HISSES HONK HONKS HUM HUMS KNOCK KNOCKS POP POPS RING RINGS RINGING RUMBLE RUMBLES SCREAM SCREAMS
    SCREECH SCREECHES SHATTER SHATTERS SLAM SLAMS SMASH SMASHES SNAP SNAPS THUD THUDS THUMP THUMPS WAIL WAILS
    WHISTLE WHISTLES WHOOSH
    """.split()
)
# Words in capitals that are not things on set: transitions, camera directions, script marks, small words.
NOT_PROPS = frozenset(
    """
    INT EXT EST CUT TO FADE IN OUT DISSOLVE SMASH MATCH JUMP WIPE IRIS INTERCUT BACK END CONTINUED CONT'D MORE
    ANGLE CLOSE CLOSEUP CLOSE-UP INSERT POV WIDE SHOT SHOTS SERIES MONTAGE FLASHBACK SUPER TITLE CARD OVER
    VO OS OC OFF ON AT OF THE AND OR A AN WITH OK
    """.split()
)
_WORD = r"[A-Z][A-Z0-9'\u2019&-]*[A-Z0-9]"
_CAPS_RUN = re.compile(rf"(?<![\w'\u2019])({_WORD}(?: {_WORD})*)(?![\w'\u2019])")
_NEXT_WORD = re.compile(r"\s+([A-Za-z']+)")
_INTRODUCTION = re.compile(r"\s*(?:,|\()\s*(?:\d|(?:young|old|elderly|late|early|mid|middle)\b)", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]S$")


def heading_words(headings: Iterable[str | None]) -> frozenset[str]:
    """Every word of the script's places and times: capitals that name the set, not a prop on it."""
    words = {w for phrase in (*TIME_WORDS, *SAME_TIME_WORDS) for w in phrase.split()}
    for heading in headings:
        if heading:
            words.update(re.split(r"[\s/.-]+", parse_slugline(heading).place))
    return frozenset(w for w in words if w)


class PropSpotter:
    """Finds the props an action line introduces and logs each on its shot, once per script."""

    def __init__(self, character_names: Iterable[str], headings: Iterable[str | None]) -> None:
        self.names = {character_key(n) for n in character_names}
        self.longest_name = max((len(n.split()) for n in self.names), default=1)
        self.skip = NOT_PROPS | heading_words(headings)
        self.seen: set[str] = set()

    def props_in(self, text: str) -> list[tuple[int, str]]:
        """(offset, prop) for each prop named in capitals in `text`, in reading order."""
        if not any(ch.islower() for ch in text):
            return []
        found: list[tuple[int, str]] = []
        for run in _CAPS_RUN.finditer(text):
            after = text[run.end() :]
            if _INTRODUCTION.match(after):
                continue
            following = _NEXT_WORD.match(after)
            heard = following is not None and following.group(1).upper() in SOUND_WORDS
            pieces = self._pieces([(run.start() + m.start(), m.group()) for m in re.finditer(r"\S+", run.group(1))])
            for i, piece in enumerate(pieces):
                words = [w for _, w in piece]
                if any(w in SOUND_WORDS for w in words) or (heard and i == len(pieces) - 1):
                    continue
                if all(_POSSESSIVE.sub("", w) in self.skip or w in self.skip for w in words):
                    continue
                found.append((piece[0][0], " ".join(words).lower().replace("\u2019", "'")))
        return found

    def _pieces(self, words: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
        """The run split at character names ("JONAH'S SUITCASE" leaves "SUITCASE")."""
        pieces: list[list[tuple[int, str]]] = [[]]
        i = 0
        while i < len(words):
            for n in range(min(self.longest_name, len(words) - i), 0, -1):
                if _POSSESSIVE.sub("", " ".join(w for _, w in words[i : i + n])) in self.names:
                    pieces.append([])
                    i += n
                    break
            else:
                pieces[-1].append(words[i])
                i += 1
        return [p for p in pieces if p]

    def seed(self, shot: Shot, text: str, mentions: list[tuple[int, str]]) -> None:
        """Logs on `shot` the props `text` introduces; `mentions` are (offset, character id) of the
        characters the line names, all of them in the shot."""
        for offset, prop in self.props_in(text):
            if prop in self.seen:
                continue
            self.seen.add(prop)
            before = [cid for at, cid in mentions if at < offset]
            holder = before[-1] if before else next((cid for at, cid in mentions if at > offset), None)
            if holder is None:
                shot.continuity_changes.append(ContinuityChange(Aspect.PROPS_PRESENT, prop, ChangeOp.ADD))
                continue
            shot.characters = [replace(c, changes=(*c.changes, picks_up(prop, deliberate=True))) if c.character_id == holder else c for c in shot.characters]
