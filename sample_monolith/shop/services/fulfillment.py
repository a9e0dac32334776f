"""Fulfilment: splitting orders into shipments, buying labels, dispatching."""
from __future__ import annotations

from collections import defaultdict

from shop.services import order_service, stock
from ..integrations.carrier_api import CarrierApiClient
from ..models.core import Order, OrderStatus
from ..models.inventory import StockReservation
from ..models.shipping import Shipment, ShipmentItem, ShipmentStatus
from ..utils import Money, events, get_logger
from ..utils.dates import now
from ..utils.decorators import retry_on, transactional
from ..utils.exceptions import Conflict, ExternalServiceError
from ..utils.logging import log_event
from . import addresses, shipping_rates

logger = get_logger(__name__)


def orders_ready_to_ship(limit: int = 200) -> list[Order]:
    return list(
        Order.objects.filter(status=OrderStatus.CONFIRMED, shipments__isnull=True)
        .select_related("shipping_address")
        .order_by("placed_at")[:limit]
    )


@transactional
def create_shipments(order: Order) -> list[Shipment]:
    """One shipment per warehouse holding reserved stock for the order."""
    if order.status != OrderStatus.CONFIRMED:
        raise Conflict(f"Order {order.number} is not confirmed.")
    method = shipping_rates.get_method(order.shipping_method_code)
    per_warehouse: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for res in StockReservation.objects.filter(order=order, committed=False).select_related("stock_item__warehouse"):
        per_warehouse[res.stock_item.warehouse.code][res.stock_item.variant_id] += res.quantity

    lines_by_variant = {line.variant_id: line for line in order.lines.select_related("variant__product")}
    shipments = []
    for warehouse_code, quantities in per_warehouse.items():
        shipment = Shipment.objects.create(
            order=order, method=method, warehouse_code=warehouse_code, carrier=method.carrier,
            estimated_delivery=shipping_rates.estimated_delivery(method),
        )
        weight = shipping_rates.PACKAGING_GRAMS
        for variant_id, qty in quantities.items():
            line = lines_by_variant[variant_id]
            ShipmentItem.objects.create(shipment=shipment, order_line=line, quantity=qty)
            weight += line.variant.shipping_weight * qty
        shipment.weight_grams = weight
        shipment.save(update_fields=["weight_grams"])
        shipments.append(shipment)
    log_event(logger, "fulfillment.shipments_created", order=order.number, count=len(shipments))
    return shipments


@retry_on(ExternalServiceError, attempts=3, backoff=2)
def buy_label(shipment: Shipment) -> Shipment:
    order = shipment.order
    label = CarrierApiClient().create_label(
        carrier=shipment.carrier,
        service=shipment.method.service_level if shipment.method else "standard",
        from_warehouse=shipment.warehouse_code,
        to_lines=addresses.format_label(order.shipping_address),
        to_postcode=order.shipping_address.postcode,
        to_country=order.shipping_address.country,
        weight_grams=shipment.weight_grams,
        reference=order.number,
    )
    shipment.tracking_number = label["tracking_number"]
    shipment.label_url = label["label_url"]
    shipment.cost = Money(label["cost"], order.currency).amount
    shipment.status = ShipmentStatus.PACKED
    shipment.save()
    return shipment


@transactional
def dispatch(shipment: Shipment) -> Shipment:
    if shipment.status != ShipmentStatus.PACKED:
        raise Conflict("Shipment must be packed (labelled) before dispatch.")
    order = shipment.order
    stock.commit_reservation(order, shipment.warehouse_code)
    for item in shipment.items.select_related("order_line"):
        line = item.order_line
        line.quantity_shipped += item.quantity
        line.save(update_fields=["quantity_shipped"])
    shipment.status = ShipmentStatus.DISPATCHED
    shipment.dispatched_at = now()
    shipment.save(update_fields=["status", "dispatched_at", "updated_at"])

    fully_shipped = all(l.quantity_shipped >= l.quantity for l in order.lines.all())
    order_service.mark_shipped(order, shipment.tracking_number, partial=not fully_shipped)
    events.publish(events.SHIPMENT_DISPATCHED, shipment=shipment)
    return shipment


def fulfil(order: Order) -> list[Shipment]:
    """Full pipeline used by the warehouse scanner app: shipments + labels."""
    return [buy_label(s) for s in create_shipments(order)]
