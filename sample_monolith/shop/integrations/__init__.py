"""Clients for third-party APIs.  Every client subclasses
``shop.utils.http.ApiClient`` so timeouts, auth and error translation are
consistent."""
