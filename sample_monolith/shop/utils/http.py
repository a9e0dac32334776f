"""HTTP plumbing: a JSON base view for our endpoints and a base API client
for the third-party integrations."""
from __future__ import annotations

import json
from typing import Any

import requests
from django.http import HttpRequest, JsonResponse
from django.views import View

from .exceptions import ExternalServiceError, ShopError, ValidationError
from .logging import get_logger, current_request_id

logger = get_logger(__name__)


def parse_json_body(request: HttpRequest) -> dict:
    try:
        return json.loads(request.body or b"{}")
    except json.JSONDecodeError:
        raise ValidationError("Request body is not valid JSON.")


def json_response(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=not isinstance(data, list))


class JsonView(View):
    """Base class for JSON endpoints.  Subclasses implement get/post/... and
    may raise ``ShopError``; the error is rendered as JSON."""

    def dispatch(self, request, *args, **kwargs):
        try:
            if request.method in ("POST", "PUT", "PATCH"):
                request.json = parse_json_body(request)
            return super().dispatch(request, *args, **kwargs)
        except ShopError as exc:
            return JsonResponse(exc.as_dict(), status=exc.status_code)


class ApiClient:
    """Base for outbound API clients (payment gateway, carriers, tax, SMS...)."""

    service_name = "api"
    base_url = ""
    timeout = 10

    def __init__(self, base_url: str | None = None, api_key: str | None = None):
        self.base_url = (base_url or self.base_url).rstrip("/")
        self.api_key = api_key
        self.session = requests.Session()
        self.session.headers.update(self.default_headers())

    def default_headers(self) -> dict:
        headers = {"Accept": "application/json", "User-Agent": "shop/4"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request_id = current_request_id()
        if request_id:
            headers["X-Request-ID"] = request_id
        return headers

    def request(self, method: str, path: str, **kwargs) -> dict:
        url = f"{self.base_url}/{path.lstrip('/')}"
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            logger.error("%s request failed: %s %s", self.service_name, method, url)
            raise ExternalServiceError(self.service_name, str(exc)) from exc
        if response.status_code >= 500:
            raise ExternalServiceError(self.service_name, f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise ExternalServiceError(
                self.service_name, response.text[:200], status=response.status_code
            )
        return response.json() if response.content else {}

    def get(self, path: str, **params) -> dict:
        return self.request("GET", path, params=params)

    def post(self, path: str, payload: dict | None = None) -> dict:
        return self.request("POST", path, json=payload or {})
