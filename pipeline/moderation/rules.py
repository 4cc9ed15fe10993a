"""The moderation rules, read from plain-text files the user can review and extend.

resources/moderation/ holds one file per term list (one term per line, `#` comments): minors.txt
and sexual.txt (a prompt holding a term from each is refused), public_figures.txt (a listed name
is refused unless a cast character carries that person's own consent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from studio.errors import StudioError

RULES_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "moderation"


class ModerationRulesError(StudioError):
    """A rules folder or file that cannot be read."""


def read_terms(path: Path) -> tuple[str, ...]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ModerationRulesError(f"moderation rules {path}: cannot be read ({exc.strerror or exc}); restore the file from the app's resources") from None
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, term.split())) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class ModerationRules:
    minor_terms: tuple[str, ...]
    sexual_terms: tuple[str, ...]
    public_figures: tuple[str, ...]

    @classmethod
    def load(cls, folder: Path = RULES_DIR) -> ModerationRules:
        return cls(read_terms(folder / "minors.txt"), read_terms(folder / "sexual.txt"), read_terms(folder / "public_figures.txt"))

    def minors_in(self, text: str) -> list[str]:
        return _found(_pattern(self.minor_terms), text)

    def sexual_in(self, text: str) -> list[str]:
        return _found(_pattern(self.sexual_terms), text)

    def figures_in(self, text: str) -> list[str]:
        """The listed public figures named in `text`, as the list spells them."""
        found = {_normal(match) for match in _found(_pattern(self.public_figures), text)}
        return [name for name in self.public_figures if _normal(name) in found]


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def _found(pattern: re.Pattern[str] | None, text: str) -> list[str]:
    return [] if pattern is None else list(dict.fromkeys(m.group(0) for m in pattern.finditer(text)))
