"""Discount codes: validation, amount calculation and redemption tracking."""
from __future__ import annotations

from dataclasses import dataclass

from ..models.core import Customer, Order
from ..models.orders import DiscountCode, DiscountKind, DiscountRedemption
from ..utils import Money, ValidationError, get_logger
from ..utils.dates import now
from ..utils.money import zero

logger = get_logger(__name__)


@dataclass
class DiscountResult:
    code: str
    amount: Money
    free_shipping: bool = False

    @classmethod
    def none(cls, currency: str = "GBP") -> "DiscountResult":
        return cls(code="", amount=zero(currency))


def get_code(code: str) -> DiscountCode:
    try:
        return DiscountCode.objects.get(code=code.strip().upper(), is_active=True)
    except DiscountCode.DoesNotExist:
        raise ValidationError("This discount code is not valid.", field="discount_code")


def validate_code(code: str, customer: Customer | None, subtotal: Money) -> DiscountCode:
    discount = get_code(code)
    at = now()
    if discount.valid_from > at or (discount.valid_until and discount.valid_until < at):
        raise ValidationError("This discount code has expired.", field="discount_code")
    if subtotal.amount < discount.minimum_spend:
        raise ValidationError(
            f"Spend at least {Money(discount.minimum_spend, subtotal.currency)} to use this code.",
            field="discount_code",
        )
    if discount.max_uses is not None and discount.redemptions.count() >= discount.max_uses:
        raise ValidationError("This discount code has been fully redeemed.", field="discount_code")
    if customer is not None:
        used = discount.redemptions.filter(customer=customer).count()
        if used >= discount.max_uses_per_customer:
            raise ValidationError("You have already used this code.", field="discount_code")
    return discount


def evaluate(code: str, customer: Customer | None, subtotal: Money) -> DiscountResult:
    if not code:
        return DiscountResult.none(subtotal.currency)
    discount = validate_code(code, customer, subtotal)
    if discount.kind == DiscountKind.PERCENT:
        amount = subtotal.percent(discount.value)
    elif discount.kind == DiscountKind.FIXED:
        amount = Money(discount.value, subtotal.currency)
        if subtotal < amount:
            amount = subtotal
    else:
        return DiscountResult(code=discount.code, amount=zero(subtotal.currency), free_shipping=True)
    return DiscountResult(code=discount.code, amount=amount)


def record_redemption(result: DiscountResult, order: Order) -> DiscountRedemption | None:
    if not result.code:
        return None
    redemption = DiscountRedemption.objects.create(
        code=get_code(result.code), order=order, customer=order.customer, amount=result.amount.amount
    )
    logger.info("discount %s redeemed on %s", result.code, order.number)
    return redemption


def release_redemption(order: Order) -> None:
    DiscountRedemption.objects.filter(order=order).delete()
