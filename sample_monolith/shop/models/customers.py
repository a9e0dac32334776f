"""Customer-side models not (yet) in core: groups, loyalty, wishlists, consents."""
from __future__ import annotations

from django.db import models

from ..utils.money import Money
from .base import MoneyField, TimeStampedModel
from .core import Customer


class CustomerGroup(TimeStampedModel):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    price_list_code = models.CharField(max_length=32, blank=True)
    tax_exempt = models.BooleanField(default=False)

    class Meta:
        app_label = "customers"


class LoyaltyTier(models.TextChoices):
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"


class LoyaltyAccount(TimeStampedModel):
    customer = models.OneToOneField(Customer, related_name="loyalty", on_delete=models.CASCADE)
    points_balance = models.IntegerField(default=0)
    lifetime_points = models.IntegerField(default=0)
    tier = models.CharField(max_length=10, choices=LoyaltyTier.choices, default=LoyaltyTier.BRONZE)

    class Meta:
        app_label = "customers"


class LoyaltyTransaction(TimeStampedModel):
    account = models.ForeignKey(LoyaltyAccount, related_name="transactions", on_delete=models.CASCADE)
    points = models.IntegerField()
    reason = models.CharField(max_length=40)  # earned, redeemed, expired, adjustment
    order_number = models.CharField(max_length=20, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "customers"


class Wishlist(TimeStampedModel):
    customer = models.ForeignKey(Customer, related_name="wishlists", on_delete=models.CASCADE)
    name = models.CharField(max_length=80, default="My wishlist")
    is_public = models.BooleanField(default=False)

    class Meta:
        app_label = "customers"


class WishlistItem(TimeStampedModel):
    wishlist = models.ForeignKey(Wishlist, related_name="items", on_delete=models.CASCADE)
    variant = models.ForeignKey("catalog.ProductVariant", on_delete=models.CASCADE)
    price_when_added = MoneyField()

    class Meta:
        app_label = "customers"
        unique_together = ("wishlist", "variant")

    @property
    def price_drop(self) -> Money:
        """How much cheaper the item is now than when it was wishlisted."""
        current = self.variant.list_price
        added = Money(self.price_when_added, current.currency)
        return added - current if current < added else Money(0, current.currency)


class MarketingConsent(TimeStampedModel):
    customer = models.ForeignKey(Customer, related_name="consents", on_delete=models.CASCADE)
    channel = models.CharField(max_length=10)  # email, sms, post
    granted = models.BooleanField()
    source = models.CharField(max_length=40, blank=True)

    class Meta:
        app_label = "customers"
