"""Shipment tracking: polling the carrier, carrier webhooks, delivery updates."""
from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_datetime

from shop.services import order_service
from ..integrations.carrier_api import STATUS_MAP, CarrierApiClient
from ..models.shipping import Shipment, ShipmentStatus, TrackingEvent
from ..utils import NotFound, events, get_logger
from ..utils.dates import now, today
from ..utils.logging import log_event
from . import notification_dispatcher

logger = get_logger(__name__)

OPEN_STATUSES = (ShipmentStatus.DISPATCHED, ShipmentStatus.IN_TRANSIT, ShipmentStatus.EXCEPTION)


def get_by_tracking_number(tracking_number: str) -> Shipment:
    try:
        return Shipment.objects.select_related("order__customer").get(tracking_number=tracking_number)
    except Shipment.DoesNotExist:
        raise NotFound("Unknown tracking number.")


def record_events(shipment: Shipment, raw_events: list[dict]) -> list[TrackingEvent]:
    created = []
    for raw in raw_events:
        occurred = parse_datetime(raw["timestamp"])
        event, is_new = TrackingEvent.objects.get_or_create(
            shipment=shipment, occurred_at=occurred, code=raw["code"],
            defaults={"description": raw.get("description", "")[:255], "location": raw.get("location", "")},
        )
        if is_new:
            created.append(event)
    if created:
        _apply_status(shipment, STATUS_MAP.get(created[-1].code, shipment.status))
    return created


def _apply_status(shipment: Shipment, status: str) -> None:
    if status == shipment.status:
        return
    previous, shipment.status = shipment.status, status
    if status == ShipmentStatus.DELIVERED:
        shipment.delivered_at = now()
    shipment.save(update_fields=["status", "delivered_at", "updated_at"])
    order = shipment.order
    if status == ShipmentStatus.DELIVERED:
        if not order.shipments.exclude(status=ShipmentStatus.DELIVERED).exists():
            order_service.mark_delivered(order)
        events.publish(events.SHIPMENT_DELIVERED, shipment=shipment)
    elif status == ShipmentStatus.EXCEPTION:
        notification_dispatcher.notify(
            order.customer, "shipment.exception",
            {"order_number": order.number, "tracking_number": shipment.tracking_number},
            related=f"order:{order.number}",
        )
    log_event(logger, "shipment.status", tracking=shipment.tracking_number, previous=previous, status=status)


def poll(shipment: Shipment, client: CarrierApiClient | None = None) -> int:
    client = client or CarrierApiClient()
    payload = client.track(shipment.carrier, shipment.tracking_number)
    return len(record_events(shipment, payload.get("events", [])))


def handle_carrier_webhook(payload: dict) -> None:
    shipment = get_by_tracking_number(payload["tracking_number"])
    record_events(shipment, payload.get("events", []))


def open_shipments() -> list[Shipment]:
    return list(Shipment.objects.filter(status__in=OPEN_STATUSES).exclude(tracking_number=""))


def late_shipments(grace_days: int = 2) -> list[Shipment]:
    cutoff = today() - dt.timedelta(days=grace_days)
    return list(Shipment.objects.filter(status__in=OPEN_STATUSES, estimated_delivery__lt=cutoff))


def public_tracking(tracking_number: str) -> dict:
    shipment = get_by_tracking_number(tracking_number)
    return {
        "status": shipment.status,
        "carrier": shipment.carrier,
        "estimated_delivery": shipment.estimated_delivery.isoformat() if shipment.estimated_delivery else None,
        "events": [
            {"at": e.occurred_at.isoformat(), "description": e.description, "location": e.location}
            for e in shipment.events.all()
        ],
    }
