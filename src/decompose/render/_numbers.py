"""How a figure is written wherever a person reads it next to another (a comparison, a
baseline check): one formatter, one dash. Plain ASCII, so the terminal, the page and a
copied line read the same."""

from __future__ import annotations

__all__ = ["MISSING", "number", "signed"]

MISSING = "-"  # a figure not measured on that side


def number(value: float | None) -> str:
    """A whole figure with thousands separators, a ratio to 4 decimals; ``MISSING`` for None."""
    if value is None:
        return MISSING
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:.4f}"


def signed(value: float | None) -> str:
    """A change: "+5", "-0.0135", "0"; ``MISSING`` for None."""
    if value is None:
        return MISSING
    if value == 0:
        return "0"
    text = number(abs(value))
    return f"+{text}" if value > 0 else f"-{text}"
