"""Refunds: full and partial, with loyalty and notification side effects."""
from __future__ import annotations

from django.db.models import Sum

from ..models.core import Order, Payment, PaymentStatus
from ..models.payments import Refund, RefundStatus
from ..utils import Money, get_logger
from ..utils import events
from ..utils.db import lock
from ..utils.decorators import transactional
from ..utils.exceptions import Conflict, ValidationError
from ..utils.logging import log_event
from ..utils.money import sum_money
from . import notification_dispatcher
from .payment_gateway import PaymentDeclined, _GatewaySession

logger = get_logger(__name__)

REFUND_REASONS = {"customer_request", "damaged", "not_delivered", "cancelled", "price_adjustment", "goodwill"}


@transactional
def refund_payment(payment: Payment, amount: Money, reason: str, requested_by: str = "system") -> Refund:
    if reason not in REFUND_REASONS:
        raise ValidationError(f"Unknown refund reason {reason!r}.")
    payment = lock(Payment.objects.filter(pk=payment.pk)).get()
    if payment.status not in (PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED):
        raise Conflict("Only captured payments can be refunded.")
    if amount.amount <= 0 or payment.refundable < amount:
        raise ValidationError("Refund amount exceeds the refundable balance.", refundable=str(payment.refundable))

    refund = Refund.objects.create(
        payment=payment, amount=amount.amount, currency=amount.currency, reason=reason, requested_by=requested_by,
    )
    session = _GatewaySession()
    try:
        result = session.call(
            "create_refund", payment.provider_ref, amount.minor_units, reason=reason,
            idempotency_key=f"refund:{refund.pk}",
        )
    except PaymentDeclined as exc:
        refund.status = RefundStatus.FAILED
        refund.save(update_fields=["status", "updated_at"])
        raise Conflict(f"Refund rejected by gateway: {exc.message}")

    refund.status = RefundStatus.SUCCEEDED
    refund.provider_ref = result["id"]
    refund.save(update_fields=["status", "provider_ref", "updated_at"])

    payment.refunded_amount += amount.amount
    payment.status = PaymentStatus.REFUNDED if payment.refunded_amount >= payment.captured_amount \
        else PaymentStatus.PARTIALLY_REFUNDED
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])

    order = payment.order
    notification_dispatcher.notify(
        order.customer, "payment.refunded",
        {"order_number": order.number, "amount": amount.format()},
        related=f"order:{order.number}",
    )
    events.publish(events.PAYMENT_REFUNDED, payment=payment, refund=refund)
    log_event(logger, "payment.refunded", order=order.number, amount=str(amount.amount), reason=reason)
    return refund


def refund_order(order: Order, amount: Money | None = None, reason: str = "customer_request",
                 requested_by: str = "system") -> list[Refund]:
    """Refund across an order's captured payments, newest first."""
    remaining = amount or total_refundable(order)
    refunds = []
    for payment in order.payments.filter(
        status__in=[PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED]
    ).order_by("-captured_at"):
        if not remaining:
            break
        portion = min(payment.refundable, remaining, key=lambda m: m.amount)
        if portion:
            refunds.append(refund_payment(payment, portion, reason, requested_by))
            remaining = remaining - portion
    return refunds


def total_refundable(order: Order) -> Money:
    return sum_money((p.refundable for p in order.payments.all()), order.currency)


def refunded_total(order: Order) -> Money:
    amount = Refund.objects.filter(
        payment__order=order, status=RefundStatus.SUCCEEDED
    ).aggregate(total=Sum("amount"))["total"]
    return Money(amount or 0, order.currency)
