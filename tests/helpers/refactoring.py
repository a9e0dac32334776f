"""A git repository of the sample with two more commits, built in a test's folder:

1. the sample as shipped, with its intended services pinned in ``pyproject.toml`` (as a
   team pins the decomposition it accepted: the figures then follow the code alone, not
   the clustering, which other work keeps tuning);
2. "inventory stops calling orders": ``stock.reserve_for_order`` returns the SKUs it could
   not reserve and orders marks the order back-ordered itself; the job that releases the
   reservations of unpaid orders moves behind orders' API (``order_service``, run from
   ``order_tasks``), so ``shop.services.stock`` no longer imports ``order_service``;
3. "catalog shows stock": ``catalog_service`` calls ``stock.is_in_stock``, a dependency of
   catalog on inventory, which already depends on catalog: a new cycle between services.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from helpers.trees import SAMPLE

__all__ = ["build_repository", "git", "refactor", "add_cycle"]

_IDENTITY = {
    "GIT_AUTHOR_NAME": "decompose tests",
    "GIT_AUTHOR_EMAIL": "tests@decompose.invalid",
    "GIT_COMMITTER_NAME": "decompose tests",
    "GIT_COMMITTER_EMAIL": "tests@decompose.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    environment = {**os.environ, **_IDENTITY, "HOME": str(repo.parent), "GIT_CONFIG_GLOBAL": os.devnull}
    completed = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=environment, check=True
    )
    return completed.stdout.strip()


def build_repository(root: Path) -> Path:
    """The repository at ``root/shop-repo`` with the three commits, tagged v1, v2, v3."""
    repo = root / "shop-repo"
    shutil.copytree(SAMPLE, repo, ignore=shutil.ignore_patterns("__pycache__"))
    intended = json.loads((SAMPLE / "intended_decomposition.json").read_text(encoding="utf-8"))["services"]
    pins = "".join(f"{service} = {json.dumps(sorted(modules))}\n" for service, modules in sorted(intended.items()))
    (repo / "pyproject.toml").write_text(f"[tool.decompose.pin]\n{pins}", encoding="utf-8")
    git(repo, "init", "--quiet", "--initial-branch=main")
    _commit(repo, "v1", "The sample as shipped")
    refactor(repo)
    _commit(repo, "v2", "Inventory stops calling orders: orders marks back-orders and releases unpaid reservations")
    add_cycle(repo)
    _commit(repo, "v3", "Catalog shows stock")
    return repo


def _commit(repo: Path, tag: str, message: str) -> None:
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", message)
    git(repo, "tag", tag)


def _edit(repo: Path, relative: str, old: str, new: str) -> None:
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{relative}: the sample changed, {old!r} is not there once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def refactor(repo: Path) -> None:
    stock, orders = "shop/services/stock.py", "shop/services/order_service.py"
    _edit(repo, stock, "from shop.services import order_service\n", "")
    _edit(repo, stock, "def reserve_for_order(order: Order) -> bool:", "def reserve_for_order(order: Order) -> list[str]:")
    _edit(
        repo,
        stock,
        '''    """Reserve every line of ``order``.  Returns False if the order had to be
    back-ordered because something was short."""''',
        '''    """Reserve every line of ``order``; returns the SKUs that are short."""''',
    )
    _edit(
        repo,
        stock,
        """    if short:
        order_service.mark_backordered(order, short)
        return False
    log_event(logger, "stock.reserved", order=order.number)
    return True
""",
        """    if not short:
        log_event(logger, "stock.reserved", order=order.number)
    return short
""",
    )
    _edit(
        repo,
        stock,
        '''def expire_reservations() -> list[str]:
    """Release reservations past their TTL; returns affected order numbers."""
    expired_orders = (
        Order.objects.filter(reservations__committed=False, reservations__expires_at__lt=now())
        .distinct()
    )
    numbers = []
    for order in expired_orders:
        if order_service.is_awaiting_payment(order):
            release_for_order(order)
            numbers.append(order.number)
    return numbers


''',
        "",
    )
    _edit(
        repo,
        orders,
        """    stock.reserve_for_order(order)
    events.publish(""",
        """    short = stock.reserve_for_order(order)
    if short:
        mark_backordered(order, short)
    events.publish(""",
    )
    _edit(
        repo,
        orders,
        "if order.status != OrderStatus.BACKORDERED or stock.reserve_for_order(order):",
        "if order.status != OrderStatus.BACKORDERED or not stock.reserve_for_order(order):",
    )
    _edit(
        repo,
        orders,
        "def payment_summary(order: Order) -> dict:",
        '''def release_unpaid_reservations() -> list[str]:
    """Release the stock held by unpaid orders past the reservation TTL; returns their numbers."""
    expired_orders = (
        Order.objects.filter(reservations__committed=False, reservations__expires_at__lt=now())
        .distinct()
    )
    numbers = []
    for order in expired_orders:
        if is_awaiting_payment(order):
            stock.release_for_order(order)
            numbers.append(order.number)
    return numbers


def payment_summary(order: Order) -> dict:''',
    )
    _edit(
        repo,
        "shop/tasks/inventory_tasks.py",
        """@shared_task
def expire_reservations() -> int:
    released = stock.expire_reservations()
    if released:
        log_event(logger, "stock.reservations_expired", orders=released)
    return len(released)


""",
        "",
    )
    _edit(
        repo,
        "shop/tasks/order_tasks.py",
        """@shared_task
def daily_sales_report() -> None:""",
        """@shared_task
def release_unpaid_reservations() -> int:
    released = order_service.release_unpaid_reservations()
    if released:
        log_event(logger, "stock.reservations_expired", orders=released)
    return len(released)


@shared_task
def daily_sales_report() -> None:""",
    )
    _edit(
        repo,
        "shop/celery_app.py",
        '"task": "shop.tasks.inventory_tasks.expire_reservations",',
        '"task": "shop.tasks.order_tasks.release_unpaid_reservations",',
    )


def add_cycle(repo: Path) -> None:
    catalog = "shop/services/catalog_service.py"
    _edit(
        repo,
        catalog,
        "from ..utils.validators import validate_sku\n",
        "from ..utils.validators import validate_sku\nfrom .stock import is_in_stock\n",
    )
    _edit(
        repo,
        catalog,
        "def get_variants(skus: Iterable[str]) -> dict[str, ProductVariant]:",
        '''def variant_availability(sku: str) -> dict:
    """A variant with whether it can be ordered now, for the product page."""
    variant = get_variant(sku)
    return {"sku": variant.sku, "in_stock": is_in_stock(variant)}


def get_variants(skus: Iterable[str]) -> dict[str, ProductVariant]:''',
    )
