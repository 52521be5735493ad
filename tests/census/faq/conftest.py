"""Shared FAQ robot fixtures: the sample knowledge base and code tables, built once per session."""

from __future__ import annotations

import pytest

from censusdt.census.faq import CodeLookup, FaqEntry, FaqRobot, FaqRouter, load_sample_faq


@pytest.fixture(scope="session")
def sample_entries() -> list[FaqEntry]:
    return load_sample_faq()


@pytest.fixture(scope="session")
def router(sample_entries: list[FaqEntry]) -> FaqRouter:
    return FaqRouter(sample_entries)


@pytest.fixture(scope="session")
def lookup() -> CodeLookup:
    return CodeLookup()


@pytest.fixture(scope="session")
def robot(router: FaqRouter, lookup: CodeLookup) -> FaqRobot:
    return FaqRobot(router=router, lookup=lookup)
