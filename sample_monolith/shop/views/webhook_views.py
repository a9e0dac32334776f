"""Inbound webhooks from the payment gateway."""
from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..services.payment_gateway import record_webhook_event
from ..tasks.payment_tasks import process_webhook_event
from ..utils.exceptions import ValidationError
from ..utils.logging import get_logger

logger = get_logger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    signature = request.headers.get("Stripe-Signature", "")
    try:
        event = record_webhook_event(request.body, signature)
    except ValidationError:
        logger.warning("rejected webhook with bad signature")
        return HttpResponse(status=400)
    if event is not None:  # None means a duplicate delivery
        process_webhook_event.delay(event.pk)
    return HttpResponse(status=200)
