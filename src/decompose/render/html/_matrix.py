"""The service-by-service matrices (uses between services, changesets changing both) as
cells that carry their heat class."""

from __future__ import annotations

import math
from typing import NamedTuple

__all__ = ["Cell", "service_matrix"]


class Cell(NamedTuple):
    value: int
    heat: int  # 0 (none) .. 8 (heaviest), a CSS class
    own: bool  # on the diagonal: uses inside the service


def service_matrix(count: int, links: dict[tuple[int, int], int], inside: dict[int, int]) -> tuple:
    """Rows of cells, service by service: ``links`` off the diagonal, heated on a log scale;
    ``inside`` on it."""
    heaviest = max(links.values(), default=0)

    def heat(value: int) -> int:
        """1 (lightest) to 8 (heaviest) on a log scale; 0 for none."""
        if value <= 0:
            return 0
        return 8 if heaviest <= 1 else 1 + min(7, int(7 * math.log(value) / math.log(heaviest)))

    return tuple(
        tuple(
            Cell(inside.get(row, 0), 0, True)
            if row == column
            else Cell(links.get((row, column), 0), heat(links.get((row, column), 0)), False)
            for column in range(count)
        )
        for row in range(count)
    )
