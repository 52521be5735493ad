"""Async API calls; the sync twins in ``censusdt.api._sync`` are generated from these."""
