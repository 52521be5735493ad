"""Handler modules, one per DingTalk product; each exposes a ``router``."""
