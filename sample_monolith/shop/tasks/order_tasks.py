"""Periodic and async order jobs."""
from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from ..models.core import Order, OrderStatus
from ..services import invoices, order_service
from ..services.email_service import send_email
from ..utils.dates import today
from ..utils.logging import get_logger, log_event

logger = get_logger(__name__)


@shared_task
def cancel_unpaid_orders() -> int:
    cancelled = 0
    for order in order_service.stale_unpaid_orders(settings.UNPAID_ORDER_TIMEOUT_MINUTES):
        order_service.cancel_order(order, reason="payment not received", by="system")
        cancelled += 1
    if cancelled:
        log_event(logger, "orders.unpaid_cancelled", count=cancelled)
    return cancelled


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def confirm_reviewed_order(self, order_id: int) -> None:
    """Called when a fraud analyst approves an order held for review."""
    order = Order.objects.get(pk=order_id)
    try:
        order_service.confirm_order(order)
    except Exception as exc:
        raise self.retry(exc=exc)


@shared_task
def generate_missing_invoices(days: int = 3) -> int:
    since = today() - dt.timedelta(days=days)
    count = 0
    for order in Order.objects.filter(
        status__in=[OrderStatus.SHIPPED, OrderStatus.DELIVERED], invoice__isnull=True, placed_at__date__gte=since
    ):
        invoices.generate_invoice(order)
        count += 1
    return count


@shared_task
def daily_sales_report() -> None:
    yesterday = today() - dt.timedelta(days=1)
    rows = order_service.daily_sales(yesterday)
    lines = [
        f"{r['currency']}: {r['orders']} orders, revenue {r['revenue']}, AOV {r['average_order_value']:.2f}"
        for r in rows
    ] or ["No orders."]
    send_email("trading@shop.example", f"Sales report {yesterday:%d %b %Y}", "\n".join(lines),
               template_key="internal.sales_report")
