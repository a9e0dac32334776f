"""Client for the external sales-tax calculation service (US orders)."""
from __future__ import annotations

from django.conf import settings

from ..utils.cache import cache_get, cache_set, make_key
from ..utils.http import ApiClient


class TaxApiClient(ApiClient):
    service_name = "tax-api"
    timeout = 4

    def __init__(self):
        super().__init__(base_url=settings.TAX_API_URL, api_key=settings.TAX_API_KEY)

    def quote(self, *, to_postcode: str, to_country: str, lines: list[dict]) -> dict:
        key = make_key("tax:quote", to_country, to_postcode, *(f"{l['sku']}={l['amount']}" for l in lines))
        cached = cache_get(key)
        if cached:
            return cached
        result = self.post("quotes", {"destination": {"postcode": to_postcode, "country": to_country}, "lines": lines})
        cache_set(key, result, ttl=900)
        return result

    def commit(self, order_number: str, quote_id: str) -> dict:
        """Report a completed transaction for filing."""
        return self.post(f"quotes/{quote_id}/commit", {"reference": order_number})
