"""Storefront catalog endpoints."""
from __future__ import annotations

from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from ..models.catalog import Product
from ..services import catalog_service, pricing, search
from ..utils.decorators import json_errors
from ..utils.http import JsonView, json_response


def serialize_product(product: Product, detail: bool = False) -> dict:
    data = {
        "sku": product.sku,
        "name": product.name,
        "slug": product.slug,
        "brand": product.brand.name if product.brand_id else None,
        "price": str(product.base_price),
        "currency": product.currency,
        "image": product.images.all()[0].url if product.images.all() else None,
    }
    if detail:
        data["description"] = product.description
        data["category"] = [c.slug for c in product.category.ancestors()] + [product.category.slug]
        data["variants"] = [
            {"sku": v.sku, "attributes": v.attributes, "price": pricing.quote(v).as_dict()}
            for v in product.variants.filter(is_active=True)
        ]
    return data


class ProductListView(JsonView):
    def get(self, request):
        page = catalog_service.list_products(
            category_slug=request.GET.get("category"), brand_slug=request.GET.get("brand"),
            page=request.GET.get("page", 1), per_page=request.GET.get("per_page", 24),
        )
        return json_response(page.to_dict(serialize_product))


class ProductDetailView(JsonView):
    def get(self, request, sku: str):
        product = catalog_service.get_product(sku)
        data = serialize_product(product, detail=True)
        data["related"] = [serialize_product(p) for p in catalog_service.related_products(product)]
        return json_response(data)


@require_GET
@cache_page(300)
def category_tree(request):
    return json_response(catalog_service.category_tree())


@require_GET
@json_errors
def search_view(request):
    page = search.search_products(request.GET.get("q", ""), int(request.GET.get("page", 1)))
    return json_response(page.to_dict(serialize_product))


@require_GET
def suggest_view(request):
    return json_response(search.suggest(request.GET.get("q", "")))
