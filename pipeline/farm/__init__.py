"""Rendering the shot queue on a Ray cluster (`studio render --farm`): the same jobs, takes and
messages as the local worker, with independent shots rendered side by side on many machines.

Ray is an optional dependency (`pip install storyboard-studio[farm]`): it is imported only when a
farm runner starts, never by the rest of the app.
"""

from pipeline.farm.address import FarmAddress, parse_farm_address
from pipeline.farm.runner import RayRunner

__all__ = ["FarmAddress", "RayRunner", "parse_farm_address"]
