"""Date and time helpers.  All datetimes in the shop are timezone-aware UTC."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

UK_BANK_HOLIDAYS = {
    dt.date(2024, 1, 1), dt.date(2024, 3, 29), dt.date(2024, 4, 1),
    dt.date(2024, 5, 6), dt.date(2024, 5, 27), dt.date(2024, 8, 26),
    dt.date(2024, 12, 25), dt.date(2024, 12, 26),
}


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate()


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in UK_BANK_HOLIDAYS


def add_business_days(start: dt.date, days: int) -> dt.date:
    """Return the date ``days`` business days after ``start``."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: dt.date, end: dt.date) -> int:
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        if is_business_day(current):
            count += 1
    return count


def minutes_ago(minutes: int) -> dt.datetime:
    return now() - dt.timedelta(minutes=minutes)


def days_ago(days: int) -> dt.datetime:
    return now() - dt.timedelta(days=days)


def format_date(value: dt.date | dt.datetime, fmt: str = "%d %b %Y") -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return value.strftime(fmt)
