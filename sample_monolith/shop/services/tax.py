"""Tax calculation.

UK/EU prices are VAT-inclusive, so VAT is extracted from the gross price.
US prices are net and sales tax is added, using the external tax API.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..integrations.tax_api import TaxApiClient
from ..models.catalog import ProductVariant
from ..models.core import Address, Customer
from ..models.orders import TaxRate
from ..utils import Money, get_logger
from ..utils.cache import cached
from ..utils.dates import today
from ..utils.exceptions import ExternalServiceError
from ..utils.money import quantize

logger = get_logger(__name__)

INCLUSIVE_COUNTRIES = {"GB", "IE", "FR", "DE", "NL", "BE"}
FALLBACK_RATES = {"standard": Decimal("20.00"), "reduced": Decimal("5.00"), "zero": Decimal("0.00")}


@dataclass
class TaxLine:
    sku: str
    rate: Decimal
    amount: Money
    inclusive: bool


@cached("tax:rates", ttl=86400)
def rate_for(country: str, tax_class: str, on: dt.date | None = None) -> Decimal:
    on = on or today()
    rate = (
        TaxRate.objects.filter(country=country, tax_class=tax_class, valid_from__lte=on)
        .order_by("-valid_from")
        .values_list("rate", flat=True)
        .first()
    )
    return rate if rate is not None else FALLBACK_RATES.get(tax_class, FALLBACK_RATES["standard"])


def is_exempt(customer: Customer | None) -> bool:
    return bool(customer and customer.group_id and customer.group.tax_exempt)


def _inclusive_tax(gross: Money, rate: Decimal) -> Money:
    return Money(quantize(gross.amount * rate / (Decimal(100) + rate)), gross.currency)


def compute(lines: list[tuple[ProductVariant, Money]], address: Address | None,
            customer: Customer | None = None) -> list[TaxLine]:
    """Tax for each (variant, net line amount after discounts)."""
    country = address.country if address else "GB"
    if is_exempt(customer):
        return [TaxLine(v.sku, Decimal("0"), Money(0, amt.currency), False) for v, amt in lines]
    if country in INCLUSIVE_COUNTRIES:
        result = []
        for variant, amount in lines:
            rate = rate_for(country, variant.product.tax_class)
            result.append(TaxLine(variant.sku, rate, _inclusive_tax(amount, rate), True))
        return result
    return _sales_tax(lines, address)


def _sales_tax(lines: list[tuple[ProductVariant, Money]], address: Address) -> list[TaxLine]:
    client = TaxApiClient()
    try:
        quote = client.quote(
            to_postcode=address.postcode, to_country=address.country,
            lines=[{"sku": v.sku, "amount": str(a.amount), "tax_code": v.product.tax_class} for v, a in lines],
        )
    except ExternalServiceError:
        logger.error("tax API down, charging zero sales tax for %s", address.postcode)
        return [TaxLine(v.sku, Decimal("0"), Money(0, a.currency), False) for v, a in lines]
    by_sku = {row["sku"]: row for row in quote["lines"]}
    return [
        TaxLine(v.sku, Decimal(by_sku[v.sku]["rate"]), Money(by_sku[v.sku]["tax"], a.currency), False)
        for v, a in lines
    ]


def added_tax(tax_lines: list[TaxLine], currency: str) -> Money:
    """Tax that must be added on top of prices (zero for inclusive countries)."""
    total = Money(0, currency)
    for line in tax_lines:
        if not line.inclusive:
            total = total + line.amount
    return total
