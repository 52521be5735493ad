"""Async source of the client; ``_sync`` is generated from it by ``tools/gen_sync.py``."""
