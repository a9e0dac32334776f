"""Product search backed by Postgres full-text search."""
from __future__ import annotations

from ..models.catalog import Product
from ..utils.cache import cached
from ..utils.db import raw_query
from ..utils.logging import get_logger
from ..utils.pagination import Page
from ..utils.text import normalize_whitespace
from . import catalog_service

logger = get_logger(__name__)

SEARCH_SQL = """
    SELECT p.id, ts_rank(p.search_vector, q) AS rank
    FROM catalog_product p, plainto_tsquery('english', %s) q
    WHERE p.search_vector @@ q AND p.is_active AND p.deleted_at IS NULL
    ORDER BY rank DESC
    LIMIT %s OFFSET %s
"""

COUNT_SQL = """
    SELECT count(*) AS n FROM catalog_product p
    WHERE p.search_vector @@ plainto_tsquery('english', %s) AND p.is_active
"""

REINDEX_SQL = """
    UPDATE catalog_product
    SET search_vector = setweight(to_tsvector('english', name), 'A')
                     || setweight(to_tsvector('english', coalesce(description, '')), 'B')
    WHERE id = %s
"""


@cached("search", ttl=120)
def search_products(query: str, page: int = 1, per_page: int = 24) -> Page:
    query = normalize_whitespace(query)
    if len(query) < 2:
        return Page(items=[], page=1, per_page=per_page, total=0)
    offset = (page - 1) * per_page
    rows = raw_query(SEARCH_SQL, [query, per_page, offset])
    total = raw_query(COUNT_SQL, [query])[0]["n"]
    by_id = Product.objects.in_bulk([r["id"] for r in rows])
    items = [by_id[r["id"]] for r in rows if r["id"] in by_id]
    if not items and page == 1:
        logger.info("zero-result search: %s", query)
    return Page(items=items, page=page, per_page=per_page, total=total, extra={"query": query})


def suggest(prefix: str, limit: int = 8) -> list[str]:
    prefix = normalize_whitespace(prefix)
    if len(prefix) < 2:
        return []
    return list(
        Product.objects.active()
        .filter(name__istartswith=prefix, is_active=True)
        .values_list("name", flat=True)[:limit]
    )


def reindex_product(sku: str) -> None:
    from django.db import connection

    product = catalog_service.get_product(sku)
    with connection.cursor() as cursor:
        cursor.execute(REINDEX_SQL, [product.pk])
