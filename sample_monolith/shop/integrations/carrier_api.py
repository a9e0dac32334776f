"""Client for the ParcelHub multi-carrier API (rates, labels, tracking)."""
from __future__ import annotations

from django.conf import settings

from ..utils.http import ApiClient
from ..utils.logging import get_logger

logger = get_logger(__name__)

# ParcelHub event codes -> our ShipmentStatus values.
STATUS_MAP = {
    "PU": "in_transit",     # picked up
    "IT": "in_transit",     # in transit
    "OD": "in_transit",     # out for delivery
    "DL": "delivered",
    "EX": "exception",      # address problem, damaged...
    "RS": "exception",      # returned to sender
}


class CarrierApiClient(ApiClient):
    service_name = "parcelhub"

    def __init__(self):
        super().__init__(base_url=settings.CARRIER_API_URL, api_key=settings.CARRIER_API_KEY)

    def get_rate(self, *, service: str, weight_grams: int, to_postcode: str, to_country: str) -> dict:
        return self.post("rates", {
            "service": service, "weight": weight_grams,
            "destination": {"postcode": to_postcode, "country": to_country},
        })

    def create_label(self, *, carrier: str, service: str, from_warehouse: str, to_lines: list[str],
                     to_postcode: str, to_country: str, weight_grams: int, reference: str) -> dict:
        result = self.post("shipments", {
            "carrier": carrier, "service": service, "origin": from_warehouse,
            "destination": {"lines": to_lines, "postcode": to_postcode, "country": to_country},
            "parcels": [{"weight": weight_grams}], "reference": reference, "label_format": "PDF",
        })
        logger.info("label created for %s: %s", reference, result.get("tracking_number"))
        return result

    def track(self, carrier: str, tracking_number: str) -> dict:
        return self.get(f"tracking/{carrier}/{tracking_number}")

    def cancel_label(self, tracking_number: str) -> dict:
        return self.post(f"shipments/{tracking_number}/cancel")
