"""The one exception root of decompose, and the few kinds a caller may want to tell apart."""

from __future__ import annotations

__all__ = ["DecomposeError", "InputError", "ConfigError"]


class DecomposeError(Exception):
    """Root of every error decompose raises on purpose."""


class InputError(DecomposeError):
    """The path to analyse cannot be used: missing, not a directory, no Python files."""


class ConfigError(DecomposeError):
    """Invalid configuration; the message names the offending key."""
