"""Warehouse selection and inter-warehouse transfers."""
from __future__ import annotations

from django.conf import settings
from django.db.models import F

from ..models.catalog import ProductVariant
from ..models.inventory import MovementKind, StockItem, StockMovement, Warehouse
from ..utils import NotFound, ValidationError, get_logger
from ..utils.cache import cached
from ..utils.db import lock
from ..utils.decorators import transactional
from ..utils.logging import log_event

logger = get_logger(__name__)


@cached("warehouses", ttl=900)
def active_warehouses() -> list[Warehouse]:
    return list(Warehouse.objects.filter(is_active=True).order_by("priority"))


def get_warehouse(code: str) -> Warehouse:
    try:
        return Warehouse.objects.get(code=code)
    except Warehouse.DoesNotExist:
        raise NotFound("Unknown warehouse.", code=code)


def serves(warehouse: Warehouse, country: str) -> bool:
    return not warehouse.ships_to or country in warehouse.ships_to


def candidate_stock(variant: ProductVariant, country: str) -> list[StockItem]:
    """Stock rows that could fulfil ``variant`` for ``country``, best first.

    Preference: warehouses in the destination country, then by priority,
    then by most available stock (fewer split shipments)."""
    items = [
        item for item in StockItem.objects.filter(variant=variant, warehouse__is_active=True).select_related("warehouse")
        if serves(item.warehouse, country) and item.available > 0
    ]
    items.sort(key=lambda i: (i.warehouse.country != country, i.warehouse.priority, -i.available))
    return items


def choose_warehouse(country: str, lines: list[tuple[ProductVariant, int]]) -> Warehouse:
    """Single warehouse able to ship everything, or the default one."""
    for warehouse in active_warehouses():
        if not serves(warehouse, country):
            continue
        stock = {
            s.variant_id: s.available
            for s in StockItem.objects.filter(warehouse=warehouse, variant__in=[v for v, _ in lines])
        }
        if all(stock.get(variant.pk, 0) >= qty for variant, qty in lines):
            return warehouse
    return get_warehouse(settings.WAREHOUSE_DEFAULT_CODE)


@transactional
def transfer_stock(sku: str, from_code: str, to_code: str, quantity: int) -> None:
    if quantity <= 0:
        raise ValidationError("Transfer quantity must be positive.")
    source = lock(StockItem.objects.filter(variant__sku=sku, warehouse__code=from_code)).first()
    if source is None or source.available < quantity:
        raise ValidationError("Not enough available stock to transfer.", sku=sku)
    target, _ = StockItem.objects.get_or_create(variant=source.variant, warehouse=get_warehouse(to_code))
    StockItem.objects.filter(pk=source.pk).update(on_hand=F("on_hand") - quantity)
    StockItem.objects.filter(pk=target.pk).update(on_hand=F("on_hand") + quantity)
    reference = f"TRF-{from_code}-{to_code}"
    StockMovement.objects.create(stock_item=source, kind=MovementKind.TRANSFER, quantity=-quantity, reference=reference)
    StockMovement.objects.create(stock_item=target, kind=MovementKind.TRANSFER, quantity=quantity, reference=reference)
    log_event(logger, "stock.transferred", sku=sku, source=from_code, target=to_code, quantity=quantity)


def stock_snapshot(code: str) -> list[dict]:
    warehouse = get_warehouse(code)
    return [
        {"sku": s.variant.sku, "on_hand": s.on_hand, "reserved": s.reserved,
         "available": s.available, "bin": s.bin_location}
        for s in StockItem.objects.filter(warehouse=warehouse).select_related("variant").order_by("variant__sku")
    ]
