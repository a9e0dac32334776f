"""Saved cards and back-office refund endpoints."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_http_methods, require_POST

from ..models.payments import PaymentMethod
from ..services import refunds
from ..services.customer_service import get_customer_for_user
from ..services.order_service import get_order
from ..utils.decorators import json_errors, staff_required
from ..utils.exceptions import NotFound
from ..utils.http import json_response, parse_json_body
from ..utils.money import Money
from ..utils.text import mask_card
from ..utils.validators import require_fields


@login_required
def payment_methods(request):
    customer = get_customer_for_user(request.user)
    return json_response([
        {"id": m.pk, "brand": m.brand, "number": mask_card(m.last4),
         "expires": f"{m.exp_month:02d}/{m.exp_year % 100:02d}", "default": m.is_default}
        for m in PaymentMethod.objects.filter(customer=customer).order_by("-is_default", "-created_at")
    ])


@login_required
@require_http_methods(["DELETE"])
@json_errors
def delete_payment_method(request, method_id: int):
    customer = get_customer_for_user(request.user)
    deleted, _ = PaymentMethod.objects.filter(customer=customer, pk=method_id).delete()
    if not deleted:
        raise NotFound("Card not found.")
    return json_response({"deleted": True})


@staff_required
@require_POST
@json_errors
def refund_order(request, number: str):
    data = parse_json_body(request)
    require_fields(data, "reason")
    order = get_order(number)
    amount = Money(data["amount"], order.currency) if data.get("amount") else None
    created = refunds.refund_order(order, amount, reason=data["reason"], requested_by=request.user.username)
    return json_response({
        "refunds": [{"id": r.pk, "amount": str(r.amount), "status": r.status} for r in created],
        "refunded_total": str(refunds.refunded_total(order).amount),
    })
