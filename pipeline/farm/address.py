"""Where the farm is: an embedded Ray started on this machine, or a running cluster's Ray Client address."""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.errors import StudioError

LOCAL = "local-ray"
_CLIENT = re.compile(r"^ray://(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(?P<port>\d{1,5})$")


@dataclass(frozen=True)
class FarmAddress:
    client_url: str | None  # "ray://HOST:PORT"; None: an embedded Ray on this machine

    @property
    def embedded(self) -> bool:
        return self.client_url is None

    def __str__(self) -> str:
        return self.client_url or LOCAL


def parse_farm_address(text: str) -> FarmAddress:
    value = text.strip()
    if value == LOCAL:
        return FarmAddress(None)
    match = _CLIENT.match(value)
    if match is None or not 0 < int(match["port"]) < 65536:
        raise StudioError(
            f"farm address {text!r} is not understood; give ray://HOST:PORT (the cluster head's Ray Client port, 10001 by default) "
            f"or {LOCAL} for a Ray started on this machine"
        )
    return FarmAddress(value)
