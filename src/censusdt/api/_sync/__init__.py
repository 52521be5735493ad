# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Async API calls; the sync twins in ``censusdt.api._sync`` are generated from these."""
