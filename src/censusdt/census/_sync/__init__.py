# Generated from the _async package by tools/gen_sync.py; edit the async source instead.
"""Census workflows, written once as async; ``_sync`` is generated from here."""
