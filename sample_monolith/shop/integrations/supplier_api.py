"""EDI gateway for suppliers: preferred supplier lookup and purchase orders."""
from __future__ import annotations

from django.conf import settings

from ..utils.cache import cached
from ..utils.http import ApiClient


class SupplierApiClient(ApiClient):
    service_name = "supplier-edi"

    def __init__(self):
        super().__init__(base_url=settings.SUPPLIER_API_URL)

    @cached("supplier:preferred", ttl=86400)
    def preferred_supplier(self, sku: str) -> str | None:
        return self.get(f"catalogue/{sku}").get("preferred_supplier")

    def submit_purchase_order(self, po) -> dict:
        return self.post("purchase-orders", {
            "reference": po.reference,
            "supplier": po.supplier.code,
            "deliver_to": po.warehouse.code,
            "lines": [{"sku": l.variant.sku, "quantity": l.quantity} for l in po.lines.all()],
        })

    def stock_feed(self, supplier_code: str) -> list[dict]:
        return self.get(f"suppliers/{supplier_code}/stock").get("items", [])
