"""Every endpoint censusdt declares is served by the fake, with the same method and path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))

import gen_coverage

DECLARED = gen_coverage.declared_endpoints()


@pytest.mark.parametrize(
    ("module", "name", "endpoint"),
    DECLARED,
    ids=[f"{module}.{name}" for module, name, _ in DECLARED],
)
def test_endpoint_served_by_fake(module, name, endpoint):
    assert (endpoint.method, endpoint.path) in gen_coverage.served_routes()


def test_every_product_declares_endpoints():
    assert len(DECLARED) > 0
