"""Database helpers: transactions, row locking, raw SQL."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterable, Iterator

from django.db import connection, transaction

from .logging import get_logger

logger = get_logger(__name__)


@contextmanager
def atomic(savepoint: bool = True) -> Iterator[None]:
    """Thin wrapper around ``transaction.atomic`` that logs rollbacks."""
    try:
        with transaction.atomic(savepoint=savepoint):
            yield
    except Exception:
        logger.warning("transaction rolled back", exc_info=True)
        raise


def on_commit(func, *args, **kwargs) -> None:
    """Run ``func`` after the current transaction commits (e.g. to enqueue a task)."""
    transaction.on_commit(lambda: func(*args, **kwargs))


def lock(queryset):
    """``SELECT ... FOR UPDATE`` with a sane default for skipping locked rows."""
    return queryset.select_for_update(of=("self",))


def raw_query(sql: str, params: Iterable[Any] | None = None) -> list[dict]:
    """Run a read-only query and return rows as dicts."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params or []))
        columns = [col[0] for col in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def raw_scalar(sql: str, params: Iterable[Any] | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params or []))
        row = cursor.fetchone()
        return row[0] if row else None


def bulk_update_in_chunks(model, objects: list, fields: list[str], chunk_size: int = 500) -> int:
    updated = 0
    for start in range(0, len(objects), chunk_size):
        chunk = objects[start:start + chunk_size]
        model.objects.bulk_update(chunk, fields)
        updated += len(chunk)
    return updated
