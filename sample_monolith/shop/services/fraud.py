"""Rule-based fraud scoring for new orders (0 = fine, 100 = certainly fraud)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from ..models.core import Order, Payment, PaymentStatus
from ..utils.dates import days_ago, minutes_ago
from ..utils.logging import get_logger, log_event

logger = get_logger(__name__)

DISPOSABLE_DOMAINS = {"mailinator.com", "10minutemail.com", "guerrillamail.com", "trashmail.com"}
HIGH_VALUE = Decimal("750.00")


@dataclass
class FraudAssessment:
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        self.score = min(100, self.score + points)
        self.reasons.append(reason)

    @property
    def needs_review(self) -> bool:
        return self.score >= settings.FRAUD_REVIEW_THRESHOLD


def assess(order: Order, ip_address: str | None = None) -> FraudAssessment:
    result = FraudAssessment()
    customer = order.customer

    if order.grand_total >= HIGH_VALUE:
        result.add(20, "high_value")
    if customer.email.rsplit("@", 1)[-1].lower() in DISPOSABLE_DOMAINS:
        result.add(35, "disposable_email")
    if not customer.orders.exclude(pk=order.pk).exists():
        result.add(10, "first_order")
    if order.shipping_address and order.billing_address and \
            order.shipping_address.country != order.billing_address.country:
        result.add(15, "country_mismatch")
    if ip_address:
        recent_from_ip = Order.objects.filter(ip_address=ip_address, created_at__gte=minutes_ago(60)).count()
        if recent_from_ip >= 3:
            result.add(25, "ip_velocity")
    failed = Payment.objects.filter(
        order__customer=customer, status=PaymentStatus.FAILED, created_at__gte=days_ago(1)
    ).count()
    if failed >= 2:
        result.add(10 * min(failed, 4), "recent_declines")
    return result


def score_order(order: Order, ip_address: str | None = None) -> FraudAssessment:
    result = assess(order, ip_address)
    order.fraud_score = result.score
    order.save(update_fields=["fraud_score", "updated_at"])
    if result.reasons:
        log_event(logger, "fraud.scored", order=order.number, score=result.score, reasons=result.reasons)
    return result
