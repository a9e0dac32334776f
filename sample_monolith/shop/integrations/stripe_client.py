"""Minimal Stripe client covering the calls the shop makes.

Uses the official SDK when it is installed, and plain HTTP otherwise (the
SDK is not installed in the lightweight worker image)."""
from __future__ import annotations

import hashlib
import hmac
import json
import time

from ..utils.exceptions import ExternalServiceError, ValidationError
from ..utils.http import ApiClient
from ..utils.logging import get_logger

try:
    import stripe
except ImportError:
    stripe = None

logger = get_logger(__name__)

SIGNATURE_TOLERANCE_SECONDS = 300


class StripeError(Exception):
    def __init__(self, message: str, decline_code: str | None = None, user_message: str | None = None):
        super().__init__(message)
        self.decline_code = decline_code
        self.user_message = user_message


class StripeClient(ApiClient):
    service_name = "stripe"
    base_url = "https://api.stripe.com/v1"

    def _call(self, method: str, path: str, data: dict, idempotency_key: str | None = None) -> dict:
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        try:
            return self.request(method, path, data=data, headers=headers)
        except ExternalServiceError as exc:
            status = exc.details.get("status")
            if status == 402:
                body = json.loads(exc.message or "{}").get("error", {}) if exc.message.startswith("{") else {}
                raise StripeError(exc.message, body.get("decline_code") or body.get("code"), body.get("message"))
            raise

    def create_intent(self, *, amount: int, currency: str, payment_method: str, customer: str | None,
                      metadata: dict, capture_method: str = "manual", idempotency_key: str | None = None) -> dict:
        data = {
            "amount": amount, "currency": currency, "payment_method": payment_method,
            "capture_method": capture_method, "confirm": "true",
            **{f"metadata[{k}]": v for k, v in metadata.items()},
        }
        if customer:
            data["customer"] = customer
        intent = self._call("POST", "payment_intents", data, idempotency_key)
        charge = (intent.get("charges") or {}).get("data", [{}])[0]
        card = charge.get("payment_method_details", {}).get("card", {})
        intent["card"] = {k: card.get(k) for k in ("brand", "last4", "exp_month", "exp_year")}
        return intent

    def capture_intent(self, intent_id: str, amount: int, idempotency_key: str | None = None) -> dict:
        return self._call("POST", f"payment_intents/{intent_id}/capture", {"amount_to_capture": amount}, idempotency_key)

    def cancel_intent(self, intent_id: str, reason: str, idempotency_key: str | None = None) -> dict:
        return self._call("POST", f"payment_intents/{intent_id}/cancel", {"cancellation_reason": reason}, idempotency_key)

    def create_refund(self, intent_id: str, amount: int, reason: str, idempotency_key: str | None = None) -> dict:
        stripe_reason = "requested_by_customer" if reason in ("customer_request", "cancelled") else "duplicate" \
            if reason == "duplicate" else None
        data = {"payment_intent": intent_id, "amount": amount}
        if stripe_reason:
            data["reason"] = stripe_reason
        return self._call("POST", "refunds", data, idempotency_key)

    def construct_event(self, payload: bytes, signature: str, secret: str) -> dict:
        if stripe is not None:
            try:
                return stripe.Webhook.construct_event(payload, signature, secret)
            except Exception as exc:  # stripe.error.SignatureVerificationError
                raise ValidationError("Invalid webhook signature.") from exc
        parts = dict(item.split("=", 1) for item in signature.split(",") if "=" in item)
        timestamp, expected = parts.get("t", "0"), parts.get("v1", "")
        signed = f"{timestamp}.{payload.decode()}".encode()
        digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(digest, expected) or abs(time.time() - int(timestamp)) > SIGNATURE_TOLERANCE_SECONDS:
            raise ValidationError("Invalid webhook signature.")
        return json.loads(payload)

    def list_payouts(self, created_gte: int) -> list[dict]:
        return self.get("payouts", **{"created[gte]": created_gte, "limit": 100}).get("data", [])
