"""Shared helpers used across the whole shop ("the utils kernel").

The most common helpers are re-exported here so callers can write
``from shop.utils import Money, get_logger, now``.
"""
from .dates import now, today
from .exceptions import ShopError, NotFound, ValidationError
from .logging import get_logger
from .money import Money, ZERO

__all__ = [
    "Money",
    "ZERO",
    "now",
    "today",
    "get_logger",
    "ShopError",
    "NotFound",
    "ValidationError",
]
