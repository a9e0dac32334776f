"""Customer accounts: registration, profile updates, guest merging, GDPR."""
from __future__ import annotations

from django.contrib.auth import get_user_model

from ..models.core import Customer
from ..models.customers import CustomerGroup, LoyaltyAccount, MarketingConsent
from ..utils import NotFound, ValidationError, get_logger
from ..utils.dates import now
from ..utils.decorators import transactional
from ..utils.logging import log_event
from ..utils.text import mask_email, normalize_whitespace
from ..utils.validators import validate_email, validate_phone
from . import notification_dispatcher

logger = get_logger(__name__)


def get_customer(customer_id: int) -> Customer:
    try:
        return Customer.objects.active().select_related("group").get(pk=customer_id)
    except Customer.DoesNotExist:
        raise NotFound("Customer not found.", customer_id=customer_id)


def get_customer_for_user(user) -> Customer:
    customer = Customer.objects.active().filter(user=user).first()
    if customer is None:
        raise NotFound("No customer profile for this user.")
    return customer


def find_by_email(email: str) -> Customer | None:
    return Customer.objects.active().filter(email=validate_email(email)).first()


@transactional
def register_customer(*, email: str, password: str, first_name: str = "", last_name: str = "",
                      phone: str = "", marketing_opt_in: bool = False) -> Customer:
    email = validate_email(email)
    if len(password) < 10:
        raise ValidationError("Password must be at least 10 characters.", field="password")
    existing = find_by_email(email)
    if existing and not existing.is_guest:
        raise ValidationError("An account with this email already exists.", field="email")

    user = get_user_model().objects.create_user(username=email, email=email, password=password)
    if existing:  # upgrade a guest checkout to a full account
        customer = existing
        customer.user, customer.is_guest = user, False
    else:
        customer = Customer(user=user, email=email)
    customer.first_name = normalize_whitespace(first_name)
    customer.last_name = normalize_whitespace(last_name)
    customer.phone = validate_phone(phone) if phone else ""
    customer.marketing_opt_in = marketing_opt_in
    customer.save()

    LoyaltyAccount.objects.get_or_create(customer=customer)
    MarketingConsent.objects.create(customer=customer, channel="email", granted=marketing_opt_in, source="signup")
    notification_dispatcher.notify(customer, "customer.welcome", {"first_name": customer.first_name})
    log_event(logger, "customer.registered", email=mask_email(email))
    return customer


def get_or_create_guest(email: str, first_name: str = "", last_name: str = "") -> Customer:
    email = validate_email(email)
    customer, created = Customer.objects.get_or_create(
        email=email, defaults={"is_guest": True, "first_name": first_name, "last_name": last_name}
    )
    if created:
        log_event(logger, "customer.guest_created", email=mask_email(email))
    return customer


def update_profile(customer: Customer, **fields) -> Customer:
    if "email" in fields:
        fields["email"] = validate_email(fields["email"])
    if fields.get("phone"):
        fields["phone"] = validate_phone(fields["phone"])
    for name in ("first_name", "last_name", "email", "phone", "date_of_birth"):
        if name in fields:
            setattr(customer, name, fields[name])
    customer.save()
    return customer


def assign_group(customer: Customer, group_code: str) -> None:
    customer.group = CustomerGroup.objects.get(code=group_code)
    customer.save(update_fields=["group", "updated_at"])


def set_marketing_consent(customer: Customer, channel: str, granted: bool, source: str = "account") -> None:
    MarketingConsent.objects.create(customer=customer, channel=channel, granted=granted, source=source)
    if channel == "email":
        customer.marketing_opt_in = granted
        customer.save(update_fields=["marketing_opt_in", "updated_at"])


def gdpr_export(customer: Customer) -> dict:
    """Everything we hold about a customer (subject access request)."""
    return {
        "profile": {
            "email": customer.email,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "phone": customer.phone,
            "created_at": customer.created_at.isoformat(),
        },
        "addresses": list(customer.addresses.values("name", "line1", "line2", "city", "postcode", "country")),
        "orders": list(customer.orders.values("number", "status", "grand_total", "created_at")),
        "consents": list(customer.consents.values("channel", "granted", "source", "created_at")),
    }


@transactional
def anonymise(customer: Customer) -> None:
    """Right to erasure: keep order rows for accounting but strip personal data."""
    customer.email = f"erased-{customer.pk}@invalid.example"
    customer.first_name = customer.last_name = customer.phone = ""
    customer.marketing_opt_in = False
    customer.deleted_at = now()
    customer.save()
    customer.addresses.update(name="erased", line1="erased", line2="", phone="")
    if customer.user_id:
        customer.user.is_active = False
        customer.user.save(update_fields=["is_active"])
    log_event(logger, "customer.anonymised", customer_id=customer.pk)
