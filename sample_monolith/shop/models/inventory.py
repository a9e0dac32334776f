"""Inventory models: warehouses, stock levels, reservations, movements, purchasing."""
from __future__ import annotations

from django.db import models

from ..utils.dates import now
from .base import MoneyField, TimeStampedModel
from .catalog import ProductVariant


class Warehouse(TimeStampedModel):
    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=2, default="GB")
    postcode = models.CharField(max_length=16)
    priority = models.PositiveSmallIntegerField(default=10)
    ships_to = models.JSONField(default=list)  # ISO country codes
    is_active = models.BooleanField(default=True)

    class Meta:
        app_label = "inventory"
        ordering = ("priority",)


class StockItem(TimeStampedModel):
    warehouse = models.ForeignKey(Warehouse, related_name="stock", on_delete=models.CASCADE)
    variant = models.ForeignKey(ProductVariant, related_name="stock_items", on_delete=models.CASCADE)
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    reorder_point = models.IntegerField(default=5)
    reorder_quantity = models.IntegerField(default=20)
    bin_location = models.CharField(max_length=20, blank=True)

    class Meta:
        app_label = "inventory"
        unique_together = ("warehouse", "variant")

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved)


class StockReservation(TimeStampedModel):
    stock_item = models.ForeignKey(StockItem, related_name="reservations", on_delete=models.CASCADE)
    order = models.ForeignKey("orders.Order", related_name="reservations", on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField()
    expires_at = models.DateTimeField()
    committed = models.BooleanField(default=False)

    class Meta:
        app_label = "inventory"

    @property
    def is_expired(self) -> bool:
        return not self.committed and self.expires_at < now()


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", "Goods received"
    SHIPMENT = "shipment", "Shipped to customer"
    RETURN = "return", "Customer return"
    ADJUSTMENT = "adjustment", "Stock-take adjustment"
    TRANSFER = "transfer", "Warehouse transfer"


class StockMovement(TimeStampedModel):
    stock_item = models.ForeignKey(StockItem, related_name="movements", on_delete=models.CASCADE)
    kind = models.CharField(max_length=12, choices=MovementKind.choices)
    quantity = models.IntegerField()
    reference = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        app_label = "inventory"


class Supplier(TimeStampedModel):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)
    lead_time_days = models.PositiveSmallIntegerField(default=5)
    edi_enabled = models.BooleanField(default=False)

    class Meta:
        app_label = "inventory"


class PurchaseOrder(TimeStampedModel):
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT)
    reference = models.CharField(max_length=24, unique=True)
    status = models.CharField(max_length=12, default="draft")  # draft, sent, received
    expected_on = models.DateField(null=True, blank=True)

    class Meta:
        app_label = "inventory"


class PurchaseOrderLine(models.Model):
    purchase_order = models.ForeignKey(PurchaseOrder, related_name="lines", on_delete=models.CASCADE)
    variant = models.ForeignKey(ProductVariant, on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField()
    quantity_received = models.PositiveIntegerField(default=0)
    unit_cost = MoneyField()

    class Meta:
        app_label = "inventory"
