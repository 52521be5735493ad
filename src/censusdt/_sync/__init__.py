# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Async source of the client; ``_sync`` is generated from it by ``tools/gen_sync.py``."""
