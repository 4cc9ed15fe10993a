"""Upgrades of older stored object versions, registered with `studio.schema.upgrader`.

When a class's stored form changes, bump its version in studio/document_types.py and add the step
here. Each step takes the raw dict of one version and returns the next version's dict.
"""

from studio.schema import upgrader


@upgrader("Shot", from_version=1)
def _shot_gains_continuity_ledger(data: dict) -> dict:
    """Shot.2 adds the continuity ledger; a version-1 shot logged nothing and accepted nothing."""
    data.setdefault("continuity_changes", [])
    data.setdefault("accepted_breaks", [])
    return data


@upgrader("CharacterInShot", from_version=1)
def _cast_gains_continuity_changes(data: dict) -> dict:
    """CharacterInShot.2 adds the cast member's continuity changes; version 1 had none."""
    data.setdefault("changes", [])
    return data
