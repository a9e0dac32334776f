"""Catalog models: categories, products, variants, price lists, promotions."""
from __future__ import annotations

from decimal import Decimal

from django.db import models

from ..utils.money import Money
from .base import CurrencyField, MoneyField, SoftDeleteModel, TimeStampedModel


class Category(TimeStampedModel):
    parent = models.ForeignKey("self", null=True, blank=True, related_name="children", on_delete=models.CASCADE)
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    position = models.PositiveIntegerField(default=0)
    is_visible = models.BooleanField(default=True)

    class Meta:
        app_label = "catalog"
        ordering = ("position", "name")
        verbose_name_plural = "categories"

    def ancestors(self) -> list["Category"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Brand(TimeStampedModel):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        app_label = "catalog"


class TaxClass(models.TextChoices):
    STANDARD = "standard", "Standard rate"
    REDUCED = "reduced", "Reduced rate"
    ZERO = "zero", "Zero rated"


class Product(SoftDeleteModel):
    sku = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    category = models.ForeignKey(Category, related_name="products", on_delete=models.PROTECT)
    brand = models.ForeignKey(Brand, null=True, blank=True, on_delete=models.SET_NULL)
    base_price = MoneyField()
    currency = CurrencyField()
    tax_class = models.CharField(max_length=16, choices=TaxClass.choices, default=TaxClass.STANDARD)
    weight_grams = models.PositiveIntegerField(default=500)
    is_active = models.BooleanField(default=True)

    class Meta:
        app_label = "catalog"

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class ProductVariant(TimeStampedModel):
    product = models.ForeignKey(Product, related_name="variants", on_delete=models.CASCADE)
    sku = models.CharField(max_length=40, unique=True)
    attributes = models.JSONField(default=dict)  # {"size": "M", "colour": "navy"}
    price_override = MoneyField(null=True, blank=True, default=None)
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        app_label = "catalog"

    @property
    def list_price(self) -> Money:
        amount = self.price_override if self.price_override is not None else self.product.base_price
        return Money(amount, self.product.currency)

    @property
    def shipping_weight(self) -> int:
        return self.weight_grams or self.product.weight_grams

    def label(self) -> str:
        attrs = ", ".join(f"{k}: {v}" for k, v in sorted(self.attributes.items()))
        return f"{self.product.name} ({attrs})" if attrs else self.product.name


class ProductImage(models.Model):
    product = models.ForeignKey(Product, related_name="images", on_delete=models.CASCADE)
    url = models.URLField()
    alt_text = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "catalog"
        ordering = ("position",)


class PriceList(TimeStampedModel):
    """Customer-group specific prices (trade, staff, wholesale...)."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120)
    currency = CurrencyField()
    priority = models.PositiveSmallIntegerField(default=10)

    class Meta:
        app_label = "catalog"


class PriceListEntry(models.Model):
    price_list = models.ForeignKey(PriceList, related_name="entries", on_delete=models.CASCADE)
    variant = models.ForeignKey(ProductVariant, related_name="price_entries", on_delete=models.CASCADE)
    price = MoneyField()
    min_quantity = models.PositiveIntegerField(default=1)

    class Meta:
        app_label = "catalog"
        unique_together = ("price_list", "variant", "min_quantity")


class Promotion(TimeStampedModel):
    name = models.CharField(max_length=120)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE)
    products = models.ManyToManyField(Product, blank=True, related_name="promotions")
    percent_off = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_active = models.BooleanField(default=True)

    class Meta:
        app_label = "catalog"
