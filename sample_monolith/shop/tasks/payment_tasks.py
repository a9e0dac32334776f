"""Payment background jobs: webhook processing, retrying captures, payout reconciliation."""
from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from ..integrations.stripe_client import StripeClient
from ..models.core import Payment, PaymentStatus
from ..models.payments import PaymentEvent
from ..services import payment_gateway
from ..utils.dates import days_ago
from ..utils.exceptions import ShopError
from ..utils.logging import get_logger, log_event

logger = get_logger(__name__)


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def process_webhook_event(self, event_id: int) -> None:
    event = PaymentEvent.objects.get(pk=event_id)
    if event.processed_at:
        return
    try:
        payment_gateway.apply_webhook_event(event)
    except ShopError:
        logger.exception("webhook %s could not be applied", event.event_id)
    except Exception as exc:
        raise self.retry(exc=exc)


@shared_task
def retry_failed_captures() -> int:
    """Authorized payments older than an hour whose capture never happened."""
    retried = 0
    stuck = Payment.objects.filter(
        status=PaymentStatus.AUTHORIZED, created_at__lt=days_ago(0) - dt.timedelta(hours=1),
        order__status="confirmed",
    )
    for payment in stuck:
        try:
            payment_gateway.capture_payment(payment)
            retried += 1
        except ShopError as exc:
            logger.warning("capture retry failed for payment %s: %s", payment.pk, exc)
    return retried


@shared_task
def reconcile_payouts(days: int = 2) -> dict:
    client = StripeClient(api_key=settings.STRIPE_API_KEY)
    since = int(days_ago(days).timestamp())
    payouts = client.list_payouts(created_gte=since)
    total = sum(p["amount"] for p in payouts)
    log_event(logger, "payments.payouts_reconciled", count=len(payouts), total_minor=total)
    return {"count": len(payouts), "total_minor": total}
