"""Transactional email: template rendering, sending and logging."""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Template

from ..integrations.mailer import MailerClient, MailerError
from ..models.notifications import Channel, NotificationLog, NotificationTemplate
from ..utils import NotFound, get_logger
from ..utils.decorators import retry_on
from ..utils.logging import log_event
from ..utils.text import mask_email
from ..utils.validators import validate_email

logger = get_logger(__name__)

_mailer: MailerClient | None = None


def _client() -> MailerClient:
    global _mailer
    if _mailer is None:
        _mailer = MailerClient(provider=settings.MAILER_PROVIDER)
    return _mailer


@dataclass
class RenderedEmail:
    subject: str
    text: str
    html: str | None = None


def render_template(key: str, context: dict, language: str = "en") -> RenderedEmail:
    template = (
        NotificationTemplate.objects.filter(key=key, channel=Channel.EMAIL, is_active=True, language__in=[language, "en"])
        .order_by("-language" if language > "en" else "language")
        .first()
    )
    if template is None:
        raise NotFound(f"No email template {key!r}.")
    ctx = Context(context, autoescape=False)
    subject = Template(template.subject).render(ctx).strip()
    text = Template(template.body_text).render(ctx)
    html = Template(template.body_html).render(Context(context)) if template.body_html else None
    return RenderedEmail(subject=subject, text=text, html=html)


@retry_on(MailerError, attempts=3)
def _deliver(to: str, rendered: RenderedEmail) -> str:
    return _client().send(
        sender=settings.DEFAULT_FROM_EMAIL, to=to, subject=rendered.subject,
        text=rendered.text, html=rendered.html,
    )


def send_email(to: str, subject: str, text: str, html: str | None = None,
               template_key: str = "", related: str = "") -> NotificationLog:
    to = validate_email(to)
    log = NotificationLog.objects.create(
        channel=Channel.EMAIL, recipient=to, template_key=template_key, subject=subject, related_object=related,
    )
    try:
        message_id = _deliver(to, RenderedEmail(subject, text, html))
    except MailerError as exc:
        log.status, log.error = "failed", str(exc)
        log.save(update_fields=["status", "error", "updated_at"])
        logger.error("email to %s failed: %s", mask_email(to), exc)
        return log
    log.status, log.provider_message_id = "sent", message_id
    log.save(update_fields=["status", "provider_message_id", "updated_at"])
    log_event(logger, "email.sent", template=template_key, to=mask_email(to))
    return log


def send_templated(key: str, to: str, context: dict, language: str = "en", related: str = "") -> NotificationLog:
    rendered = render_template(key, context, language)
    return send_email(to, rendered.subject, rendered.text, rendered.html, template_key=key, related=related)


def handle_bounce(provider_message_id: str, permanent: bool) -> None:
    log = NotificationLog.objects.filter(provider_message_id=provider_message_id).first()
    if log is None:
        return
    log.status = "bounced"
    log.save(update_fields=["status", "updated_at"])
    if permanent:
        from ..models.notifications import NotificationPreference

        NotificationPreference.objects.filter(customer__email=log.recipient).update(
            order_updates_email=False, marketing_email=False
        )
