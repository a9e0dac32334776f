"""Text helpers: slugs, masking of personal data, truncation."""
from __future__ import annotations

import re
import secrets
import string

from django.utils.text import slugify

_WS = re.compile(r"\s+")


def normalize_whitespace(value: str) -> str:
    return _WS.sub(" ", value or "").strip()


def truncate(value: str, length: int = 80, suffix: str = "…") -> str:
    value = normalize_whitespace(value)
    return value if len(value) <= length else value[: length - len(suffix)].rstrip() + suffix


def unique_slug(text: str, exists) -> str:
    """Return a slug for ``text`` that ``exists(slug)`` reports as free."""
    base = slugify(text)[:60] or "item"
    slug, n = base, 2
    while exists(slug):
        slug = f"{base}-{n}"
        n += 1
    return slug


def mask_email(email: str) -> str:
    local, _, domain = (email or "").partition("@")
    if not domain:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_card(last4: str) -> str:
    return f"•••• •••• •••• {last4}"


def random_code(length: int = 8, alphabet: str = string.ascii_uppercase + string.digits) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def human_join(items: list[str], conjunction: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
