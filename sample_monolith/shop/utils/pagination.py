"""Simple offset pagination for list endpoints."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

MAX_PER_PAGE = 100


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def to_dict(self, serialize: Callable[[Any], dict]) -> dict:
        return {
            "results": [serialize(item) for item in self.items],
            "page": self.page,
            "pages": self.pages,
            "total": self.total,
            **self.extra,
        }


def paginate(queryset, page: int | str = 1, per_page: int | str = 20) -> Page:
    try:
        page, per_page = max(1, int(page)), min(MAX_PER_PAGE, max(1, int(per_page)))
    except (TypeError, ValueError):
        page, per_page = 1, 20
    total = queryset.count()
    offset = (page - 1) * per_page
    return Page(items=list(queryset[offset:offset + per_page]), page=page, per_page=per_page, total=total)
