"""Shop: the storefront monolith.

Importing the Celery app here makes sure it is loaded when Django starts,
so that ``@shared_task`` decorated functions bind to it.
"""
from .celery_app import app as celery_app

__all__ = ("celery_app",)
__version__ = "4.12.3"
