"""Census workflows, written once as async; ``_sync`` is generated from here."""
