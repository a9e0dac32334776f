"""Abstract base models and custom fields shared by every model module."""
from __future__ import annotations

from decimal import Decimal

from django.db import models

from ..utils.dates import now
from ..utils.money import DEFAULT_CURRENCY, Money


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(deleted_at__isnull=True)


class SoftDeleteModel(TimeStampedModel):
    """Rows are never physically deleted; ``deleted_at`` is set instead."""

    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        abstract = True

    def soft_delete(self) -> None:
        self.deleted_at = now()
        self.save(update_fields=["deleted_at", "updated_at"])


class MoneyField(models.DecimalField):
    """A DecimalField with the project's money precision."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("default", Decimal("0.00"))
        super().__init__(*args, **kwargs)


class CurrencyField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("default", DEFAULT_CURRENCY)
        super().__init__(*args, **kwargs)


def as_money(amount: Decimal, currency: str) -> Money:
    return Money(amount, currency)
