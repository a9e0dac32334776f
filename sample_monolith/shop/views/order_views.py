"""Order history, order detail, cancellation, invoices; back-office order admin."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from ..models.core import Order
from ..services import invoices, order_service
from ..services.customer_service import get_customer_for_user
from ..utils.dates import format_date, today
from ..utils.decorators import json_errors, staff_required
from ..utils.http import json_response, parse_json_body


def serialize_order(order: Order, detail: bool = False) -> dict:
    data = {
        "number": order.number,
        "status": order.get_status_display(),
        "placed": format_date(order.placed_at) if order.placed_at else None,
        "total": order.total.format(),
    }
    if detail:
        data["lines"] = [
            {"sku": l.sku, "description": l.description, "quantity": l.quantity,
             "unit_price": str(l.unit_price), "shipped": l.quantity_shipped}
            for l in order.lines.all()
        ]
        data["notes"] = list(order.notes.filter(is_customer_visible=True).values("body", "created_at"))
        data["shipments"] = [
            {"tracking_number": s.tracking_number, "carrier": s.carrier, "status": s.status}
            for s in order.shipments.all()
        ]
        data.update(order_service.payment_summary(order))
    return data


@login_required
def order_list(request):
    customer = get_customer_for_user(request.user)
    return json_response([serialize_order(o) for o in order_service.customer_orders(customer)])


@login_required
@json_errors
def order_detail(request, number: str):
    order = order_service.get_order(number, customer=get_customer_for_user(request.user))
    return json_response(serialize_order(order, detail=True))


@login_required
@require_POST
@json_errors
def cancel_order(request, number: str):
    order = order_service.get_order(number, customer=get_customer_for_user(request.user))
    reason = parse_json_body(request).get("reason", "changed my mind")
    order_service.cancel_order(order, reason=reason, by="customer")
    return json_response(serialize_order(order))


@login_required
@json_errors
def invoice_view(request, number: str):
    order = order_service.get_order(number, customer=get_customer_for_user(request.user))
    invoice = invoices.generate_invoice(order)
    return HttpResponse(invoices.render_invoice_html(invoice))


@staff_required
@json_errors
def admin_cancel_order(request, number: str):
    order = order_service.get_order(number)
    reason = parse_json_body(request).get("reason", "cancelled by staff")
    order_service.cancel_order(order, reason=reason, by=request.user.username)
    return json_response(serialize_order(order, detail=True))


@staff_required
def sales_report(request):
    return json_response(order_service.daily_sales(today()))
