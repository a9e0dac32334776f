"""Celery application for background jobs (queues: default, payments, mail)."""
import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["shop.tasks"])

app.conf.beat_schedule = {
    "cancel-unpaid-orders": {
        "task": "shop.tasks.order_tasks.cancel_unpaid_orders",
        "schedule": crontab(minute="*/15"),
    },
    "expire-stock-reservations": {
        "task": "shop.tasks.inventory_tasks.expire_reservations",
        "schedule": crontab(minute="*/5"),
    },
    "poll-tracking": {
        "task": "shop.tasks.shipping_tasks.poll_all_tracking",
        "schedule": crontab(minute=0, hour="*/2"),
    },
    "nightly-replenishment": {
        "task": "shop.tasks.inventory_tasks.run_replenishment",
        "schedule": crontab(minute=30, hour=2),
    },
    "expire-loyalty-points": {
        "task": "shop.tasks.customer_tasks.expire_loyalty_points",
        "schedule": crontab(minute=0, hour=3, day_of_month=1),
    },
    "daily-sales-report": {
        "task": "shop.tasks.order_tasks.daily_sales_report",
        "schedule": crontab(minute=5, hour=6),
    },
}


@app.task(bind=True)
def debug_task(self):
    print(f"Request: {self.request!r}")
