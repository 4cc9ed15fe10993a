"""Offline moderation and likeness consent checks run before any generation (never for draft renders)."""

from pipeline.moderation.check import ModerationRefused, ModerationRule, Refusal, check_generation, moderate
from pipeline.moderation.rules import ModerationRules

__all__ = ["ModerationRefused", "ModerationRule", "ModerationRules", "Refusal", "check_generation", "moderate"]
