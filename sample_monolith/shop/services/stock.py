"""Stock levels and reservations.

Stock is reserved when an order is placed and committed (decremented from
``on_hand``) when the shipment leaves the warehouse.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, Sum

from shop.services import order_service
from ..models.catalog import ProductVariant
from ..models.core import Order
from ..models.inventory import MovementKind, StockItem, StockMovement, StockReservation, Warehouse
from ..utils import NotFound, events, get_logger
from ..utils.dates import now
from ..utils.db import lock, raw_query
from ..utils.decorators import timed, transactional
from ..utils.logging import log_event
from . import warehouse as warehouse_service

logger = get_logger(__name__)

LOW_STOCK_SQL = """
    SELECT v.sku, w.code AS warehouse, s.on_hand, s.reserved, s.reorder_point
    FROM inventory_stockitem s
    JOIN catalog_productvariant v ON v.id = s.variant_id
    JOIN inventory_warehouse w ON w.id = s.warehouse_id
    WHERE s.on_hand - s.reserved <= s.reorder_point AND w.is_active
    ORDER BY (s.on_hand - s.reserved) ASC
"""


def available_quantity(variant: ProductVariant, warehouse_code: str | None = None) -> int:
    qs = StockItem.objects.filter(variant=variant, warehouse__is_active=True)
    if warehouse_code:
        qs = qs.filter(warehouse__code=warehouse_code)
    totals = qs.aggregate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
    return max(0, (totals["on_hand"] or 0) - (totals["reserved"] or 0))


def is_in_stock(variant: ProductVariant, quantity: int = 1) -> bool:
    return available_quantity(variant) >= quantity


@timed
@transactional
def reserve_for_order(order: Order) -> bool:
    """Reserve every line of ``order``.  Returns False if the order had to be
    back-ordered because something was short."""
    expires = now() + dt.timedelta(minutes=settings.STOCK_RESERVATION_TTL_MINUTES)
    country = order.shipping_address.country if order.shipping_address else settings.DEFAULT_COUNTRY
    short: list[str] = []
    for line in order.lines.select_related("variant"):
        remaining = line.quantity
        for item in warehouse_service.candidate_stock(line.variant, country):
            item = lock(StockItem.objects.filter(pk=item.pk)).get()
            take = min(item.available, remaining)
            if take <= 0:
                continue
            StockReservation.objects.create(stock_item=item, order=order, quantity=take, expires_at=expires)
            item.reserved = F("reserved") + take
            item.save(update_fields=["reserved", "updated_at"])
            remaining -= take
            if remaining == 0:
                break
        if remaining:
            short.append(line.sku)
    if short:
        order_service.mark_backordered(order, short)
        return False
    log_event(logger, "stock.reserved", order=order.number)
    return True


@transactional
def release_for_order(order: Order) -> int:
    released = 0
    for reservation in StockReservation.objects.filter(order=order, committed=False).select_related("stock_item"):
        StockItem.objects.filter(pk=reservation.stock_item_id).update(reserved=F("reserved") - reservation.quantity)
        released += reservation.quantity
        reservation.delete()
    return released


@transactional
def commit_reservation(order: Order, warehouse_code: str) -> None:
    """Goods have physically left ``warehouse_code`` for this order."""
    reservations = StockReservation.objects.filter(
        order=order, committed=False, stock_item__warehouse__code=warehouse_code
    ).select_related("stock_item__variant")
    for reservation in reservations:
        item = reservation.stock_item
        StockItem.objects.filter(pk=item.pk).update(
            on_hand=F("on_hand") - reservation.quantity, reserved=F("reserved") - reservation.quantity
        )
        StockMovement.objects.create(
            stock_item=item, kind=MovementKind.SHIPMENT, quantity=-reservation.quantity, reference=order.number
        )
        reservation.committed = True
        reservation.save(update_fields=["committed", "updated_at"])
        _check_low_stock(item)


def extend_reservations(order: Order, minutes: int = 30) -> None:
    StockReservation.objects.filter(order=order, committed=False).update(
        expires_at=now() + dt.timedelta(minutes=minutes)
    )


def expire_reservations() -> list[str]:
    """Release reservations past their TTL; returns affected order numbers."""
    expired_orders = (
        Order.objects.filter(reservations__committed=False, reservations__expires_at__lt=now())
        .distinct()
    )
    numbers = []
    for order in expired_orders:
        if order_service.is_awaiting_payment(order):
            release_for_order(order)
            numbers.append(order.number)
    return numbers


@transactional
def adjust_stock(sku: str, warehouse_code: str, delta: int, kind: str = MovementKind.ADJUSTMENT,
                 reference: str = "", note: str = "") -> StockItem:
    try:
        item = lock(StockItem.objects.filter(variant__sku=sku, warehouse__code=warehouse_code)).get()
    except StockItem.DoesNotExist:
        variant = ProductVariant.objects.filter(sku=sku).first()
        warehouse = Warehouse.objects.filter(code=warehouse_code).first()
        if variant is None or warehouse is None:
            raise NotFound("Unknown SKU or warehouse.", sku=sku, warehouse=warehouse_code)
        item = StockItem.objects.create(variant=variant, warehouse=warehouse)
    item.on_hand += delta
    item.save(update_fields=["on_hand", "updated_at"])
    StockMovement.objects.create(stock_item=item, kind=kind, quantity=delta, reference=reference, note=note)
    _check_low_stock(item)
    return item


def _check_low_stock(item: StockItem) -> None:
    item.refresh_from_db(fields=["on_hand", "reserved"])
    if item.available <= item.reorder_point:
        events.publish(events.STOCK_LOW, sku=item.variant.sku, available=item.available)


def low_stock_report() -> list[dict]:
    return raw_query(LOW_STOCK_SQL)
