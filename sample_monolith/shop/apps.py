"""App configs.

All models live in the single ``shop`` package, but each group of models
declares its own ``app_label`` so that table names look like
``orders_order`` or ``catalog_product``.  These configs register the labels.
"""
from django.apps import AppConfig


class _ShopAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shop"


class CatalogConfig(_ShopAppConfig):
    label = "catalog"
    verbose_name = "Catalog"


class CustomersConfig(_ShopAppConfig):
    label = "customers"
    verbose_name = "Customers"


class OrdersConfig(_ShopAppConfig):
    label = "orders"
    verbose_name = "Orders"

    def ready(self) -> None:
        # Signal handlers are wired up lazily to avoid import-time side effects.
        from shop.utils import events

        events.freeze()


class PaymentsConfig(_ShopAppConfig):
    label = "payments"
    verbose_name = "Payments"


class InventoryConfig(_ShopAppConfig):
    label = "inventory"
    verbose_name = "Inventory"


class ShippingConfig(_ShopAppConfig):
    label = "shipping"
    verbose_name = "Shipping"


class NotificationsConfig(_ShopAppConfig):
    label = "notifications"
    verbose_name = "Notifications"
