"""Account endpoints: registration, profile, addresses, wishlist, GDPR."""
from __future__ import annotations

from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from ..models.customers import Wishlist, WishlistItem
from ..services import addresses, customer_service, loyalty
from ..services.catalog_service import get_variant
from ..utils.decorators import json_errors
from ..utils.exceptions import ValidationError
from ..utils.http import JsonView, json_response, parse_json_body


def serialize_customer(customer) -> dict:
    account = getattr(customer, "loyalty", None)
    return {
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "phone": customer.phone,
        "loyalty": {"points": account.points_balance, "tier": account.tier} if account else None,
    }


@require_POST
@json_errors
def register(request):
    data = parse_json_body(request)
    customer = customer_service.register_customer(
        email=data.get("email", ""), password=data.get("password", ""),
        first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
        marketing_opt_in=bool(data.get("marketing_opt_in")),
    )
    user = authenticate(request, username=customer.email, password=data["password"])
    login(request, user)
    return json_response(serialize_customer(customer), status=201)


@method_decorator(login_required, name="dispatch")
class ProfileView(JsonView):
    def get(self, request):
        return json_response(serialize_customer(customer_service.get_customer_for_user(request.user)))

    def patch(self, request):
        customer = customer_service.get_customer_for_user(request.user)
        customer_service.update_profile(customer, **request.json)
        return json_response(serialize_customer(customer))


@method_decorator(login_required, name="dispatch")
class AddressListView(JsonView):
    def get(self, request):
        customer = customer_service.get_customer_for_user(request.user)
        return json_response([
            {"id": a.pk, "lines": addresses.format_label(a), "is_default": a.is_default}
            for a in customer.addresses.all()
        ])

    def post(self, request):
        customer = customer_service.get_customer_for_user(request.user)
        address = addresses.add_address(customer, request.json, make_default=bool(request.json.get("default")))
        return json_response({"id": address.pk, "lines": addresses.format_label(address)}, status=201)


@login_required
@require_POST
@json_errors
def add_to_wishlist(request):
    data = parse_json_body(request)
    customer = customer_service.get_customer_for_user(request.user)
    variant = get_variant(data.get("sku", ""))
    wishlist, _ = Wishlist.objects.get_or_create(customer=customer, name="My wishlist")
    item, created = WishlistItem.objects.get_or_create(
        wishlist=wishlist, variant=variant, defaults={"price_when_added": variant.list_price.amount}
    )
    if not created:
        raise ValidationError("Already in your wishlist.")
    return json_response({"items": wishlist.items.count()}, status=201)


@login_required
def loyalty_view(request):
    customer = customer_service.get_customer_for_user(request.user)
    account = customer.loyalty
    return json_response({
        "points": account.points_balance,
        "value": str(loyalty.points_value(account.points_balance).amount),
        "tier": account.tier,
        "history": list(account.transactions.order_by("-created_at").values("points", "reason", "created_at")[:20]),
    })


@login_required
def gdpr_export_view(request):
    customer = customer_service.get_customer_for_user(request.user)
    return json_response(customer_service.gdpr_export(customer))
