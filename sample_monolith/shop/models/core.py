"""Core models.

Historically everything lived in this file.  New models go into the
per-area modules (``catalog.py``, ``inventory.py``...), but the oldest and
most used models are still here and are imported from all over the codebase.
TODO(platform): split this file (ticket SHOP-1432).
"""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from ..utils.money import Money, sum_money
from .base import CurrencyField, MoneyField, SoftDeleteModel, TimeStampedModel
from .catalog import ProductVariant

__all__ = [
    "Customer",
    "Address",
    "OrderStatus",
    "Order",
    "OrderLine",
    "OrderNote",
    "PaymentStatus",
    "Payment",
]


# --------------------------------------------------------------------------
# Customers
# --------------------------------------------------------------------------
class Customer(SoftDeleteModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="customer",
    )
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    phone = models.CharField(max_length=24, blank=True)
    is_guest = models.BooleanField(default=False)
    group = models.ForeignKey(
        "customers.CustomerGroup", null=True, blank=True, on_delete=models.SET_NULL
    )
    date_of_birth = models.DateField(null=True, blank=True)
    stripe_customer_id = models.CharField(max_length=64, blank=True)
    marketing_opt_in = models.BooleanField(default=False)

    class Meta:
        app_label = "customers"

    def __str__(self) -> str:
        return self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def default_address(self) -> "Address | None":
        return self.addresses.filter(is_default=True).first()


class Address(TimeStampedModel):
    customer = models.ForeignKey(Customer, related_name="addresses", on_delete=models.CASCADE)
    name = models.CharField(max_length=160)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=16)
    country = models.CharField(max_length=2, default="GB")
    phone = models.CharField(max_length=24, blank=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        app_label = "customers"

    def one_line(self) -> str:
        parts = [self.line1, self.line2, self.city, self.postcode, self.country]
        return ", ".join(p for p in parts if p)


# --------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------
class OrderStatus(models.TextChoices):
    PENDING = "pending", "Pending payment"
    PLACED = "placed", "Placed"
    CONFIRMED = "confirmed", "Confirmed"
    BACKORDERED = "backordered", "Back-ordered"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


class Order(TimeStampedModel):
    number = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey(Customer, related_name="orders", on_delete=models.PROTECT)
    status = models.CharField(max_length=16, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    currency = CurrencyField()
    subtotal = MoneyField()
    discount_total = MoneyField()
    shipping_total = MoneyField()
    tax_total = MoneyField()
    grand_total = MoneyField()
    discount_code = models.CharField(max_length=32, blank=True)
    shipping_address = models.ForeignKey(Address, null=True, related_name="+", on_delete=models.SET_NULL)
    billing_address = models.ForeignKey(Address, null=True, related_name="+", on_delete=models.SET_NULL)
    shipping_method_code = models.CharField(max_length=32, blank=True)
    placed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    fraud_score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        app_label = "orders"
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def total(self) -> Money:
        return Money(self.grand_total, self.currency)

    @property
    def is_open(self) -> bool:
        return self.status not in (OrderStatus.CANCELLED, OrderStatus.REFUNDED, OrderStatus.DELIVERED)

    def recalculate(self) -> None:
        self.subtotal = sum_money(
            (line.line_total for line in self.lines.all()), self.currency
        ).amount
        self.grand_total = (
            self.subtotal - self.discount_total + self.shipping_total + self.tax_total
        )


class OrderLine(models.Model):
    order = models.ForeignKey(Order, related_name="lines", on_delete=models.CASCADE)
    variant = models.ForeignKey(ProductVariant, on_delete=models.PROTECT)
    sku = models.CharField(max_length=40)
    description = models.CharField(max_length=255)
    quantity = models.PositiveIntegerField()
    unit_price = MoneyField()
    discount = MoneyField()
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("20.00"))
    tax_amount = MoneyField()
    quantity_shipped = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "orders"

    @property
    def line_total(self) -> Money:
        return Money(self.unit_price * self.quantity - self.discount, self.order.currency)


class OrderNote(TimeStampedModel):
    order = models.ForeignKey(Order, related_name="notes", on_delete=models.CASCADE)
    author = models.CharField(max_length=80, default="system")
    body = models.TextField()
    is_customer_visible = models.BooleanField(default=False)

    class Meta:
        app_label = "orders"


# --------------------------------------------------------------------------
# Payments
# --------------------------------------------------------------------------
class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    AUTHORIZED = "authorized", "Authorized"
    CAPTURED = "captured", "Captured"
    FAILED = "failed", "Failed"
    VOIDED = "voided", "Voided"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"


class Payment(TimeStampedModel):
    order = models.ForeignKey(Order, related_name="payments", on_delete=models.PROTECT)
    provider = models.CharField(max_length=20, default="stripe")
    provider_ref = models.CharField(max_length=80, blank=True, db_index=True)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    amount = MoneyField()
    captured_amount = MoneyField()
    refunded_amount = MoneyField()
    currency = CurrencyField()
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "payments"

    @property
    def refundable(self) -> Money:
        return Money(self.captured_amount - self.refunded_amount, self.currency)
