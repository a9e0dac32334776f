"""Order-side models: carts, discount codes, status history, tax rates, invoices."""
from __future__ import annotations

from decimal import Decimal

from django.db import models

from ..utils.money import Money
from .base import CurrencyField, MoneyField, TimeStampedModel
from .catalog import ProductVariant
from .core import Customer, Order, OrderStatus


class Cart(TimeStampedModel):
    customer = models.ForeignKey(Customer, null=True, blank=True, related_name="carts", on_delete=models.CASCADE)
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    currency = CurrencyField()
    discount_code = models.CharField(max_length=32, blank=True)
    checked_out = models.BooleanField(default=False)

    class Meta:
        app_label = "orders"

    @property
    def item_count(self) -> int:
        return sum(item.quantity for item in self.items.all())


class CartItem(TimeStampedModel):
    cart = models.ForeignKey(Cart, related_name="items", on_delete=models.CASCADE)
    variant = models.ForeignKey(ProductVariant, on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField(default=1)
    unit_price_snapshot = MoneyField()

    class Meta:
        app_label = "orders"
        unique_together = ("cart", "variant")

    @property
    def line_total(self) -> Money:
        return Money(self.unit_price_snapshot * self.quantity, self.cart.currency)


class DiscountKind(models.TextChoices):
    PERCENT = "percent", "Percentage"
    FIXED = "fixed", "Fixed amount"
    FREE_SHIPPING = "free_shipping", "Free shipping"


class DiscountCode(TimeStampedModel):
    code = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=16, choices=DiscountKind.choices)
    value = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    minimum_spend = MoneyField()
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    max_uses_per_customer = models.PositiveIntegerField(default=1)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        app_label = "orders"


class DiscountRedemption(TimeStampedModel):
    code = models.ForeignKey(DiscountCode, related_name="redemptions", on_delete=models.PROTECT)
    order = models.OneToOneField(Order, on_delete=models.CASCADE)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    amount = MoneyField()

    class Meta:
        app_label = "orders"


class OrderStatusHistory(TimeStampedModel):
    order = models.ForeignKey(Order, related_name="history", on_delete=models.CASCADE)
    from_status = models.CharField(max_length=16, choices=OrderStatus.choices)
    to_status = models.CharField(max_length=16, choices=OrderStatus.choices)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        app_label = "orders"
        ordering = ("created_at",)


class TaxRate(models.Model):
    country = models.CharField(max_length=2)
    tax_class = models.CharField(max_length=16)
    rate = models.DecimalField(max_digits=5, decimal_places=2)
    valid_from = models.DateField()

    class Meta:
        app_label = "orders"
        unique_together = ("country", "tax_class", "valid_from")


class Invoice(TimeStampedModel):
    order = models.OneToOneField(Order, related_name="invoice", on_delete=models.PROTECT)
    number = models.CharField(max_length=24, unique=True)
    issued_on = models.DateField()
    total = MoneyField()
    tax_total = MoneyField()
    pdf_path = models.CharField(max_length=255, blank=True)

    class Meta:
        app_label = "orders"
