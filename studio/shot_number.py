"""Shot numbers as productions write them: 12, then 12A, 12B for shots added later between 12 and 13.

Numbers order by their integer part, then by their letters ('' < 'A' < 'AA' < 'B'), so a shot
inserted after 12 and before 13 becomes 12A, and one between 12A and 12B becomes 12AA.
"""

from __future__ import annotations

import re

_PATTERN = re.compile(r"^(\d+)([A-Z]*)$")


def is_valid_number(number: str) -> bool:
    return bool(_PATTERN.match(number))


def number_key(number: str) -> tuple[int, str]:
    match = _PATTERN.match(number)
    if not match:
        return (10**9, number)
    return int(match.group(1)), match.group(2)


def _next_letters(letters: str) -> str:
    """The next suffix after `letters` at the same length: A->B, Z->ZA (never wraps below)."""
    if not letters:
        return "A"
    if letters[-1] != "Z":
        return letters[:-1] + chr(ord(letters[-1]) + 1)
    return letters + "A"


def number_between(before: str | None, after: str | None, taken: frozenset[str] | set[str] = frozenset()) -> str:
    """A number for a shot inserted between the shots numbered `before` and `after` (None at an end)."""
    if before is None:
        candidate = str(max(number_key(after)[0] - 1, 0)) if after is not None else "1"
        return _first_free(candidate, taken)
    base, letters = number_key(before)
    if after is None or number_key(after)[0] > base + 1:
        candidate = str(base + 1)
    else:
        candidate = f"{base}{_next_letters(letters)}"
        if number_key(candidate) >= number_key(after):
            candidate = f"{base}{letters}A"
    return _first_free(candidate, taken)


def _first_free(candidate: str, taken: set[str]) -> str:
    while candidate in taken:
        candidate = candidate + "A"
    return candidate


def consecutive_numbers(count: int, start: int = 1) -> list[str]:
    return [str(n) for n in range(start, start + count)]
