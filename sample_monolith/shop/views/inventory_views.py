"""Back-office inventory endpoints (stock levels, adjustments, transfers, goods-in)."""
from __future__ import annotations

from django.views.decorators.http import require_GET, require_POST

from ..services import replenishment, stock, warehouse
from ..utils.decorators import json_errors, staff_required
from ..utils.http import json_response, parse_json_body
from ..utils.validators import require_fields, validate_sku


@staff_required
@require_GET
@json_errors
def warehouse_stock(request, code: str):
    return json_response(warehouse.stock_snapshot(code))


@staff_required
@require_GET
def low_stock(request):
    return json_response(stock.low_stock_report())


@staff_required
@require_POST
@json_errors
def adjust(request):
    data = parse_json_body(request)
    require_fields(data, "sku", "warehouse", "delta")
    item = stock.adjust_stock(
        validate_sku(data["sku"]), data["warehouse"], int(data["delta"]),
        reference=f"user:{request.user.username}", note=data.get("note", ""),
    )
    return json_response({"sku": data["sku"], "on_hand": item.on_hand, "available": item.available})


@staff_required
@require_POST
@json_errors
def transfer(request):
    data = parse_json_body(request)
    require_fields(data, "sku", "from", "to", "quantity")
    warehouse.transfer_stock(data["sku"], data["from"], data["to"], int(data["quantity"]))
    return json_response({"ok": True})


@staff_required
@require_POST
@json_errors
def receive_purchase_order(request, reference: str):
    data = parse_json_body(request)
    po = replenishment.receive_purchase_order(reference, {k: int(v) for k, v in data.get("received", {}).items()})
    return json_response({"reference": po.reference, "status": po.status})
