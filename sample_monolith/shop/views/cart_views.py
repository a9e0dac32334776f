"""Basket endpoints."""
from __future__ import annotations

from ..services import cart as cart_service
from ..services.customer_service import get_customer_for_user
from ..utils.http import JsonView, json_response
from ..utils.validators import require_fields


def _cart_for(request, create: bool = True):
    customer = get_customer_for_user(request.user) if request.user.is_authenticated else None
    if not request.session.session_key:
        request.session.create()
    return cart_service.get_cart(customer=customer, session_key=request.session.session_key, create=create)


def serialize_cart(cart) -> dict:
    totals = cart_service.compute_totals(cart)
    return {
        "items": [
            {"sku": i.variant.sku, "name": i.variant.label(), "quantity": i.quantity,
             "unit_price": str(i.unit_price_snapshot), "line_total": str(i.line_total.amount)}
            for i in cart.items.select_related("variant__product")
        ],
        "totals": totals.as_dict(),
    }


class CartView(JsonView):
    def get(self, request):
        return json_response(serialize_cart(_cart_for(request)))

    def post(self, request):
        require_fields(request.json, "sku")
        cart = _cart_for(request)
        cart_service.add_item(cart, request.json["sku"], request.json.get("quantity", 1))
        return json_response(serialize_cart(cart), status=201)

    def patch(self, request):
        require_fields(request.json, "sku", "quantity")
        cart = _cart_for(request)
        cart_service.update_quantity(cart, request.json["sku"], int(request.json["quantity"]))
        return json_response(serialize_cart(cart))

    def delete(self, request, sku: str):
        cart = _cart_for(request)
        cart_service.remove_item(cart, sku)
        return json_response(serialize_cart(cart))


class DiscountCodeView(JsonView):
    def post(self, request):
        require_fields(request.json, "code")
        cart = _cart_for(request)
        totals = cart_service.apply_discount_code(cart, request.json["code"])
        return json_response(totals.as_dict())
