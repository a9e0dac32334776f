"""Public tracking page data, carrier webhooks and warehouse dispatch endpoints."""
from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ..models.shipping import Shipment
from ..services import fulfillment, tracking
from ..services.order_service import get_order
from ..utils.decorators import json_errors, staff_required
from ..utils.http import json_response, parse_json_body


@require_GET
@json_errors
def track(request, tracking_number: str):
    return json_response(tracking.public_tracking(tracking_number))


@csrf_exempt
@require_POST
def carrier_webhook(request):
    token = request.headers.get("X-ParcelHub-Token", "")
    if not hmac.compare_digest(token, settings.CARRIER_API_KEY):
        return HttpResponse(status=401)
    tracking.handle_carrier_webhook(parse_json_body(request))
    return HttpResponse(status=204)


@staff_required
@require_POST
@json_errors
def fulfil_order(request, number: str):
    shipments = fulfillment.fulfil(get_order(number))
    return json_response([
        {"id": s.pk, "warehouse": s.warehouse_code, "tracking_number": s.tracking_number, "label": s.label_url}
        for s in shipments
    ], status=201)


@staff_required
@require_POST
@json_errors
def dispatch_shipment(request, shipment_id: int):
    shipment = fulfillment.dispatch(Shipment.objects.select_related("order").get(pk=shipment_id))
    return json_response({"id": shipment.pk, "status": shipment.status})
