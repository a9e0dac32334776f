"""Metrics stage: figures computed from a graph and a decomposition. Computes, never formats."""

from __future__ import annotations

from decompose.metrics._mojo import mojo_distance, mojofm

__all__ = ["mojo_distance", "mojofm"]
