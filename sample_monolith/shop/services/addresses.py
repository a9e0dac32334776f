"""Address book management and address normalisation."""
from __future__ import annotations

from django.conf import settings

from ..models.core import Address, Customer
from ..utils import NotFound, ValidationError
from ..utils.decorators import transactional
from ..utils.text import normalize_whitespace
from ..utils.validators import require_fields, validate_phone, validate_postcode

SUPPORTED_COUNTRIES = {"GB", "IE", "FR", "DE", "NL", "BE", "US"}


def normalise(data: dict) -> dict:
    require_fields(data, "name", "line1", "city", "postcode")
    country = (data.get("country") or settings.DEFAULT_COUNTRY).upper()
    if country not in SUPPORTED_COUNTRIES:
        raise ValidationError(f"We do not deliver to {country}.", field="country")
    cleaned = {
        "name": normalize_whitespace(data["name"]),
        "line1": normalize_whitespace(data["line1"]),
        "line2": normalize_whitespace(data.get("line2", "")),
        "city": normalize_whitespace(data["city"]).title(),
        "region": normalize_whitespace(data.get("region", "")),
        "postcode": validate_postcode(country, data["postcode"]),
        "country": country,
    }
    if data.get("phone"):
        cleaned["phone"] = validate_phone(data["phone"])
    return cleaned


@transactional
def add_address(customer: Customer, data: dict, make_default: bool = False) -> Address:
    address = Address.objects.create(customer=customer, **normalise(data))
    if make_default or not customer.addresses.exclude(pk=address.pk).exists():
        set_default(customer, address.pk)
        address.is_default = True
    return address


def get_address(customer: Customer, address_id: int) -> Address:
    try:
        return customer.addresses.get(pk=address_id)
    except Address.DoesNotExist:
        raise NotFound("Address not found.", address_id=address_id)


@transactional
def set_default(customer: Customer, address_id: int) -> None:
    customer.addresses.update(is_default=False)
    customer.addresses.filter(pk=address_id).update(is_default=True)


def remove_address(customer: Customer, address_id: int) -> None:
    address = get_address(customer, address_id)
    was_default = address.is_default
    address.delete()
    if was_default:
        replacement = customer.addresses.order_by("-created_at").first()
        if replacement:
            set_default(customer, replacement.pk)


def format_label(address: Address) -> list[str]:
    """Address lines as printed on a shipping label."""
    lines = [address.name, address.line1]
    if address.line2:
        lines.append(address.line2)
    lines.append(f"{address.city} {address.postcode}".strip())
    if address.region:
        lines.append(address.region)
    lines.append(address.country)
    return lines
