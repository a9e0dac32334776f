"""VAT invoices for orders: numbering, totals by rate, HTML rendering."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string

from ..models.core import Order, OrderStatus
from ..models.orders import Invoice
from ..utils import Money, get_logger
from ..utils.dates import format_date, today
from ..utils.db import raw_scalar
from ..utils.decorators import transactional
from ..utils.exceptions import Conflict
from ..utils.money import sum_money
from . import addresses

logger = get_logger(__name__)

INVOICEABLE = {OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED}
COMPANY = {
    "name": "Shop Retail Ltd",
    "vat_number": "GB 123 4567 89",
    "address": ["Unit 4, Riverside Park", "London", "SE1 9ZZ"],
}


def next_invoice_number() -> str:
    year = today().year
    seq = raw_scalar("SELECT nextval('orders_invoice_number_seq')")
    return f"INV-{year}-{seq:06d}"


def vat_breakdown(order: Order) -> dict[Decimal, Money]:
    """VAT grouped by rate, as required on a UK VAT invoice."""
    by_rate: dict[Decimal, list[Money]] = defaultdict(list)
    for line in order.lines.all():
        by_rate[line.tax_rate].append(Money(line.tax_amount, order.currency))
    return {rate: sum_money(amounts, order.currency) for rate, amounts in sorted(by_rate.items())}


@transactional
def generate_invoice(order: Order) -> Invoice:
    if order.status not in INVOICEABLE:
        raise Conflict(f"Order {order.number} is not invoiceable in status {order.status}.")
    existing = Invoice.objects.filter(order=order).first()
    if existing:
        return existing
    invoice = Invoice.objects.create(
        order=order, number=next_invoice_number(), issued_on=today(),
        total=order.grand_total, tax_total=order.tax_total,
    )
    logger.info("invoice %s issued for %s", invoice.number, order.number)
    return invoice


def render_invoice_html(invoice: Invoice) -> str:
    order = invoice.order
    billing = order.billing_address or order.shipping_address
    return render_to_string("invoices/invoice.html", {
        "company": COMPANY,
        "invoice": invoice,
        "issued_on": format_date(invoice.issued_on),
        "order": order,
        "billing_lines": addresses.format_label(billing) if billing else [],
        "lines": order.lines.all(),
        "vat": vat_breakdown(order),
        "total": Money(invoice.total, order.currency),
        "currency": order.currency or settings.DEFAULT_CURRENCY,
    })


def credit_note_total(invoice: Invoice, refunded: Money) -> Money:
    """Amount of a credit note issued against an invoice after a refund."""
    total = Money(invoice.total, invoice.order.currency)
    return refunded if refunded < total else total
