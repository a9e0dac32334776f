"""Notification models: templates, per-customer preferences and a send log."""
from __future__ import annotations

from django.db import models

from ..utils.text import mask_email
from .base import TimeStampedModel
from .core import Customer


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"


class NotificationTemplate(TimeStampedModel):
    key = models.CharField(max_length=60)  # e.g. "order.confirmation"
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    language = models.CharField(max_length=5, default="en")
    subject = models.CharField(max_length=200, blank=True)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        app_label = "notifications"
        unique_together = ("key", "channel", "language")


class NotificationPreference(TimeStampedModel):
    customer = models.OneToOneField(Customer, related_name="notification_prefs", on_delete=models.CASCADE)
    order_updates_email = models.BooleanField(default=True)
    order_updates_sms = models.BooleanField(default=False)
    marketing_email = models.BooleanField(default=False)
    unsubscribe_token = models.CharField(max_length=40, unique=True)

    class Meta:
        app_label = "notifications"


class NotificationLog(TimeStampedModel):
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=200)
    template_key = models.CharField(max_length=60, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, default="queued")  # queued, sent, failed, bounced
    provider_message_id = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    related_object = models.CharField(max_length=60, blank=True)  # "order:SH-10023"

    class Meta:
        app_label = "notifications"
        indexes = [models.Index(fields=["recipient", "created_at"])]

    def __str__(self) -> str:
        recipient = mask_email(self.recipient) if self.channel == Channel.EMAIL else self.recipient[-4:]
        return f"{self.channel}:{self.template_key or '-'} to {recipient} [{self.status}]"
