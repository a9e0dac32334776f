"""Caching helpers on top of Django's cache, with Redis extras when available."""
from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache

try:
    from django_redis import get_redis_connection
except ImportError:  # local dev without redis
    get_redis_connection = None

from .logging import get_logger

logger = get_logger(__name__)
DEFAULT_TTL = 300


def make_key(prefix: str, *parts) -> str:
    raw = ":".join(str(p) for p in parts)
    if len(raw) > 120:
        raw = hashlib.sha1(raw.encode()).hexdigest()
    return f"shop:{prefix}:{raw}"


def cache_get(key: str, default=None):
    return cache.get(key, default)


def cache_set(key: str, value, ttl: int = DEFAULT_TTL) -> None:
    cache.set(key, value, ttl)


def invalidate(prefix: str) -> int:
    """Delete every key starting with ``shop:<prefix>:``.  Redis only."""
    if get_redis_connection is None:
        logger.info("prefix invalidation skipped, no redis: %s", prefix)
        return 0
    conn = get_redis_connection("default")
    keys = list(conn.scan_iter(match=f"*shop:{prefix}:*", count=1000))
    if keys:
        conn.delete(*keys)
    return len(keys)


def cached(prefix: str, ttl: int = DEFAULT_TTL):
    """Cache a function's result keyed on its positional/keyword arguments."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            key = make_key(prefix, func.__name__, *args, *sorted(kwargs.items()))
            hit = cache.get(key)
            if hit is not None:
                return hit
            value = func(*args, **kwargs)
            cache.set(key, value, ttl)
            return value

        wrapper.invalidate = lambda: invalidate(prefix)
        return wrapper

    return decorator
