"""URL routes for the storefront API and back office."""
from django.contrib import admin
from django.urls import include, path

from shop.views import (
    cart_views,
    catalog_views,
    checkout_views,
    customer_views,
    inventory_views,
    notification_views,
    order_views,
    payment_views,
    shipping_views,
    webhook_views,
)

catalog_patterns = [
    path("products/", catalog_views.ProductListView.as_view(), name="product-list"),
    path("products/<str:sku>/", catalog_views.ProductDetailView.as_view(), name="product-detail"),
    path("categories/", catalog_views.category_tree, name="category-tree"),
    path("search/", catalog_views.search_view, name="search"),
    path("search/suggest/", catalog_views.suggest_view, name="search-suggest"),
]

account_patterns = [
    path("register/", customer_views.register, name="register"),
    path("profile/", customer_views.ProfileView.as_view(), name="profile"),
    path("addresses/", customer_views.AddressListView.as_view(), name="addresses"),
    path("wishlist/", customer_views.add_to_wishlist, name="wishlist-add"),
    path("loyalty/", customer_views.loyalty_view, name="loyalty"),
    path("export/", customer_views.gdpr_export_view, name="gdpr-export"),
    path("cards/", payment_views.payment_methods, name="payment-methods"),
    path("cards/<int:method_id>/", payment_views.delete_payment_method, name="payment-method-delete"),
    path("notifications/", notification_views.preferences, name="notification-preferences"),
]

order_patterns = [
    path("cart/", cart_views.CartView.as_view(), name="cart"),
    path("cart/<str:sku>/", cart_views.CartView.as_view(), name="cart-item"),
    path("cart/discount/", cart_views.DiscountCodeView.as_view(), name="cart-discount"),
    path("checkout/", checkout_views.CheckoutView.as_view(), name="checkout"),
    path("checkout/shipping-options/", checkout_views.ShippingOptionsView.as_view(), name="shipping-options"),
    path("orders/", order_views.order_list, name="order-list"),
    path("orders/<str:number>/", order_views.order_detail, name="order-detail"),
    path("orders/<str:number>/cancel/", order_views.cancel_order, name="order-cancel"),
    path("orders/<str:number>/invoice/", order_views.invoice_view, name="order-invoice"),
]

backoffice_patterns = [
    path("orders/<str:number>/cancel/", order_views.admin_cancel_order),
    path("orders/<str:number>/refund/", payment_views.refund_order),
    path("orders/<str:number>/fulfil/", shipping_views.fulfil_order),
    path("shipments/<int:shipment_id>/dispatch/", shipping_views.dispatch_shipment),
    path("reports/sales/", order_views.sales_report),
    path("stock/low/", inventory_views.low_stock),
    path("stock/adjust/", inventory_views.adjust),
    path("stock/transfer/", inventory_views.transfer),
    path("warehouses/<str:code>/stock/", inventory_views.warehouse_stock),
    path("purchase-orders/<str:reference>/receive/", inventory_views.receive_purchase_order),
]

webhook_patterns = [
    path("stripe/", webhook_views.stripe_webhook),
    path("parcelhub/", shipping_views.carrier_webhook),
    path("ses/bounces/", notification_views.ses_bounce_webhook),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/catalog/", include(catalog_patterns)),
    path("api/account/", include(account_patterns)),
    path("api/", include(order_patterns)),
    path("api/backoffice/", include(backoffice_patterns)),
    path("hooks/", include(webhook_patterns)),
    path("track/<str:tracking_number>/", shipping_views.track, name="track"),
    path("unsubscribe/<str:token>/", notification_views.unsubscribe, name="unsubscribe"),
]
