"""Screenplays written by code, for size and speed tests: a feature-length script from repeated scenes.

Pages are counted the way a screenplay is laid out in Courier 12 pt: 55 lines a page, action 60
characters wide, dialogue 35, a blank line after every element.
"""

from __future__ import annotations

import textwrap

LINES_PER_PAGE = 55
PLACES = [
    ("INT.", "ROSIE'S DINER"),
    ("EXT.", "MAIN STREET"),
    ("INT.", "BUS DEPOT - WAITING ROOM"),
    ("EXT.", "HIGHWAY"),
    ("INT.", "MOTEL ROOM"),
    ("INT.", "POLICE STATION"),
    ("EXT.", "GAS STATION"),
    ("INT.", "MAYA'S APARTMENT"),
    ("EXT.", "RIVERBANK"),
    ("INT.", "CAR"),
]
TIMES = ["NIGHT", "DAY", "CONTINUOUS", "MORNING", "DUSK", "LATER"]
CAST = ["MAYA", "JONAH", "OLD TOM", "SHERIFF DALE", "RUTH", "THE DRIVER", "KID", "MARLA", "VICTOR", "NURSE ANN", "PREACHER", "LUCY"]
ACTION = [
    "Rain streaks the windows. A neon sign hums and flickers, throwing pink light across the wet floor.",
    "{a} crosses to the window and looks out at the empty road for a long moment.",
    "A truck roars past outside. The glasses on the shelf rattle, and {b} steadies them with one hand.",
    "{a} sits down heavily, pulls a crumpled bus ticket from a pocket and smooths it flat on the table.",
]
LINES = [
    "You came back.",
    "I said I would. I just never said when.",
    "Nobody waits that long for anybody, not in this town.",
    "Then why is the light still on?",
    "Because somebody has to keep it on. That's the whole job, every single night.",
    "Coffee?",
    "(quietly)",
    "Last bus left an hour ago. The next one doesn't come until six, and it never comes on time.",
]


class _Page:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.lines = 0

    def add(self, text: str, width: int) -> None:
        self.parts.append(text + "\n")
        self.lines += sum(len(textwrap.wrap(line, width)) or 1 for line in text.split("\n")) + 1


def feature_script(min_pages: int = 110) -> tuple[str, int, int]:
    """(Fountain text, estimated pages, scene count) for a script of at least `min_pages` pages."""
    page = _Page()
    page.add("Title: The Long Night\nAuthor: Script Samples", 60)
    scene = 0
    while page.lines < min_pages * LINES_PER_PAGE:
        prefix, place = PLACES[scene % len(PLACES)]
        time = TIMES[scene % len(TIMES)] if scene else "NIGHT"
        page.add(f"{prefix} {place} - {time}", 60)
        size = 2 + scene % 3  # two, three and four people in turn
        people = [CAST[(scene + k) % len(CAST)] for k in range(size)]
        page.add(ACTION[scene % len(ACTION)].format(a=people[0].title(), b=people[1].title()), 60)
        for beat in range(14):
            speaker = people[beat % size]
            line = LINES[(scene + beat) % len(LINES)]
            if line.startswith("("):
                page.add(f"{speaker}\n{line}\nFine.", 35)
            else:
                page.add(f"{speaker}\n{line}", 35)
            if beat % 5 == 4:
                page.add(ACTION[(scene + beat) % len(ACTION)].format(a=speaker.title(), b=people[0].title()), 60)
        page.add("CUT TO:" if scene % 4 else "DISSOLVE TO:", 60)
        scene += 1
    return "\n".join(page.parts), page.lines // LINES_PER_PAGE, scene
