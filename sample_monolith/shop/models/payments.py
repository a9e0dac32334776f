"""Payment-side models beyond ``core.Payment``: saved methods, refunds, chargebacks, webhook log."""
from __future__ import annotations

from django.db import models

from ..utils.dates import today
from ..utils.money import Money
from .base import CurrencyField, MoneyField, TimeStampedModel
from .core import Customer, Payment


class PaymentMethod(TimeStampedModel):
    customer = models.ForeignKey(Customer, related_name="payment_methods", on_delete=models.CASCADE)
    provider_token = models.CharField(max_length=80)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    is_default = models.BooleanField(default=False)

    class Meta:
        app_label = "payments"

    def is_expired(self) -> bool:
        current = today()
        return (self.exp_year, self.exp_month) < (current.year, current.month)


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Refund(TimeStampedModel):
    payment = models.ForeignKey(Payment, related_name="refunds", on_delete=models.PROTECT)
    amount = MoneyField()
    currency = CurrencyField()
    reason = models.CharField(max_length=120)
    status = models.CharField(max_length=12, choices=RefundStatus.choices, default=RefundStatus.REQUESTED)
    provider_ref = models.CharField(max_length=80, blank=True)
    requested_by = models.CharField(max_length=80, default="system")

    class Meta:
        app_label = "payments"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


class Chargeback(TimeStampedModel):
    payment = models.ForeignKey(Payment, related_name="chargebacks", on_delete=models.PROTECT)
    amount = MoneyField()
    reason_code = models.CharField(max_length=20)
    evidence_due_by = models.DateTimeField(null=True, blank=True)
    won = models.BooleanField(null=True)

    class Meta:
        app_label = "payments"


class PaymentEvent(TimeStampedModel):
    """Raw webhook events from the gateway, kept for idempotency and audit."""

    provider = models.CharField(max_length=20, default="stripe")
    event_id = models.CharField(max_length=80, unique=True)
    event_type = models.CharField(max_length=60)
    payload = models.JSONField()
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "payments"
