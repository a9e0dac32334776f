"""Helpers the unit and functional tests share: ``trees`` (fixture projects from inline text,
edges as ``"a -> b"``), ``graphs`` (graphs from short strings), ``refactoring`` and
``gitscript`` (git repositories built by a test), ``evidence`` and ``browser``."""
