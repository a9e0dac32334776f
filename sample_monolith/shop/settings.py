"""Django settings for the shop project.

Values that differ per environment are read from the environment.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SHOP_SECRET_KEY", "dev-only-not-secret")
DEBUG = os.environ.get("SHOP_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("SHOP_ALLOWED_HOSTS", "localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "shop.apps.CatalogConfig",
    "shop.apps.CustomersConfig",
    "shop.apps.OrdersConfig",
    "shop.apps.PaymentsConfig",
    "shop.apps.InventoryConfig",
    "shop.apps.ShippingConfig",
    "shop.apps.NotificationsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "shop.utils.logging.RequestIdMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("SHOP_DB_NAME", "shop"),
        "USER": os.environ.get("SHOP_DB_USER", "shop"),
        "PASSWORD": os.environ.get("SHOP_DB_PASSWORD", ""),
        "HOST": os.environ.get("SHOP_DB_HOST", "localhost"),
        "PORT": os.environ.get("SHOP_DB_PORT", "5432"),
        "ATOMIC_REQUESTS": False,
    }
}

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ.get("SHOP_REDIS_URL", "redis://localhost:6379/1"),
    }
}

AUTH_USER_MODEL = "auth.User"
LOGIN_URL = "/account/login/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_TZ = True
STATIC_URL = "/static/"

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("SHOP_BROKER_URL", "redis://localhost:6379/0")
CELERY_TASK_ROUTES = {
    "shop.tasks.payment_tasks.*": {"queue": "payments"},
    "shop.tasks.notification_tasks.*": {"queue": "mail"},
}
CELERY_TASK_ACKS_LATE = True

# --- Business configuration -------------------------------------------------
DEFAULT_CURRENCY = "GBP"
SUPPORTED_CURRENCIES = ("GBP", "EUR", "USD")
DEFAULT_COUNTRY = "GB"
UNPAID_ORDER_TIMEOUT_MINUTES = 60
STOCK_RESERVATION_TTL_MINUTES = 30
FREE_SHIPPING_THRESHOLD = "75.00"
LOYALTY_POINTS_PER_UNIT = 1
LOYALTY_POINT_VALUE = "0.01"

PAYMENT_GATEWAY = "stripe"
STRIPE_API_KEY = os.environ.get("STRIPE_API_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
FRAUD_REVIEW_THRESHOLD = 70

TAX_API_URL = os.environ.get("TAX_API_URL", "https://tax.example.com/v2")
TAX_API_KEY = os.environ.get("TAX_API_KEY", "")

SHIPPING_CARRIER_BACKEND = "shop.integrations.carrier_api"
CARRIER_API_URL = os.environ.get("CARRIER_API_URL", "https://api.parcelhub.example/v1")
CARRIER_API_KEY = os.environ.get("CARRIER_API_KEY", "")
WAREHOUSE_DEFAULT_CODE = "LON1"

SUPPLIER_API_URL = os.environ.get("SUPPLIER_API_URL", "https://edi.supplier.example")

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = "Shop <orders@shop.example>"
MAILER_PROVIDER = os.environ.get("MAILER_PROVIDER", "ses")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "https://sms.example.com/api")
SMS_SENDER_ID = "SHOP"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "shop.utils.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
