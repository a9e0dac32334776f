"""Structured logging helpers.

Note: this module shadows the stdlib name inside the package, so the stdlib
module is imported absolutely below.
"""
from __future__ import annotations

import json
import logging
import threading
import uuid

_local = threading.local()


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(f"shop.{name}" if not name.startswith("shop") else name)


def current_request_id() -> str | None:
    return getattr(_local, "request_id", None)


def log_event(logger: logging.Logger, event: str, **fields) -> None:
    """Log a business event with structured fields (picked up by the JSON formatter)."""
    fields.setdefault("request_id", current_request_id())
    logger.info(event, extra={"event": event, "fields": fields})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "event": getattr(record, "event", None),
        }
        payload.update(getattr(record, "fields", {}) or {})
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


class RequestIdMiddleware:
    """Attach an ``X-Request-ID`` to every request and log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _local.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = _local.request_id
            return response
        finally:
            _local.request_id = None
