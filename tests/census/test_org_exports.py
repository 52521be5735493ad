"""Org-as-code names are importable from censusdt.census, as the docs show them."""

from __future__ import annotations

from censusdt import census
from censusdt.census import divisions, live, orgdiff, orgdiffops, plan, roster, rostergen

MODULES = (divisions, live, orgdiff, orgdiffops, plan, roster, rostergen)
# Helpers that stay in their modules: constants and functions used only by the library itself.
MODULE_ONLY = {
    "BUILTIN_DIVISION_TABLES",
    "ROOT_DEPT_ID",
    "DEFAULT_ROLE_GROUP",
    "SYNTHETIC_MOBILE_PREFIX",
    "compute_diff",
    "derive_userid",
    "roster_rows",
    "validate_department_name",
}


def test_public_names_exported() -> None:
    missing = [
        f"{module.__name__}.{name}"
        for module in MODULES
        for name in module.__all__
        if name not in MODULE_ONLY and getattr(census, name, None) is not getattr(module, name)
    ]
    assert missing == []


def test_exports_unique_and_present() -> None:
    names = list(census.__all__)
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(census, name), name
