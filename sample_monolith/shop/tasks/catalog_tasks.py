"""Catalog maintenance jobs."""
from __future__ import annotations

from celery import shared_task

from ..models.catalog import Product, Promotion
from ..services import search
from ..services.catalog_service import category_tree
from ..utils.cache import invalidate
from ..utils.dates import now
from ..utils.logging import get_logger

logger = get_logger(__name__)


@shared_task
def reindex_catalog(batch_size: int = 500) -> int:
    count = 0
    for sku in Product.objects.active().filter(is_active=True).values_list("sku", flat=True).iterator(batch_size):
        search.reindex_product(sku)
        count += 1
    return count


@shared_task
def expire_promotions() -> int:
    expired = Promotion.objects.filter(is_active=True, ends_at__lt=now()).update(is_active=False)
    if expired:
        invalidate("pricing")
        logger.info("%d promotions expired", expired)
    return expired


@shared_task
def warm_navigation_cache() -> None:
    category_tree.invalidate()
    category_tree()
