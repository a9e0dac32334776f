"""Catalog service: reading and maintaining products, variants and categories."""
from __future__ import annotations

from typing import Iterable

from django.db.models import Prefetch, Q

from ..models.catalog import Brand, Category, Product, ProductImage, ProductVariant
from ..utils import NotFound, get_logger
from ..utils.cache import cached, invalidate
from ..utils.decorators import timed, transactional
from ..utils.logging import log_event
from ..utils.money import Money
from ..utils.pagination import Page, paginate
from ..utils.text import normalize_whitespace, unique_slug
from ..utils.validators import validate_sku

logger = get_logger(__name__)


def get_product(sku: str) -> Product:
    try:
        return (
            Product.objects.active()
            .select_related("category", "brand")
            .prefetch_related("variants", "images")
            .get(sku=sku, is_active=True)
        )
    except Product.DoesNotExist:
        raise NotFound(f"Product {sku} not found.", sku=sku)


def get_variant(sku: str) -> ProductVariant:
    try:
        return ProductVariant.objects.select_related("product").get(
            sku=sku, is_active=True, product__is_active=True
        )
    except ProductVariant.DoesNotExist:
        raise NotFound(f"Variant {sku} not found.", sku=sku)


def get_variants(skus: Iterable[str]) -> dict[str, ProductVariant]:
    variants = ProductVariant.objects.select_related("product").filter(sku__in=list(skus))
    return {v.sku: v for v in variants}


@timed
def list_products(category_slug: str | None = None, brand_slug: str | None = None,
                  page: int = 1, per_page: int = 24) -> Page:
    qs = Product.objects.active().filter(is_active=True).select_related("brand")
    if category_slug:
        category = Category.objects.filter(slug=category_slug, is_visible=True).first()
        if category is None:
            raise NotFound("Unknown category.", slug=category_slug)
        ids = [category.pk] + [c.pk for c in category.children.all()]
        qs = qs.filter(category_id__in=ids)
    if brand_slug:
        qs = qs.filter(brand__slug=brand_slug)
    qs = qs.prefetch_related(Prefetch("images", queryset=ProductImage.objects.order_by("position")))
    return paginate(qs.order_by("name"), page, per_page)


@cached("catalog:tree", ttl=3600)
def category_tree() -> list[dict]:
    """Nested category tree for the storefront navigation."""
    nodes = {c.pk: {"slug": c.slug, "name": c.name, "children": []}
             for c in Category.objects.filter(is_visible=True)}
    roots = []
    for category in Category.objects.filter(is_visible=True):
        node = nodes[category.pk]
        if category.parent_id and category.parent_id in nodes:
            nodes[category.parent_id]["children"].append(node)
        else:
            roots.append(node)
    return roots


@transactional
def create_product(*, sku: str, name: str, category_slug: str, base_price: Money,
                   brand: str | None = None, description: str = "",
                   variants: list[dict] | None = None) -> Product:
    sku = validate_sku(sku)
    category = Category.objects.get(slug=category_slug)
    brand_obj = None
    if brand:
        brand_obj, _ = Brand.objects.get_or_create(
            name=brand, defaults={"slug": unique_slug(brand, lambda s: Brand.objects.filter(slug=s).exists())}
        )
    product = Product.objects.create(
        sku=sku,
        name=normalize_whitespace(name),
        slug=unique_slug(name, lambda s: Product.objects.filter(slug=s).exists()),
        description=description,
        category=category,
        brand=brand_obj,
        base_price=base_price.amount,
        currency=base_price.currency,
    )
    for spec in variants or [{"suffix": "STD", "attributes": {}}]:
        ProductVariant.objects.create(
            product=product,
            sku=f"{sku}-{spec['suffix']}",
            attributes=spec.get("attributes", {}),
            price_override=spec.get("price"),
        )
    invalidate("catalog")
    log_event(logger, "catalog.product_created", sku=sku)
    return product


@transactional
def update_product(sku: str, **changes) -> Product:
    product = get_product(sku)
    allowed = {"name", "description", "base_price", "tax_class", "weight_grams"}
    for field, value in changes.items():
        if field not in allowed:
            continue
        if isinstance(value, Money):
            value = value.amount
        setattr(product, field, value)
    product.save()
    invalidate("catalog")
    invalidate("pricing")
    return product


def deactivate_product(sku: str) -> None:
    product = get_product(sku)
    product.is_active = False
    product.save(update_fields=["is_active", "updated_at"])
    product.variants.update(is_active=False)
    invalidate("catalog")
    log_event(logger, "catalog.product_deactivated", sku=sku)


def related_products(product: Product, limit: int = 6) -> list[Product]:
    return list(
        Product.objects.active()
        .filter(Q(category=product.category) | Q(brand=product.brand), is_active=True)
        .exclude(pk=product.pk)
        .order_by("-created_at")[:limit]
    )
