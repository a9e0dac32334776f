"""Input validation shared by forms, APIs and services."""
from __future__ import annotations

import re

from .exceptions import ValidationError

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
SKU_RE = re.compile(r"^[A-Z0-9]{3,8}-[A-Z0-9]{2,12}(-[A-Z0-9]{1,6})?$")

POSTCODE_PATTERNS = {
    "GB": re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.I),
    "US": re.compile(r"^\d{5}(-\d{4})?$"),
    "DE": re.compile(r"^\d{5}$"),
    "FR": re.compile(r"^\d{5}$"),
    "IE": re.compile(r"^[A-Z]\d{2} ?[A-Z0-9]{4}$", re.I),
}


def validate_email(value: str) -> str:
    value = (value or "").strip().lower()
    if not EMAIL_RE.match(value):
        raise ValidationError("Enter a valid email address.", field="email")
    return value


def validate_phone(value: str) -> str:
    value = (value or "").strip()
    if not PHONE_RE.match(value):
        raise ValidationError("Enter a valid phone number.", field="phone")
    return re.sub(r"[ ()-]", "", value)


def validate_postcode(country: str, postcode: str) -> str:
    postcode = (postcode or "").strip().upper()
    pattern = POSTCODE_PATTERNS.get(country.upper())
    if pattern and not pattern.match(postcode):
        raise ValidationError(f"Invalid postcode for {country}.", field="postcode")
    return postcode


def validate_sku(value: str) -> str:
    value = (value or "").strip().upper()
    if not SKU_RE.match(value):
        raise ValidationError(f"Invalid SKU {value!r}.", field="sku")
    return value


def validate_quantity(value, *, maximum: int = 99) -> int:
    try:
        qty = int(value)
    except (TypeError, ValueError):
        raise ValidationError("Quantity must be a whole number.", field="quantity")
    if qty < 1 or qty > maximum:
        raise ValidationError(f"Quantity must be between 1 and {maximum}.", field="quantity")
    return qty


def require_fields(data: dict, *fields: str) -> None:
    missing = [f for f in fields if data.get(f) in (None, "")]
    if missing:
        raise ValidationError("Missing required fields.", missing=missing)
