"""censusdt: a typed DingTalk SDK for census offices."""
