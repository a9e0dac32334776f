"""Automatic replenishment: reorder points and purchase orders to suppliers."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import F

from ..integrations.supplier_api import SupplierApiClient
from ..models.inventory import MovementKind, PurchaseOrder, PurchaseOrderLine, StockItem, Supplier
from ..utils import ValidationError, get_logger
from ..utils.dates import add_business_days, today
from ..utils.decorators import transactional
from ..utils.logging import log_event
from ..utils.text import random_code
from . import stock

logger = get_logger(__name__)


def reorder_candidates() -> list[StockItem]:
    return list(
        StockItem.objects.filter(warehouse__is_active=True, on_hand__lte=F("reserved") + F("reorder_point"))
        .select_related("variant", "warehouse")
    )


def suggested_quantity(item: StockItem) -> int:
    shortfall = item.reserved + item.reorder_point - item.on_hand
    return max(item.reorder_quantity, shortfall + item.reorder_quantity)


def _preferred_supplier(client: SupplierApiClient, sku: str) -> Supplier | None:
    code = client.preferred_supplier(sku)
    return Supplier.objects.filter(code=code).first() if code else None


@transactional
def create_purchase_orders() -> list[PurchaseOrder]:
    client = SupplierApiClient()
    grouped: dict[tuple[int, int], list[StockItem]] = defaultdict(list)
    for item in reorder_candidates():
        supplier = _preferred_supplier(client, item.variant.sku)
        if supplier is None:
            logger.warning("no supplier for %s", item.variant.sku)
            continue
        grouped[(supplier.pk, item.warehouse_id)].append(item)

    orders = []
    for (supplier_id, warehouse_id), items in grouped.items():
        supplier = Supplier.objects.get(pk=supplier_id)
        po = PurchaseOrder.objects.create(
            supplier=supplier, warehouse_id=warehouse_id, reference=f"PO-{random_code(8)}",
            expected_on=add_business_days(today(), supplier.lead_time_days),
        )
        for item in items:
            PurchaseOrderLine.objects.create(purchase_order=po, variant=item.variant, quantity=suggested_quantity(item))
        if supplier.edi_enabled:
            client.submit_purchase_order(po)
            po.status = "sent"
            po.save(update_fields=["status", "updated_at"])
        orders.append(po)
        log_event(logger, "replenishment.po_created", po=po.reference, lines=len(items))
    return orders


@transactional
def receive_purchase_order(reference: str, received: dict[str, int]) -> PurchaseOrder:
    po = PurchaseOrder.objects.select_related("warehouse").get(reference=reference)
    if po.status == "received":
        raise ValidationError("Purchase order already received.")
    for line in po.lines.select_related("variant"):
        qty = received.get(line.variant.sku, 0)
        if qty <= 0:
            continue
        stock.adjust_stock(line.variant.sku, po.warehouse.code, qty, kind=MovementKind.RECEIPT, reference=po.reference)
        line.quantity_received += qty
        line.save(update_fields=["quantity_received"])
    if all(l.quantity_received >= l.quantity for l in po.lines.all()):
        po.status = "received"
        po.save(update_fields=["status", "updated_at"])
    return po


def overdue_purchase_orders(grace_days: int = 2) -> list[PurchaseOrder]:
    cutoff = today() - dt.timedelta(days=grace_days)
    return list(PurchaseOrder.objects.filter(status="sent", expected_on__lt=cutoff))
