"""Census workflows built on the DingTalk API layer."""
