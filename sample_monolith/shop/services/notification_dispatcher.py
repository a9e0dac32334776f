"""Decides how (and whether) to tell a customer about something.

Other parts of the shop call ``notify(customer, "order.shipped", {...})`` and
this module picks the channels according to the customer's preferences.
"""
from __future__ import annotations

from django.template import Context, Template

from ..models.core import Customer
from ..models.notifications import Channel, NotificationPreference, NotificationTemplate
from ..utils import events, get_logger
from ..utils.text import random_code
from . import email_service, sms

logger = get_logger(__name__)

# Events a customer cannot opt out of.
MANDATORY = {"customer.welcome", "customer.password_reset", "order.confirmation", "payment.refunded"}
SMS_EVENTS = {"shipment.out_for_delivery", "shipment.delivered", "order.shipped"}


def preferences_for(customer: Customer) -> NotificationPreference:
    prefs, _ = NotificationPreference.objects.get_or_create(
        customer=customer, defaults={"unsubscribe_token": random_code(32)}
    )
    return prefs


def _sms_text(key: str, context: dict) -> str | None:
    template = NotificationTemplate.objects.filter(key=key, channel=Channel.SMS, is_active=True).first()
    if template is None:
        return None
    return Template(template.body_text).render(Context(context))


def notify(customer: Customer, key: str, context: dict | None = None, related: str = "") -> list[str]:
    """Send notification ``key`` to ``customer``; return the channels used."""
    context = {"customer": customer, "first_name": customer.first_name, **(context or {})}
    prefs = preferences_for(customer)
    used: list[str] = []
    if key in MANDATORY or prefs.order_updates_email:
        context["unsubscribe_token"] = prefs.unsubscribe_token
        email_service.send_templated(key, customer.email, context, related=related)
        used.append(Channel.EMAIL)
    if key in SMS_EVENTS and prefs.order_updates_sms and customer.phone:
        text = _sms_text(key, context)
        if text:
            sms.send_sms(customer.phone, text, template_key=key, related=related)
            used.append(Channel.SMS)
    if not used:
        logger.info("notification %s suppressed by preferences for customer %s", key, customer.pk)
    return used


def unsubscribe(token: str, scope: str = "all") -> bool:
    prefs = NotificationPreference.objects.filter(unsubscribe_token=token).first()
    if prefs is None:
        return False
    prefs.marketing_email = False
    if scope == "all":
        prefs.order_updates_email = False
        prefs.order_updates_sms = False
    prefs.save()
    return True


@events.subscribe(events.SHIPMENT_DELIVERED)
def _on_delivered(shipment, **_):
    order = shipment.order
    notify(order.customer, "shipment.delivered", {"order_number": order.number}, related=f"order:{order.number}")


@events.subscribe(events.STOCK_LOW)
def _on_stock_low(sku: str, available: int, **_):
    email_service.send_email(
        "buying@shop.example", f"Low stock: {sku}", f"{sku} is down to {available} units.",
        template_key="internal.stock_low",
    )
