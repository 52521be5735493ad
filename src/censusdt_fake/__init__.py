"""censusdt_fake: a stateful in-memory DingTalk for offline tests."""
