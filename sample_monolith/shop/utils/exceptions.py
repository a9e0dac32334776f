"""Exception hierarchy shared by all services.

Views translate these into HTTP responses in ``shop.utils.http``.
"""
from __future__ import annotations


class ShopError(Exception):
    """Base class for all expected business errors."""

    status_code = 400
    code = "shop_error"

    def __init__(self, message: str = "", *, code: str | None = None, **details):
        super().__init__(message)
        self.message = message or self.__class__.__doc__ or ""
        if code:
            self.code = code
        self.details = details

    def as_dict(self) -> dict:
        return {"error": self.code, "message": self.message, **self.details}


class ValidationError(ShopError):
    """The request data is invalid."""

    code = "invalid"


class NotFound(ShopError):
    """The requested object does not exist."""

    status_code = 404
    code = "not_found"


class Conflict(ShopError):
    """The object is not in a state that allows this operation."""

    status_code = 409
    code = "conflict"


class PermissionDenied(ShopError):
    """The caller may not perform this operation."""

    status_code = 403
    code = "forbidden"


class ExternalServiceError(ShopError):
    """A third-party API failed or timed out."""

    status_code = 502
    code = "upstream_error"

    def __init__(self, service: str, message: str = "", **details):
        super().__init__(message or f"{service} is unavailable", service=service, **details)
        self.service = service
