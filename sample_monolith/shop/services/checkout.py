"""Checkout orchestration: cart -> order -> payment authorization -> confirmation."""
from __future__ import annotations

from dataclasses import dataclass

from shop.services import payment_gateway
from ..models.core import Customer, Order
from ..models.orders import Cart
from ..utils import ValidationError, get_logger
from ..utils.logging import log_event
from . import addresses, cart as cart_service, discounts, fraud, order_service, shipping_rates

logger = get_logger(__name__)


@dataclass
class CheckoutRequest:
    shipping_address_id: int
    billing_address_id: int | None
    shipping_method_code: str
    payment_token: str
    save_card: bool = False
    ip_address: str | None = None


@dataclass
class CheckoutResult:
    order: Order
    requires_action: bool = False
    under_review: bool = False

    def as_dict(self) -> dict:
        return {
            "order_number": self.order.number,
            "status": self.order.status,
            "total": str(self.order.grand_total),
            "requires_action": self.requires_action,
            "under_review": self.under_review,
        }


def preview(cart: Cart, customer: Customer, shipping_address_id: int, shipping_method_code: str):
    address = addresses.get_address(customer, shipping_address_id)
    shipping = shipping_rates.rate_for_cart(cart, address, shipping_method_code)
    return cart_service.compute_totals(cart, address, shipping)


def place_order(cart: Cart, customer: Customer, request: CheckoutRequest) -> CheckoutResult:
    if not cart.items.exists():
        raise ValidationError("Your basket is empty.")
    if cart_service.refresh_prices(cart):
        raise ValidationError("Prices in your basket have changed, please review.", code="prices_changed")

    shipping_address = addresses.get_address(customer, request.shipping_address_id)
    billing_address = (
        addresses.get_address(customer, request.billing_address_id) if request.billing_address_id else shipping_address
    )
    shipping = shipping_rates.rate_for_cart(cart, shipping_address, request.shipping_method_code)
    totals = cart_service.compute_totals(cart, shipping_address, shipping)

    order = order_service.create_order_from_cart(
        cart, customer, totals, shipping_address, billing_address, request.shipping_method_code, request.ip_address,
    )
    discounts.record_redemption(discounts.DiscountResult(totals.discount_code, totals.discount), order)

    assessment = fraud.score_order(order, request.ip_address)
    payment = payment_gateway.authorize_payment(order, request.payment_token, save_method=request.save_card)
    if payment.status != "authorized":
        log_event(logger, "checkout.requires_action", order=order.number)
        return CheckoutResult(order=order, requires_action=True)

    if assessment.needs_review:
        order_service.add_note(order, f"Held for fraud review: {', '.join(assessment.reasons)}")
        return CheckoutResult(order=order, under_review=True)

    order_service.confirm_order(order)
    from shop.tasks.notification_tasks import send_order_confirmation

    send_order_confirmation.delay(order.pk)
    log_event(logger, "checkout.completed", order=order.number)
    return CheckoutResult(order=order)
