"""Customer housekeeping jobs."""
from __future__ import annotations

from celery import shared_task

from ..models.core import Customer
from ..services import customer_service, loyalty
from ..services.notification_dispatcher import notify
from ..utils.dates import days_ago, today
from ..utils.logging import get_logger, log_event

logger = get_logger(__name__)

GUEST_RETENTION_DAYS = 3 * 365


@shared_task
def expire_loyalty_points() -> int:
    expired = loyalty.expire_points()
    log_event(logger, "loyalty.points_expired", points=expired)
    return expired


@shared_task
def anonymise_stale_guests(limit: int = 200) -> int:
    stale = Customer.objects.active().filter(is_guest=True, updated_at__lt=days_ago(GUEST_RETENTION_DAYS))[:limit]
    for customer in stale:
        customer_service.anonymise(customer)
    return len(stale)


@shared_task
def send_birthday_rewards() -> int:
    day = today()
    customers = Customer.objects.active().filter(
        is_guest=False, date_of_birth__month=day.month, date_of_birth__day=day.day
    )
    sent = 0
    for customer in customers:
        notify(customer, "customer.birthday", {"points_bonus": 200})
        sent += 1
    return sent
