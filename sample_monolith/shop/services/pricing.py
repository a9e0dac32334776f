"""Pricing: list prices, customer price lists, tiered quantities and promotions.

``quote`` is the single entry point used by cart, checkout and the storefront.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..models.catalog import PriceList, PriceListEntry, Product, ProductVariant, Promotion
from ..utils.cache import cache_get, cache_set, make_key
from ..utils.dates import now
from ..utils.logging import get_logger
from ..utils.money import Money

logger = get_logger(__name__)

MAX_PROMOTION_PERCENT = Decimal("70")


@dataclass
class PriceQuote:
    variant_sku: str
    quantity: int
    list_price: Money
    unit_price: Money
    applied: list[str] = field(default_factory=list)

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def savings(self) -> Money:
        return (self.list_price - self.unit_price) * self.quantity

    def as_dict(self) -> dict:
        return {
            "sku": self.variant_sku,
            "quantity": self.quantity,
            "list_price": str(self.list_price.amount),
            "unit_price": str(self.unit_price.amount),
            "total": str(self.total.amount),
            "currency": self.unit_price.currency,
            "applied": self.applied,
        }


def price_list_price(variant: ProductVariant, price_list_code: str | None, quantity: int) -> Money | None:
    """Best matching entry of a price list for the quantity, or None."""
    if not price_list_code:
        return None
    key = make_key("pricing", "pl", price_list_code, variant.pk, quantity)
    cached = cache_get(key)
    if cached is not None:
        return cached or None
    entry = (
        PriceListEntry.objects.filter(
            price_list__code=price_list_code, variant=variant, min_quantity__lte=quantity
        )
        .order_by("-min_quantity")
        .first()
    )
    price = None
    if entry is not None:
        currency = PriceList.objects.values_list("currency", flat=True).get(code=price_list_code)
        price = Money(entry.price, currency)
    cache_set(key, price or False, ttl=600)
    return price


def active_promotions(product: Product, at: dt.datetime | None = None) -> list[Promotion]:
    at = at or now()
    promos = Promotion.objects.filter(is_active=True, starts_at__lte=at, ends_at__gt=at)
    return [
        p for p in promos
        if p.category_id == product.category_id or p.products.filter(pk=product.pk).exists()
    ]


def apply_promotions(price: Money, promotions: list[Promotion]) -> tuple[Money, list[str]]:
    """Promotions do not stack: the single best one wins, capped at 70%."""
    if not promotions:
        return price, []
    best = max(promotions, key=lambda p: p.percent_off)
    percent = min(best.percent_off, MAX_PROMOTION_PERCENT)
    return price - price.percent(percent), [best.name]


def quote(variant: ProductVariant, quantity: int = 1, price_list_code: str | None = None,
          at: dt.datetime | None = None) -> PriceQuote:
    list_price = variant.list_price
    applied: list[str] = []
    unit = price_list_price(variant, price_list_code, quantity)
    if unit is not None:
        applied.append(f"price_list:{price_list_code}")
    else:
        unit, promo_names = apply_promotions(list_price, active_promotions(variant.product, at))
        applied.extend(promo_names)
    if unit.amount <= 0:
        logger.error("non-positive price for %s, falling back to list price", variant.sku)
        unit = list_price
    return PriceQuote(variant.sku, quantity, list_price, unit, applied)


def quote_many(items: list[tuple[ProductVariant, int]], price_list_code: str | None = None) -> list[PriceQuote]:
    at = now()
    return [quote(variant, qty, price_list_code, at) for variant, qty in items]
