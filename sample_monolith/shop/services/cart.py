"""Shopping cart: items, pricing snapshot and totals."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from shop.services import pricing
from ..models.core import Address, Customer
from ..models.orders import Cart, CartItem
from ..utils import Money, NotFound, ValidationError, get_logger
from ..utils.decorators import transactional
from ..utils.money import allocate, sum_money, zero
from ..utils.validators import validate_quantity
from . import catalog_service, discounts, stock, tax

logger = get_logger(__name__)


@dataclass
class CartTotals:
    subtotal: Money
    discount: Money
    shipping: Money
    tax: Money
    total: Money
    discount_code: str = ""
    free_shipping: bool = False
    line_discounts: list[Money] = field(default_factory=list)
    line_taxes: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: str(getattr(self, k).amount) for k in ("subtotal", "discount", "shipping", "tax", "total")} | {
            "currency": self.total.currency, "discount_code": self.discount_code,
        }


def get_cart(customer: Customer | None = None, session_key: str | None = None, create: bool = True) -> Cart | None:
    qs = Cart.objects.filter(checked_out=False)
    cart = qs.filter(customer=customer).first() if customer else qs.filter(session_key=session_key).first()
    if cart is None and create:
        cart = Cart.objects.create(customer=customer, session_key=session_key or "", currency=settings.DEFAULT_CURRENCY)
    return cart


def _price_list_code(cart: Cart) -> str | None:
    customer = cart.customer
    return customer.group.price_list_code if customer and customer.group_id else None


@transactional
def add_item(cart: Cart, sku: str, quantity: int = 1) -> CartItem:
    quantity = validate_quantity(quantity)
    variant = catalog_service.get_variant(sku)
    item = cart.items.filter(variant=variant).first()
    new_quantity = quantity + (item.quantity if item else 0)
    if not stock.is_in_stock(variant, new_quantity):
        raise ValidationError(f"Only {stock.available_quantity(variant)} of {sku} left in stock.", sku=sku)
    unit = pricing.quote(variant, new_quantity, _price_list_code(cart)).unit_price
    if item is None:
        item = CartItem.objects.create(cart=cart, variant=variant, quantity=new_quantity, unit_price_snapshot=unit.amount)
    else:
        item.quantity, item.unit_price_snapshot = new_quantity, unit.amount
        item.save(update_fields=["quantity", "unit_price_snapshot", "updated_at"])
    return item


def update_quantity(cart: Cart, sku: str, quantity: int) -> CartItem | None:
    item = cart.items.filter(variant__sku=sku).first()
    if item is None:
        raise NotFound("Item not in cart.", sku=sku)
    if quantity <= 0:
        item.delete()
        return None
    item.delete()
    return add_item(cart, sku, quantity)


def remove_item(cart: Cart, sku: str) -> None:
    cart.items.filter(variant__sku=sku).delete()


def apply_discount_code(cart: Cart, code: str) -> CartTotals:
    totals = compute_totals(cart)
    discounts.validate_code(code, cart.customer, totals.subtotal)
    cart.discount_code = code.strip().upper()
    cart.save(update_fields=["discount_code", "updated_at"])
    return compute_totals(cart)


def refresh_prices(cart: Cart) -> bool:
    """Re-quote every item; return True if any price changed since it was added."""
    changed = False
    quotes = pricing.quote_many([(i.variant, i.quantity) for i in cart.items.select_related("variant__product")],
                                _price_list_code(cart))
    for item, quote in zip(cart.items.all(), quotes):
        if item.unit_price_snapshot != quote.unit_price.amount:
            item.unit_price_snapshot = quote.unit_price.amount
            item.save(update_fields=["unit_price_snapshot", "updated_at"])
            changed = True
    return changed


def compute_totals(cart: Cart, address: Address | None = None, shipping: Money | None = None) -> CartTotals:
    items = list(cart.items.select_related("variant__product"))
    currency = cart.currency
    subtotal = sum_money((i.line_total for i in items), currency)
    discount = discounts.evaluate(cart.discount_code, cart.customer, subtotal) if cart.discount_code \
        else discounts.DiscountResult.none(currency)
    line_discounts = allocate(discount.amount, [i.line_total.amount for i in items]) if items else []
    shipping = zero(currency) if (discount.free_shipping or shipping is None) else shipping
    if subtotal.amount >= Money(settings.FREE_SHIPPING_THRESHOLD, currency).amount:
        shipping = zero(currency)
    tax_lines = tax.compute(
        [(i.variant, i.line_total - d) for i, d in zip(items, line_discounts)], address, cart.customer
    )
    extra_tax = tax.added_tax(tax_lines, currency)
    total = subtotal - discount.amount + shipping + extra_tax
    return CartTotals(
        subtotal=subtotal, discount=discount.amount, shipping=shipping,
        tax=sum_money((t.amount for t in tax_lines), currency), total=total,
        discount_code=discount.code, free_shipping=discount.free_shipping,
        line_discounts=line_discounts, line_taxes=tax_lines,
    )


@transactional
def merge_carts(guest_cart: Cart, customer: Customer) -> Cart:
    """On login, move items from the anonymous cart into the customer's cart."""
    target = get_cart(customer=customer)
    for item in guest_cart.items.select_related("variant"):
        try:
            add_item(target, item.variant.sku, item.quantity)
        except ValidationError:
            logger.info("dropped %s while merging carts (stock)", item.variant.sku)
    guest_cart.delete()
    return target
