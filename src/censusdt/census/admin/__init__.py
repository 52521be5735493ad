"""Office administration: approval templates and attendance summaries (no network)."""
