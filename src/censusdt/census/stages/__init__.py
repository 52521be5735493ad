"""Rehearsal stages; every public module here registers its stage with ``@stage``."""

from __future__ import annotations

import importlib
import pkgutil

__all__ = ["load_stages"]


def load_stages() -> None:
    """Import every stage module so its stage is registered."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
