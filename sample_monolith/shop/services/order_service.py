"""Order lifecycle: creation from a cart, confirmation, cancellation,
shipping/delivery status and reporting."""
from __future__ import annotations

import datetime as dt

from shop.services import stock
from shop.services.payment_gateway import _capture_charge, _GatewaySession
from ..models.core import Address, Customer, Order, OrderLine, OrderNote, OrderStatus, Payment, PaymentStatus
from ..models.orders import Cart, OrderStatusHistory
from ..utils import Money, NotFound, get_logger
from ..utils import events
from ..utils.dates import now, start_of_day
from ..utils.db import lock, raw_query, raw_scalar
from ..utils.decorators import timed, transactional
from ..utils.exceptions import Conflict, PermissionDenied
from ..utils.logging import log_event
from . import discounts, loyalty, notification_dispatcher, refunds

logger = get_logger(__name__)

ALLOWED_TRANSITIONS = {
    OrderStatus.PENDING: {OrderStatus.PLACED, OrderStatus.CANCELLED},
    OrderStatus.PLACED: {OrderStatus.CONFIRMED, OrderStatus.BACKORDERED, OrderStatus.CANCELLED},
    OrderStatus.BACKORDERED: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED, OrderStatus.REFUNDED},
    OrderStatus.DELIVERED: {OrderStatus.REFUNDED},
}

DAILY_SALES_SQL = """
    SELECT o.currency,
           count(*)                AS orders,
           sum(o.grand_total)      AS revenue,
           sum(o.discount_total)   AS discounts,
           sum(o.tax_total)        AS tax,
           avg(o.grand_total)      AS average_order_value
    FROM orders_order o
    WHERE o.placed_at >= %s AND o.placed_at < %s
      AND o.status NOT IN ('cancelled', 'pending')
    GROUP BY o.currency
"""


def next_order_number() -> str:
    seq = raw_scalar("SELECT nextval('orders_order_number_seq')")
    return f"SH-{seq:07d}"


def get_order(number: str, customer: Customer | None = None) -> Order:
    try:
        order = Order.objects.select_related("customer", "shipping_address").get(number=number)
    except Order.DoesNotExist:
        raise NotFound("Order not found.", number=number)
    if customer is not None and order.customer_id != customer.pk:
        raise PermissionDenied("This is not your order.")
    return order


def transition(order: Order, to_status: str, reason: str = "") -> Order:
    allowed = ALLOWED_TRANSITIONS.get(order.status, set())
    if to_status not in allowed:
        raise Conflict(f"Order {order.number} cannot go from {order.status} to {to_status}.")
    OrderStatusHistory.objects.create(order=order, from_status=order.status, to_status=to_status, reason=reason)
    order.status = to_status
    order.save(update_fields=["status", "updated_at"])
    return order


def is_awaiting_payment(order: Order) -> bool:
    return order.status in (OrderStatus.PENDING, OrderStatus.PLACED) and not order.payments.filter(
        status__in=[PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED]
    ).exists()


@timed
@transactional
def create_order_from_cart(cart: Cart, customer: Customer, totals, shipping_address: Address,
                           billing_address: Address, shipping_method_code: str,
                           ip_address: str | None = None) -> Order:
    """Turn a cart into a PLACED order and reserve its stock."""
    order = Order.objects.create(
        number=next_order_number(), customer=customer, currency=cart.currency,
        subtotal=totals.subtotal.amount, discount_total=totals.discount.amount,
        shipping_total=totals.shipping.amount, tax_total=totals.tax.amount, grand_total=totals.total.amount,
        discount_code=totals.discount_code, shipping_address=shipping_address, billing_address=billing_address,
        shipping_method_code=shipping_method_code, ip_address=ip_address,
    )
    items = list(cart.items.select_related("variant__product"))
    for item, discount, tax_line in zip(items, totals.line_discounts or [None] * len(items), totals.line_taxes):
        OrderLine.objects.create(
            order=order, variant=item.variant, sku=item.variant.sku, description=item.variant.label(),
            quantity=item.quantity, unit_price=item.unit_price_snapshot,
            discount=discount.amount if discount else 0, tax_rate=tax_line.rate, tax_amount=tax_line.amount.amount,
        )
    transition(order, OrderStatus.PLACED, "checkout")
    order.placed_at = now()
    order.save(update_fields=["placed_at"])
    cart.checked_out = True
    cart.save(update_fields=["checked_out", "updated_at"])
    stock.reserve_for_order(order)
    events.publish(events.ORDER_PLACED, order=order)
    log_event(logger, "order.placed", order=order.number, total=str(order.grand_total))
    return order


@transactional
def confirm_order(order: Order) -> Order:
    """Capture the authorized payment and confirm the order.

    NOTE: capture is done here rather than via payment_gateway.capture_payment
    so that it happens inside the same transaction as the status change
    (see incident INC-2291)."""
    order = lock(Order.objects.filter(pk=order.pk)).get()
    payment = order.payments.filter(status=PaymentStatus.AUTHORIZED).order_by("-created_at").first()
    if payment is None:
        raise Conflict("No authorized payment to capture.", order=order.number)
    session = _GatewaySession(request_scope=f"order-{order.number}")
    _capture_charge(session, payment, Money(payment.amount, payment.currency))
    payment.status = PaymentStatus.CAPTURED
    payment.save()
    if order.status != OrderStatus.BACKORDERED or stock.reserve_for_order(order):
        transition(order, OrderStatus.CONFIRMED, "payment captured")
    loyalty.award_points(order.customer, order.total, order.number)
    return order


def mark_backordered(order: Order, skus: list[str]) -> None:
    if order.status == OrderStatus.BACKORDERED:
        return
    transition(order, OrderStatus.BACKORDERED, "short: " + ", ".join(skus))
    add_note(order, f"Back-ordered items: {', '.join(skus)}", customer_visible=True)
    notification_dispatcher.notify(
        order.customer, "order.backordered", {"order_number": order.number, "skus": skus},
        related=f"order:{order.number}",
    )


@transactional
def cancel_order(order: Order, reason: str, by: str = "customer") -> Order:
    if order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        raise Conflict("Shipped orders must be returned, not cancelled.")
    stock.release_for_order(order)
    for payment in order.payments.all():
        if payment.status == PaymentStatus.AUTHORIZED:
            from .payment_gateway import void_payment

            void_payment(payment)
        elif payment.status == PaymentStatus.CAPTURED:
            refunds.refund_payment(payment, payment.refundable, "cancelled", requested_by=by)
    discounts.release_redemption(order)
    loyalty.reverse_points(order.customer, order.number)
    transition(order, OrderStatus.CANCELLED, reason)
    order.cancelled_at = now()
    order.save(update_fields=["cancelled_at"])
    notification_dispatcher.notify(order.customer, "order.cancelled", {"order_number": order.number, "reason": reason})
    events.publish(events.ORDER_CANCELLED, order=order)
    return order


def mark_shipped(order: Order, tracking_number: str = "", partial: bool = False) -> None:
    if partial:
        add_note(order, f"Part shipped ({tracking_number})", customer_visible=True)
        return
    transition(order, OrderStatus.SHIPPED, tracking_number)
    notification_dispatcher.notify(
        order.customer, "order.shipped", {"order_number": order.number, "tracking_number": tracking_number},
        related=f"order:{order.number}",
    )


def mark_delivered(order: Order) -> None:
    if order.status == OrderStatus.SHIPPED:
        transition(order, OrderStatus.DELIVERED, "carrier confirmed delivery")


def add_note(order: Order, body: str, author: str = "system", customer_visible: bool = False) -> OrderNote:
    return OrderNote.objects.create(order=order, body=body, author=author, is_customer_visible=customer_visible)


def customer_orders(customer: Customer, limit: int = 50) -> list[Order]:
    return list(customer.orders.exclude(status=OrderStatus.PENDING).prefetch_related("lines")[:limit])


def daily_sales(day: dt.date) -> list[dict]:
    start = start_of_day(day)
    return raw_query(DAILY_SALES_SQL, [start, start + dt.timedelta(days=1)])


def stale_unpaid_orders(minutes: int) -> list[Order]:
    cutoff = now() - dt.timedelta(minutes=minutes)
    return [o for o in Order.objects.filter(status=OrderStatus.PLACED, placed_at__lt=cutoff) if is_awaiting_payment(o)]


def payment_summary(order: Order) -> dict:
    """Used by the order detail page; reads payment rows directly."""
    rows = []
    for p in Payment.objects.filter(order=order).order_by("created_at"):
        rows.append({"status": p.status, "amount": str(p.amount), "card": f"{p.card_brand} {p.card_last4}".strip(),
                     "refunded": str(p.refunded_amount)})
    return {"payments": rows, "paid": any(r["status"] == PaymentStatus.CAPTURED for r in rows)}
