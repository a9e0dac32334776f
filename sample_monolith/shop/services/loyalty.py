"""Loyalty programme: earning, redeeming and expiring points; tiers."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Sum

from ..models.core import Customer
from ..models.customers import LoyaltyAccount, LoyaltyTier, LoyaltyTransaction
from ..utils import Money, ValidationError, get_logger
from ..utils.dates import days_ago, now
from ..utils.db import lock
from ..utils.decorators import transactional
from ..utils.logging import log_event

logger = get_logger(__name__)

POINTS_VALIDITY_DAYS = 365
TIER_THRESHOLDS = [(5000, LoyaltyTier.GOLD), (1500, LoyaltyTier.SILVER), (0, LoyaltyTier.BRONZE)]
TIER_MULTIPLIER = {LoyaltyTier.BRONZE: 1, LoyaltyTier.SILVER: Decimal("1.25"), LoyaltyTier.GOLD: Decimal("1.5")}


def tier_for(lifetime_points: int) -> str:
    for threshold, tier in TIER_THRESHOLDS:
        if lifetime_points >= threshold:
            return tier
    return LoyaltyTier.BRONZE


def points_for(amount: Money, tier: str = LoyaltyTier.BRONZE) -> int:
    base = amount.amount * settings.LOYALTY_POINTS_PER_UNIT
    return int(base * TIER_MULTIPLIER.get(tier, 1))


def points_value(points: int, currency: str = "GBP") -> Money:
    return Money(Decimal(points) * Decimal(settings.LOYALTY_POINT_VALUE), currency)


def _account(customer: Customer, for_update: bool = False) -> LoyaltyAccount:
    qs = LoyaltyAccount.objects.filter(customer=customer)
    if for_update:
        qs = lock(qs)
    account = qs.first()
    if account is None:
        account = LoyaltyAccount.objects.create(customer=customer)
    return account


@transactional
def award_points(customer: Customer, amount: Money, order_number: str) -> int:
    if customer.is_guest:
        return 0
    account = _account(customer, for_update=True)
    points = points_for(amount, account.tier)
    if points <= 0:
        return 0
    LoyaltyTransaction.objects.create(
        account=account, points=points, reason="earned", order_number=order_number,
        expires_at=now() + dt.timedelta(days=POINTS_VALIDITY_DAYS),
    )
    account.points_balance = F("points_balance") + points
    account.lifetime_points = F("lifetime_points") + points
    account.save(update_fields=["points_balance", "lifetime_points", "updated_at"])
    account.refresh_from_db()
    new_tier = tier_for(account.lifetime_points)
    if new_tier != account.tier:
        account.tier = new_tier
        account.save(update_fields=["tier", "updated_at"])
        log_event(logger, "loyalty.tier_changed", customer_id=customer.pk, tier=new_tier)
    return points


@transactional
def redeem_points(customer: Customer, points: int, order_number: str, currency: str = "GBP") -> Money:
    account = _account(customer, for_update=True)
    if points <= 0 or points > account.points_balance:
        raise ValidationError("Not enough loyalty points.", balance=account.points_balance)
    LoyaltyTransaction.objects.create(account=account, points=-points, reason="redeemed", order_number=order_number)
    account.points_balance -= points
    account.save(update_fields=["points_balance", "updated_at"])
    return points_value(points, currency)


@transactional
def reverse_points(customer: Customer, order_number: str) -> int:
    """Take back points earned on a cancelled or refunded order."""
    account = _account(customer, for_update=True)
    earned = account.transactions.filter(order_number=order_number, reason="earned").aggregate(n=Sum("points"))["n"] or 0
    if earned:
        LoyaltyTransaction.objects.create(account=account, points=-earned, reason="reversed", order_number=order_number)
        account.points_balance = max(0, account.points_balance - earned)
        account.save(update_fields=["points_balance", "updated_at"])
    return earned


def expire_points(batch_size: int = 500) -> int:
    expired = 0
    stale = LoyaltyTransaction.objects.filter(reason="earned", expires_at__lt=now(), created_at__gt=days_ago(730))
    for tx in stale.select_related("account")[:batch_size]:
        account = tx.account
        take = min(tx.points, account.points_balance)
        if take > 0:
            LoyaltyTransaction.objects.create(account=account, points=-take, reason="expired")
            account.points_balance -= take
            account.save(update_fields=["points_balance", "updated_at"])
            expired += take
        tx.reason = "earned_expired"
        tx.save(update_fields=["reason"])
    return expired
