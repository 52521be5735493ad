"""Typed DingTalk API calls, one module per product."""
