"""Plain state classes of the fake DingTalk, one module per product; no HTTP in here."""
