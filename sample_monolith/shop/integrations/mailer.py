"""Outbound email transport: Amazon SES in production, Django's SMTP backend elsewhere."""
from __future__ import annotations

from django.core.mail import EmailMultiAlternatives

from ..utils.logging import get_logger

try:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    boto3 = None
    BotoCoreError = ClientError = Exception

logger = get_logger(__name__)


class MailerError(Exception):
    pass


class MailerClient:
    def __init__(self, provider: str = "ses", region: str = "eu-west-2"):
        self.provider = provider if (provider != "ses" or boto3 is not None) else "smtp"
        self._ses = boto3.client("sesv2", region_name=region) if self.provider == "ses" else None

    def send(self, *, sender: str, to: str, subject: str, text: str, html: str | None = None) -> str:
        if self._ses is not None:
            return self._send_ses(sender, to, subject, text, html)
        return self._send_smtp(sender, to, subject, text, html)

    def _send_ses(self, sender, to, subject, text, html) -> str:
        body = {"Text": {"Data": text}}
        if html:
            body["Html"] = {"Data": html}
        try:
            result = self._ses.send_email(
                FromEmailAddress=sender,
                Destination={"ToAddresses": [to]},
                Content={"Simple": {"Subject": {"Data": subject}, "Body": body}},
            )
        except (BotoCoreError, ClientError) as exc:
            raise MailerError(str(exc)) from exc
        return result["MessageId"]

    def _send_smtp(self, sender, to, subject, text, html) -> str:
        message = EmailMultiAlternatives(subject, text, sender, [to])
        if html:
            message.attach_alternative(html, "text/html")
        try:
            message.send(fail_silently=False)
        except OSError as exc:
            raise MailerError(str(exc)) from exc
        return message.extra_headers.get("Message-ID", "smtp")
