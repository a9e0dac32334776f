"""Checkout endpoints."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.decorators import method_decorator

from ..services import checkout, shipping_rates
from ..services.addresses import get_address
from ..services.cart import get_cart
from ..services.customer_service import get_customer_for_user
from ..utils.http import JsonView, json_response
from ..utils.validators import require_fields


def _client_ip(request) -> str | None:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    return forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")


@method_decorator(login_required, name="dispatch")
class ShippingOptionsView(JsonView):
    def get(self, request):
        customer = get_customer_for_user(request.user)
        cart = get_cart(customer=customer)
        address = get_address(customer, int(request.GET["address_id"]))
        return json_response([q.as_dict() for q in shipping_rates.available_methods(cart, address)])


@method_decorator(login_required, name="dispatch")
class CheckoutView(JsonView):
    def get(self, request):
        """Order preview with final totals for the chosen address and method."""
        customer = get_customer_for_user(request.user)
        totals = checkout.preview(
            get_cart(customer=customer), customer,
            int(request.GET["address_id"]), request.GET["shipping_method"],
        )
        return json_response(totals.as_dict())

    def post(self, request):
        data = request.json
        require_fields(data, "shipping_address_id", "shipping_method", "payment_token")
        customer = get_customer_for_user(request.user)
        result = checkout.place_order(
            get_cart(customer=customer), customer,
            checkout.CheckoutRequest(
                shipping_address_id=int(data["shipping_address_id"]),
                billing_address_id=data.get("billing_address_id"),
                shipping_method_code=data["shipping_method"],
                payment_token=data["payment_token"],
                save_card=bool(data.get("save_card")),
                ip_address=_client_ip(request),
            ),
        )
        return json_response(result.as_dict(), status=201)
