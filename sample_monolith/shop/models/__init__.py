"""All models, importable as ``from shop.models import Order``.

``core`` is star-exported (it defines ``__all__``); the per-area modules are
re-exported explicitly.
"""
from .core import *  # noqa: F401,F403
from .catalog import Brand, Category, PriceList, PriceListEntry, Product, ProductImage, ProductVariant, Promotion
from .customers import CustomerGroup, LoyaltyAccount, LoyaltyTransaction, MarketingConsent, Wishlist, WishlistItem
from .inventory import PurchaseOrder, PurchaseOrderLine, StockItem, StockMovement, StockReservation, Supplier, Warehouse
from .notifications import NotificationLog, NotificationPreference, NotificationTemplate
from .orders import Cart, CartItem, DiscountCode, DiscountRedemption, Invoice, OrderStatusHistory, TaxRate
from .payments import Chargeback, PaymentEvent, PaymentMethod, Refund
from .shipping import Shipment, ShipmentItem, ShippingMethod, ShippingZone, TrackingEvent
from . import core as _core

__all__ = list(_core.__all__) + [
    "Brand", "Category", "PriceList", "PriceListEntry", "Product", "ProductImage", "ProductVariant", "Promotion",
    "CustomerGroup", "LoyaltyAccount", "LoyaltyTransaction", "MarketingConsent", "Wishlist", "WishlistItem",
    "PurchaseOrder", "PurchaseOrderLine", "StockItem", "StockMovement", "StockReservation", "Supplier", "Warehouse",
    "NotificationLog", "NotificationPreference", "NotificationTemplate",
    "Cart", "CartItem", "DiscountCode", "DiscountRedemption", "Invoice", "OrderStatusHistory", "TaxRate",
    "Chargeback", "PaymentEvent", "PaymentMethod", "Refund",
    "Shipment", "ShipmentItem", "ShippingMethod", "ShippingZone", "TrackingEvent",
]
