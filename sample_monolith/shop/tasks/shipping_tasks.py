"""Shipping background jobs."""
from __future__ import annotations

from celery import shared_task

from ..integrations.carrier_api import CarrierApiClient
from ..services import fulfillment, tracking
from ..services.notification_dispatcher import notify
from ..utils.exceptions import ShopError
from ..utils.logging import get_logger, log_event

logger = get_logger(__name__)


@shared_task
def poll_all_tracking() -> int:
    client = CarrierApiClient()
    updates = 0
    for shipment in tracking.open_shipments():
        try:
            updates += tracking.poll(shipment, client)
        except ShopError:
            logger.warning("tracking poll failed for %s", shipment.tracking_number)
    return updates


@shared_task
def create_pending_shipments() -> int:
    created = 0
    for order in fulfillment.orders_ready_to_ship():
        try:
            created += len(fulfillment.fulfil(order))
        except ShopError as exc:
            logger.error("could not fulfil %s: %s", order.number, exc)
    return created


@shared_task
def flag_late_shipments() -> int:
    late = tracking.late_shipments()
    for shipment in late:
        order = shipment.order
        notify(order.customer, "shipment.delayed",
               {"order_number": order.number, "tracking_number": shipment.tracking_number})
    if late:
        log_event(logger, "shipping.late_flagged", count=len(late))
    return len(late)
