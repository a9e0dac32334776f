"""Inventory background jobs."""
from __future__ import annotations

from celery import shared_task

from ..integrations.supplier_api import SupplierApiClient
from ..models.inventory import Supplier
from ..services import replenishment, stock
from ..services import email_service
from ..utils.logging import get_logger, log_event

logger = get_logger(__name__)


@shared_task
def expire_reservations() -> int:
    released = stock.expire_reservations()
    if released:
        log_event(logger, "stock.reservations_expired", orders=released)
    return len(released)


@shared_task
def run_replenishment() -> list[str]:
    return [po.reference for po in replenishment.create_purchase_orders()]


@shared_task
def chase_overdue_purchase_orders() -> int:
    overdue = replenishment.overdue_purchase_orders()
    if overdue:
        body = "\n".join(f"{po.reference} ({po.supplier.name}) due {po.expected_on}" for po in overdue)
        email_service.send_email("buying@shop.example", f"{len(overdue)} overdue purchase orders", body)
    return len(overdue)


@shared_task
def sync_supplier_stock(supplier_code: str) -> int:
    """Log supplier-side availability so buyers can see lead-time risk."""
    supplier = Supplier.objects.get(code=supplier_code)
    items = SupplierApiClient().stock_feed(supplier.code)
    out_of_stock = [i["sku"] for i in items if i.get("available", 0) == 0]
    if out_of_stock:
        logger.warning("%s out of stock at supplier %s", len(out_of_stock), supplier.code)
    return len(items)
