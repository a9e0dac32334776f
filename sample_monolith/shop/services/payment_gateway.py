"""Payment gateway service (Stripe today; Adyen migration planned).

Public API: ``authorize_payment``, ``capture_payment``, ``void_payment``,
``record_webhook_event``, ``apply_webhook_event``.  Everything prefixed with
an underscore is internal to the payments code.
"""
from __future__ import annotations

import uuid

from django.conf import settings

from ..integrations.stripe_client import StripeClient, StripeError
from ..models.core import Order, Payment, PaymentStatus
from ..models.payments import PaymentEvent, PaymentMethod
from ..utils import Money, get_logger
from ..utils.dates import now
from ..utils.decorators import timed, transactional
from ..utils.exceptions import Conflict, ExternalServiceError
from ..utils.logging import log_event
from ..utils import events

logger = get_logger(__name__)

CARD_DECLINE_CODES = {"card_declined", "insufficient_funds", "expired_card", "incorrect_cvc"}


class PaymentDeclined(Conflict):
    code = "payment_declined"


class _GatewaySession:
    """Wraps the Stripe client with idempotency keys and error translation."""

    def __init__(self, request_scope: str | None = None):
        self.client = StripeClient(api_key=settings.STRIPE_API_KEY)
        self.scope = request_scope or uuid.uuid4().hex

    def idempotency_key(self, action: str, payment: Payment) -> str:
        return f"{self.scope}:{action}:{payment.pk}"

    def call(self, method: str, *args, **kwargs) -> dict:
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except StripeError as exc:
            if exc.decline_code in CARD_DECLINE_CODES:
                raise PaymentDeclined(exc.user_message or "Your card was declined.", decline_code=exc.decline_code)
            raise ExternalServiceError("stripe", str(exc))


def _capture_charge(session: _GatewaySession, payment: Payment, amount: Money) -> dict:
    """Capture ``amount`` on an authorized intent.  Does NOT save ``payment``."""
    if payment.status != PaymentStatus.AUTHORIZED:
        raise Conflict(f"Payment {payment.pk} is {payment.status}, cannot capture.")
    if amount.amount > payment.amount:
        raise Conflict("Cannot capture more than was authorized.")
    result = session.call(
        "capture_intent", payment.provider_ref, amount.minor_units,
        idempotency_key=session.idempotency_key("capture", payment),
    )
    payment.captured_amount = Money.from_minor(result["amount_received"], payment.currency).amount
    payment.captured_at = now()
    return result


def _mark_failed(payment: Payment, reason: str) -> None:
    payment.status = PaymentStatus.FAILED
    payment.failure_reason = reason[:255]
    payment.save(update_fields=["status", "failure_reason", "updated_at"])


@timed
def authorize_payment(order: Order, payment_token: str, save_method: bool = False) -> Payment:
    """Create and confirm a payment intent with manual capture."""
    payment = Payment.objects.create(order=order, amount=order.grand_total, currency=order.currency)
    session = _GatewaySession()
    try:
        intent = session.call(
            "create_intent",
            amount=order.total.minor_units,
            currency=order.currency.lower(),
            payment_method=payment_token,
            customer=order.customer.stripe_customer_id or None,
            metadata={"order_number": order.number},
            capture_method="manual",
            idempotency_key=session.idempotency_key("authorize", payment),
        )
    except PaymentDeclined as exc:
        _mark_failed(payment, exc.message)
        raise
    payment.provider_ref = intent["id"]
    payment.card_brand = intent.get("card", {}).get("brand", "")
    payment.card_last4 = intent.get("card", {}).get("last4", "")
    payment.status = PaymentStatus.AUTHORIZED if intent["status"] == "requires_capture" else PaymentStatus.PENDING
    payment.save()
    if save_method and intent.get("payment_method"):
        PaymentMethod.objects.get_or_create(
            customer=order.customer, provider_token=intent["payment_method"],
            defaults={"brand": payment.card_brand, "last4": payment.card_last4,
                      "exp_month": intent["card"]["exp_month"], "exp_year": intent["card"]["exp_year"]},
        )
    log_event(logger, "payment.authorized", order=order.number, amount=str(order.grand_total))
    return payment


@transactional
def capture_payment(payment: Payment, amount: Money | None = None) -> Payment:
    session = _GatewaySession()
    _capture_charge(session, payment, amount or Money(payment.amount, payment.currency))
    payment.status = PaymentStatus.CAPTURED
    payment.save()
    events.publish(events.PAYMENT_CAPTURED, payment=payment)
    return payment


def void_payment(payment: Payment, reason: str = "requested_by_customer") -> Payment:
    if payment.status not in (PaymentStatus.AUTHORIZED, PaymentStatus.PENDING):
        raise Conflict(f"Cannot void a {payment.status} payment.")
    session = _GatewaySession()
    session.call("cancel_intent", payment.provider_ref, reason=reason,
                 idempotency_key=session.idempotency_key("void", payment))
    payment.status = PaymentStatus.VOIDED
    payment.save(update_fields=["status", "updated_at"])
    return payment


def record_webhook_event(payload: bytes, signature: str) -> PaymentEvent | None:
    """Verify and store a webhook event; return None if we've seen it before."""
    event = StripeClient(api_key=settings.STRIPE_API_KEY).construct_event(
        payload, signature, settings.STRIPE_WEBHOOK_SECRET
    )
    stored, created = PaymentEvent.objects.get_or_create(
        event_id=event["id"], defaults={"event_type": event["type"], "payload": event}
    )
    return stored if created else None


@transactional
def apply_webhook_event(event: PaymentEvent) -> None:
    data = event.payload["data"]["object"]
    payment = Payment.objects.filter(provider_ref=data.get("id") or data.get("payment_intent")).first()
    if payment is None:
        logger.warning("webhook %s for unknown payment", event.event_id)
    elif event.event_type == "payment_intent.succeeded":
        payment.status = PaymentStatus.CAPTURED
        payment.captured_amount = Money.from_minor(data["amount_received"], payment.currency).amount
        payment.captured_at = payment.captured_at or now()
        payment.save()
        events.publish(events.PAYMENT_CAPTURED, payment=payment)
    elif event.event_type == "payment_intent.payment_failed":
        _mark_failed(payment, data.get("last_payment_error", {}).get("message", "failed"))
    elif event.event_type == "charge.dispute.created":
        from ..models.payments import Chargeback

        Chargeback.objects.create(payment=payment, amount=Money.from_minor(data["amount"]).amount,
                                  reason_code=data.get("reason", "unknown"))
    event.processed_at = now()
    event.save(update_fields=["processed_at", "updated_at"])
