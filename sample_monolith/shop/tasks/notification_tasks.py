"""Async notification sending (runs on the ``mail`` queue)."""
from __future__ import annotations

from celery import shared_task

from ..models.core import Order
from ..utils.dates import format_date
from ..utils.logging import get_logger

logger = get_logger(__name__)


def _order_context(order: Order) -> dict:
    return {
        "order_number": order.number,
        "placed": format_date(order.placed_at) if order.placed_at else "",
        "total": order.total.format(),
        "lines": [
            {"description": l.description, "quantity": l.quantity, "price": str(l.unit_price)}
            for l in order.lines.all()
        ],
        "shipping_address": order.shipping_address.one_line() if order.shipping_address else "",
    }


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def send_order_confirmation(self, order_id: int) -> None:
    # Imported here: email_service pulls in the mailer SDK, which we don't
    # want to load in every process that merely enqueues this task.
    from shop.services.email_service import send_templated

    order = Order.objects.select_related("customer", "shipping_address").get(pk=order_id)
    try:
        send_templated("order.confirmation", order.customer.email, _order_context(order),
                       related=f"order:{order.number}")
    except Exception as exc:
        raise self.retry(exc=exc)


@shared_task
def send_notification(customer_id: int, key: str, context: dict | None = None) -> list[str]:
    from shop.models.core import Customer
    from shop.services.notification_dispatcher import notify

    return notify(Customer.objects.get(pk=customer_id), key, context or {})


@shared_task
def send_abandoned_cart_reminders(hours: int = 24) -> int:
    from shop.models.orders import Cart
    from shop.services import email_service
    from shop.utils.dates import now
    import datetime as dt

    window_end = now() - dt.timedelta(hours=hours)
    carts = Cart.objects.filter(
        checked_out=False, customer__isnull=False, customer__marketing_opt_in=True,
        updated_at__lt=window_end, updated_at__gte=window_end - dt.timedelta(hours=1),
    ).select_related("customer")
    sent = 0
    for cart in carts:
        email_service.send_templated("cart.abandoned", cart.customer.email, {"items": cart.item_count})
        sent += 1
    return sent
