"""Celery tasks, one module per area.  Task bodies should stay thin and call
into ``shop.services``."""
