"""Client for the SMS aggregator."""
from __future__ import annotations

from django.conf import settings

from ..utils.http import ApiClient


class SmsGatewayClient(ApiClient):
    service_name = "sms-gateway"
    timeout = 5

    def __init__(self, sender_id: str = "SHOP"):
        super().__init__(base_url=settings.SMS_GATEWAY_URL)
        self.sender_id = sender_id

    def send_message(self, to: str, text: str) -> str:
        result = self.post("messages", {"from": self.sender_id, "to": to, "body": text})
        return result["message_id"]

    def delivery_status(self, message_id: str) -> str:
        return self.get(f"messages/{message_id}").get("status", "unknown")
