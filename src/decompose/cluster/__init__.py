"""Cluster stage: modules grouped into candidate bounded contexts."""
