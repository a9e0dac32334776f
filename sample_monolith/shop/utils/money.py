"""Money arithmetic.

Never use floats for money.  ``Money`` wraps a ``Decimal`` amount and an
ISO-4217 currency code and refuses to mix currencies.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable, Sequence

DEFAULT_CURRENCY = "GBP"
CENT = Decimal("0.01")


class CurrencyMismatch(ValueError):
    pass


def to_decimal(value) -> Decimal:
    """Convert ints, strings and Decimals to Decimal; reject floats."""
    if isinstance(value, float):
        raise TypeError("refusing to build money from a float")
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not a monetary amount: {value!r}") from exc


def quantize(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, order=False)
class Money:
    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self):
        object.__setattr__(self, "amount", quantize(to_decimal(self.amount)))

    # -- arithmetic ------------------------------------------------------
    def _check(self, other: "Money") -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} != {other.currency}")

    def __add__(self, other: "Money") -> "Money":
        if other == 0:
            return self
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    __radd__ = __add__

    def __sub__(self, other: "Money") -> "Money":
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor) -> "Money":
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> "Money":
        return Money(-self.amount, self.currency)

    def __lt__(self, other: "Money") -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: "Money") -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __bool__(self) -> bool:
        return self.amount != 0

    # -- helpers ---------------------------------------------------------
    @property
    def minor_units(self) -> int:
        """Amount in pence/cents, as payment gateways expect."""
        return int(self.amount * 100)

    @classmethod
    def from_minor(cls, units: int, currency: str = DEFAULT_CURRENCY) -> "Money":
        return cls(Decimal(units) / 100, currency)

    def percent(self, rate) -> "Money":
        return Money(self.amount * to_decimal(rate) / 100, self.currency)

    def clamp_min(self, floor: "Money") -> "Money":
        return self if floor <= self else floor

    def format(self) -> str:
        symbol = {"GBP": "£", "EUR": "€", "USD": "$"}.get(self.currency, self.currency + " ")
        return f"{symbol}{self.amount:,.2f}"

    def __str__(self) -> str:
        return self.format()


ZERO = Money(Decimal("0"))


def zero(currency: str = DEFAULT_CURRENCY) -> Money:
    return Money(Decimal("0"), currency)


def sum_money(values: Iterable[Money], currency: str = DEFAULT_CURRENCY) -> Money:
    total = zero(currency)
    for value in values:
        total = total + value
    return total


def allocate(total: Money, ratios: Sequence[int | Decimal]) -> list[Money]:
    """Split ``total`` proportionally to ``ratios`` without losing a penny.

    Used to spread order-level discounts across order lines.
    """
    if not ratios:
        return []
    weight = sum(to_decimal(r) for r in ratios)
    if weight == 0:
        return [zero(total.currency) for _ in ratios]
    shares = [quantize(total.amount * to_decimal(r) / weight) for r in ratios]
    remainder = total.amount - sum(shares)
    shares[0] += remainder
    return [Money(share, total.currency) for share in shares]
