"""A tiny in-process domain event bus.

Handlers register with ``@subscribe("order.placed")`` and are called
synchronously by ``publish``.  Handlers must not raise; errors are logged.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable

from .logging import get_logger

logger = get_logger(__name__)

_handlers: dict[str, list[Callable]] = defaultdict(list)
_frozen = False

ORDER_PLACED = "order.placed"
ORDER_CANCELLED = "order.cancelled"
PAYMENT_CAPTURED = "payment.captured"
PAYMENT_REFUNDED = "payment.refunded"
SHIPMENT_DISPATCHED = "shipment.dispatched"
SHIPMENT_DELIVERED = "shipment.delivered"
STOCK_LOW = "stock.low"


def subscribe(event_name: str):
    def decorator(func: Callable) -> Callable:
        if _frozen:
            raise RuntimeError("event bus is frozen; subscribe at import time")
        _handlers[event_name].append(func)
        return func

    return decorator


def publish(event_name: str, **payload) -> int:
    delivered = 0
    for handler in list(_handlers.get(event_name, ())):
        try:
            handler(**payload)
            delivered += 1
        except Exception:
            logger.exception("event handler %s failed for %s", handler.__name__, event_name)
    return delivered


def freeze() -> None:
    global _frozen
    _frozen = True
