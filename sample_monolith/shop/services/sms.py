"""SMS sending via the SMS gateway integration."""
from __future__ import annotations

from django.conf import settings

from ..integrations.sms_gateway import SmsGatewayClient
from ..models.notifications import Channel, NotificationLog
from ..utils.exceptions import ExternalServiceError
from ..utils.logging import get_logger, log_event
from ..utils.text import truncate
from ..utils.validators import validate_phone

logger = get_logger(__name__)

GSM_SEGMENT = 160
MAX_SEGMENTS = 3


def segments(text: str) -> int:
    return max(1, -(-len(text) // GSM_SEGMENT))


def to_e164(phone: str, default_country: str = "GB") -> str:
    phone = validate_phone(phone)
    if phone.startswith("+"):
        return phone
    if default_country == "GB" and phone.startswith("0"):
        return "+44" + phone[1:]
    return "+" + phone


def send_sms(phone: str, text: str, template_key: str = "", related: str = "") -> NotificationLog:
    recipient = to_e164(phone)
    body = truncate(text, GSM_SEGMENT * MAX_SEGMENTS)
    log = NotificationLog.objects.create(
        channel=Channel.SMS, recipient=recipient, template_key=template_key, related_object=related,
    )
    client = SmsGatewayClient(sender_id=settings.SMS_SENDER_ID)
    try:
        message_id = client.send_message(recipient, body)
    except ExternalServiceError as exc:
        log.status, log.error = "failed", str(exc)
        log.save(update_fields=["status", "error", "updated_at"])
        return log
    log.status, log.provider_message_id = "sent", message_id
    log.save(update_fields=["status", "provider_message_id", "updated_at"])
    log_event(logger, "sms.sent", template=template_key, segments=segments(body))
    return log
