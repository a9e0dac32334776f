"""Shipping models: zones, methods, shipments and tracking events."""
from __future__ import annotations

from django.db import models

from ..utils.dates import today
from .base import MoneyField, TimeStampedModel


class ShippingZone(TimeStampedModel):
    name = models.CharField(max_length=80)
    countries = models.JSONField(default=list)

    class Meta:
        app_label = "shipping"


class ShippingMethod(TimeStampedModel):
    zone = models.ForeignKey(ShippingZone, related_name="methods", on_delete=models.CASCADE)
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=80)
    carrier = models.CharField(max_length=20)
    service_level = models.CharField(max_length=20)  # standard, express, next_day
    base_rate = MoneyField()
    per_kg_rate = MoneyField()
    transit_days = models.PositiveSmallIntegerField(default=3)
    is_active = models.BooleanField(default=True)

    class Meta:
        app_label = "shipping"


class ShipmentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PACKED = "packed", "Packed"
    DISPATCHED = "dispatched", "Dispatched"
    IN_TRANSIT = "in_transit", "In transit"
    DELIVERED = "delivered", "Delivered"
    EXCEPTION = "exception", "Delivery exception"


class Shipment(TimeStampedModel):
    # String reference: importing shop.models.core here used to cause a cycle.
    order = models.ForeignKey("orders.Order", related_name="shipments", on_delete=models.CASCADE)
    method = models.ForeignKey(ShippingMethod, null=True, on_delete=models.SET_NULL)
    warehouse_code = models.CharField(max_length=8)
    status = models.CharField(max_length=12, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING)
    carrier = models.CharField(max_length=20, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True, db_index=True)
    label_url = models.URLField(blank=True)
    weight_grams = models.PositiveIntegerField(default=0)
    cost = MoneyField()
    dispatched_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    estimated_delivery = models.DateField(null=True, blank=True)

    class Meta:
        app_label = "shipping"

    @property
    def is_late(self) -> bool:
        return (
            self.status not in (ShipmentStatus.DELIVERED, ShipmentStatus.PENDING)
            and self.estimated_delivery is not None
            and self.estimated_delivery < today()
        )


class ShipmentItem(models.Model):
    shipment = models.ForeignKey(Shipment, related_name="items", on_delete=models.CASCADE)
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField()

    class Meta:
        app_label = "shipping"


class TrackingEvent(TimeStampedModel):
    shipment = models.ForeignKey(Shipment, related_name="events", on_delete=models.CASCADE)
    occurred_at = models.DateTimeField()
    code = models.CharField(max_length=20)
    description = models.CharField(max_length=255)
    location = models.CharField(max_length=120, blank=True)

    class Meta:
        app_label = "shipping"
        ordering = ("occurred_at",)
        unique_together = ("shipment", "occurred_at", "code")
