"""Shipping rates: table rates per zone/method, optionally refined by a live
carrier quote."""
from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..models.core import Address
from ..models.shipping import ShippingMethod, ShippingZone
from ..utils import Money, NotFound, ValidationError, get_logger
from ..utils.cache import cached
from ..utils.dates import add_business_days, today
from ..utils.exceptions import ExternalServiceError

if TYPE_CHECKING:
    from shop.models.orders import Cart, CartItem

logger = get_logger(__name__)

PACKAGING_GRAMS = 250
LIVE_RATE_LEVELS = {"express", "next_day"}


@dataclass
class RateQuote:
    method_code: str
    name: str
    price: Money
    estimated_delivery: dt.date

    def as_dict(self) -> dict:
        return {"code": self.method_code, "name": self.name, "price": str(self.price.amount),
                "currency": self.price.currency, "estimated_delivery": self.estimated_delivery.isoformat()}


def _carrier_backend():
    """Carrier client.  Loaded dynamically so that the sandbox carrier can be
    swapped in tests without touching this module."""
    module = importlib.import_module("shop.integrations.carrier_api")
    return module.CarrierApiClient()


@cached("shipping:zone", ttl=3600)
def zone_for(country: str) -> ShippingZone:
    for zone in ShippingZone.objects.all():
        if country in zone.countries:
            return zone
    raise ValidationError(f"We do not ship to {country}.", field="country")


def cart_weight(items: "list[CartItem]") -> int:
    return PACKAGING_GRAMS + sum(i.variant.shipping_weight * i.quantity for i in items)


def table_rate(method: ShippingMethod, weight_grams: int, currency: str) -> Money:
    kilos = Decimal(max(weight_grams, 1)) / 1000
    return Money(method.base_rate + method.per_kg_rate * kilos.quantize(Decimal("0.1")), currency)


def live_rate(method: ShippingMethod, weight_grams: int, address: Address, currency: str) -> Money:
    try:
        quote = _carrier_backend().get_rate(
            service=method.service_level, weight_grams=weight_grams,
            to_postcode=address.postcode, to_country=address.country,
        )
        return Money(quote["amount"], currency)
    except ExternalServiceError:
        logger.warning("live rate unavailable for %s, using table rate", method.code)
        return table_rate(method, weight_grams, currency)


def estimated_delivery(method: ShippingMethod, dispatch_on: dt.date | None = None) -> dt.date:
    return add_business_days(dispatch_on or today(), method.transit_days)


def available_methods(cart: "Cart", address: Address) -> list[RateQuote]:
    zone = zone_for(address.country)
    items = list(cart.items.select_related("variant__product"))
    weight = cart_weight(items)
    quotes = []
    for method in zone.methods.filter(is_active=True).order_by("base_rate"):
        if method.service_level in LIVE_RATE_LEVELS:
            price = live_rate(method, weight, address, cart.currency)
        else:
            price = table_rate(method, weight, cart.currency)
        quotes.append(RateQuote(method.code, method.name, price, estimated_delivery(method)))
    return quotes


def rate_for_cart(cart: "Cart", address: Address, method_code: str) -> Money:
    for quote in available_methods(cart, address):
        if quote.method_code == method_code:
            return quote.price
    raise NotFound("Shipping method not available for this address.", method=method_code)


def get_method(code: str) -> ShippingMethod:
    try:
        return ShippingMethod.objects.select_related("zone").get(code=code)
    except ShippingMethod.DoesNotExist:
        raise NotFound("Unknown shipping method.", code=code)
