"""The check every generation request passes before a model runs (draft renders are not moderated).

Refused: sexual content involving minors; a listed public figure named without a cast character
carrying that person's consent; a character whose likeness (reference images) has no valid consent.
Each refusal is logged per shot in the project's cache (moderation.jsonl) and raised as
`ModerationRefused`, whose message names the shot, the reason and the fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pipeline.backends.base import ShotRenderRequest
from pipeline.continuity.prompt import shot_prompt
from pipeline.moderation.rules import ModerationRules
from studio.consent import consent_problem, has_valid_consent, utc_now
from studio.errors import StudioError

LOG_NAME = "moderation.jsonl"  # in the project's cache folder
CONSENT_FIX = "record consent with `studio consent grant` (or import a cameo with its consent clip)"


class ModerationRule(StrEnum):
    MINORS = "sexualised_minors"
    PUBLIC_FIGURE = "public_figure"
    LIKENESS = "likeness_without_consent"


@dataclass(frozen=True)
class Refusal:
    rule: ModerationRule
    reason: str  # names what was found and the fix


class ModerationRefused(StudioError):
    """A generation refused by moderation; the message names the shot, every reason and its fix."""

    def __init__(self, label: str, refusals: list[Refusal]) -> None:
        self.refusals = refusals
        super().__init__(f"{label}: generation refused: " + "; ".join(r.reason for r in refusals))


def moderate(request: ShotRenderRequest, rules: ModerationRules) -> list[Refusal]:
    """Every rule the request breaks, empty when it may be generated."""
    text = shot_prompt(request)
    refusals: list[Refusal] = []
    minors, sexual = rules.minors_in(text), rules.sexual_in(text)
    if minors and sexual:
        refusals.append(
            Refusal(
                ModerationRule.MINORS,
                f"the prompt describes sexual content involving a minor ({', '.join(sexual)} with {', '.join(minors)}); this is never generated",
            )
        )
    consented = {" ".join(c.likeness_consent.person.split()).casefold() for c in request.characters if c.likeness_consent is not None and has_valid_consent(c, request.project_id)}
    for figure in rules.figures_in(text):
        if " ".join(figure.split()).casefold() not in consented:
            refusals.append(
                Refusal(
                    ModerationRule.PUBLIC_FIGURE,
                    f"the prompt names the public figure {figure} without a consented likeness; remove the name, or cast a character "
                    f"carrying {figure}'s own recorded consent",
                )
            )
    for character in request.characters:
        problem = consent_problem(character, request.project_id)
        if problem is not None:
            refusals.append(Refusal(ModerationRule.LIKENESS, f"{problem}; {CONSENT_FIX} for {character.name}, or remove their reference images"))
    return refusals


def log_refusal(cache_dir: Path, request: ShotRenderRequest, backend: str, refusals: list[Refusal]) -> Path:
    """Appends one JSON line per refusal to the project's moderation log; returns the log's path."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / LOG_NAME
    when = utc_now()
    with open(path, "a", encoding="utf-8") as log:
        for refusal in refusals:
            entry = {
                "time": when,
                "shot_id": request.shot.id,
                "shot": request.shot.number,
                "backend": backend,
                "rule": refusal.rule.value,
                "reason": refusal.reason,
            }
            log.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return path


def check_generation(request: ShotRenderRequest, backend: str, cache_dir: Path, rules: ModerationRules | None = None) -> None:
    """Raises ModerationRefused (after logging it) when the request may not be generated."""
    refusals = moderate(request, rules or ModerationRules.load())
    if refusals:
        log_refusal(cache_dir, request, backend, refusals)
        raise ModerationRefused(request.label, refusals)
