"""Upgrades of older stored object versions, registered with `studio.schema.upgrader`.

Every document class is at version 1: there is nothing to upgrade yet. When a class's stored form
changes, bump its version in studio/document_types.py and add the step here, for example:

    @upgrader("Shot", from_version=1)
    def _shot_lens_to_mm(data: dict) -> dict:
        data["lens_mm"] = data.pop("lens")
        return data
"""

from studio.schema import upgrader  # noqa: F401
