"""Shot selections as users type them: '3,5-7,12A' (ranges run in timeline order)."""

from __future__ import annotations

from studio.errors import StudioError
from studio.project import Project


def select_shots(project: Project, text: str) -> list[str]:
    """Ids of the selected shots, in timeline order."""
    order = [(s.number, s.id) for s in project.shots()]
    position = {number: i for i, (number, _) in enumerate(order)}
    chosen: set[int] = set()
    for part in (p.strip().upper() for p in text.split(",")):
        if not part:
            continue
        first, dash, last = part.partition("-")
        for number in (first, last) if dash else (first,):
            if number not in position:
                known = ", ".join(n for n, _ in order[:12]) + (" ..." if len(order) > 12 else "")
                raise StudioError(f"no shot numbered {number} (shots are {known})")
        lo, hi = position[first], position[last if dash else first]
        if lo > hi:
            raise StudioError(f"shot range {part} runs backwards; write {last}-{first}")
        chosen.update(range(lo, hi + 1))
    if not chosen:
        raise StudioError(f"no shots selected by {text!r}")
    return [order[i][1] for i in sorted(chosen)]
