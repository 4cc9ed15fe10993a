"""Small text rules shared by the readers: emphasis, whitespace, and how names and lines compare."""

from __future__ import annotations

import re

_ESCAPES = {"\\*": "\x01", "\\_": "\x02"}
# The text between marks holds none of the mark's own character, so each pass is linear in the text;
# a few passes undo nesting such as **bold *italic* bold**.
_EMPHASIS = (
    re.compile(r"\*{3}(?=[^\s*])([^*]+?)(?<=\S)\*{3}"),
    re.compile(r"\*{2}(?=[^\s*])([^*]+?)(?<=\S)\*{2}"),
    re.compile(r"\*(?=[^\s*])([^*]+?)(?<=\S)\*"),
    re.compile(r"(?<![A-Za-z0-9_])_(?=[^\s_])([^_]+?)(?<=\S)_(?![A-Za-z0-9_])"),
)
_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_WORD = re.compile(r"[\w']+")


def strip_emphasis(text: str) -> str:
    """Fountain's *italic*, **bold**, ***bold italic*** and _underline_ marks removed; \\* and \\_ kept as * and _."""
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    for _ in range(4):
        before = text
        for pattern in _EMPHASIS:
            text = pattern.sub(r"\1", text)
        if text == before:
            break
    return text.replace("\x01", "*").replace("\x02", "_")


def squash(text: str) -> str:
    """One line, single spaces: how text reads in a shot description or a subtitle."""
    return _SPACES.sub(" ", text).strip()


def clean(text: str) -> str:
    return squash(strip_emphasis(text))


def character_key(name: str) -> str:
    """How two spellings of one character compare: 'Maya', 'MAYA ' and 'maya' are one person."""
    return squash(name.translate(_QUOTES)).upper()


def content_key(text: str) -> str:
    """How two versions of a line compare when matching shots: case, spacing and curly quotes ignored."""
    return squash(text.translate(_QUOTES)).casefold()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def capwords(text: str) -> str:
    """'ROSIE'S DINER - KITCHEN' -> "Rosie's Diner - Kitchen" (str.title would write Rosie'S)."""
    return " ".join(word[:1].upper() + word[1:].lower() for word in squash(text).split(" "))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"
