"""Project-wide decorators for services, views and tasks."""
from __future__ import annotations

import functools
import time

from django.http import JsonResponse

from . import db
from .exceptions import PermissionDenied, ShopError
from .logging import get_logger

logger = get_logger(__name__)


def timed(func):
    """Log how long a service call took (picked up by the APM dashboard)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        started = time.monotonic()
        try:
            return func(*args, **kwargs)
        finally:
            elapsed = (time.monotonic() - started) * 1000
            logger.debug("%s.%s took %.1fms", func.__module__, func.__qualname__, elapsed)

    return wrapper


def transactional(func):
    """Run the decorated service function inside a database transaction."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with db.atomic():
            return func(*args, **kwargs)

    return wrapper


def retry_on(*exceptions, attempts: int = 3, backoff: float = 0.5):
    """Retry a call on the given exceptions with exponential backoff."""

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == attempts:
                        raise
                    delay = backoff * (2 ** (attempt - 1))
                    logger.warning("retrying %s in %.1fs (attempt %d)", func.__name__, delay, attempt)
                    time.sleep(delay)

        return wrapper

    return decorator


def staff_required(view):
    """Like ``login_required`` but for staff-only JSON endpoints."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.is_staff):
            raise PermissionDenied("Staff access only.")
        return view(request, *args, **kwargs)

    return wrapper


def json_errors(view):
    """Convert ``ShopError`` raised by a view into a JSON error response."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ShopError as exc:
            return JsonResponse(exc.as_dict(), status=exc.status_code)

    return wrapper
