"""Tests of the fake DingTalk itself."""
