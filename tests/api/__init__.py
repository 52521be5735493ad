"""Tests of the typed API calls against the fake."""
