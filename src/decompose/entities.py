"""Entities stage: the data a codebase defines (Django and SQLAlchemy models, SQL tables) and which modules define, reference, relate to and query each entity."""
